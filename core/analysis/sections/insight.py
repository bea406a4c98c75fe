"""Key insight: the day's strongest signal, ranked by how far each figure passed its threshold."""

from __future__ import annotations

from dataclasses import dataclass

from core.analysis.facts import Facts
from core.analysis.sections.evidence import (
    EQUITY_MARKETS,
    breadth_score,
    breadth_state,
    divergence_score,
    link_score,
    market_score,
    ratio,
    stablecoin_net,
    strong_threshold,
)
from core.analysis.wording import (
    legs_timing,
    missing_breadth,
    missing_markets,
    missing_stablecoins,
    move_text,
)
from core.formatting import bps, compact_money, session_label, signed_pct
from core.report import Paragraph, Section
from core.sections import section_info

# Runners-up are quoted when they reached their own threshold; below it they are noise.
_SUPPORTING = 2


@dataclass(frozen=True)
class Candidate:
    """One signal of the day: what it is, its score and the sentences that state it."""

    label: str
    score: float
    headline: str
    support: str


# Each figure is quoted without its session: the report's header names every market's session,
# and legs_timing says so where a pair's legs come from different ones.


def _divergence(facts: Facts) -> Candidate | None:
    div = facts.strongest_divergence()
    if div is None:
        return None
    score = divergence_score(div, facts.settings.divergence.major_bps)
    pair = f"{div.a.display_name} minus {div.b.display_name}"
    spread = f"{pair} {bps(div.spread_bps)} ({div.level.value})"
    return Candidate(
        label=f"the {pair} divergence",
        score=score,
        headline=f"{spread}: {move_text(div.a)} vs {move_text(div.b)}.{legs_timing(div, facts)}",
        support=f"{spread}.",
    )


def _chain_break(facts: Facts) -> Candidate | None:
    link = facts.first_break()
    if link is None:
        return None
    src, dst = facts.markets[link.source], facts.markets[link.target]
    breaks = sum(1 for x in facts.chain if x.status == "breaks")
    more = f" {breaks} of {len(facts.chain)} links broke." if breaks > 1 else ""
    legs = f"{signed_pct(src.mean_change_pct)} then {signed_pct(dst.mean_change_pct)}"
    return Candidate(
        label=f"the {src.name} → {dst.name} transmission break",
        score=link_score(facts, link),
        headline=(
            f"{src.name} {signed_pct(src.mean_change_pct)} ({src.signal.value}) did not carry "
            f"into {dst.name} {signed_pct(dst.mean_change_pct)} ({dst.signal.value}).{more}"
        ),
        support=f"The chain broke at {src.name} → {dst.name} ({legs}).",
    )


def _breadth(facts: Facts) -> Candidate | None:
    b = facts.breadth
    if b is None:
        return None
    cfg = facts.settings.breadth
    state = breadth_state(b, cfg)
    bound = {
        "weak": f"at or below the {cfg.weak_pct:g}% weak bound",
        "strong": f"at or above the {cfg.strong_pct:g}% strong bound",
        "normal": f"inside the {cfg.weak_pct:g}–{cfg.strong_pct:g}% normal range",
    }[state]
    rate = f"{b.advance_rate_pct:.1f}%"
    return Candidate(
        label="A-share breadth",
        score=breadth_score(b, cfg),
        headline=f"{rate} of A-shares rose ({b.up:,} up / {b.down:,} down), {bound}.",
        support=f"A-share breadth was {state}: {rate} of stocks rose.",
    )


def _market(facts: Facts, key: str) -> Candidate | None:
    mm = facts.markets[key]
    score = market_score(mm, facts.settings.signal)
    if score is None:
        return None
    strong = strong_threshold(key, facts.settings.signal)
    side = "beyond" if score >= 1 else "within"
    mean = f"{mm.name} {signed_pct(mm.mean_change_pct)} ({mm.signal.value})"
    return Candidate(
        label=f"the {'crypto' if key == 'CRYPTO' else mm.name} move",
        score=score,
        headline=f"{mean}, {side} the ±{strong:.2f}% strong-move threshold.",
        support=f"{mean}.",
    )


def _stablecoins(facts: Facts) -> Candidate | None:
    net = stablecoin_net(facts)
    if net is None:
        return None
    flow = facts.settings.defi.stablecoin_flow_usd
    change = "grew" if net > 0 else "shrank" if net < 0 else "was unchanged"
    figure = f"Stablecoin supply {compact_money(net, signed=True)} over 1 day"
    return Candidate(
        label="stablecoin flow",
        score=ratio(net, flow),
        headline=f"{figure}: supply {change}, against a {compact_money(flow)} flow threshold.",
        support=f"{figure}.",
    )


def candidates(facts: Facts) -> list[Candidate]:
    """Return every signal of the day that has figures, strongest first."""
    found = [
        _divergence(facts),
        _chain_break(facts),
        _breadth(facts),
        _market(facts, "CRYPTO"),
        _stablecoins(facts),
        *(_market(facts, key) for key in EQUITY_MARKETS),
    ]
    return sorted((c for c in found if c is not None), key=lambda c: -c.score)


def _paragraph(ranked: list[Candidate], facts: Facts) -> str:
    if not ranked:
        return (
            f"Not enough data for a key insight on {session_label(facts.report_date)}: the "
            "snapshot has no index, crypto, breadth or stablecoin figures to compare."
        )
    top, rest = ranked[0], ranked[1:]
    if top.score >= 1:
        lead = f"Strongest signal ({top.score:.1f}× its threshold): {top.label}."
        support = [c.support for c in rest if c.score >= 1][:_SUPPORTING]
        tail = ["Also:", *support] if support else []
    else:
        lead = (
            f"A quiet day: no signal reached its configured threshold; the largest was "
            f"{top.label}, at {top.score:.1f}× its threshold."
        )
        tail = [f"Next largest, {rest[0].score:.1f}×: {rest[0].support}"] if rest else []
    return " ".join([lead, top.headline, *tail])


def build_insight(facts: Facts) -> Section:
    """Return the key-insight section naming the strongest signal of the snapshot."""
    info = section_info("insight")
    missing = (*missing_markets(facts), *missing_breadth(facts), *missing_stablecoins(facts))
    return Section(
        info.key, info.title, (Paragraph(_paragraph(candidates(facts), facts)),), tuple(missing)
    )

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
    breadth_text,
    dated_move,
    legs_timing,
    market_moves,
    market_summary,
    missing_breadth,
    missing_markets,
    missing_stablecoins,
    move_text,
    session_tag,
    stablecoin_text,
    verb,
    when,
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


def _divergence(facts: Facts) -> Candidate | None:
    div = facts.strongest_divergence()
    if div is None:
        return None
    rd, major = facts.report_date, facts.settings.divergence.major_bps
    score = divergence_score(div, major)
    pair = f"{div.a.display_name} minus {div.b.display_name}"
    timing = legs_timing(div, facts)
    if not timing:
        legs = f"{move_text(div.a)} vs {move_text(div.b)}, {when(div.a, rd)}"
    else:
        legs = f"{dated_move(div.a, rd)} vs {dated_move(div.b, rd)}"
    return Candidate(
        label=f"the {pair} divergence",
        score=score,
        headline=(
            f"{pair} is the widest configured spread at {bps(div.spread_bps)}: "
            f"{dated_move(div.a, rd)} against {dated_move(div.b, rd)}, a {div.level.value} "
            f"divergence (major from {major:g} bps).{timing}"
        ),
        support=f"The {pair} spread is {bps(div.spread_bps)} ({legs}).",
    )


def _chain_break(facts: Facts) -> Candidate | None:
    link = facts.first_break()
    if link is None:
        return None
    rd = facts.report_date
    src, dst = facts.markets[link.source], facts.markets[link.target]
    breaks = sum(1 for x in facts.chain if x.status == "breaks")
    more = f" {breaks} of {len(facts.chain)} links broke in all." if breaks > 1 else ""
    return Candidate(
        label=f"the {src.name} → {dst.name} transmission break",
        score=link_score(facts, link),
        headline=(
            f"The transmission chain broke at {src.name} → {dst.name}: "
            f"{market_summary(src, rd)}, while {market_summary(dst, rd)}.{more}"
        ),
        support=(
            f"The chain broke at {src.name} → {dst.name} ({src.name} "
            f"{signed_pct(src.mean_change_pct)}, {when(src, rd)}, vs {dst.name} "
            f"{signed_pct(dst.mean_change_pct)}, {when(dst, rd)})."
        ),
    )


def _breadth(facts: Facts) -> Candidate | None:
    b = facts.breadth
    if b is None:
        return None
    cfg = facts.settings.breadth
    state = breadth_state(b, cfg)
    when_breadth = session_tag(b.session_date, facts.report_date)
    bound = {
        "weak": f"at or below the {cfg.weak_pct:g}% weak bound",
        "strong": f"at or above the {cfg.strong_pct:g}% strong bound",
        "normal": f"inside the {cfg.weak_pct:g}–{cfg.strong_pct:g}% normal range",
    }[state]
    return Candidate(
        label="A-share breadth",
        score=breadth_score(b, cfg),
        headline=f"A-share breadth was {state}: {breadth_text(b, facts.report_date)}, {bound}.",
        support=(
            f"A-share breadth was {state} ({b.advance_rate_pct:.1f}% of stocks rose, "
            f"{when_breadth})."
        ),
    )


def _market(facts: Facts, key: str) -> Candidate | None:
    mm = facts.markets[key]
    score = market_score(mm, facts.settings.signal)
    if score is None:
        return None
    strong = strong_threshold(key, facts.settings.signal)
    side = "beyond" if score >= 1 else "within"
    return Candidate(
        label=f"the {'crypto' if key == 'CRYPTO' else mm.name} move",
        score=score,
        headline=(
            f"{market_summary(mm, facts.report_date)}, {side} the ±{strong:.2f}% "
            f"strong-move threshold ({mm.signal.value})."
        ),
        support=(
            f"{mm.name} {verb(mm.mean_change_pct)} ({market_moves(mm, facts.report_date)}; "
            f"{when(mm, facts.report_date)})."
        ),
    )


def _stablecoins(facts: Facts) -> Candidate | None:
    net = stablecoin_net(facts)
    if net is None:
        return None
    flow = facts.settings.defi.stablecoin_flow_usd
    crypto = facts.markets["CRYPTO"]
    context = ""
    if crypto.mean_change_pct is not None:
        context = (
            f" Crypto prices averaged "
            f"{signed_pct(crypto.mean_change_pct)} over the {when(crypto, facts.report_date)}."
        )
    change = "grew" if net > 0 else "shrank" if net < 0 else "was unchanged"
    return Candidate(
        label="stablecoin flow",
        score=ratio(net, flow),
        headline=(
            f"Stablecoin supply {change}: {stablecoin_text(facts)}, against a "
            f"{compact_money(flow)} flow threshold.{context}"
        ),
        support=f"Stablecoin supply {change} by a net {compact_money(abs(net))} over 1 day.",
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
        tail = ["Supporting signals:", *support] if support else []
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

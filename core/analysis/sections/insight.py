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
    change_text,
    day,
    legs_timing,
    missing_breadth,
    missing_markets,
    missing_stablecoins,
    money,
    move_text,
)
from core.formatting import bps, count
from core.phrase import Phrase, figure, say, sentences
from core.report import Paragraph, Section
from core.sections import section_info

# Runners-up are quoted when they reached their own threshold; below it they are noise.
_SUPPORTING = 2


@dataclass(frozen=True)
class Candidate:
    """One signal of the day: what it is, its score and the sentences that state it."""

    label: Phrase
    score: float
    headline: Phrase
    support: Phrase


# Each figure is quoted without its session: the report's header names every market's session,
# and legs_timing says so where a pair's legs come from different ones.


def _divergence(facts: Facts) -> Candidate | None:
    div = facts.strongest_divergence()
    if div is None:
        return None
    score = divergence_score(div, facts.settings.divergence.major_bps)
    names = {"a": div.a.display_name, "b": div.b.display_name}
    spread = say(
        "%(a)s minus %(b)s %(spread)s (%(level)s)",
        spread=figure(bps, div.spread_bps),
        level=div.level.value,
        **names,
    )
    headline = say(
        "%(spread)s: %(a_move)s vs %(b_move)s.",
        spread=spread,
        a_move=move_text(div.a),
        b_move=move_text(div.b),
    )
    return Candidate(
        label=say("the %(a)s minus %(b)s divergence", **names),
        score=score,
        headline=sentences(headline, legs_timing(div, facts)),
        support=say("%(spread)s.", spread=spread),
    )


def _chain_break(facts: Facts) -> Candidate | None:
    link = facts.first_break()
    if link is None:
        return None
    src, dst = facts.markets[link.source], facts.markets[link.target]
    breaks = sum(1 for x in facts.chain if x.status == "breaks")
    more = (
        say("%(breaks)s of %(links)s links broke.", breaks=breaks, links=len(facts.chain))
        if breaks > 1
        else ""
    )
    names = {"source": src.name, "target": dst.name}
    headline = say(
        "%(source)s %(source_mean)s (%(source_signal)s) did not carry into %(target)s "
        "%(target_mean)s (%(target_signal)s).",
        source_mean=change_text(src.mean_change_pct),
        source_signal=src.signal.value,
        target_mean=change_text(dst.mean_change_pct),
        target_signal=dst.signal.value,
        **names,
    )
    return Candidate(
        label=say("the %(source)s → %(target)s transmission break", **names),
        score=link_score(facts, link),
        headline=sentences(headline, more),
        support=say(
            "The chain broke at %(source)s → %(target)s (%(source_mean)s then %(target_mean)s).",
            source_mean=change_text(src.mean_change_pct),
            target_mean=change_text(dst.mean_change_pct),
            **names,
        ),
    )


def _breadth(facts: Facts) -> Candidate | None:
    b = facts.breadth
    if b is None:
        return None
    cfg = facts.settings.breadth
    state = breadth_state(b, cfg)
    weak, strong = f"{cfg.weak_pct:g}%", f"{cfg.strong_pct:g}%"
    bound = {
        "weak": say("at or below the %(weak)s weak bound", weak=weak),
        "strong": say("at or above the %(strong)s strong bound", strong=strong),
        "normal": say("inside the %(weak)s–%(strong)s normal range", weak=weak, strong=strong),
    }[state]
    rate = f"{b.advance_rate_pct:.1f}%"
    support = {
        "weak": say("A-share breadth was weak: %(rate)s of stocks rose.", rate=rate),
        "strong": say("A-share breadth was strong: %(rate)s of stocks rose.", rate=rate),
        "normal": say("A-share breadth was normal: %(rate)s of stocks rose.", rate=rate),
    }[state]
    return Candidate(
        label=say("A-share breadth"),
        score=breadth_score(b, cfg),
        headline=say(
            "%(rate)s of A-shares rose (%(up)s up / %(down)s down), %(bound)s.",
            rate=rate,
            up=count(b.up),
            down=count(b.down),
            bound=bound,
        ),
        support=support,
    )


def _market(facts: Facts, key: str) -> Candidate | None:
    mm = facts.markets[key]
    score = market_score(mm, facts.settings.signal)
    if score is None:
        return None
    strong = f"{strong_threshold(key, facts.settings.signal):.2f}%"
    mean = say(
        "%(market)s %(mean)s (%(signal)s)",
        market=mm.name,
        mean=change_text(mm.mean_change_pct),
        signal=mm.signal.value,
    )
    if score >= 1:
        headline = say(
            "%(mean)s, beyond the ±%(strong)s strong-move threshold.", mean=mean, strong=strong
        )
    else:
        headline = say(
            "%(mean)s, within the ±%(strong)s strong-move threshold.", mean=mean, strong=strong
        )
    label = (
        say("the crypto move") if key == "CRYPTO" else say("the %(market)s move", market=mm.name)
    )
    return Candidate(
        label=label, score=score, headline=headline, support=say("%(mean)s.", mean=mean)
    )


def _stablecoins(facts: Facts) -> Candidate | None:
    net = stablecoin_net(facts)
    if net is None:
        return None
    flow = facts.settings.defi.stablecoin_flow_usd
    figure_ = say("Stablecoin supply %(net)s over 1 day", net=money(net, signed=True))
    values = {"figure": figure_, "flow": money(flow)}
    if net > 0:
        headline = say("%(figure)s: supply grew, against a %(flow)s flow threshold.", **values)
    elif net < 0:
        headline = say("%(figure)s: supply shrank, against a %(flow)s flow threshold.", **values)
    else:
        headline = say(
            "%(figure)s: supply was unchanged, against a %(flow)s flow threshold.", **values
        )
    return Candidate(
        label=say("stablecoin flow"),
        score=ratio(net, flow),
        headline=headline,
        support=say("%(figure)s.", figure=figure_),
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


def _paragraph(ranked: list[Candidate], facts: Facts) -> Phrase:
    if not ranked:
        return say(
            "Not enough data for a key insight on %(day)s: the snapshot has no index, crypto, "
            "breadth or stablecoin figures to compare.",
            day=day(facts.report_date),
        )
    top, rest = ranked[0], ranked[1:]
    if top.score >= 1:
        lead = say(
            "Strongest: %(label)s, %(score)s× its threshold.",
            score=f"{top.score:.1f}",
            label=top.label,
        )
        support = [c.support for c in rest if c.score >= 1][:_SUPPORTING]
        tail = [say("Also: %(support)s", support=sentences(*support))] if support else []
    else:
        lead = say(
            "A quiet day: no signal reached its configured threshold; the largest was "
            "%(label)s, at %(score)s× its threshold.",
            label=top.label,
            score=f"{top.score:.1f}",
        )
        tail = (
            [
                say(
                    "Next largest, %(score)s×: %(support)s",
                    score=f"{rest[0].score:.1f}",
                    support=rest[0].support,
                )
            ]
            if rest
            else []
        )
    return sentences(lead, top.headline, *tail)


def build_insight(facts: Facts) -> Section:
    """Return the key-insight section naming the strongest signal of the snapshot."""
    info = section_info("insight")
    missing = (*missing_markets(facts), *missing_breadth(facts), *missing_stablecoins(facts))
    return Section(
        info.key, info.title, (Paragraph(_paragraph(candidates(facts), facts)),), tuple(missing)
    )

"""Risk matrix: rules over the facts score their evidence; probability buckets come from config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.analysis.facts import Facts
from core.analysis.sections.evidence import breadth_state, stablecoin_direction
from core.analysis.signals import DivergenceLevel, InstrumentMove, MarketMove, Signal
from core.analysis.wording import (
    breadth_text,
    change_text,
    dated_move,
    legs_relation,
    market_label,
    missing_breadth,
    missing_markets,
    missing_northbound,
    missing_stablecoins,
    money,
    stablecoin_text,
)
from core.formatting import bps
from core.i18n import N_
from core.phrase import Phrase, both, figure, listing, say
from core.report import Cell, Paragraph, Section, Table, Unit, text
from core.sections import section_info

# Each risk's evidence is figures shown in their own sections; the table names the trigger.
COLUMNS = ("Rank", "Risk", "Probability", "Impact", "Trigger to watch")
_TIMING = {
    "same": N_("same session"),
    "concurrent": N_("overlapping sessions"),
    "a_first": N_("lead-lag: A's session closed first"),
    "b_first": N_("lead-lag: B's session closed first"),
    "apart": N_("unrelated sessions, no lead-lag"),
}


@dataclass(frozen=True)
class Risk:
    """A risk a rule found, with its evidence points and the figures behind them."""

    name: Phrase
    score: int
    impact: str
    trigger: Phrase
    evidence: Phrase


def _reading(mm: MarketMove) -> Phrase:
    return say(
        "%(market)s %(mean)s (%(signal)s)",
        market=mm.name,
        mean=change_text(mm.mean_change_pct),
        signal=mm.signal.value,
    )


def _market_evidence(mm: MarketMove, facts: Facts) -> Phrase:
    return say(
        "%(market)s %(mean)s (%(signal)s)",
        market=market_label(mm, facts.report_date),
        mean=change_text(mm.mean_change_pct),
        signal=mm.signal.value,
    )


def _extends(move: InstrumentMove, facts: Facts) -> Phrase:
    # A figure's session is its market's, named once in the report's header.
    return say(
        "%(name)s extends beyond %(change)s",
        name=move.display_name,
        change=change_text(move.change_pct),
    )


def _breadth_evidence(b, facts: Facts) -> Phrase:
    return say("breadth %(breadth)s", breadth=breadth_text(b, facts.report_date))


def _china_drawdown(facts: Facts) -> Risk | None:
    off = [facts.markets[k] for k in ("HK", "CN") if facts.markets[k].signal.sign == -1]
    if not off:
        return None
    score = len(off) + sum(m.signal is Signal.STRONG_RISK_OFF for m in off)
    evidence = [_market_evidence(m, facts) for m in off]
    b, cfg = facts.breadth, facts.settings.breadth
    weak = b is not None and breadth_state(b, cfg) == "weak"
    if weak:
        score += 1
        evidence.append(_breadth_evidence(b, facts))
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is not None and nb.net_buy_cny < 0:
        score += 1
        net = money(nb.net_buy_cny, "¥", signed=True)
        evidence.append(say("northbound net buy %(net)s", net=net))
    worst = min((m.worst() for m in off), key=lambda m: m.change_pct)
    trigger: Phrase = _extends(worst, facts)
    if weak:
        trigger = say(
            "%(trigger)s; advance rate stays at or below %(weak)s",
            trigger=trigger,
            weak=f"{cfg.weak_pct:g}%",
        )
    strong = any(m.signal is Signal.STRONG_RISK_OFF for m in off)
    return Risk(
        say("Drawdown continues in %(markets)s", markets=both(m.name for m in off)),
        score,
        "High" if strong else "Medium",
        trigger,
        listing(evidence, "semicolon"),
    )


def _crypto_liquidation(facts: Facts) -> Risk | None:
    crypto = facts.markets["CRYPTO"]
    if crypto.signal.sign != -1:
        return None
    strong = crypto.signal is Signal.STRONG_RISK_OFF
    evidence = [_market_evidence(crypto, facts)]
    trigger: Phrase = _extends(crypto.worst(), facts)
    contracting = stablecoin_direction(facts) == -1
    if contracting:
        evidence.append(say("stablecoin supply %(text)s", text=stablecoin_text(facts)))
        net = money(facts.stablecoins.net_change_usd, signed=True)
        trigger = say(
            "%(trigger)s; stablecoin supply shrinks again (last 1-day change %(net)s)",
            trigger=trigger,
            net=net,
        )
    return Risk(
        say("Crypto liquidation cascade"),
        1 + strong + contracting,
        "High" if strong else "Medium",
        trigger,
        listing(evidence, "semicolon"),
    )


def _transmission(facts: Facts) -> Risk | None:
    breaks = [link for link in facts.chain if link.status == "breaks"]
    if not breaks:
        return None
    strong = (Signal.STRONG_RISK_ON, Signal.STRONG_RISK_OFF)
    pairs = [(facts.markets[x.source], facts.markets[x.target]) for x in breaks]
    both_strong = sum(a.signal in strong and b.signal in strong for a, b in pairs)
    src, dst = pairs[0]
    return Risk(
        say(
            "Transmission stays broken (%(source)s → %(target)s)", source=src.name, target=dst.name
        ),
        len(breaks) + both_strong,
        "Medium",
        say(
            "%(target)s again moves against %(source)s (%(source_mean)s vs %(target_mean)s)",
            target=dst.name,
            source=src.name,
            source_mean=change_text(src.mean_change_pct),
            target_mean=change_text(dst.mean_change_pct),
        ),
        listing(
            (say("%(a)s → %(b)s", a=_reading(a), b=_reading(b)) for a, b in pairs), "semicolon"
        ),
    )


def _divergence(facts: Facts) -> Risk | None:
    div = facts.strongest_divergence()
    if div is None or div.level not in (DivergenceLevel.NOTABLE, DivergenceLevel.MAJOR):
        return None
    major = div.level is DivergenceLevel.MAJOR
    # A gap between different sessions is partly timing, so it is weaker evidence of a real split.
    relation = legs_relation(div, facts)
    real_split = div.opposite_directions and relation in ("same", "concurrent")
    rd = facts.report_date
    pair = {"a": div.a.display_name, "b": div.b.display_name}
    spread = figure(bps, div.spread_bps)
    return Risk(
        say("Mean reversion of the %(a)s − %(b)s gap fails", **pair),
        1 + major + real_split,
        "High" if major else "Medium",
        # The risk names the pair; its trigger says only what to watch.
        say("The spread widens beyond %(spread)s", spread=spread),
        say(
            "%(a_move)s vs %(b_move)s: %(spread)s, %(level)s, %(timing)s",
            a_move=dated_move(div.a, rd),
            b_move=dated_move(div.b, rd),
            spread=spread,
            level=div.level.value,
            timing=_TIMING[relation],
        ),
    )


def _breadth(facts: Facts) -> Risk | None:
    b, cfg = facts.breadth, facts.settings.breadth
    if b is None or breadth_state(b, cfg) != "weak":
        return None
    cn = facts.markets["CN"]
    evidence = [_breadth_evidence(b, facts)]
    if cn.signal.sign == -1:
        evidence.append(_market_evidence(cn, facts))
    strong = cn.signal is Signal.STRONG_RISK_OFF
    return Risk(
        say("A-share breadth capitulation"),
        1 + (cn.signal.sign == -1) + strong,
        "High" if strong else "Medium",
        say(
            "advance rate stays at or below %(rate)s (weak bound %(weak)s)",
            rate=f"{b.advance_rate_pct:.1f}%",
            weak=f"{cfg.weak_pct:g}%",
        ),
        listing(evidence, "semicolon"),
    )


def _overextension(facts: Facts) -> Risk | None:
    hot = [m for m in facts.markets.values() if m.signal is Signal.STRONG_RISK_ON]
    if not hot:
        return None
    evidence = [_market_evidence(m, facts) for m in hot]
    b, cfg = facts.breadth, facts.settings.breadth
    wide = b is not None and breadth_state(b, cfg) == "strong"
    if wide:
        evidence.append(_breadth_evidence(b, facts))
    best = max((m.best() for m in hot), key=lambda m: m.change_pct)
    return Risk(
        say("Reversal after a strong rally in %(markets)s", markets=both(m.name for m in hot)),
        len(hot) + wide,
        "High" if len(hot) > 1 else "Medium",
        say(
            "%(name)s gives back its %(change)s",
            name=best.display_name,
            change=change_text(best.change_pct),
        ),
        listing(evidence, "semicolon"),
    )


RULES: tuple[Callable[[Facts], Risk | None], ...] = (
    _china_drawdown,
    _crypto_liquidation,
    _transmission,
    _divergence,
    _breadth,
    _overextension,
)


def probability(score: int, facts: Facts) -> str:
    """Return Low / Medium / High for an evidence score."""
    cfg = facts.settings.risk
    if score >= cfg.high_score:
        return "High"
    if score >= cfg.medium_score:
        return "Medium"
    return "Low"


def assess(facts: Facts) -> list[Risk]:
    """Return the risks whose score reaches the show threshold, highest score first."""
    found = [r for r in (rule(facts) for rule in RULES) if r is not None]
    shown = [r for r in found if r.score >= facts.settings.risk.show_min_score]
    return sorted(shown, key=lambda r: -r.score)


def _none_text(facts: Facts) -> Phrase:
    known = [m for m in facts.markets.values() if m.known_moves]
    if not known and facts.breadth is None and stablecoin_direction(facts) is None:
        return say(
            "No risk can be assessed: the snapshot has no market, breadth or stablecoin figures."
        )
    readings = listing(_reading(m) for m in known) if known else say("no market figures")
    fired = any(rule(facts) is not None for rule in RULES)
    why = (
        say("the rules that fired scored below it")
        if fired
        else say(
            "no market is risk-off or strongly risk-on, the chain has no break, no divergence "
            "is notable and breadth is not weak"
        )
    )
    return say(
        "No risk rule reached the show score of %(score)s with these figures (%(readings)s): "
        "%(why)s.",
        score=facts.settings.risk.show_min_score,
        readings=readings,
        why=why,
    )


def build_risks(facts: Facts) -> Section:
    """Return the risk-matrix section."""
    info = section_info("risks")
    missing = (
        *missing_markets(facts),
        *missing_breadth(facts),
        *missing_stablecoins(facts),
        *missing_northbound(facts),
    )
    risks = assess(facts)
    if not risks:
        return Section(info.key, info.title, (Paragraph(_none_text(facts)),), missing)
    rows = tuple(
        (
            Cell(rank, Unit.COUNT),
            text(r.name),
            text(probability(r.score, facts)),
            text(r.impact),
            text(r.trigger),
        )
        for rank, r in enumerate(risks, start=1)
    )
    return Section(info.key, info.title, (Table(COLUMNS, rows),), missing)

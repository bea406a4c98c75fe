"""Risk rules: each reads the facts and returns a scored risk with its evidence, or None."""

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
    money,
    stablecoin_text,
)
from core.formatting import bps
from core.i18n import N_
from core.phrase import Phrase, both, figure, listing, say

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


def reading(mm: MarketMove) -> Phrase:
    """Return a market's mean change and signal, as evidence or a reading."""
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
        listing((say("%(a)s → %(b)s", a=reading(a), b=reading(b)) for a, b in pairs), "semicolon"),
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

"""Risk matrix: rules over the facts score their evidence; probability buckets come from config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.analysis.facts import Facts
from core.analysis.sections.evidence import breadth_state, stablecoin_direction
from core.analysis.signals import DivergenceLevel, InstrumentMove, MarketMove, Signal
from core.analysis.wording import (
    breadth_text,
    dated_move,
    legs_relation,
    market_label,
    missing_breadth,
    missing_markets,
    missing_northbound,
    missing_stablecoins,
    stablecoin_text,
)
from core.formatting import bps, compact_money, signed_pct
from core.report import Cell, Paragraph, Section, Table, Unit, text
from core.sections import section_info

# Each risk's evidence is figures shown in their own sections; the table names the trigger.
COLUMNS = ("Rank", "Risk", "Probability", "Impact", "Trigger to watch")


@dataclass(frozen=True)
class Risk:
    """A risk a rule found, with its evidence points and the figures behind them."""

    name: str
    score: int
    impact: str
    trigger: str
    evidence: str


def _market_evidence(mm: MarketMove, facts: Facts) -> str:
    return f"{market_label(mm, facts.report_date)} {signed_pct(mm.mean_change_pct)} ({mm.signal})"


def _extends(move: InstrumentMove, facts: Facts) -> str:
    # A figure's session is its market's, named once in the report's header.
    return f"{move.display_name} extends beyond {signed_pct(move.change_pct)}"


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
        evidence.append(f"breadth {breadth_text(b, facts.report_date)}")
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is not None and nb.net_buy_cny < 0:
        score += 1
        evidence.append(f"northbound net buy {compact_money(nb.net_buy_cny, '¥', signed=True)}")
    worst = min((m.worst() for m in off), key=lambda m: m.change_pct)
    trigger = _extends(worst, facts)
    if weak:
        trigger += f"; advance rate stays at or below {cfg.weak_pct:g}%"
    strong = any(m.signal is Signal.STRONG_RISK_OFF for m in off)
    return Risk(
        f"Drawdown continues in {' and '.join(m.name for m in off)}",
        score,
        "High" if strong else "Medium",
        trigger,
        "; ".join(evidence),
    )


def _crypto_liquidation(facts: Facts) -> Risk | None:
    crypto = facts.markets["CRYPTO"]
    if crypto.signal.sign != -1:
        return None
    strong = crypto.signal is Signal.STRONG_RISK_OFF
    evidence = [_market_evidence(crypto, facts)]
    trigger = _extends(crypto.worst(), facts)
    contracting = stablecoin_direction(facts) == -1
    if contracting:
        evidence.append(f"stablecoin supply {stablecoin_text(facts)}")
        net = compact_money(facts.stablecoins.net_change_usd, signed=True)
        trigger += f"; stablecoin supply shrinks again (last 1-day change {net})"
    return Risk(
        "Crypto liquidation cascade",
        1 + strong + contracting,
        "High" if strong else "Medium",
        trigger,
        "; ".join(evidence),
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
        f"Transmission stays broken ({src.name} → {dst.name})",
        len(breaks) + both_strong,
        "Medium",
        f"{dst.name} again moves against {src.name} ({signed_pct(src.mean_change_pct)} vs "
        f"{signed_pct(dst.mean_change_pct)})",
        "; ".join(
            f"{a.name} {signed_pct(a.mean_change_pct)} ({a.signal}) → "
            f"{b.name} {signed_pct(b.mean_change_pct)} ({b.signal})"
            for a, b in pairs
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
    pair = f"{div.a.display_name} − {div.b.display_name}"
    timing = {
        "same": "same session",
        "concurrent": "overlapping sessions",
        "a_first": "lead-lag: A's session closed first",
        "b_first": "lead-lag: B's session closed first",
        "apart": "unrelated sessions, no lead-lag",
    }[relation]
    return Risk(
        f"Mean reversion of the {pair} gap fails",
        1 + major + real_split,
        "High" if major else "Medium",
        f"{pair} spread widens beyond {bps(div.spread_bps)}",
        f"{dated_move(div.a, rd)} vs {dated_move(div.b, rd)}: {bps(div.spread_bps)}, "
        f"{div.level.value}, {timing}",
    )


def _breadth(facts: Facts) -> Risk | None:
    b, cfg = facts.breadth, facts.settings.breadth
    if b is None or breadth_state(b, cfg) != "weak":
        return None
    cn = facts.markets["CN"]
    evidence = [f"breadth {breadth_text(b, facts.report_date)}"]
    if cn.signal.sign == -1:
        evidence.append(_market_evidence(cn, facts))
    strong = cn.signal is Signal.STRONG_RISK_OFF
    return Risk(
        "A-share breadth capitulation",
        1 + (cn.signal.sign == -1) + strong,
        "High" if strong else "Medium",
        f"advance rate stays at or below {b.advance_rate_pct:.1f}% (weak bound {cfg.weak_pct:g}%)",
        "; ".join(evidence),
    )


def _overextension(facts: Facts) -> Risk | None:
    hot = [m for m in facts.markets.values() if m.signal is Signal.STRONG_RISK_ON]
    if not hot:
        return None
    evidence = [_market_evidence(m, facts) for m in hot]
    b, cfg = facts.breadth, facts.settings.breadth
    wide = b is not None and breadth_state(b, cfg) == "strong"
    if wide:
        evidence.append(f"breadth {breadth_text(b, facts.report_date)}")
    best = max((m.best() for m in hot), key=lambda m: m.change_pct)
    return Risk(
        f"Reversal after a strong rally in {' and '.join(m.name for m in hot)}",
        len(hot) + wide,
        "High" if len(hot) > 1 else "Medium",
        f"{best.display_name} gives back its {signed_pct(best.change_pct)}",
        "; ".join(evidence),
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


def _none_text(facts: Facts) -> str:
    known = [m for m in facts.markets.values() if m.known_moves]
    if not known and facts.breadth is None and stablecoin_direction(facts) is None:
        return "No risk can be assessed: the snapshot has no market, breadth or stablecoin figures."
    readings = ", ".join(f"{m.name} {signed_pct(m.mean_change_pct)} ({m.signal})" for m in known)
    fired = any(rule(facts) is not None for rule in RULES)
    why = (
        "the rules that fired scored below it"
        if fired
        else "no market is risk-off or strongly risk-on, the chain has no break, no divergence "
        "is notable and breadth is not weak"
    )
    return (
        f"No risk rule reached the show score of {facts.settings.risk.show_min_score} with "
        f"these figures ({readings or 'no market figures'}): {why}."
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

"""The phrase builders every section uses, so each sentence cites its figures the same way.

One name per phrase: a session (``session Fri 2026-03-20``, ``24 h to …``), a move
(``HSI -2.02%``, ``BTC fell 1.71%``), a market summary, a signal rule, and the standard
sentence for a missing input.
"""

from __future__ import annotations

from datetime import date

from core.analysis.facts import BreadthFacts, Facts
from core.analysis.signals import Divergence, InstrumentMove, MarketMove, Signal, signal_bounds
from core.formatting import compact_money, session_label, signed_pct
from core.instruments import round_the_clock
from core.settings import AnalysisSettings, SignalThresholds

# Labels used in Section.missing, so every builder names a missing input the same way.
BREADTH_LABEL = "A-share breadth"
STABLECOIN_LABEL = "Stablecoin supply"
NORTHBOUND_LABEL = "Northbound flow"
DEFI_LABEL = "DeFi TVL"


def session_tag(session_date: date | None, report_date: date) -> str:
    """Return ``session Fri 2026-03-20``, or ``last session …`` when older than the report."""
    if session_date is None:
        return "session unknown"
    if session_date == report_date:
        return f"session {session_label(session_date)}"
    return f"last session {session_label(session_date)}"


def window_tag(session_date: date | None) -> str:
    """Return the 24 h window of a round-the-clock move: ``24 h to Fri 2026-03-20``."""
    return f"24 h to {session_label(session_date)}" if session_date else "24 h, date unknown"


def when(move: InstrumentMove | MarketMove, report_date: date) -> str:
    """Return ``session Fri 2026-03-20``, ``last session …`` or ``24 h to …`` for a move."""
    if round_the_clock(move.market):
        return window_tag(move.session_date)
    return session_tag(move.session_date, report_date)


def leg_session(move: InstrumentMove) -> str:
    """Return the session a move belongs to: ``Fri 2026-03-20`` or ``24 h to Fri 2026-03-20``."""
    if round_the_clock(move.market):
        return window_tag(move.session_date)
    return session_label(move.session_date) if move.session_date else "session unknown"


def market_label(move: MarketMove, report_date: date) -> str:
    """Return ``Hong Kong (session Fri 2026-03-20)`` for a market and its session."""
    return f"{move.name} ({when(move, report_date)})"


def move_text(move: InstrumentMove) -> str:
    """Return ``HSI -2.02%`` (or ``HSI n/a``)."""
    return f"{move.display_name} {signed_pct(move.change_pct)}"


def moves_text(moves: tuple[InstrumentMove, ...]) -> str:
    """Return ``DJIA +0.65%, Nasdaq +0.44%`` for the known moves."""
    return ", ".join(move_text(m) for m in moves if m.known)


def dated_move(move: InstrumentMove, report_date: date) -> str:
    """Return ``HSI -2.02% (session Fri 2026-03-20)``."""
    return f"{move_text(move)} ({when(move, report_date)})"


def market_moves(mm: MarketMove, report_date: date) -> str:
    """Return the known moves of a market, each dated when its quotes span sessions."""
    if len(mm.session_dates) > 1:
        return ", ".join(dated_move(m, report_date) for m in mm.known_moves)
    return moves_text(mm.known_moves)


def market_summary(mm: MarketMove, report_date: date) -> str:
    """Return ``Hong Kong (session Fri 2026-03-20) averaged -1.93% (HSI -2.02%, …)``."""
    return (
        f"{market_label(mm, report_date)} averaged {signed_pct(mm.mean_change_pct)} "
        f"({market_moves(mm, report_date)})"
    )


def mean_text(move: MarketMove) -> str:
    """Return ``mean -1.93% of HSI, HSCEI, HSTECH`` for a market's known moves."""
    names = ", ".join(m.display_name for m in move.known_moves)
    return f"mean {signed_pct(move.mean_change_pct)} of {names}"


def verb(change_pct: float | None) -> str:
    """Return rose / fell / was flat / has no figure, for a change."""
    if change_pct is None:
        return "has no figure"
    if change_pct > 0:
        return "rose"
    if change_pct < 0:
        return "fell"
    return "was flat"


def moved(move: InstrumentMove) -> str:
    """Return ``BTC fell 1.71%`` / ``DJIA rose 0.65%`` / ``HSI was flat``."""
    change = move.change_pct
    size = f" {abs(change):.2f}%" if change else ""
    return f"{move.display_name} {verb(change)}{size}"


def signal_word(signal: Signal) -> str:
    """Return the signal as a capitalised label: ``Risk-off``."""
    return signal.value[:1].upper() + signal.value[1:]


def signal_rule(market: str, thresholds: SignalThresholds) -> str:
    """Return the thresholds behind a market's signal: ``risk-on/off from ±0.30%, strong …``."""
    on, strong = signal_bounds(market, thresholds)
    return f"risk-on/off from ±{on:.2f}%, strong from ±{strong:.2f}%"


def breadth_text(b: BreadthFacts, report_date: date) -> str:
    """Return ``257 up / 2,075 down, advance rate 11.0% (session Fri 2026-03-20)``."""
    flat = f" / {b.flat:,} flat" if b.flat is not None else ""
    return (
        f"{b.up:,} up / {b.down:,} down{flat}, advance rate {b.advance_rate_pct:.1f}% "
        f"({session_tag(b.session_date, report_date)})"
    )


def stablecoin_text(facts: Facts) -> str:
    """Return ``net -$1.20B over 1 day (USDT -0.44%, USDC -0.46%; DAI +0.28% not counted)``."""
    sc = facts.stablecoins
    if sc is None or sc.net_change_usd is None:
        return "net change unknown"
    counted = [c for c in sc.coins if c.symbol in sc.counted]
    others = [c for c in sc.coins if c.symbol not in sc.counted and c.change_pct is not None]
    parts = ", ".join(f"{c.symbol} {signed_pct(c.change_pct)}" for c in counted)
    if others:
        skipped = ", ".join(f"{c.symbol} {signed_pct(c.change_pct)}" for c in others)
        parts += f"; {skipped} not counted, no USD level"
    stamps = [c.as_of for c in counted if c.as_of is not None]
    dated = f" to {session_label(max(stamps).date())}" if stamps else ""
    return f"net {compact_money(sc.net_change_usd, signed=True)} over 1 day{dated} ({parts})"


def legs_relation(div: Divergence, facts: Facts) -> str:
    """Return how a spread's legs relate in time: same, concurrent, a_first, b_first, apart."""
    if div.a.market == div.b.market and div.same_session:
        return "same"
    return facts.timeline.relation(div.a.market, div.b.market)


def legs_timing(div: Divergence, facts: Facts) -> str:
    """Return a sentence on when a spread's legs traded (empty for one shared session)."""
    rd = facts.report_date
    a, b = (div.a, div.b)
    relation = legs_relation(div, facts)
    if relation == "same" or (relation == "concurrent" and div.same_session):
        return ""
    if relation == "concurrent":
        return f" The legs' periods overlap in time ({when(a, rd)} vs {when(b, rd)})."
    if relation in ("a_first", "b_first"):
        first, then = (a, b) if relation == "a_first" else (b, a)
        return (
            f" {first.display_name} ({when(first, rd)}) closed before {then.display_name} "
            f"({when(then, rd)}) opened: a lead-lag gap, not a same-session spread."
        )
    return (
        f" The legs come from sessions that neither overlap nor follow one another "
        f"({a.display_name} {when(a, rd)}, {b.display_name} {when(b, rd)}): the spread mixes "
        "different days and is no lead-lag either."
    )


def missing_text(what: str, reason: str | None = None) -> str:
    """Return the standard sentence for a missing input."""
    return f"{what}: not available in this snapshot" + (f" ({reason})." if reason else ".")


def missing_markets(facts: Facts, keys: tuple[str, ...] = ()) -> list[str]:
    """Return missing-data lines for markets (all, or ``keys``) lacking some or all figures."""
    out = []
    for key, mm in facts.markets.items():
        if keys and key not in keys:
            continue
        if not mm.known_moves:
            out.append(missing_text(f"{mm.name} figures"))
        elif mm.missing:
            out.append(missing_text(f"{mm.name} figures for {', '.join(mm.missing)}"))
    return out


def missing_breadth(facts: Facts) -> list[str]:
    """Return the missing-data line for A-share breadth, if it is missing."""
    if facts.breadth is not None:
        return []
    b = facts.snapshot.breadth
    reason = None if b is None else "advancers or decliners not given"
    return [missing_text(BREADTH_LABEL, reason)]


def missing_stablecoins(facts: Facts) -> list[str]:
    """Return the missing-data line for the stablecoin net change, if it is unknown."""
    if facts.stablecoins is None:
        return [missing_text(STABLECOIN_LABEL)]
    if facts.stablecoins.net_change_usd is None:
        return [missing_text(STABLECOIN_LABEL, "no coin has a USD supply change")]
    return []


def missing_northbound(facts: Facts) -> list[str]:
    """Return the missing-data line for northbound net buying, if it is unknown."""
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is not None:
        return []
    if nb is not None and nb.turnover_cny is not None:
        # Only the direction is missing: the turnover is in the A-share section.
        return [missing_text("Northbound net buying", "no longer published; turnover is shown")]
    return [missing_text(NORTHBOUND_LABEL, nb.note if nb is not None else None)]


def missing_defi(facts: Facts) -> list[str]:
    """Return the missing-data line for DeFi TVL, if protocols were not obtained."""
    return [] if facts.defi is not None else [missing_text(DEFI_LABEL)]


def legend(settings: AnalysisSettings, *, history: bool = False) -> str:
    """Return every threshold the report applies, stated once."""
    div, risk = settings.divergence, settings.risk
    text = (
        f"Signals (of a market's mean): equities {signal_rule('US', settings.signal)}; "
        f"crypto {signal_rule('CRYPTO', settings.signal)}. Spread A − B in bps: notable from "
        f"{div.notable_bps:.0f}, major from {div.major_bps:.0f}"
    )
    if history:
        window = settings.history.window_sessions
        text += f"; z and correlation over {window} aligned sessions"
    return text + (
        f". Risk probability: Medium from {risk.medium_score} evidence points, High from "
        f"{risk.high_score}. Ideas are conditional, not targets."
    )

"""Phrases about moves shared by the market, transmission, crypto and divergence builders."""

from __future__ import annotations

from datetime import date

from core.analysis.signals import InstrumentMove, MarketMove
from core.formatting import session_label, signed_pct
from core.settings import SignalThresholds


def leg_session(move: InstrumentMove) -> str:
    """Return the session a move belongs to: ``Fri 2026-03-20`` or ``24 h to Fri 2026-03-20``."""
    if move.session_date is None:
        return "session unknown"
    label = session_label(move.session_date)
    return f"24 h to {label}" if move.market == "CRYPTO" else label


def moved(move: InstrumentMove) -> str:
    """Return ``BTC fell 1.71%`` / ``DJIA rose 0.65%`` / ``HSI was flat``."""
    change = move.change_pct
    if change is None:
        return f"{move.display_name} has no figure"
    if change == 0:
        return f"{move.display_name} was flat"
    return f"{move.display_name} {'rose' if change > 0 else 'fell'} {abs(change):.2f}%"


def signal_rule(market: str, thresholds: SignalThresholds) -> str:
    """Return the thresholds behind a market's signal: ``risk-on from ±0.30%, strong ±1.00%``."""
    if market == "CRYPTO":
        on, strong = thresholds.crypto_risk_on_pct, thresholds.crypto_strong_pct
    else:
        on, strong = thresholds.equity_risk_on_pct, thresholds.equity_strong_pct
    return f"risk-on/off from ±{on:.2f}%, strong from ±{strong:.2f}%"


def mean_text(move: MarketMove) -> str:
    """Return ``mean -1.93% of HSI, HSCEI, HSTECH`` for a market's known moves."""
    names = ", ".join(m.display_name for m in move.known_moves)
    return f"mean {signed_pct(move.mean_change_pct)} of {names}"


def older_than(move: MarketMove, reference: date | None) -> bool:
    """Return True when a market's figures come from a session before ``reference``."""
    return move.session_date is not None and reference is not None and move.session_date < reference

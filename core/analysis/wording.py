"""Small phrase builders shared by the section builders, so every sentence cites its figures."""

from __future__ import annotations

from datetime import date

from core.analysis.signals import InstrumentMove, MarketMove, Signal
from core.formatting import session_label, signed_pct


def session_tag(session_date: date | None, report_date: date) -> str:
    """Return ``session Fri 2026-03-20``, or ``last session …`` when older than the report."""
    if session_date is None:
        return "session unknown"
    if session_date == report_date:
        return f"session {session_label(session_date)}"
    return f"last session {session_label(session_date)}"


def market_label(move: MarketMove, report_date: date) -> str:
    """Return ``Hong Kong (session Fri 2026-03-20)`` for a market and its session."""
    if move.market == "CRYPTO":
        day = move.session_date
        return f"{move.name} (24 h to {session_label(day)})" if day else f"{move.name} (24 h)"
    return f"{move.name} ({session_tag(move.session_date, report_date)})"


def move_text(move: InstrumentMove) -> str:
    """Return ``HSI -2.02%`` (or ``HSI n/a``)."""
    return f"{move.display_name} {signed_pct(move.change_pct)}"


def moves_text(moves: tuple[InstrumentMove, ...]) -> str:
    """Return ``DJIA +0.65%, Nasdaq +0.44%`` for the known moves."""
    return ", ".join(move_text(m) for m in moves if m.known)


def verb(change_pct: float | None) -> str:
    """Return rose / fell / was flat / has no figure, for a change."""
    if change_pct is None:
        return "has no figure"
    if change_pct > 0:
        return "rose"
    if change_pct < 0:
        return "fell"
    return "was flat"


def signal_word(signal: Signal) -> str:
    """Return the signal as a capitalised label: ``Risk-off``."""
    return signal.value[:1].upper() + signal.value[1:]


def missing_text(what: str, reason: str | None = None) -> str:
    """Return the standard sentence for a missing input."""
    return f"{what}: not available in this snapshot" + (f" ({reason})." if reason else ".")

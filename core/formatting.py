"""Number and date formatting shared by the analysis prose and every renderer."""

from __future__ import annotations

from datetime import date

from core.report import Cell, Unit

MISSING = "n/a"


def signed_pct(value: float | None, decimals: int = 2) -> str:
    """Format a percent with its sign: ``+0.59%``, ``-2.02%``."""
    if value is None:
        return MISSING
    return f"{value:+.{decimals}f}%"


def plain_pct(value: float | None, decimals: int = 1) -> str:
    """Format a percent without a forced sign: ``11.0%``."""
    if value is None:
        return MISSING
    return f"{value:.{decimals}f}%"


def bps(value: float | None, *, signed: bool = True) -> str:
    """Format basis points, rounded to whole bps: ``+147 bps``."""
    if value is None:
        return MISSING
    return f"{round(value):+d} bps" if signed else f"{round(abs(value)):d} bps"


def points(value: float | None, decimals: int = 2) -> str:
    """Format an index level with thousands separators: ``25,500.58``."""
    if value is None:
        return MISSING
    return f"{value:,.{decimals}f}"


def compact_money(value: float | None, symbol: str = "$", *, signed: bool = False) -> str:
    """Format a money amount compactly: ``$1.70B``, ``-$366.5M``, ``¥1.70T``."""
    if value is None:
        return MISSING
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    magnitude = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold:
            scaled = magnitude / threshold
            return f"{sign}{symbol}{scaled:.2f}{suffix}"
    return f"{sign}{symbol}{magnitude:,.0f}"


def session_label(day: date | None) -> str:
    """Format a session date with its weekday: ``Fri 2026-03-20``."""
    if day is None:
        return MISSING
    return f"{day:%a} {day.isoformat()}"


def age_text(seconds: float) -> str:
    """Return an age in the largest sensible unit: ``12 min``, ``3 h``, ``2 d``."""
    seconds = max(0.0, seconds)
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def count(value: int | None) -> str:
    """Format a count with thousands separators."""
    return MISSING if value is None else f"{value:,d}"


def format_cell(cell: Cell) -> str:
    """Return the display text of a table cell; missing values show as ``n/a``."""
    value = cell.value
    if value is None:
        return MISSING
    match cell.unit:
        case Unit.PCT:
            decimals = 2 if cell.decimals is None else cell.decimals
            return signed_pct(value, decimals) if cell.signed else plain_pct(value, decimals)
        case Unit.BPS:
            return bps(value, signed=cell.signed)
        case Unit.POINTS:
            return points(value, 2 if cell.decimals is None else cell.decimals)
        case Unit.USD:
            return compact_money(value, "$", signed=cell.signed)
        case Unit.CNY:
            return compact_money(value, "¥", signed=cell.signed)
        case Unit.COUNT:
            return count(int(value))
        case Unit.DATE:
            return session_label(value)
        case _:
            return str(value)

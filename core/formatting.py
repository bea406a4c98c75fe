"""Number and date formatting shared by the analysis prose and every renderer."""

from __future__ import annotations

from datetime import date, datetime

from core.i18n import DEFAULT_LANGUAGE, Language
from core.report import Cell, Unit

MISSING = "n/a"
_MISSING_ZH = "—"
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# Chinese writes large amounts in 万 (1e4), 亿 (1e8) and 万亿 (1e12), the currency after them.
_ZH_MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_ZH_CURRENCY = {"$": "美元", "¥": "元"}
_AGE_UNITS = {Language.EN: ("min", "h", "d"), Language.ZH: ("分钟", "小时", "天")}


def missing(lang: Language = DEFAULT_LANGUAGE) -> str:
    """Return what a missing figure shows: ``n/a``, ``—`` in Chinese."""
    return _MISSING_ZH if lang is Language.ZH else MISSING


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


def bps(value: float | None, *, signed: bool = True, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Format basis points, rounded to whole bps: ``+147 bps``; ``+1.47 个百分点`` in Chinese.

    Chinese market reports give the gap between two moves in percentage points, keeping
    basis points (基点) for interest rates.
    """
    if value is None:
        return missing(lang)
    if lang is Language.ZH:
        points = round(value) / 100
        return f"{points:+.2f} 个百分点" if signed else f"{abs(points):.2f} 个百分点"
    return f"{round(value):+d} bps" if signed else f"{round(abs(value)):d} bps"


def points(value: float | None, decimals: int = 2) -> str:
    """Format an index level with thousands separators: ``25,500.58``."""
    if value is None:
        return MISSING
    return f"{value:,.{decimals}f}"


def compact_money(
    value: float | None,
    symbol: str = "$",
    *,
    signed: bool = False,
    lang: Language = DEFAULT_LANGUAGE,
) -> str:
    """Format a money amount compactly: ``$1.70B``, ``¥1.70T``; ``1.70 万亿元`` in Chinese."""
    if value is None:
        return missing(lang)
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    magnitude = abs(value)
    if lang is Language.ZH and symbol in _ZH_CURRENCY:
        currency = _ZH_CURRENCY[symbol]
        for threshold, suffix in _ZH_MAGNITUDES:
            if magnitude >= threshold:
                return f"{sign}{magnitude / threshold:.2f} {suffix}{currency}"
        return f"{sign}{magnitude:,.0f} {currency}"
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold:
            scaled = magnitude / threshold
            return f"{sign}{symbol}{scaled:.2f}{suffix}"
    return f"{sign}{symbol}{magnitude:,.0f}"


def session_label(day: date | None, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Format a session date with its weekday: ``Fri 2026-03-20``, ``2026-03-20 (周五)``."""
    if day is None:
        return missing(lang)
    if lang is Language.ZH:
        return f"{day.isoformat()} ({_WEEKDAYS_ZH[day.weekday()]})"
    return f"{day:%a} {day.isoformat()}"


def moment_label(moment: datetime, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Format a local moment with its weekday: ``Fri 03-20 08:00 UTC`` (``03-20 (周五) …``)."""
    if lang is Language.ZH:
        weekday = _WEEKDAYS_ZH[moment.weekday()]
        return f"{moment:%m-%d} ({weekday}) {moment:%H:%M} {moment.tzname()}"
    return f"{moment:%a %m-%d %H:%M} {moment.tzname()}"


def age_text(seconds: float, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Return an age in the largest sensible unit: ``12 min``, ``3 h``, ``2 d`` (``3 小时``)."""
    minutes, hours, days = _AGE_UNITS[lang]
    seconds = max(0.0, seconds)
    if seconds < 3600:
        return f"{seconds / 60:.0f} {minutes}"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.0f} {hours}"
    return f"{seconds / 86400:.0f} {days}"


def count(value: int | None) -> str:
    """Format a count with thousands separators."""
    return MISSING if value is None else f"{value:,d}"


def format_cell(cell: Cell, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Return the display text of a table cell; missing values show as ``n/a`` (``—``)."""
    value = cell.value
    if cell.display is not None:
        return cell.display
    if value is None:
        return missing(lang)
    match cell.unit:
        case Unit.PCT:
            decimals = 2 if cell.decimals is None else cell.decimals
            return signed_pct(value, decimals) if cell.signed else plain_pct(value, decimals)
        case Unit.BPS:
            return bps(value, signed=cell.signed, lang=lang)
        case Unit.POINTS:
            return points(value, 2 if cell.decimals is None else cell.decimals)
        case Unit.USD:
            return compact_money(value, "$", signed=cell.signed, lang=lang)
        case Unit.CNY:
            return compact_money(value, "¥", signed=cell.signed, lang=lang)
        case Unit.COUNT:
            return count(int(value))
        case Unit.DATE:
            return session_label(value, lang)
        case _:
            return str(value)

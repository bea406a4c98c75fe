"""The Report in another language: the same figures and facts, its words from the catalog.

Analysis builds one Report (in English); ``localize`` returns a copy whose words come from
the language's catalog: titles, table headers, market, signal and instrument names and every
other term the catalog knows, and formatted figures follow the language (``Report.language``).
A text the catalog does not hold whole keeps its words, with the instruments in it named
as readers of the language name them.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from core.formatting import format_cell, session_label
from core.i18n import N_, Language, Translator, translator
from core.instruments import default_registry
from core.phrase import Phrase
from core.report import Cell, Report, Unit

REPORT_TITLE = N_("Market Intelligence Report — %(date)s")
_WRITTEN_PER_LANGUAGE = frozenset({Unit.DATE, Unit.USD, Unit.CNY, Unit.BPS})
_KEEP = frozenset({"key", "market", "kind", "unit", "language", "signal_tone", "direction"})

# The report's terms that are not in a builder's N_(): table headers, signal and level names.
TERMS = (
    N_("Market"),
    N_("Session"),
    N_("Closed"),
    N_("Performance (key moves)"),
    N_("Mean change"),
    N_("Signal"),
    N_("Asset"),
    N_("Price (USD)"),
    N_("24 h change"),
    N_("24 h to"),
    N_("Index"),
    N_("Close"),
    N_("Change"),
    N_("Pair"),
    N_("A change"),
    N_("B change"),
    N_("Spread (A − B)"),
    N_("Level"),
    N_("Sessions"),
    N_("Rank"),
    N_("Risk"),
    N_("Probability"),
    N_("Impact"),
    N_("Trigger to watch"),
    N_("Evidence"),
    N_("Profile"),
    N_("Stance"),
    N_("Actions"),
    N_("Prices"),
    N_("Configured pairs"),
    N_("Risk-on"),
    N_("Risk-off"),
    N_("Strong risk-on"),
    N_("Strong risk-off"),
    N_("Neutral"),
    N_("major"),
    N_("notable"),
    N_("ordinary"),
    N_("High"),
    N_("Medium"),
    N_("Low"),
    N_("Conservative"),
    N_("Moderate"),
    N_("Aggressive"),
    N_("Capital preservation"),
    N_("Selective hedging"),
    N_("Contrarian, on confirmation only"),
    N_("Northbound (Stock Connect)"),
    N_("Stablecoins"),
    N_("not available"),
    N_("not available in this snapshot."),
    # What a section may lack (its "missing" line names them).
    N_("A-share breadth"),
    N_("A-share turnover"),
    N_("northbound flow"),
    N_("Northbound flow"),
    N_("Stablecoin supply"),
    N_("DeFi TVL"),
    N_("DeFi TVL by protocol"),
    N_("DeFi TVL by category"),
    N_("DEX volumes"),
)
# Markets and instruments by their configured English names (config/instruments.toml).
NAMES = (
    N_("US equities"),
    N_("Hong Kong"),
    N_("China A-shares"),
    N_("Crypto"),
    N_("DJIA"),
    N_("Nasdaq"),
    N_("S&P 500"),
    N_("HSI"),
    N_("HSCEI"),
    N_("HSTECH"),
    N_("上证指数 (SSE)"),
    N_("深证成指 (SZSE)"),
    N_("创业板指 (ChiNext)"),
)


def report_title(report: Report, language: Language) -> str:
    """Return the report's title in a language, dated as that language writes dates."""
    day = report.report_date
    date_text = day.isoformat() if language is Language.EN else session_label(day, language)
    return translator(language).gettext(REPORT_TITLE, date=date_text)


@functools.cache
def _instrument_pattern(language: Language) -> tuple[re.Pattern[str], dict[str, str]]:
    tr = translator(language)
    names = {i.display_name: tr.gettext(i.display_name) for i in default_registry()}
    names = {en: local for en, local in names.items() if local != en}
    # Longest first, and never inside a longer word ("HSI" in "HSIX").
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])(?:{alternatives})(?![\w])"), names


def _text(text: str, tr: Translator) -> str:
    whole = tr.gettext(text)
    if whole != text:
        return whole
    # "A-share breadth: not available in this snapshot." is a known label and a known text.
    head, colon, tail = text.partition(": ")
    if colon and tr.gettext(head) != head and tr.gettext(tail) != tail:
        return tr.gettext(N_("%(label)s: %(text)s"), label=tr.gettext(head), text=tr.gettext(tail))
    pattern, names = _instrument_pattern(tr.language)
    return pattern.sub(lambda m: names[m.group(0)], text) if names else text


def _walk(value: Any, tr: Translator) -> Any:
    if isinstance(value, Phrase):
        return value.said(tr)
    if isinstance(value, str):
        return _text(value, tr) if value else value
    if isinstance(value, tuple):
        return tuple(_walk(v, tr) for v in value)
    if isinstance(value, Cell):
        if isinstance(value.value, Phrase):
            return dataclasses.replace(value, value=value.value.said(tr))
        if value.unit is Unit.TEXT and isinstance(value.value, str):
            return dataclasses.replace(value, value=_text(value.value, tr))
        if value.unit in _WRITTEN_PER_LANGUAGE or value.value is None:
            return dataclasses.replace(value, display=format_cell(value, tr.language))
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _walk(getattr(value, f.name), tr)
            for f in dataclasses.fields(value)
            if f.name not in _KEEP
        }
        return dataclasses.replace(value, **changes)
    return value


def localize(report: Report, language: Language) -> Report:
    """Return the report in ``language`` (the same report when it already is)."""
    if language is report.language:
        return report
    tr = translator(language)
    localized = _walk(report, tr)
    return dataclasses.replace(localized, title=report_title(report, language), language=language)

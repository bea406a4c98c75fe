"""The ``holidays`` package's financial calendars: closures past exchange_calendars' bounds.

Its names follow the exchanges' notices ("the day following Ching Ming"), so they are
preferred to exchange_calendars' where both know a day.
"""

from __future__ import annotations

from datetime import date

import holidays as holidays_lib

from core.i18n import N_, Language


def holidays_years(code: str, until: int | None) -> tuple[int, int] | None:
    """Return the years the package knows for an exchange, capped at ``until`` (None if none)."""
    try:
        lib = holidays_lib.financial_holidays(code)
    except NotImplementedError:
        return None
    last = lib.end_year if until is None else until
    return lib.start_year, min(last, lib.end_year)


# NYSE closures as exchange_calendars and the package name them, for the catalog: the package
# has no Chinese names for them.
US_HOLIDAYS = (
    N_("New Year's Day"),
    N_("Martin Luther King Jr. Day"),
    N_("Dr. Martin Luther King Jr. Day"),
    N_("Washington's Birthday"),
    N_("President's Day"),
    N_("Good Friday"),
    N_("Memorial Day"),
    N_("Juneteenth National Independence Day"),
    N_("Juneteenth National Independence Day (observed)"),
    N_("Independence Day"),
    N_("Independence Day (observed)"),
    N_("July 4th"),
    N_("Labor Day"),
    N_("Thanksgiving Day"),
    N_("Thanksgiving"),
    N_("Christmas Day"),
    N_("Christmas Day (observed)"),
    N_("Christmas"),
)
# The package's locale per language, where it names an exchange's holidays in it.
_LOCALES = {Language.EN: "en_US", Language.ZH: "zh_CN"}


def holiday_names(code: str, year: int, language: Language = Language.EN) -> dict[date, str]:
    """Return the package's named closures of one exchange in one year (none if unknown)."""
    try:
        lib = holidays_lib.financial_holidays(code, years=year)
    except NotImplementedError:
        return {}
    locale = _LOCALES[language]
    if locale not in (lib.supported_languages or ()):
        return {} if language is not Language.EN else {d: str(n) for d, n in lib.items()}
    named = holidays_lib.financial_holidays(code, years=year, language=locale)
    return {day: str(name) for day, name in named.items()}

"""The ``holidays`` package's financial calendars: closures past exchange_calendars' bounds.

Its names follow the exchanges' notices ("the day following Ching Ming"), so they are
preferred to exchange_calendars' where both know a day.
"""

from __future__ import annotations

from datetime import date

import holidays as holidays_lib


def holidays_years(code: str, until: int | None) -> tuple[int, int] | None:
    """Return the years the package knows for an exchange, capped at ``until`` (None if none)."""
    try:
        lib = holidays_lib.financial_holidays(code)
    except NotImplementedError:
        return None
    last = lib.end_year if until is None else until
    return lib.start_year, min(last, lib.end_year)


def holiday_names(code: str, year: int) -> dict[date, str]:
    """Return the package's named closures of one exchange in one year."""
    lib = holidays_lib.financial_holidays(code, years=year)
    return {day: str(name) for day, name in lib.items()}

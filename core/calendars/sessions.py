"""One exchange's sessions from its three sources, in order of authority.

Operator overrides (config/calendars.toml) first, then exchange_calendars within its bounds,
then the ``holidays`` package for the years it knows; where none knows the year, days are
assumed to be Mon–Fri sessions (``knows`` says so, and the report warns).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from core.calendars import holidays_package
from core.calendars.exchange import ExchangeCalendar, load_exchange_calendar
from core.calendars.overrides import Overrides, default_overrides, overrides_for
from core.errors import ConfigError
from core.i18n import N_, Language, translator

ONE_DAY = timedelta(days=1)
# A market closed longer than this in a row is a calendar error, not a holiday.
MAX_CLOSED_DAYS = 40


@dataclass(frozen=True)
class Calendar:
    """One exchange's calendar: exchange_calendars, the holidays package and the overrides."""

    exchange: ExchangeCalendar
    overrides: Overrides
    holidays_years: tuple[int, int] | None

    @property
    def code(self) -> str:
        """Return the exchange_calendars code (``XNYS``)."""
        return self.exchange.code

    def holidays_know(self, year: int) -> bool:
        """Return True when the holidays package is trusted for ``year``."""
        return self.holidays_years is not None and (
            self.holidays_years[0] <= year <= self.holidays_years[1]
        )

    def knows(self, day: date) -> bool:
        """Return True when a library (or the operator) knows whether ``day`` is a session."""
        known = day in self.overrides.closed or day in self.overrides.open
        return known or self.exchange.covers(day) or self.holidays_know(day.year)

    def is_session(self, day: date) -> bool:
        """Return True when the exchange trades on ``day`` (Mon–Fri where nothing knows)."""
        if day in self.overrides.closed or day.weekday() >= 5:
            return False
        if day in self.overrides.open:
            return True
        if self.exchange.covers(day):
            return self.exchange.is_session(day)
        if self.holidays_know(day.year):
            return day not in holiday_names(self.code, day.year)
        return True

    def session_on_or_before(self, day: date) -> date:
        """Return ``day`` if it is a session, else the latest session before it."""
        for _ in range(MAX_CLOSED_DAYS):
            if self.is_session(day):
                return day
            day -= ONE_DAY
        raise ConfigError(f"{self.code}: no session in the {MAX_CLOSED_DAYS} days to {day}")

    def bounds(self, session: date) -> tuple[datetime, datetime]:
        """Return a session's open and close instants (UTC)."""
        return self.exchange.bounds(session)

    def closure_reason(self, day: date, language: Language = Language.EN) -> str:
        """Return why ``day`` is not a session: weekend, a named holiday, or holiday."""
        tr = translator(language)
        if day.weekday() >= 5 and day not in self.overrides.closed:
            return tr.gettext(N_("weekend"))
        name = holiday_names(self.code, day.year).get(day)
        if name is None:
            return tr.gettext(N_("exchange holiday"))
        if language is not Language.EN and day not in self.overrides.closed:
            # The holidays package names Chinese and Hong Kong holidays in Chinese itself.
            local = holidays_package.holiday_names(self.code, day.year, language).get(day)
            if local:
                return local
        return tr.gettext(name)


@cache
def calendar(code: str) -> Calendar:
    """Return the cached calendar for an exchange_calendars code (building one is slow)."""
    overrides = overrides_for(code)
    return Calendar(
        exchange=load_exchange_calendar(code),
        overrides=overrides,
        holidays_years=holidays_package.holidays_years(code, overrides.holidays_until),
    )


@cache
def holiday_names(code: str, year: int) -> dict[date, str]:
    """Return the named closures of a year: exchange_calendars, holidays package, overrides."""
    cal = calendar(code)
    named = cal.exchange.holiday_names(year)
    if cal.holidays_know(year):
        named.update(holidays_package.holiday_names(code, year))
    named.update(cal.overrides.closed)
    return named


def reset_calendars() -> None:
    """Forget the cached calendars and their names (after calendars.toml changed)."""
    calendar.cache_clear()
    holiday_names.cache_clear()
    default_overrides.cache_clear()

"""The exchange_calendars source: sessions, hours and named holidays within its bounds.

It records holidays only a year or so ahead (XSHG ends 2026-12-31); beyond its bounds only
the regular hours are known, and the ``holidays`` package says which days are sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import pandas as pd

from core.errors import ConfigError


@dataclass(frozen=True)
class ExchangeCalendar:
    """One exchange_calendars calendar with its bounds and regular hours."""

    code: str
    calendar: xcals.ExchangeCalendar
    tz: ZoneInfo
    first_session: date
    last_session: date
    regular_open: time
    regular_close: time

    def covers(self, day: date) -> bool:
        """Return True when ``day`` lies within the calendar's bounds."""
        return self.first_session <= day <= self.last_session

    def is_session(self, day: date) -> bool:
        """Return True when ``day`` is a session (only asked within the bounds)."""
        return bool(self.calendar.is_session(pd.Timestamp(day)))

    def bounds(self, session: date) -> tuple[datetime, datetime]:
        """Return a session's open and close (UTC): recorded ones, else the regular hours."""
        if self.covers(session) and self.is_session(session):
            ts = pd.Timestamp(session)
            return (
                self.calendar.session_open(ts).to_pydatetime(),
                self.calendar.session_close(ts).to_pydatetime(),
            )
        return (
            datetime.combine(session, self.regular_open, tzinfo=self.tz).astimezone(UTC),
            datetime.combine(session, self.regular_close, tzinfo=self.tz).astimezone(UTC),
        )

    def holiday_names(self, year: int) -> dict[date, str]:
        """Return the named regular holidays of one year (ad hoc closures have no name)."""
        regular = self.calendar.regular_holidays
        if regular is None:
            return {}
        found = regular.holidays(f"{year}-01-01", f"{year}-12-31", return_name=True)
        return {ts.date(): str(name) for ts, name in found.items()}


def load_exchange_calendar(code: str) -> ExchangeCalendar:
    """Build one exchange's calendar (slow: callers cache it)."""
    try:
        cal = xcals.get_calendar(code)
    except xcals.errors.InvalidCalendarName as exc:
        raise ConfigError(f"unknown exchange calendar {code!r}") from exc
    return ExchangeCalendar(
        code=code,
        calendar=cal,
        tz=ZoneInfo(str(cal.tz)),
        first_session=cal.first_session.date(),
        last_session=cal.last_session.date(),
        regular_open=cal.open_times[-1][1],
        regular_close=cal.close_times[-1][1],
    )

"""Trading calendars: which session each market's figures should come from at a given moment.

A session counts only once it has closed in exchange time. Crypto trades around the clock;
its "session" is the UTC date at the end of the 24 h window. Sessions come from
exchange_calendars within its bounds (it records XSHG holidays only a year or so ahead), from
the ``holidays`` package's financial calendars beyond them, and from config/calendars.toml for
closures an operator knows before either library does. Where neither library knows the year,
days are assumed to be Mon–Fri sessions and ``market_status`` says so instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import holidays as holidays_lib
import pandas as pd

from core.errors import ConfigError
from core.formatting import session_label
from core.instruments import InstrumentRegistry, default_registry
from core.settings import ExchangeCalendarSettings, default_calendar_settings
from core.snapshot import NoteKind, SnapshotNote

ROUND_THE_CLOCK = "24/7"
_ONE_DAY = timedelta(days=1)
# A market closed longer than this in a row is a calendar error, not a holiday.
_MAX_CLOSED_DAYS = 40
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Calendar:
    """One exchange calendar with its bounds, regular hours and operator additions."""

    code: str
    calendar: xcals.ExchangeCalendar
    tz: ZoneInfo
    first_session: date
    last_session: date
    regular_open: time
    regular_close: time
    extra: ExchangeCalendarSettings
    holidays_years: tuple[int, int] | None

    def covers(self, day: date) -> bool:
        return self.first_session <= day <= self.last_session

    def holidays_know(self, year: int) -> bool:
        return self.holidays_years is not None and (
            self.holidays_years[0] <= year <= self.holidays_years[1]
        )

    def knows(self, day: date) -> bool:
        """Return True when a library (or the operator) knows whether ``day`` is a session."""
        known = day in self.extra.closed or day in self.extra.open
        return known or self.covers(day) or self.holidays_know(day.year)


def _holidays_years(code: str, extra: ExchangeCalendarSettings) -> tuple[int, int] | None:
    try:
        lib = holidays_lib.financial_holidays(code)
    except NotImplementedError:
        return None
    until = lib.end_year if extra.holidays_until is None else extra.holidays_until
    return lib.start_year, min(until, lib.end_year)


@cache
def _calendar(code: str) -> _Calendar:
    """Return the cached calendar for an exchange_calendars code (building one is slow)."""
    try:
        cal = xcals.get_calendar(code)
    except xcals.errors.InvalidCalendarName as exc:
        raise ConfigError(f"unknown exchange calendar {code!r}") from exc
    extra = default_calendar_settings().of(code)
    return _Calendar(
        code=code,
        calendar=cal,
        tz=ZoneInfo(str(cal.tz)),
        first_session=cal.first_session.date(),
        last_session=cal.last_session.date(),
        # Beyond the calendar's bounds only the regular hours are known.
        regular_open=cal.open_times[-1][1],
        regular_close=cal.close_times[-1][1],
        extra=extra,
        holidays_years=_holidays_years(code, extra),
    )


def reset_calendars() -> None:
    """Forget the cached calendars and their names (after calendars.toml changed)."""
    _calendar.cache_clear()
    _holiday_names.cache_clear()
    default_calendar_settings.cache_clear()


@cache
def _holiday_names(code: str, year: int) -> dict[date, str]:
    """Return the named closures of one year: the holidays package's, else exchange_calendars'."""
    if code == ROUND_THE_CLOCK:
        return {}
    cal = _calendar(code)
    named: dict[date, str] = {}
    regular = cal.calendar.regular_holidays
    if regular is not None:
        found = regular.holidays(f"{year}-01-01", f"{year}-12-31", return_name=True)
        named.update({ts.date(): str(name) for ts, name in found.items()})
    if cal.holidays_know(year):
        # Its names follow the exchanges' notices ("the day following Ching Ming").
        lib = holidays_lib.financial_holidays(code, years=year)
        named.update({day: str(name) for day, name in lib.items()})
    named.update(cal.extra.closed)
    return named


def _calendar_code(market_key: str, registry: InstrumentRegistry | None) -> str:
    registry = registry or default_registry()
    try:
        return registry.markets[market_key].calendar
    except KeyError as exc:
        raise ConfigError(f"unknown market {market_key!r}") from exc


def _local_day(at: datetime, tz: tzinfo) -> date:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"need a timezone-aware moment, got naive {at.isoformat()}")
    return at.astimezone(tz).date()


def _is_session(cal: _Calendar, day: date) -> bool:
    if day in cal.extra.closed or day.weekday() >= 5:
        return False
    if day in cal.extra.open:
        return True
    if cal.covers(day):
        return bool(cal.calendar.is_session(pd.Timestamp(day)))
    if cal.holidays_know(day.year):
        return day not in _holiday_names(cal.code, day.year)
    return True


def _session_on_or_before(cal: _Calendar, day: date) -> date:
    for _ in range(_MAX_CLOSED_DAYS):
        if _is_session(cal, day):
            return day
        day -= _ONE_DAY
    raise ConfigError(f"{cal.code}: no session in the {_MAX_CLOSED_DAYS} days to {day}")


def _session_bounds(cal: _Calendar, session: date) -> tuple[datetime, datetime]:
    if cal.covers(session) and cal.calendar.is_session(pd.Timestamp(session)):
        ts = pd.Timestamp(session)
        return (
            cal.calendar.session_open(ts).to_pydatetime(),
            cal.calendar.session_close(ts).to_pydatetime(),
        )
    return (
        datetime.combine(session, cal.regular_open, tzinfo=cal.tz).astimezone(UTC),
        datetime.combine(session, cal.regular_close, tzinfo=cal.tz).astimezone(UTC),
    )


def _days(start: date, end: date) -> list[date]:
    return [start + _ONE_DAY * n for n in range((end - start).days + 1)]


def is_session(market_key: str, day: date, registry: InstrumentRegistry | None = None) -> bool:
    """Return True when the market trades on ``day`` (Mon–Fri past the calendar's bounds)."""
    code = _calendar_code(market_key, registry)
    return code == ROUND_THE_CLOCK or _is_session(_calendar(code), day)


def latest_completed_session(
    market_key: str, at: datetime, registry: InstrumentRegistry | None = None
) -> date:
    """Return the latest session of the market that had closed by ``at`` (timezone-aware)."""
    code = _calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return _local_day(at, UTC)
    cal = _calendar(code)
    session = _session_on_or_before(cal, _local_day(at, cal.tz))
    if _session_bounds(cal, session)[1] > at:
        session = _session_on_or_before(cal, session - _ONE_DAY)
    if not cal.knows(session):
        _log.warning("%s: no calendar knows %s; assumed Mon–Fri", code, session.year)
    return session


def session_bounds(
    market_key: str, session: date, registry: InstrumentRegistry | None = None
) -> tuple[datetime, datetime]:
    """Return a session's open and close instants (UTC); crypto's is its UTC day."""
    code = _calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        start = datetime.combine(session, time(0), tzinfo=UTC)
        return start, start + _ONE_DAY
    return _session_bounds(_calendar(code), session)


def next_session_open(
    market_key: str, at: datetime, registry: InstrumentRegistry | None = None
) -> datetime | None:
    """Return when the market's next session opens after ``at`` (None for 24/7 markets)."""
    code = _calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return None
    cal = _calendar(code)
    day = _local_day(at, cal.tz)
    for _ in range(_MAX_CLOSED_DAYS):
        if _is_session(cal, day):
            opened = _session_bounds(cal, day)[0]
            if opened > at:
                return opened
        day += _ONE_DAY
    raise ConfigError(f"{code}: no session in the {_MAX_CLOSED_DAYS} days after {at}")


def sessions_between(
    market_key: str, start: date, end: date, registry: InstrumentRegistry | None = None
) -> tuple[date, ...]:
    """Return the market's sessions from ``start`` to ``end``, both included, oldest first."""
    code = _calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return tuple(_days(start, end))
    cal = _calendar(code)
    return tuple(d for d in _days(start, end) if _is_session(cal, d))


def is_stale(
    market_key: str, session_date: date, at: datetime, registry: InstrumentRegistry | None = None
) -> bool:
    """Return True when a bar's session is older than the latest session completed by ``at``."""
    return session_date < latest_completed_session(market_key, at, registry)


def closure_reason(market_key: str, day: date, registry: InstrumentRegistry | None = None) -> str:
    """Return why the market has no session on ``day``: weekend, a named holiday, or holiday."""
    return _closure_reason(_calendar_code(market_key, registry), day)


def _closure_reason(code: str, day: date) -> str:
    if day.weekday() >= 5 and day not in _calendar(code).extra.closed:
        return "weekend"
    return _holiday_names(code, day.year).get(day, "exchange holiday")


def market_status(
    when: date | datetime,
    markets: Iterable[str] | None = None,
    registry: InstrumentRegistry | None = None,
) -> tuple[SnapshotNote, ...]:
    """Return notes naming each market's closures up to the report date and calendar gaps.

    With a moment, the report date is its local date and a session counts once closed;
    with a date, that date's session (if any) counts as the latest.
    """
    registry = registry or default_registry()
    keys = (
        list(markets)
        if markets is not None
        else sorted(registry.markets, key=lambda k: registry.markets[k].order)
    )
    notes: list[SnapshotNote] = []
    for key in keys:
        code = _calendar_code(key, registry)
        if code == ROUND_THE_CLOCK:
            continue
        cal = _calendar(code)
        if isinstance(when, datetime):
            last = latest_completed_session(key, when, registry)
            report_date = when.date()  # the reader's own calendar day
        else:
            report_date = when
            last = _session_on_or_before(cal, when)
        notes.extend(_market_notes(key, cal, report_date, last))
    return tuple(notes)


def _market_notes(key: str, cal: _Calendar, report_date: date, last: date) -> list[SnapshotNote]:
    notes: list[SnapshotNote] = []
    gap = [last + _ONE_DAY * n for n in range(1, (report_date - last).days)]
    holidays = [d for d in gap if d.weekday() < 5 and not _is_session(cal, d)]
    closed_today = report_date > last and not _is_session(cal, report_date)
    if closed_today or holidays:
        head, rest = (report_date, holidays) if closed_today else (holidays[-1], holidays[:-1])
        message = (
            f"{key} closed on {session_label(head)} ({_closure_reason(cal.code, head)})"
            f" — last session {session_label(last)}"
        )
        if rest:
            also = ", ".join(f"{session_label(d)} ({_closure_reason(cal.code, d)})" for d in rest)
            message += f"; also closed {also}"
        notes.append(SnapshotNote(NoteKind.CLOSED, message, market=key))
    unknown = sorted({d.year for d in (last, report_date) if not cal.knows(d)})
    if unknown:
        years = ", ".join(str(y) for y in unknown)
        lib = (
            f"the holidays package to {cal.holidays_years[1]}"
            if cal.holidays_years
            else "the holidays package not at all"
        )
        notes.append(
            SnapshotNote(
                NoteKind.DATA_QUALITY,
                f"{key} trading calendar ({cal.code}) does not know {years}: exchange_calendars "
                f"covers {session_label(cal.first_session)} to {session_label(cal.last_session)}"
                f" and {lib}; sessions there are assumed to be Mon–Fri, so exchange holidays "
                "are not known (add them to config/calendars.toml)",
                market=key,
            )
        )
    return notes

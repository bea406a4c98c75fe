"""Trading calendars: which session each market's figures should come from at a given moment.

A session counts only once it has closed in exchange time. Crypto trades around the clock;
its "session" is the UTC date at the end of the 24 h window. Where a bundled calendar stops
(exchange_calendars records XSHG holidays only a year or so ahead), days are assumed to be
Mon–Fri sessions and ``market_status`` says so instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import pandas as pd

from core.errors import ConfigError
from core.formatting import session_label
from core.instruments import InstrumentRegistry, default_registry
from core.snapshot import NoteKind, SnapshotNote

ROUND_THE_CLOCK = "24/7"
_ONE_DAY = timedelta(days=1)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Calendar:
    """One exchange calendar with its bounds and regular close, resolved once."""

    code: str
    calendar: xcals.ExchangeCalendar
    tz: ZoneInfo
    first_session: date
    last_session: date
    regular_close: time

    def covers(self, day: date) -> bool:
        return self.first_session <= day <= self.last_session


@cache
def _calendar(code: str) -> _Calendar:
    """Return the cached calendar for an exchange_calendars code (building one is slow)."""
    try:
        cal = xcals.get_calendar(code)
    except xcals.errors.InvalidCalendarName as exc:
        raise ConfigError(f"unknown exchange calendar {code!r}") from exc
    return _Calendar(
        code=code,
        calendar=cal,
        tz=ZoneInfo(str(cal.tz)),
        first_session=cal.first_session.date(),
        last_session=cal.last_session.date(),
        # Beyond the calendar's bounds only the regular close time is known.
        regular_close=cal.close_times[-1][1],
    )


@cache
def _holiday_names(code: str, year: int) -> dict[date, str]:
    """Return the named regular holidays of one calendar year (ad-hoc ones have no name)."""
    if code == ROUND_THE_CLOCK:
        return {}
    holidays = _calendar(code).calendar.regular_holidays
    if holidays is None:
        return {}
    named = holidays.holidays(f"{year}-01-01", f"{year}-12-31", return_name=True)
    return {ts.date(): str(name) for ts, name in named.items()}


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
    if cal.covers(day):
        return bool(cal.calendar.is_session(pd.Timestamp(day)))
    return day.weekday() < 5


def _session_on_or_before(cal: _Calendar, day: date) -> date:
    while not cal.covers(day):
        if day.weekday() < 5:
            return day
        day -= _ONE_DAY
    return cal.calendar.date_to_session(pd.Timestamp(day), direction="previous").date()


def _session_close(cal: _Calendar, session: date) -> datetime:
    if cal.covers(session):
        return cal.calendar.session_close(pd.Timestamp(session)).to_pydatetime()
    return datetime.combine(session, cal.regular_close, tzinfo=cal.tz)


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
    if _session_close(cal, session) > at:
        session = _session_on_or_before(cal, session - _ONE_DAY)
    if not cal.covers(session):
        _log.warning(
            "%s calendar covers %s to %s; assumed Mon–Fri for %s",
            code,
            cal.first_session,
            cal.last_session,
            session,
        )
    return session


def sessions_between(
    market_key: str, start: date, end: date, registry: InstrumentRegistry | None = None
) -> tuple[date, ...]:
    """Return the market's sessions from ``start`` to ``end``, both included, oldest first."""
    code = _calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return tuple(_days(start, end))
    cal = _calendar(code)
    inside: tuple[date, ...] = ()
    inside_from, inside_to = max(start, cal.first_session), min(end, cal.last_session)
    if inside_from <= inside_to:
        found = cal.calendar.sessions_in_range(pd.Timestamp(inside_from), pd.Timestamp(inside_to))
        inside = tuple(ts.date() for ts in found)
    before = _days(start, min(end, cal.first_session - _ONE_DAY))
    after = _days(max(start, cal.last_session + _ONE_DAY), end)
    weekdays_before = tuple(d for d in before if d.weekday() < 5)
    weekdays_after = tuple(d for d in after if d.weekday() < 5)
    return weekdays_before + inside + weekdays_after


def is_stale(
    market_key: str, session_date: date, at: datetime, registry: InstrumentRegistry | None = None
) -> bool:
    """Return True when a bar's session is older than the latest session completed by ``at``."""
    return session_date < latest_completed_session(market_key, at, registry)


def closure_reason(market_key: str, day: date, registry: InstrumentRegistry | None = None) -> str:
    """Return why the market has no session on ``day``: weekend, a named holiday, or holiday."""
    return _closure_reason(_calendar_code(market_key, registry), day)


def _closure_reason(code: str, day: date) -> str:
    if day.weekday() >= 5:
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
    outside = [d for d in (last, report_date) if not cal.covers(d)]
    if outside:
        bound = (
            f"ends {session_label(cal.last_session)}"
            if max(outside) > cal.last_session
            else f"starts {session_label(cal.first_session)}"
        )
        notes.append(
            SnapshotNote(
                NoteKind.DATA_QUALITY,
                f"{key} trading calendar ({cal.code}) {bound}; sessions beyond it are assumed"
                " to be Mon–Fri, so exchange holidays there are not known",
                market=key,
            )
        )
    return notes

"""Calendar questions asked per market key (``US``, ``HK``, ``CN``, ``CRYPTO``).

Crypto trades around the clock; its "session" is the UTC date at the end of the 24 h window.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, tzinfo

from core.calendars.sessions import MAX_CLOSED_DAYS, ONE_DAY, calendar
from core.errors import ConfigError
from core.instruments import InstrumentRegistry, default_registry

ROUND_THE_CLOCK = "24/7"
_log = logging.getLogger(__name__)


def calendar_code(market_key: str, registry: InstrumentRegistry | None = None) -> str:
    """Return the market's calendar code (an exchange_calendars code, or ``24/7``)."""
    registry = registry or default_registry()
    try:
        return registry.markets[market_key].calendar
    except KeyError as exc:
        raise ConfigError(f"unknown market {market_key!r}") from exc


def local_day(at: datetime, tz: tzinfo) -> date:
    """Return the date of a timezone-aware moment in ``tz``."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"need a timezone-aware moment, got naive {at.isoformat()}")
    return at.astimezone(tz).date()


def _days(start: date, end: date) -> list[date]:
    return [start + ONE_DAY * n for n in range((end - start).days + 1)]


def is_session(market_key: str, day: date, registry: InstrumentRegistry | None = None) -> bool:
    """Return True when the market trades on ``day`` (Mon–Fri past the calendar's bounds)."""
    code = calendar_code(market_key, registry)
    return code == ROUND_THE_CLOCK or calendar(code).is_session(day)


def latest_completed_session(
    market_key: str, at: datetime, registry: InstrumentRegistry | None = None
) -> date:
    """Return the latest session of the market that had closed by ``at`` (timezone-aware)."""
    code = calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return local_day(at, UTC)
    cal = calendar(code)
    session = cal.session_on_or_before(local_day(at, cal.exchange.tz))
    if cal.bounds(session)[1] > at:
        session = cal.session_on_or_before(session - ONE_DAY)
    if not cal.knows(session):
        _log.warning("%s: no calendar knows %s; assumed Mon–Fri", code, session.year)
    return session


def session_bounds(
    market_key: str, session: date, registry: InstrumentRegistry | None = None
) -> tuple[datetime, datetime]:
    """Return a session's open and close instants (UTC); crypto's is its UTC day."""
    code = calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        start = datetime.combine(session, time(0), tzinfo=UTC)
        return start, start + ONE_DAY
    return calendar(code).bounds(session)


def next_session_open(
    market_key: str, at: datetime, registry: InstrumentRegistry | None = None
) -> datetime | None:
    """Return when the market's next session opens after ``at`` (None for 24/7 markets)."""
    code = calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return None
    cal = calendar(code)
    day = local_day(at, cal.exchange.tz)
    for _ in range(MAX_CLOSED_DAYS):
        if cal.is_session(day):
            opened = cal.bounds(day)[0]
            if opened > at:
                return opened
        day += ONE_DAY
    raise ConfigError(f"{code}: no session in the {MAX_CLOSED_DAYS} days after {at}")


def sessions_between(
    market_key: str, start: date, end: date, registry: InstrumentRegistry | None = None
) -> tuple[date, ...]:
    """Return the market's sessions from ``start`` to ``end``, both included, oldest first."""
    code = calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        return tuple(_days(start, end))
    cal = calendar(code)
    return tuple(d for d in _days(start, end) if cal.is_session(d))


def is_stale(
    market_key: str, session_date: date, at: datetime, registry: InstrumentRegistry | None = None
) -> bool:
    """Return True when a bar's session is older than the latest session completed by ``at``."""
    return session_date < latest_completed_session(market_key, at, registry)


def closure_reason(market_key: str, day: date, registry: InstrumentRegistry | None = None) -> str:
    """Return why the market has no session on ``day``: weekend, a named holiday, or holiday."""
    code = calendar_code(market_key, registry)
    if code == ROUND_THE_CLOCK:
        raise ConfigError(f"{market_key} trades around the clock: it has no closures")
    return calendar(code).closure_reason(day)

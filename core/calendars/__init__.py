"""Trading calendars: which session each market's figures should come from at a given moment.

A session counts only once it has closed in exchange time. Sessions come from
exchange_calendars within its bounds (``exchange.py``; it records XSHG holidays only a year
or so ahead), from the ``holidays`` package's financial calendars beyond them
(``holidays_package.py``), and from config/calendars.toml for closures an operator knows
before either library does (``overrides.py``); ``sessions.py`` combines them per exchange.
Where no source knows the year, days are assumed to be Mon–Fri sessions and
``market_status`` says so instead of failing.
"""

from core.calendars.markets import (
    ROUND_THE_CLOCK,
    closure_reason,
    is_session,
    is_stale,
    latest_completed_session,
    next_session_open,
    session_bounds,
    sessions_between,
)
from core.calendars.sessions import reset_calendars
from core.calendars.status import market_status

__all__ = [
    "ROUND_THE_CLOCK",
    "closure_reason",
    "is_session",
    "is_stale",
    "latest_completed_session",
    "market_status",
    "next_session_open",
    "reset_calendars",
    "session_bounds",
    "sessions_between",
]

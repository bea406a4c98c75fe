"""The one injectable source of time: wall-clock now, a monotonic reading and sleeping.

Everything that reads the time or waits (send pacing, rate limits, retries, the report cache,
the broadcaster, the scheduler's first run) takes a :class:`Clock`, so tests drive a fake one
and assert on the order and spacing of events in its time, never on real elapsed time.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Tell the time and wait."""

    def now_utc(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...

    def monotonic(self) -> float:
        """Return seconds on a clock that never goes back (for spacing and deadlines)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on this clock."""
        ...


class SystemClock:
    """The real clock: the system time, ``time.monotonic`` and ``asyncio.sleep``."""

    def now_utc(self) -> datetime:
        """Return the system time as an aware UTC datetime."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Return ``time.monotonic()``."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of real time."""
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = SystemClock()

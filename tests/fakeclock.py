"""A fake :class:`core.clock.Clock`: virtual time that moves only when a test moves it.

``sleep`` parks the caller until virtual time reaches its wake time. ``run`` drives
awaitables to completion: whenever every one of them is parked on this clock, it moves time
to the earliest wake time and wakes the sleepers due then, in the order they went to sleep.
So events happen at exact virtual times whatever the machine's load.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

DEFAULT_START = datetime(2026, 3, 1, tzinfo=UTC)
# Bounds a test that would otherwise hang (a task blocked on something other than the clock).
RUN_TIMEOUT_S = 30.0


@dataclass(order=True)
class _Sleeper:
    wake_s: float
    seq: int
    future: asyncio.Future[None] = field(compare=False)
    task: asyncio.Task[Any] | None = field(compare=False)


class FakeClock:
    """Virtual UTC time and monotonic seconds; sleeping waits on virtual time only."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the fake clock starts at an aware datetime")
        self._start = start
        self._elapsed_s = 0.0
        self._sleepers: list[_Sleeper] = []
        self._seq = itertools.count()
        self._changed = asyncio.Event()

    # -- the Clock protocol ------------------------------------------------------------------
    def now_utc(self) -> datetime:
        """Return the virtual time."""
        return self._start + timedelta(seconds=self._elapsed_s)

    def monotonic(self) -> float:
        """Return virtual seconds since the clock was made."""
        return self._elapsed_s

    async def sleep(self, seconds: float) -> None:
        """Wait until virtual time has moved ``seconds`` on; a non-positive wait only yields."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        sleeper = _Sleeper(
            self._elapsed_s + seconds, next(self._seq), future, asyncio.current_task()
        )
        heapq.heappush(self._sleepers, sleeper)
        self._changed.set()
        try:
            await future
        except asyncio.CancelledError:
            if sleeper in self._sleepers:
                self._sleepers.remove(sleeper)
                heapq.heapify(self._sleepers)
            raise

    # -- what tests do -----------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        """Return the virtual time (as ``now_utc``)."""
        return self.now_utc()

    @now.setter
    def now(self, value: datetime) -> None:
        """Set the wall time; monotonic time and sleepers are not affected."""
        self._start = value - timedelta(seconds=self._elapsed_s)

    @property
    def sleeping(self) -> int:
        """Return how many callers are parked on the clock."""
        return len(self._sleepers)

    def advance(self, delta: timedelta | float) -> None:
        """Move time on by ``delta`` at once, waking every sleeper due by then, in order."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        if seconds < 0:
            raise ValueError("time does not go back")
        target = self._elapsed_s + seconds
        while self._sleepers and self._sleepers[0].wake_s <= target:
            self._wake_next()
        self._elapsed_s = target

    async def run(self, *aws: Awaitable[Any]) -> list[Any]:
        """Run each awaitable as a task to completion, moving time whenever all of them sleep.

        Return their results in order (raise the first failure). Each awaitable must sleep in
        its own task: one parked on something else (a lock, I/O) is waited for in real time.
        """
        tasks = [asyncio.ensure_future(aw) for aw in aws]
        try:
            async with asyncio.timeout(RUN_TIMEOUT_S):
                while pending := {t for t in tasks if not t.done()}:
                    self._changed.clear()
                    if pending <= {s.task for s in self._sleepers}:
                        self._wake_next()
                        continue
                    changed = asyncio.ensure_future(self._changed.wait())
                    try:
                        await asyncio.wait({*pending, changed}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        changed.cancel()
        finally:
            for task in tasks:
                task.cancel()
        return [task.result() for task in tasks]

    def _wake_next(self) -> None:
        """Move time to the earliest wake time and wake everyone due then, in sleep order."""
        wake_s = self._sleepers[0].wake_s
        self._elapsed_s = max(self._elapsed_s, wake_s)
        while self._sleepers and self._sleepers[0].wake_s == wake_s:
            sleeper = heapq.heappop(self._sleepers)
            if not sleeper.future.done():
                sleeper.future.set_result(None)

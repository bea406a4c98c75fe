"""A fake :class:`core.clock.Clock`: virtual time that moves only when a test moves it.

Every wait is recorded in ``waits``. While ``gather`` (or ``run``) drives awaitables, a sleep
parks its caller; whenever every driven awaitable is parked on this clock, time moves to the
earliest wake time and the sleepers due then wake, in the order they went to sleep. So events
happen at exact virtual times whatever the machine's load. With nothing driving the clock
nothing would ever wake a parked caller, so a sleep moves time straight to its own wake time:
the same schedule for code that waits one sleep at a time (retries and their backoff).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")

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
        self._driving = 0
        self.waits: list[float] = []

    # -- the Clock protocol ------------------------------------------------------------------
    def now_utc(self) -> datetime:
        """Return the virtual time."""
        return self._start + timedelta(seconds=self._elapsed_s)

    def monotonic(self) -> float:
        """Return virtual seconds since the clock was made."""
        return self._elapsed_s

    async def sleep(self, seconds: float) -> None:
        """Wait until virtual time has moved ``seconds`` on; a non-positive wait only yields."""
        self.waits.append(seconds)
        if seconds <= 0 or not self._driving:
            self._elapsed_s += max(0.0, seconds)
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
        """Set the wall time; monotonic time is not affected."""
        self._start = value - timedelta(seconds=self._elapsed_s)

    def advance(self, delta: timedelta | float) -> None:
        """Move time on by ``delta``."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        if seconds < 0:
            raise ValueError("time does not go back")
        if self._sleepers:
            raise RuntimeError("callers are parked on the clock: let gather move time")
        self._elapsed_s += seconds

    async def run(self, aw: Awaitable[T]) -> T:
        """Run one awaitable to completion on virtual time; return its result (see gather)."""
        (result,) = await self.gather(aw)
        return result

    async def gather(self, *aws: Awaitable[Any]) -> list[Any]:
        """Run each awaitable as a task to completion, moving time whenever all of them sleep.

        Return their results in order (raise the first failure). Each awaitable must sleep in
        its own task: one parked on something else (a lock, I/O) is waited for in real time.
        """
        tasks = [asyncio.ensure_future(aw) for aw in aws]
        self._driving += 1
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
            self._driving -= 1
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

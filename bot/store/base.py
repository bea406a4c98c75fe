"""State shared by the store's parts: the asyncio engine, the clock and the claim lease."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.clock import Clock
from core.db import is_memory_sqlite


class StoreBase:
    """Hold what every part of the store needs; subclasses add the operations."""

    def __init__(self, engine: AsyncEngine, *, lease: timedelta, clock: Clock) -> None:
        if lease <= timedelta(0):
            raise ValueError("the claim lease must be positive")
        self.engine = engine
        self.lease = lease
        self._clock = clock
        # In-memory SQLite is one shared connection: tasks must take turns, or one task's
        # commit or pool reset would end another's transaction half-way.
        self._turns = asyncio.Lock() if is_memory_sqlite(engine.url) else None

    @property
    def clock(self) -> Clock:
        """Return the clock the store reads (callers time their retries on it too)."""
        return self._clock

    def now(self) -> datetime:
        """Return the store clock's current aware UTC time."""
        now = self._clock.now_utc()
        if now.tzinfo is None:
            raise ValueError("the store clock must return aware datetimes")
        return now

    def _turn(self) -> AbstractAsyncContextManager[object]:
        return self._turns if self._turns is not None else nullcontext()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """Yield a connection in a transaction, committed on success."""
        async with self._turn(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """Yield a connection for reading."""
        async with self._turn(), self.engine.connect() as conn:
            yield conn

"""State shared by the store's parts: the asyncio engine, the clock and the claim lease."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import Clock


class StoreBase:
    """Hold what every part of the store needs; subclasses add the operations."""

    def __init__(self, engine: AsyncEngine, *, lease: timedelta, clock: Clock) -> None:
        if lease <= timedelta(0):
            raise ValueError("the claim lease must be positive")
        self.engine = engine
        self.lease = lease
        self._clock = clock

    def now(self) -> datetime:
        """Return the store clock's current aware UTC time."""
        now = self._clock.now_utc()
        if now.tzinfo is None:
            raise ValueError("the store clock must return aware datetimes")
        return now

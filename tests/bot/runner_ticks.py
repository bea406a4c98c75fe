"""Helpers for ``marketbot run`` tests: a digest due at a fixed time, and waiting for ticks.

The reports and the store read a fake clock standing at a fixed time; the scheduler only
decides when to look, and tests wait for its finished ticks, never for time to pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.delivery import BroadcastResult
from bot.runner import run
from bot.store import AsyncStore
from tests.fakeclock import FakeClock

FAST_TICK = timedelta(seconds=0.1)
# Bounds a hang only: every wait ends on an event.
HANG_S = 30
SENT_ONE = {"too_late": 0, "sent": 1}
NOTHING_DUE = {"too_late": 0}


async def subscribe_due(
    db_url: str, platform: str, chat_id: str | int, sections: tuple[str, ...], now: datetime
) -> None:
    """Subscribe the chat a day before ``now`` to a UTC slot one minute before ``now``."""
    store = await AsyncStore.open(db_url, clock=FakeClock(now - timedelta(days=1)))
    slot = (now - timedelta(minutes=1)).strftime("%H:%M")
    await store.subscribe(platform, chat_id, slot, "UTC", sections)
    await store.close()


@dataclass
class Running:
    """``marketbot run`` as a task, with its finished ticks queued."""

    task: asyncio.Task[int]
    stop: asyncio.Event
    ticks: asyncio.Queue[BroadcastResult] = field(default_factory=asyncio.Queue)

    async def next_ticks(self, count: int) -> list[dict[str, int]]:
        """Return the outcome counts of the next ``count`` finished ticks."""
        return [
            dict((await asyncio.wait_for(self.ticks.get(), HANG_S)).outcomes) for _ in range(count)
        ]

    async def finish(self) -> int:
        """Stop the run and return its exit code."""
        self.stop.set()
        return await asyncio.wait_for(self.task, HANG_S)


def start_run(env: Mapping[str, str], now: datetime, **kwargs: Any) -> Running:
    """Start ``run`` with fast ticks on a clock fixed at ``now``; hear every tick."""
    stop = asyncio.Event()
    ticks: asyncio.Queue[BroadcastResult] = asyncio.Queue()
    task = asyncio.create_task(
        run(
            env=env,
            stop=stop,
            tick=FAST_TICK,
            clock=FakeClock(now),
            on_tick=ticks.put_nowait,
            **kwargs,
        )
    )
    return Running(task, stop, ticks)

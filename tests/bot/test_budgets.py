"""Shared send budgets: two instances on one budget never exceed the limit, on every backend.

Each backend — in memory, the database (SQLite; PostgreSQL with MARKETBOT_TEST_DATABASE_URL)
and Redis (with MARKETBOT_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15) — is driven the
same way: two pacers, each with its own connection ("instance") to the same budget, send
under ``FakeClock.gather``, so every send happens at the virtual time its slot says.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from bot.budgets import KEY_PREFIX, MemorySlots, RedisSlots, SlotStore, open_redis
from bot.startup import DEFAULT_ATTEMPTS
from bot.telegram.pacing import PacedRateLimiter, SharedBudget
from core.errors import Unreachable
from tests.bot.store.conftest import PG_ENV, Database
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

REDIS_ENV = "MARKETBOT_TEST_REDIS_URL"
LIMIT = 30  # Telegram's messages a second per token
SENDS = 150  # five seconds' worth, from two instances together
DOWN = "redis://:s3cret-redis@127.0.0.1:1/0"  # nothing listens on port 1

Instance = Callable[[], Awaitable[SlotStore]]


@pytest_asyncio.fixture(
    params=[
        "memory",
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        "redis",
    ]
)
async def instance(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Instance]:
    """Yield a maker of instances' connections to one budget, on each backend."""
    closers: list[Callable[[], Awaitable[object]]] = []
    if request.param == "memory":
        shared = MemorySlots()  # one process: every "instance" is the same object

        async def make() -> SlotStore:
            return shared

    elif request.param == "redis":
        url = os.environ.get(REDIS_ENV)
        if not url:
            pytest.skip(f"{REDIS_ENV} is not set; Redis variant not run")

        async def make() -> SlotStore:
            slots = RedisSlots.from_url(url, MemorySlots())
            closers.append(slots.close)
            return slots

    else:
        url = os.environ.get(PG_ENV) if request.param == "postgresql" else None
        if request.param == "postgresql" and not url:
            pytest.skip(f"{PG_ENV} is not set; PostgreSQL variant not run")
        db = (
            Database("sqlite", f"sqlite:///{tmp_path / 'budget.sqlite3'}", None)
            if url is None
            else Database("postgresql", url, f"bot_budget_test_{uuid.uuid4().hex[:12]}")
        )

        async def make() -> SlotStore:
            return await db.store()

        async def drop() -> None:
            store = await db.store()
            await store.drop_tables()
            for engine in db.engines:
                await engine.dispose()

        closers.append(drop)
    yield make
    for close in closers:
        await close()


async def _send_times(clock: FakeClock, budgets: list[SlotStore], key: str) -> list[float]:
    """Send SENDS messages, alternating between pacers on ``budgets``; return when each left."""
    pacers = [PacedRateLimiter(LIMIT, clock=clock, budget=SharedBudget(b, key)) for b in budgets]
    times: list[float] = []

    async def send(pacer: PacedRateLimiter, chat_id: int) -> None:
        async def callback() -> None:
            times.append(clock.now_utc().timestamp())

        await pacer.process_request(callback, (), {}, "sendMessage", {"chat_id": chat_id}, None)

    await clock.gather(*(send(pacers[n % len(pacers)], 5000 + n) for n in range(SENDS)))
    return sorted(times)


def _peak(times: list[float], window_s: float = 1.0) -> int:
    """Return the most sends in any ``window_s`` (a sliding window, not calendar seconds)."""
    start, peak = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window_s:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


async def test_two_instances_on_one_budget_keep_to_the_limit_together(instance) -> None:
    clock = FakeClock()
    key = f"test:{uuid.uuid4().hex}"
    times = await _send_times(clock, [await instance(), await instance()], key)
    assert len(times) == SENDS
    assert _peak(times) <= LIMIT
    # And they use the budget: the whole run takes what SENDS slots at the paced rate take.
    assert times[-1] - times[0] < SENDS / (LIMIT * 0.95)


async def test_two_instances_with_budgets_of_their_own_exceed_the_limit() -> None:
    # What the shared budget prevents (and what the check above would catch).
    times = await _send_times(FakeClock(), [MemorySlots(), MemorySlots()], "test:apart")
    assert _peak(times) > LIMIT


async def test_redis_slots_are_one_atomic_reservation_each() -> None:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set; Redis variant not run")
    slots = RedisSlots.from_url(url, MemorySlots())
    key = f"test:{uuid.uuid4().hex}"
    try:
        taken = [await slots.reserve_send_slot(key, 0.25, 1000.0) for _ in range(4)]
        assert taken == [1000.0, 1000.25, 1000.5, 1000.75]
        # Later than the budget's next slot: the slot is the earliest asked for.
        assert await slots.reserve_send_slot(key, 0.25, 2000.123456) == 2000.123456
        client = Redis.from_url(url)
        assert 0 < await client.pttl(KEY_PREFIX + key) <= 61_000  # an idle budget is forgotten
        await client.delete(KEY_PREFIX + key)
        await client.aclose()
    finally:
        await slots.close()


async def test_slots_come_from_the_fallback_while_redis_is_down(caplog) -> None:
    caplog.set_level(logging.WARNING)
    fallback = MemorySlots()
    slots = RedisSlots.from_url(DOWN, fallback)
    try:
        taken = [await slots.reserve_send_slot("k", 0.5, 10.0) for _ in range(3)]
    finally:
        await slots.close()
    assert taken == [10.0, 10.5, 11.0]
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("Redis redis://:***@127.0.0.1:1/0 failed (ConnectionError")
    assert "s3cret-redis" not in caplog.text


async def test_an_unreachable_redis_is_retried_then_given_up(caplog) -> None:
    caplog.set_level(logging.WARNING)
    clock = FakeClock()
    with pytest.raises(Unreachable, match="unreachable after") as raised:
        await open_redis(DOWN, MemorySlots(), clock)
    assert len(caplog.records) == DEFAULT_ATTEMPTS - 1
    assert clock.waits == [1, 2, 4, 8, 16, 30, 30][: DEFAULT_ATTEMPTS - 1]
    assert "s3cret-redis" not in caplog.text + str(raised.value)

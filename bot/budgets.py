"""Where shared send budgets live: the bot's database (the default) or Redis, when configured.

A send budget is the next free send slot of one bot token, in epoch seconds; every instance
takes its slots from the same place, ``interval_s`` apart, so together they keep to the one
limit the platform applies per token. The database holds it with no extra server (one
SQLite instance needs nothing else); ``MARKETBOT_REDIS_URL`` moves it to Redis, where a
reservation is one Lua script (atomic on the server) instead of a database transaction per
send. Even slots rather than per-second counters: a counter per calendar second lets two
seconds' worth leave back to back across the boundary, which Telegram counts as a burst.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.startup import with_retries
from core.clock import Clock
from core.db import redacted
from core.errors import Unreachable

if TYPE_CHECKING:
    from redis.commands.core import AsyncScript

log = logging.getLogger(__name__)

KEY_PREFIX = "marketbot:send-budget:"
# A budget's key outlives its last slot by this long, then Redis forgets an idle token.
IDLE_TTL_MS = 60_000
# Sends must not wait long on a slow Redis; a timeout falls back to the database's budget.
REDIS_TIMEOUT_S = 2.0
# ARGV: interval, earliest, idle ttl (ms). Returns the slot taken, as text: Lua numbers
# turn into integers on the way back, and microseconds matter at 30 sends a second.
RESERVE_SCRIPT = """
local interval = tonumber(ARGV[1])
local earliest = tonumber(ARGV[2])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), earliest)
local ttl = math.ceil((slot + interval - earliest) * 1000) + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.6f', slot + interval), 'PX', ttl)
return string.format('%.6f', slot)
"""


class SlotStore(Protocol):
    """Somewhere several instances reserve slots of a send budget (the store, Redis)."""

    async def reserve_send_slot(self, key: str, interval_s: float, earliest_s: float) -> float:
        """Take the next slot of budget ``key`` at or after ``earliest_s``; return it."""
        ...


class MemorySlots:
    """Send budgets kept in this process only: the reference behaviour, shared by nobody."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}

    async def reserve_send_slot(self, key: str, interval_s: float, earliest_s: float) -> float:
        """Take the next slot of budget ``key``."""
        slot = max(self._next.get(key, 0.0), earliest_s)
        self._next[key] = slot + interval_s
        return slot


class RedisSlots:
    """Send budgets in Redis; while Redis fails, slots come from ``fallback`` (the database)."""

    def __init__(self, client: Redis, fallback: SlotStore, *, where: str = "Redis") -> None:
        self.client, self.fallback, self.where = client, fallback, where
        self._script: AsyncScript = client.register_script(RESERVE_SCRIPT)
        self._failing = False

    @classmethod
    def from_url(cls, url: str, fallback: SlotStore) -> RedisSlots:
        """Return the budgets at a ``redis://`` URL (no connection is made yet)."""
        client = Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
        )
        return cls(client, fallback, where=f"Redis {redacted(url)}")

    async def ping(self) -> None:
        """Raise unless Redis answers (startup checks it, with retries)."""
        await self.client.ping()

    async def reserve_send_slot(self, key: str, interval_s: float, earliest_s: float) -> float:
        """Take the next slot of budget ``key`` in one atomic script on the Redis server."""
        try:
            slot = await self._script(
                keys=[KEY_PREFIX + key], args=[repr(interval_s), repr(earliest_s), IDLE_TTL_MS]
            )
        except RedisError as exc:
            if not self._failing:
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                log.warning("%s failed (%s); send slots come from the database", self.where, reason)
                self._failing = True
            return await self.fallback.reserve_send_slot(key, interval_s, earliest_s)
        if self._failing:
            log.warning("%s answers again; send slots come from it", self.where)
            self._failing = False
        return float(slot)

    async def close(self) -> None:
        """Close the connections."""
        await self.client.aclose()


async def open_redis(url: str, fallback: SlotStore, clock: Clock) -> RedisSlots:
    """Return the budgets at ``url`` once Redis answers (retried with backoff, one line each).

    Raise Unreachable when it never does: Redis was asked for, so the process must not run
    on without it unnoticed.
    """
    slots = RedisSlots.from_url(url, fallback)
    try:
        await with_retries(slots.where, slots.ping, (RedisError, OSError), clock)
    except Unreachable:
        await slots.close()
        raise
    return slots

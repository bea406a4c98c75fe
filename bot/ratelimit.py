"""Command rate limiting: token buckets per user and per chat, on an injectable clock.

Only work is charged (a report built, a chart rendered); the command layer decides what is
work. A user's bucket keeps one person from hogging the renderer; a chat's keeps a busy
group from doing it together.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import RateLimitExceeded

DEFAULT_BURST = 10  # a new user's first ten renders are never refused
DEFAULT_PER_MINUTE = 20.0
CHAT_FACTOR = 2  # a chat's bucket holds this many users' worth


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allow ``burst`` units of work at once and ``per_minute`` sustained, per key."""

    def __init__(
        self,
        burst: int = DEFAULT_BURST,
        per_minute: float = DEFAULT_PER_MINUTE,
        *,
        chat_burst: int | None = None,
        chat_per_minute: float | None = None,
        clock: Clock = SYSTEM_CLOCK,
        max_keys: int = 100_000,
    ) -> None:
        if burst < 1 or per_minute <= 0:
            raise ValueError("burst must be at least 1 and per_minute positive")
        self.burst = burst
        self.rate_per_s = per_minute / 60.0
        self.chat_burst = chat_burst or burst * CHAT_FACTOR
        self.chat_rate_per_s = (chat_per_minute or per_minute * CHAT_FACTOR) / 60.0
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[Hashable, _Bucket] = {}

    def check(self, key: Hashable, cost: float = 1.0) -> None:
        """Take ``cost`` tokens from the key's bucket; raise RateLimitExceeded if it lacks them."""
        self._take([(key, self.burst, self.rate_per_s)], cost)

    def charge(self, user: Hashable, chat: Hashable, cost: float = 1.0) -> None:
        """Take ``cost`` from both the user's and the chat's bucket, or from neither."""
        self._take(
            [
                (("user", user), self.burst, self.rate_per_s),
                (("chat", chat), self.chat_burst, self.chat_rate_per_s),
            ],
            cost,
        )

    def _take(self, keys: list[tuple[Hashable, float, float]], cost: float) -> None:
        now = self._clock.monotonic()
        buckets = [(self._refilled(key, burst, rate, now), rate) for key, burst, rate in keys]
        wait_s = max((cost - b.tokens) / rate for b, rate in buckets)
        if wait_s > 0:
            raise RateLimitExceeded(wait_s)
        for bucket, _ in buckets:
            bucket.tokens -= cost

    def _refilled(self, key: Hashable, burst: float, rate_per_s: float, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(burst), now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate_per_s)
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely holds no state worth keeping.
        refill_s = max(self.burst / self.rate_per_s, self.chat_burst / self.chat_rate_per_s)
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill_s}

"""Per-user command rate limiting: a token bucket per user, on an injectable clock."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import RateLimitExceeded


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allow ``burst`` commands at once and ``per_minute`` sustained, per key (user)."""

    def __init__(
        self,
        burst: int = 5,
        per_minute: float = 12.0,
        *,
        clock: Clock = SYSTEM_CLOCK,
        max_keys: int = 100_000,
    ) -> None:
        if burst < 1 or per_minute <= 0:
            raise ValueError("burst must be at least 1 and per_minute positive")
        self.burst = burst
        self.rate_per_s = per_minute / 60.0
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[Hashable, _Bucket] = {}

    def check(self, key: Hashable, cost: float = 1.0) -> None:
        """Take ``cost`` tokens from the key's bucket; raise RateLimitExceeded if it lacks them."""
        now = self._clock.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate_per_s)
        bucket.updated = now
        if bucket.tokens < cost:
            raise RateLimitExceeded((cost - bucket.tokens) / self.rate_per_s)
        bucket.tokens -= cost

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely holds no state worth keeping.
        refill_s = self.burst / self.rate_per_s
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill_s}

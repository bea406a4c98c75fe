"""Per-user token buckets on a fake clock."""

from __future__ import annotations

import pytest

from bot.ratelimit import RateLimiter
from core.errors import RateLimitExceeded
from tests.fakeclock import FakeClock


def test_burst_then_refill_per_user() -> None:
    clock = FakeClock()
    limiter = RateLimiter(burst=3, per_minute=6, clock=clock)
    for _ in range(3):
        limiter.check("ann")
    with pytest.raises(RateLimitExceeded) as caught:
        limiter.check("ann")
    assert caught.value.retry_after_s == pytest.approx(10.0)
    limiter.check("bob")  # another user has a bucket of their own
    clock.advance(10.0)
    limiter.check("ann")
    with pytest.raises(RateLimitExceeded):
        limiter.check("ann")


def test_costly_commands_take_more_tokens() -> None:
    clock = FakeClock()
    limiter = RateLimiter(burst=3, per_minute=60, clock=clock)
    limiter.check("ann", 2.0)
    with pytest.raises(RateLimitExceeded):
        limiter.check("ann", 2.0)
    clock.advance(1.0)
    limiter.check("ann", 2.0)


def test_full_buckets_are_forgotten_when_many_users() -> None:
    clock = FakeClock()
    limiter = RateLimiter(burst=1, per_minute=60, clock=clock, max_keys=2)
    limiter.check(1)
    limiter.check(2)
    clock.advance(5.0)
    limiter.check(3)
    assert set(limiter._buckets) == {3}


def test_charge_takes_from_user_and_chat_or_from_neither() -> None:
    clock = FakeClock()
    limiter = RateLimiter(burst=2, per_minute=60, chat_burst=3, chat_per_minute=60, clock=clock)
    limiter.charge("ann", "group")
    limiter.charge("ann", "group")
    with pytest.raises(RateLimitExceeded):
        limiter.charge("ann", "group")  # ann is out; the group keeps its third token
    limiter.charge("bob", "group")
    with pytest.raises(RateLimitExceeded) as caught:
        limiter.charge("bob", "group")  # bob has one left, the group none
    assert caught.value.retry_after_s == pytest.approx(1.0)
    limiter.charge("bob", "dm")

"""The send pacer: even spacing, per-group windows, and 429s that hold back only their chat."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from bot.telegram.pacing import PacedRateLimiter
from tests.bot.telegram.fake_api import FakeBotApi

pytestmark = pytest.mark.asyncio

# asyncio may run a timer up to its clock resolution early.
EARLY_S = 0.002


class Endpoint:
    """A Bot API stand-in: records when each chat's request ran, answers queued 429s."""

    def __init__(self, retry_after: dict[object, int] | None = None) -> None:
        self.retry_after = dict(retry_after or {})
        self.calls: list[tuple[float, object]] = []

    async def send(self, limiter: PacedRateLimiter, chat_id: object | None) -> float:
        data = {} if chat_id is None else {"chat_id": chat_id}

        async def callback() -> dict:
            self.calls.append((time.monotonic(), chat_id))
            if self.retry_after.get(chat_id):
                raise RetryAfter(self.retry_after.pop(chat_id))
            return {"ok": True}

        await limiter.process_request(callback, (), {}, "sendMessage", data, None)
        return time.monotonic()

    def times(self, chat_id: object) -> list[float]:
        return [t for t, c in self.calls if c == chat_id]


async def test_sends_leave_one_interval_apart_without_a_burst() -> None:
    limiter = PacedRateLimiter(100, pace_fraction=1.0)
    endpoint = Endpoint()
    start = time.monotonic()
    await asyncio.gather(*(endpoint.send(limiter, 1000 + n) for n in range(30)))
    times = sorted(t for t, _ in endpoint.calls)
    for n, at in enumerate(times):
        assert at - start >= n * limiter.interval_s - EARLY_S, n
    assert times[-1] - start < 29 * limiter.interval_s + 0.2


async def test_requests_without_a_chat_are_not_paced() -> None:
    limiter = PacedRateLimiter(1, pace_fraction=1.0)
    endpoint = Endpoint()
    start = time.monotonic()
    await asyncio.gather(*(endpoint.send(limiter, None) for _ in range(5)))
    assert time.monotonic() - start < 0.5


async def test_a_retry_after_holds_back_only_its_own_chat() -> None:
    limiter = PacedRateLimiter(100, max_retries=2)
    endpoint = Endpoint(retry_after={1: 1})
    done = await asyncio.gather(*(endpoint.send(limiter, chat) for chat in (1, 2, 3, 4)))
    first, retried = endpoint.times(1)
    assert retried - first >= 1.0
    assert max(done[1:]) < first + 0.5  # the other chats did not wait for chat 1


async def test_retry_afters_from_several_chats_pause_everybody() -> None:
    limiter = PacedRateLimiter(100, max_retries=2, flood_chats=3)
    endpoint = Endpoint(retry_after={1: 1, 2: 1, 3: 1})
    start = time.monotonic()
    await asyncio.gather(*(endpoint.send(limiter, chat) for chat in (1, 2, 3)))
    late = await endpoint.send(limiter, 4)
    assert late - start >= 1.0


async def test_gives_up_after_max_retries() -> None:
    limiter = PacedRateLimiter(1000, max_retries=1)
    attempts = []

    async def always_429() -> dict:
        attempts.append(1)
        raise RetryAfter(0)

    with pytest.raises(RetryAfter):
        await limiter.process_request(always_429, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert len(attempts) == 2


async def test_a_group_waits_for_room_in_its_window_and_others_do_not() -> None:
    limiter = PacedRateLimiter(1000, group_max_rate=3, group_time_period=0.4)
    endpoint = Endpoint()
    group, private = -100123, 555
    start = time.monotonic()
    await asyncio.gather(
        *(endpoint.send(limiter, group) for _ in range(5)),
        *(endpoint.send(limiter, private) for _ in range(5)),
    )
    group_times = endpoint.times(group)
    for n in range(3, 5):
        assert group_times[n] - group_times[n - 3] >= 0.4 - EARLY_S
    assert max(endpoint.times(private)) - start < 0.2


@pytest.mark.parametrize(
    ("limiter", "clean"),
    [
        (lambda rate: PacedRateLimiter(rate), True),
        # PTB's leaky bucket releases a second's worth at once: a faithful server refuses.
        (lambda rate: AIORateLimiter(overall_max_rate=rate, max_retries=5), False),
    ],
    ids=["paced", "ptb-aiolimiter"],
)
async def test_a_server_counting_its_one_second_window_sees_no_flood(limiter, clean) -> None:
    rate, messages = 40, 100
    api = FakeBotApi(max_per_second=rate)
    await api.start()
    try:
        bot = ExtBot(api.token, base_url=api.base_url, rate_limiter=limiter(rate))
        async with bot:
            await asyncio.gather(*(bot.send_message(5000 + n, "hi") for n in range(messages)))
    finally:
        await api.stop()
    assert Counter(s.chat_id for s in api.sent) == {5000 + n: 1 for n in range(messages)}
    assert (api.too_many_answers == 0) is clean

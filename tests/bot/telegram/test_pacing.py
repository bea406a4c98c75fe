"""The send pacer on a fake clock: exact spacing, per-group windows, 429s that hold back a chat.

Every request runs in its own task under ``FakeClock.gather``, so each event happens at the
virtual time the limiter chose; schedules are compared at nanosecond resolution (floats).
"""

from __future__ import annotations

from collections import Counter

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.budgets import MemorySlots
from bot.telegram.pacing import RETRY_MARGIN_S, PacedRateLimiter, Priority, SharedBudget
from tests.bot.telegram.fake_api import FakeBotApi
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

# 64 sends a second: one interval is 1/64 s, exact in binary floating point.
RATE = 64
INTERVAL_S = 1 / RATE


def _ns(times: list[float]) -> list[float]:
    return [round(t, 9) for t in times]


class Endpoint:
    """A Bot API stand-in: records when (virtual time) each chat's request ran, answers 429s."""

    def __init__(self, clock: FakeClock, retry_after: dict[object, int] | None = None) -> None:
        self.clock = clock
        self.retry_after = dict(retry_after or {})
        self.calls: list[tuple[float, object]] = []

    async def send(
        self,
        limiter: PacedRateLimiter,
        chat_id: object | None,
        priority: Priority | None = None,
        *,
        after_s: float = 0.0,
    ) -> float:
        """Send through the limiter (``after_s`` from now); return when the request finished."""
        if after_s:
            await self.clock.sleep(after_s)
        data = {} if chat_id is None else {"chat_id": chat_id}

        async def callback() -> dict:
            self.calls.append((self.clock.monotonic(), chat_id))
            if self.retry_after.get(chat_id):
                raise RetryAfter(self.retry_after.pop(chat_id))
            return {"ok": True}

        await limiter.process_request(callback, (), {}, "sendMessage", data, priority)
        return self.clock.monotonic()

    def order(self) -> list[object]:
        """Return the chats in the order their requests ran."""
        return [chat for _, chat in self.calls]

    def times(self, chat_id: object) -> list[float]:
        """Return the virtual times of one chat's requests, retries included."""
        return _ns([t for t, c in self.calls if c == chat_id])


def _limiter(clock: FakeClock, **kwargs: object) -> PacedRateLimiter:
    return PacedRateLimiter(RATE, pace_fraction=1.0, clock=clock, **kwargs)  # type: ignore[arg-type]


async def test_sends_leave_one_interval_apart_in_the_order_asked() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = _limiter(clock)
    await clock.gather(*(endpoint.send(limiter, 1000 + n) for n in range(30)))
    assert endpoint.calls == [(n * INTERVAL_S, 1000 + n) for n in range(30)]


async def test_requests_without_a_chat_are_not_paced() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = PacedRateLimiter(1, pace_fraction=1.0, clock=clock)
    assert await clock.gather(*(endpoint.send(limiter, None) for _ in range(5))) == [0.0] * 5


async def test_a_retry_after_holds_back_only_its_own_chat() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock, retry_after={1: 1})
    limiter = _limiter(clock, max_retries=2)
    done = await clock.gather(*(endpoint.send(limiter, chat) for chat in (1, 2, 3, 4)))
    # Chat 1 waits what it was told plus the margin; the others keep their slots.
    assert endpoint.times(1) == _ns([0.0, 1 + RETRY_MARGIN_S])
    assert done[1:] == [INTERVAL_S, 2 * INTERVAL_S, 3 * INTERVAL_S]


async def test_retry_afters_from_several_chats_pause_everybody() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock, retry_after={1: 1, 2: 1, 3: 1})
    limiter = _limiter(clock, max_retries=2, flood_chats=3)
    await clock.gather(*(endpoint.send(limiter, chat) for chat in (1, 2, 3, 4)))
    # The third chat's 429 (at two intervals) pauses everybody for its wait: chat 4, whose
    # slot fell inside the pause, goes first when it ends, then the retries in turn.
    pause_end = 2 * INTERVAL_S + 1 + RETRY_MARGIN_S
    assert [c for _, c in endpoint.calls] == [1, 2, 3, 4, 1, 2, 3]
    assert _ns([t for t, _ in endpoint.calls]) == _ns(
        [0.0, INTERVAL_S, 2 * INTERVAL_S, *(pause_end + n * INTERVAL_S for n in range(4))]
    )


async def test_gives_up_after_max_retries() -> None:
    clock = FakeClock()
    limiter = PacedRateLimiter(1000, max_retries=1, clock=clock)
    attempts: list[float] = []

    async def always_429() -> dict:
        attempts.append(clock.monotonic())
        raise RetryAfter(0)

    with pytest.raises(RetryAfter):
        await clock.run(
            limiter.process_request(always_429, (), {}, "sendMessage", {"chat_id": 1}, None)
        )
    assert _ns(attempts) == _ns([0.0, RETRY_MARGIN_S])


async def test_a_group_waits_for_room_in_its_window_and_others_do_not() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = _limiter(clock, group_max_rate=3, group_time_period=0.5)
    group, private = -100123, 555
    await clock.gather(
        *(endpoint.send(limiter, group) for _ in range(5)),
        *(endpoint.send(limiter, private) for _ in range(5)),
    )
    # Three group sends fill its window; the fourth and fifth wait until the first and second
    # leave it, exactly. The private chat's sends take the next slots meanwhile.
    assert endpoint.times(group) == [0.0, INTERVAL_S, 2 * INTERVAL_S, 0.5, 0.5 + INTERVAL_S]
    assert endpoint.times(private) == [n * INTERVAL_S for n in range(3, 8)]


@pytest.mark.parametrize(
    ("client_rate", "pace_fraction", "clean"),
    [
        (40, 0.98, True),
        # The server's window is real: pacing at 41 a second puts 41 sends in one second.
        (41, 1.0, False),
    ],
    ids=["paced", "paced-above-the-limit"],
)
async def test_a_server_counting_its_one_second_window(client_rate, pace_fraction, clean) -> None:
    # The server stamps each send with the clock the limiter paces by; time moves only when
    # every send is waiting for its slot, so the server sees exactly the limiter's schedule.
    rate, messages = 40, 100
    clock = FakeClock()
    api = FakeBotApi(max_per_second=rate, clock=clock)
    limiter = PacedRateLimiter(client_rate, pace_fraction=pace_fraction, clock=clock)
    await api.start()
    try:
        async with ExtBot(api.token, base_url=api.base_url, rate_limiter=limiter) as bot:
            await clock.gather(*(bot.send_message(5000 + n, "hi") for n in range(messages)))
    finally:
        await api.stop()
    assert Counter(s.chat_id for s in api.sent) == {5000 + n: 1 for n in range(messages)}
    assert (api.too_many_answers == 0) is clean


async def test_a_reply_takes_the_next_slot_ahead_of_queued_broadcasts() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = _limiter(clock)
    digests = [endpoint.send(limiter, 1000 + n, Priority.BROADCAST) for n in range(8)]
    reply = endpoint.send(limiter, 7, Priority.REPLY, after_s=2.5 * INTERVAL_S)
    await clock.gather(*digests, reply)
    # Asked between the third and fourth digest, the reply leaves at the next slot; the
    # digests keep their order and lose one slot, and the spacing never shrinks.
    assert endpoint.order() == [1000, 1001, 1002, 7, *(1000 + n for n in range(3, 8))]
    assert _ns([t for t, _ in endpoint.calls]) == _ns([n * INTERVAL_S for n in range(9)])


async def test_the_line_is_by_priority_then_by_asking_order() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = _limiter(clock)
    asks = [
        (1, Priority.BROADCAST),
        (2, Priority.FOLLOW_UP),
        (3, Priority.REPLY),
        (4, Priority.BROADCAST),
        (5, None),  # no priority named: a follow-up
        (6, Priority.REPLY),
    ]
    await clock.gather(*(endpoint.send(limiter, chat, priority) for chat, priority in asks))
    # The first ask finds the line empty and goes at once; then replies, follow-ups, digests.
    assert endpoint.order() == [1, 3, 6, 2, 5, 4]


async def test_a_reply_to_a_full_group_still_waits_for_its_window() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    limiter = _limiter(clock, group_max_rate=2, group_time_period=0.5)
    group = -100777
    await clock.gather(
        *(endpoint.send(limiter, group, Priority.BROADCAST) for _ in range(2)),
        *(endpoint.send(limiter, 2000 + n, Priority.BROADCAST) for n in range(3)),
        endpoint.send(limiter, group, Priority.REPLY, after_s=INTERVAL_S / 2),
    )
    # The group's window holds two sends: its reply jumps no window, only the line, once
    # the first send has left the window; the other chats' digests go meanwhile.
    assert endpoint.times(group) == [0.0, INTERVAL_S, 0.5]
    assert endpoint.order() == [group, group, 2000, 2001, 2002, group]


async def test_a_shared_budget_keeps_one_rate_and_each_instance_its_own_line() -> None:
    clock = FakeClock()
    endpoint = Endpoint(clock)
    budget = SharedBudget(MemorySlots(), "test:lines")
    first, second = (_limiter(clock, budget=budget) for _ in range(2))
    await clock.gather(
        *(endpoint.send(first, 1000 + n, Priority.BROADCAST) for n in range(4)),
        *(endpoint.send(second, 2000 + n, Priority.BROADCAST) for n in range(4)),
        endpoint.send(first, 7, Priority.REPLY, after_s=INTERVAL_S / 2),
    )
    # Two instances share one rate: every send one interval after the last, whoever sent it;
    # the reply on the first instance goes before that instance's queued digests, except the
    # one whose budget slot was already taken (a round trip ahead, so none delays the sends).
    times = [t for t, _ in endpoint.calls]
    assert _ns(times) == _ns([n * INTERVAL_S for n in range(9)])
    mine = [chat for chat in endpoint.order() if chat == 7 or 1000 <= chat < 2000]
    assert mine == [1000, 1001, 7, 1002, 1003]

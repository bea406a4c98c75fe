"""Discord delivery stops as Telegram's does: what is in flight finishes within the bound,
the rest is released, and the next worker resumes at the first part a channel has not had."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.delivery import Broadcaster
from bot.delivery.broadcaster import STOP_TIMEOUT_S
from bot.store import DeliveryStatus
from core.clock import SYSTEM_CLOCK, Clock
from tests.bot.gated_sender import GatedSender

pytestmark = pytest.mark.asyncio

CHANNELS = ["1610000000000000001", "1610000000000000002", "1610000000000000003"]


async def _due(bot) -> int:
    """Subscribe the channels before their 08:00 slot, move past it; return parts per digest."""
    for channel in CHANNELS:
        await bot.store.subscribe("discord", channel, "08:00", "Asia/Hong_Kong", ("us", "hk"))
    bot.clock.advance(timedelta(hours=1, minutes=1))
    return len(await bot.reports.parts("discord", ("us", "hk"), zone="Asia/Hong_Kong"))


def _stopping(bot, sender: GatedSender, clock: Clock = SYSTEM_CLOCK) -> Broadcaster:
    # One channel at a time, so the others are still waiting when the stop comes. The stop's
    # bound runs on ``clock``: the real one lets a part in flight finish (the test opens its
    # gate at once); the test's fake clock, never driven, reaches the bound at the first wait.
    return Broadcaster(
        bot.store,
        bot.reports,
        {"discord": sender},
        worker_id="stopping-worker",
        concurrency=1,
        clock=clock,
    )


def _per_channel(bot) -> Counter[str]:
    return Counter(m.channel_id for m in bot.api.messages)


async def test_stopping_lets_the_message_in_flight_finish_and_releases_the_rest(bot) -> None:
    parts = await _due(bot)
    sender = GatedSender(bot.client.sender, hold=1)
    first = _stopping(bot, sender)
    tick = asyncio.create_task(first.tick())
    await asyncio.wait_for(sender.holding.wait(), 30)  # bounds a hang only
    stopping = asyncio.create_task(first.stop())
    await asyncio.sleep(0)
    sender.gate.set()  # the message in flight reaches Discord
    assert await asyncio.wait_for(stopping, 30) == 0  # nothing claimed was left unfinished
    assert (await asyncio.wait_for(tick, 30))["sent"] == 1
    day = bot.clock.now.date()
    (done,) = [c for c in CHANNELS if await bot.store.delivery("discord", c, day) is not None]
    row = await bot.store.delivery("discord", done, day)
    assert (row.status, row.parts_sent) == (DeliveryStatus.SENT, parts)

    # Another instance delivers the two channels never claimed, and not the first again.
    assert (await bot.broadcaster("next-worker").tick())["sent"] == 2
    assert _per_channel(bot) == dict.fromkeys(CHANNELS, parts)


async def test_a_message_stuck_past_the_bound_is_given_up_and_resumed_elsewhere(bot) -> None:
    parts = await _due(bot)
    sender = GatedSender(bot.client.sender, hold=1)  # its gate never opens: a hung upload
    first = _stopping(bot, sender, bot.clock)
    tick = asyncio.create_task(first.tick())
    await asyncio.wait_for(sender.holding.wait(), 30)  # bounds a hang only
    assert await asyncio.wait_for(first.stop(), 30) == 1  # the stuck channel's claim
    assert STOP_TIMEOUT_S in bot.clock.waits  # it waited the bound on the clock, no longer
    assert (await asyncio.wait_for(tick, 30))["sent"] == 0  # the tick ends, not cancelled
    day = bot.clock.now.date()
    rows = [await bot.store.delivery("discord", c, day) for c in CHANNELS]
    released = [r for r in rows if r is not None]
    assert [(r.status, r.parts_sent) for r in released] == [(DeliveryStatus.RELEASED, 0)]

    # The next worker takes the released channel at once (no lease to wait out) from its
    # first unsent part, and the two never claimed.
    assert (await bot.broadcaster("next-worker").tick())["sent"] == len(CHANNELS)
    assert _per_channel(bot) == dict.fromkeys(CHANNELS, parts)

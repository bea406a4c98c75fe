"""Discord delivery stops as Telegram's does: what is in flight finishes within the bound,
the rest is released, and the next worker resumes at the first part a channel has not had."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.delivery import Broadcaster
from bot.delivery.broadcaster import STOP_TIMEOUT_S
from bot.delivery.in_flight import before_request
from bot.discord.sender import DiscordSender
from bot.store import DEFAULT_LEASE, DeliveryStatus
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


class _DiesOnTheWire:
    """A sender whose worker dies after marking its first part in flight, before the write."""

    resend_window = DiscordSender.resend_window

    def __init__(self) -> None:
        self.marked = asyncio.Event()

    async def send_part(self, chat_id, part, **menu) -> None:
        """Mark the part in flight, then hang until cancelled (kill -9)."""
        await before_request()
        self.marked.set()
        await asyncio.Event().wait()


async def _die_in_flight(bot, *, on_the_wire: bool) -> str:
    """Run a worker until its first message is in flight, then kill it; return the channel.

    With ``on_the_wire`` the message reached Discord and only its answer is lost; without,
    the worker died between marking the part and writing its request.
    """
    sender = bot.client.sender if on_the_wire else _DiesOnTheWire()
    dead = Broadcaster(
        bot.store, bot.reports, {"discord": sender}, worker_id="dead-worker", concurrency=1
    )
    if on_the_wire:
        bot.api.hold_answers()
    tick = asyncio.create_task(dead.tick())
    if on_the_wire:
        await bot.api.wait_for(lambda: len(bot.api.messages) == 1)
    else:
        await asyncio.wait_for(sender.marked.wait(), 30)  # bounds a hang only
    tick.cancel()
    with pytest.raises(asyncio.CancelledError):
        await tick
    bot.api.release_answers()
    day = bot.clock.now.date()
    (row,) = [r for c in CHANNELS if (r := await bot.store.delivery("discord", c, day))]
    assert (row.parts_sent, row.part_in_flight) == (0, 0)
    return row.chat_id


@pytest.mark.parametrize("on_the_wire", [True, False], ids=["arrived", "never-written"])
async def test_a_message_a_dead_worker_left_in_flight_is_resent_under_its_nonce(
    bot, on_the_wire
) -> None:
    parts = await _due(bot)
    channel = await _die_in_flight(bot, on_the_wire=on_the_wire)
    bot.clock.advance(DEFAULT_LEASE + timedelta(seconds=1))  # the dead worker's claim lapses
    assert (await bot.broadcaster("next-worker").tick())["sent"] == len(CHANNELS)
    # Each channel has its digest once: Discord answered the resend with the message it had
    # (arrived), or the resend was the first to reach it (never written). Nothing is lost.
    assert _per_channel(bot) == dict.fromkeys(CHANNELS, parts)
    assert bot.api.nonce_repeats == (1 if on_the_wire else 0)
    row = await bot.store.delivery("discord", channel, bot.clock.now.date())
    assert row.status is DeliveryStatus.SENT
    assert row.error == "part 1 resent under its idempotency key (no answer was recorded)"


async def test_a_mark_older_than_the_nonce_window_is_not_resent(bot) -> None:
    parts = await _due(bot)
    channel = await _die_in_flight(bot, on_the_wire=True)
    bot.clock.advance(timedelta(minutes=3))  # past the window Discord remembers a nonce for
    assert (await bot.broadcaster("next-worker").tick())["sent"] == len(CHANNELS)
    assert _per_channel(bot) == dict.fromkeys(CHANNELS, parts)
    assert bot.api.nonce_repeats == 0
    row = await bot.store.delivery("discord", channel, bot.clock.now.date())
    assert "part 1 not resent" in row.error

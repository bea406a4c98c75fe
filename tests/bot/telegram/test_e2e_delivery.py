"""Delivery part by part on the fake Bot API: resume, refused photos, moved chats, stopping."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from datetime import timedelta

import pytest

from bot.store import DEFAULT_LEASE, DeliveryStatus
from bot.telegram.app import bot_context, stop_application
from bot.telegram.pacing import PacedRateLimiter
from renderers.parts import MediaGroupPart, PhotoPart, TextPart
from tests.bot.gated_sender import GatedSender
from tests.bot.telegram.conftest import START, open_bot
from tests.bot.telegram.fake_api import part_key, server_error, too_many
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

AFTER_SLOT = START + timedelta(hours=1, minutes=1)  # 08:01 in Hong Kong on the 21st
DAY = AFTER_SLOT.date()


async def _subscribe(bot, *chats: int, sections: tuple[str, ...] = ()) -> None:
    """Subscribe the chats before their 08:00 slot, then move the clock past it."""
    for chat in chats:
        await bot.store.subscribe("telegram", chat, "08:00", "Asia/Hong_Kong", sections)
    bot.clock.now = AFTER_SLOT


def _sends_per_chat(api) -> Counter[int]:
    return Counter(s.chat_id for s in api.sent)


async def test_a_failed_part_is_retried_alone_and_earlier_parts_are_not_resent(bot) -> None:
    await _subscribe(bot, 6001, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    assert len(parts) >= 3
    bot.api.fail_at(6001, 3, server_error())
    broadcaster = bot.broadcaster()

    assert (await broadcaster.tick())["failed"] == 1
    row = await bot.store.delivery("telegram", 6001, DAY)
    assert (row.status, row.parts_sent) == (DeliveryStatus.FAILED, 2)
    assert len(bot.api.sent_to(6001)) == 2

    bot.clock.advance(broadcaster.retry_after)
    retry = await broadcaster.tick()
    assert retry["sent"] == 1
    assert len(bot.api.sent_to(6001)) == len(parts)
    texts = [s.text for s in bot.api.sent_to(6001) if s.text is not None]
    assert len(texts) == len(set(texts))  # no text went twice
    row = await bot.store.delivery("telegram", 6001, DAY)
    assert (row.status, row.parts_sent) == (DeliveryStatus.SENT, len(parts))


async def test_a_chat_refusing_photos_gets_their_captions_as_text_once(bot) -> None:
    await _subscribe(bot, -100700, sections=("us",))
    bot.api.refuse_photos(-100700)
    parts = await bot.reports.parts("telegram", ("us",))
    with_photos = [p for p in parts if isinstance(p, PhotoPart | MediaGroupPart)]
    assert with_photos
    broadcaster = bot.broadcaster()

    assert (await broadcaster.tick())["sent"] == 1
    sent = bot.api.sent_to(-100700)
    assert [s.method for s in sent] == ["sendMessage"] * len(parts)
    texts = [p.text for p in parts if isinstance(p, TextPart)]
    assert [s.text for s in sent if s.text in texts] == texts
    # Each photo part was tried once, refused, and replaced by its caption.
    assert len([r for r in bot.api.rejected if r[1] == -100700]) == len(with_photos)
    row = await bot.store.delivery("telegram", -100700, DAY)
    assert row.status is DeliveryStatus.SENT and "sent as text" in row.error

    for minutes in (5, 30, 180):
        bot.clock.advance(timedelta(minutes=minutes))
        assert (await broadcaster.tick())["sent"] == 0
    assert len(bot.api.sent_to(-100700)) == len(parts)


async def test_a_group_moved_to_an_id_already_subscribed_gets_one_digest(bot) -> None:
    old, new = -4005, -1004005
    await _subscribe(bot, old, new)
    bot.api.migrate(old, new)
    broadcaster = bot.broadcaster(concurrency=1)

    result = await broadcaster.tick()
    assert (result["sent"], result["migrated"]) == (1, 1)
    parts = await bot.reports.parts("telegram")
    assert _sends_per_chat(bot.api) == {new: len(parts)}
    assert (await bot.store.delivery("telegram", old, DAY)).status is DeliveryStatus.SKIPPED
    assert (await bot.store.delivery("telegram", new, DAY)).status is DeliveryStatus.SENT
    assert await bot.store.subscription("telegram", old) is None
    bot.clock.advance(timedelta(minutes=30))
    assert (await broadcaster.tick())["sent"] == 0
    assert _sends_per_chat(bot.api) == {new: len(parts)}


async def _gated_tick(bot, worker_id: str, hold: int):
    """Start a tick whose ``hold``-th part waits at the gate; return once it waits there."""
    sender = GatedSender(bot_context(bot.app).sender, hold=hold)
    broadcaster = bot.broadcaster(worker_id)
    broadcaster.senders["telegram"] = sender
    task = asyncio.create_task(broadcaster.tick())
    await asyncio.wait_for(sender.holding.wait(), 30)  # bounds a hang only
    return broadcaster, sender, task


async def test_stopping_finishes_parts_in_flight_and_releases_the_rest(bot) -> None:
    chats = [6101, 6102, 6103]
    await _subscribe(bot, *chats, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    assert len(parts) >= 2
    first = bot.broadcaster("stopping-worker", concurrency=1)
    sender = GatedSender(bot_context(bot.app).sender, hold=2)
    first.senders["telegram"] = sender
    tick = asyncio.create_task(first.tick())
    await asyncio.wait_for(sender.holding.wait(), 30)  # bounds a hang only
    stopping = asyncio.create_task(first.stop())
    await asyncio.sleep(0)
    sender.gate.set()  # the part in flight completes
    assert await asyncio.wait_for(stopping, 30) == 0
    result = await asyncio.wait_for(tick, 30)
    assert result["released"] == 1 and result["sent"] == 0
    row = await bot.store.delivery("telegram", 6101, DAY)
    assert (row.status, row.parts_sent) == (DeliveryStatus.RELEASED, 2)
    assert await bot.store.delivery("telegram", 6102, DAY) is None  # never claimed

    # Another instance continues at once, at the first part 6101 has not received.
    second = await bot.broadcaster("next-worker").tick()
    assert second["sent"] == len(chats)
    assert _sends_per_chat(bot.api) == dict.fromkeys(chats, len(parts))


async def test_a_dead_workers_claim_is_taken_over_after_the_short_lease(bot) -> None:
    await _subscribe(bot, 6201, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    *_, task = await _gated_tick(bot, "dead-worker", hold=2)
    task.cancel()  # kill -9: nothing released
    with pytest.raises(asyncio.CancelledError):
        await task
    row = await bot.store.delivery("telegram", 6201, DAY)
    assert (row.status, row.parts_sent) == (DeliveryStatus.CLAIMED, 1)

    other = bot.broadcaster("other-worker")
    assert (await other.tick())["claimed_elsewhere"] == 0  # not due: lease is live
    bot.clock.advance(DEFAULT_LEASE + timedelta(seconds=1))
    assert timedelta(minutes=1) >= DEFAULT_LEASE
    assert (await other.tick())["sent"] == 1
    assert _sends_per_chat(bot.api) == {6201: len(parts)}


async def test_a_heartbeat_keeps_a_slow_claim_from_being_taken(bot) -> None:
    await _subscribe(bot, 6301, sections=("us",))
    slow, sender, task = await _gated_tick(bot, "slow-worker", hold=1)
    for _ in range(3):
        bot.clock.advance(DEFAULT_LEASE / 2)
        assert await slow.heartbeat() == 1
    other = bot.broadcaster("other-worker")
    assert (await other.tick())["sent"] == 0
    sender.gate.set()
    assert (await asyncio.wait_for(task, 30))["sent"] == 1


async def test_a_part_a_dead_worker_left_in_flight_is_not_resent(bot) -> None:
    await _subscribe(bot, 6401, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    bot.api.hold_at = 1  # the second part reaches the fake and waits there, unanswered
    dead = bot.broadcaster("dead-worker")
    task = asyncio.create_task(dead.tick())
    await bot.api.wait_for(lambda: bot.api.held_alive() == 1, timeout=30)
    task.cancel()  # kill -9 while the request is out
    with pytest.raises(asyncio.CancelledError):
        await task
    await bot.api.wait_for(lambda: bot.api.held_alive() == 0, timeout=30)
    bot.api.release()
    # The request had reached Telegram: it is carried out though its sender is gone.
    await bot.api.wait_for(lambda: len(bot.api.unanswered) == 1, timeout=30)
    row = await bot.store.delivery("telegram", 6401, DAY)
    assert (row.status, row.parts_sent, row.part_in_flight) == (DeliveryStatus.CLAIMED, 1, 1)

    bot.clock.advance(DEFAULT_LEASE + timedelta(seconds=1))
    assert (await bot.broadcaster("other-worker").tick())["sent"] == 1
    # The chat has every part once: the one on the wire when its worker died is not resent.
    assert [s.part_key for s in bot.api.sent_to(6401)] == [part_key(p) for p in parts]
    row = await bot.store.delivery("telegram", 6401, DAY)
    assert row.status is DeliveryStatus.SENT and "part 2 not resent" in row.error


async def test_a_worker_whose_claim_was_taken_over_sends_nothing_more(bot) -> None:
    await _subscribe(bot, 6501, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    _, sender, task = await _gated_tick(bot, "slow-worker", hold=2)
    bot.clock.advance(DEFAULT_LEASE + timedelta(seconds=1))  # no heartbeat: the lease lapses
    assert (await bot.broadcaster("other-worker").tick())["sent"] == 1
    sender.gate.set()
    assert (await asyncio.wait_for(task, 30))["claim_lost"] == 1
    assert _sends_per_chat(bot.api) == {6501: len(parts)}


async def test_the_next_page_starts_while_a_chat_is_still_sending(bot, monkeypatch) -> None:
    await _subscribe(bot, 6601, 6602, sections=("us",))
    parts = await bot.reports.parts("telegram", ("us",))
    pages_of_one = functools.partial(bot.store.due_pages, page_size=1)
    monkeypatch.setattr(bot.store, "due_pages", pages_of_one)
    _, sender, task = await _gated_tick(bot, "worker-1", hold=1)  # 6601's first part waits
    # 6602 is on the next page, and a free slot takes it: it need not wait for 6601.
    await bot.api.wait_for(lambda: len(bot.api.sent_to(6602)) == len(parts), timeout=30)
    assert bot.api.sent_to(6601) == []
    sender.gate.set()
    assert (await asyncio.wait_for(task, 30))["sent"] == 2


class RetryWatch(FakeClock):
    """The pacer's clock: at each wait of a second or more (a 429's retry wait) runs ``during``."""

    def __init__(self, during) -> None:
        super().__init__()
        self.during = during

    async def sleep(self, seconds: float) -> None:
        """Run ``during`` first if this is a retry wait, then wait in virtual time."""
        if seconds >= 1:
            await self.during()
        await super().sleep(seconds)


async def test_a_part_refused_with_429_is_not_in_flight_while_its_retry_waits(api, db_url) -> None:
    during_wait = []

    async def look_then_hold_the_retry() -> None:
        during_wait.append(await bot.store.delivery("telegram", 6701, DAY))
        api.hold()  # the retry will wait on the wire, unanswered

    limiter = PacedRateLimiter(
        1000, group_max_rate=1000, group_time_period=1, clock=RetryWatch(look_then_hold_the_retry)
    )
    bot = await open_bot(api, db_url, FakeClock(START), rate_limiter=limiter)
    try:
        await _subscribe(bot, 6701, sections=("us",))
        parts = await bot.reports.parts("telegram", ("us",))
        api.fail_at(6701, 2, too_many(1))  # the second part's first try gets a 429
        task = asyncio.create_task(bot.broadcaster().tick())
        await api.wait_for(lambda: api.held_alive() == 1, timeout=30)
        # A kill -9 during the wait would leave no part in flight: the next worker resends it.
        assert [(r.parts_sent, r.part_in_flight) for r in during_wait] == [(1, None)]
        row = await bot.store.delivery("telegram", 6701, DAY)
        assert (row.parts_sent, row.part_in_flight) == (1, 1)  # the retry on the wire is marked
        api.release()
        assert (await asyncio.wait_for(task, 30))["sent"] == 1
        texts = api.texts_to(6701)
        assert len(api.sent_to(6701)) == len(parts) and len(texts) == len(set(texts))
    finally:
        await stop_application(bot.app)
        await bot.store.close()

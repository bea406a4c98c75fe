"""Delivery log: exactly-once claims under concurrency, leases, retries and final states."""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest

import core.db
from bot.store import AsyncStore, DeliveryStatus, default_worker_id

# ``clock`` is conftest's FakeClock; ``database`` opens extra engines on the same tables.
DAY = date(2026, 3, 20)
SECOND = timedelta(seconds=1)
WORKERS = 12
CHATS = 25

Claim = Callable[[AsyncStore, str, str], Awaitable[bool]]


async def _race(stores: list[AsyncStore], claim: Claim) -> list[tuple[str, str]]:
    """Let every store's worker claim every chat at once; return the (chat, worker) wins."""
    barrier = asyncio.Barrier(len(stores))

    async def work(index: int) -> list[tuple[str, str]]:
        worker = f"worker-{index}"
        chats = [f"chat-{n}" for n in range(CHATS)]
        random.Random(index).shuffle(chats)
        await barrier.wait()
        return [(chat, worker) for chat in chats if await claim(stores[index], chat, worker)]

    results = await asyncio.gather(*(work(index) for index in range(len(stores))))
    return [win for wins in results for win in wins]


async def _assert_each_chat_won_once(store: AsyncStore, wins: list[tuple[str, str]]) -> None:
    per_chat = Counter(chat for chat, _ in wins)
    assert sorted(per_chat) == sorted(f"chat-{n}" for n in range(CHATS))
    assert set(per_chat.values()) == {1}
    for chat, worker in wins:
        row = await store.delivery("telegram", chat, DAY)
        assert row is not None and row.worker_id == worker and row.status == "claimed"


async def _fresh_claim(store: AsyncStore, chat: str, worker: str) -> bool:
    return await store.claim("telegram", chat, DAY, worker)


@pytest.mark.asyncio
async def test_tasks_sharing_one_store_claim_each_row_once(store: AsyncStore) -> None:
    wins = await _race([store] * WORKERS, _fresh_claim)
    await _assert_each_chat_won_once(store, wins)


@pytest.mark.asyncio
async def test_separate_engines_claim_each_row_once(database, store: AsyncStore) -> None:
    # One engine (own connection pool) per worker stands in for separate processes.
    stores = [await database.store() for _ in range(WORKERS)]
    wins = await _race(stores, _fresh_claim)
    await _assert_each_chat_won_once(store, wins)


@pytest.mark.asyncio
async def test_claim_without_on_conflict_support_is_still_exactly_once(
    database, store: AsyncStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other dialects fall back to a plain INSERT whose unique violation loses the race.
    monkeypatch.setattr(core.db, "_CONFLICT_INSERTS", {})
    stores = [await database.store() for _ in range(WORKERS)]
    wins = await _race(stores, _fresh_claim)
    await _assert_each_chat_won_once(store, wins)


@pytest.mark.asyncio
async def test_racing_reclaims_of_stale_claims_yield_one_winner(
    database, store: AsyncStore, clock
) -> None:
    for n in range(CHATS):
        assert await store.claim("telegram", f"chat-{n}", DAY, "crashed")
    clock.advance(store.lease + SECOND)
    stores = [await database.store(clock=clock) for _ in range(WORKERS)]
    wins = await _race(stores, _fresh_claim)
    await _assert_each_chat_won_once(store, wins)
    assert {(await store.delivery("telegram", c, DAY)).attempts for c, _ in wins} == {2}


@pytest.mark.asyncio
async def test_second_claim_is_refused_even_for_the_same_worker(store: AsyncStore) -> None:
    assert await store.claim("telegram", 1, DAY, "w1") is True
    assert await store.claim("telegram", 1, DAY, "w2") is False
    assert await store.claim("telegram", 1, DAY, "w1") is False
    assert await store.claim("telegram", 1, DAY + timedelta(days=1), "w2") is True
    assert await store.claim("discord", 1, DAY, "w2") is True


@pytest.mark.asyncio
async def test_stale_claim_is_reclaimed_only_after_the_lease(store: AsyncStore, clock) -> None:
    assert await store.claim("telegram", 1, DAY, "crashed")
    claimed_at = clock.now
    clock.advance(store.lease)
    assert await store.claim("telegram", 1, DAY, "rescuer") is False
    clock.advance(SECOND)
    assert await store.claim("telegram", 1, DAY, "rescuer") is True
    row = await store.delivery("telegram", 1, DAY)
    assert row is not None
    assert (row.worker_id, row.attempts, row.status) == ("rescuer", 2, DeliveryStatus.CLAIMED)
    assert row.claimed_at == claimed_at + store.lease + SECOND
    # The crashed worker, back from the dead, no longer holds the claim.
    assert await store.mark_sent("telegram", 1, DAY, "crashed") is False
    assert await store.mark_sent("telegram", 1, DAY, "rescuer") is True


@pytest.mark.asyncio
async def test_sent_rows_are_never_claimed_again(store: AsyncStore, clock) -> None:
    assert await store.claim("telegram", 1, DAY, "w1")
    clock.advance(timedelta(minutes=1))
    assert await store.mark_sent("telegram", 1, DAY, "w1")
    row = await store.delivery("telegram", 1, DAY)
    assert row is not None and row.status == "sent" and row.finished_at == clock.now
    clock.advance(timedelta(days=30))
    assert await store.claim("telegram", 1, DAY, "w2") is False
    assert await store.mark_sent("telegram", 1, DAY, "w1") is False
    assert await store.mark_failed("telegram", 1, DAY, "w1", "late error") is False
    assert await store.delivery("telegram", 1, DAY) == row


@pytest.mark.asyncio
async def test_failed_without_retry_is_final(store: AsyncStore, clock) -> None:
    assert await store.claim("telegram", 1, DAY, "w1")
    assert await store.mark_failed("telegram", 1, DAY, "w1", "400 Bad Request: chat not found")
    clock.advance(timedelta(days=1))
    assert await store.claim("telegram", 1, DAY, "w2") is False
    row = await store.delivery("telegram", 1, DAY)
    assert row is not None and row.status == "failed" and row.retry_at is None
    assert row.error == "400 Bad Request: chat not found"


@pytest.mark.asyncio
async def test_failed_with_retry_is_claimable_from_retry_at(store: AsyncStore, clock) -> None:
    assert await store.claim("telegram", 1, DAY, "w1")
    assert await store.mark_failed(
        "telegram", 1, DAY, "w1", "x" * 5000, retry_after=timedelta(minutes=3)
    )
    row = await store.delivery("telegram", 1, DAY)
    assert row is not None and row.retry_at == clock.now + timedelta(minutes=3)
    assert row.error is not None and 0 < len(row.error) < 5000
    clock.advance(timedelta(minutes=3) - SECOND)
    assert await store.claim("telegram", 1, DAY, "w2") is False
    clock.advance(SECOND)
    assert await store.claim("telegram", 1, DAY, "w2") is True
    row = await store.delivery("telegram", 1, DAY)
    assert row is not None
    assert (row.status, row.worker_id, row.attempts, row.error, row.retry_at) == (
        DeliveryStatus.CLAIMED,
        "w2",
        2,
        None,
        None,
    )


@pytest.mark.asyncio
async def test_only_the_holder_can_finish_a_claim(store: AsyncStore) -> None:
    assert await store.mark_sent("telegram", 1, DAY, "w1") is False  # nothing claimed yet
    assert await store.claim("telegram", 1, DAY, "w1")
    assert await store.mark_failed("telegram", 1, DAY, "w2", "not mine") is False
    assert await store.mark_sent("telegram", 1, DAY, "w2") is False
    assert (await store.delivery("telegram", 1, DAY)).status == "claimed"


def test_default_worker_ids_are_unique_per_call_and_name_the_process() -> None:
    ids = {default_worker_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(f":{os.getpid()}:" in worker for worker in ids)


@pytest.mark.asyncio
async def test_a_part_in_flight_stays_marked_only_until_its_answer(store: AsyncStore) -> None:
    assert await store.claim("telegram", 1, DAY, "w1")
    in_flight = {"next_in_flight": True}
    assert await store.record_parts("telegram", 1, DAY, "w2", 0, "sha", **in_flight) is False
    assert await store.record_parts("telegram", 1, DAY, "w1", 2, "sha", **in_flight)
    row = await store.delivery("telegram", 1, DAY)
    assert (row.parts_sent, row.part_in_flight, row.digest_sha) == (2, 2, "sha")
    assert await store.record_parts("telegram", 1, DAY, "w1", 3, "sha")
    row = await store.delivery("telegram", 1, DAY)
    assert (row.parts_sent, row.part_in_flight) == (3, None)
    # A failure the worker heard about clears the mark: that part is retried.
    assert await store.record_parts("telegram", 1, DAY, "w1", 3, "sha", **in_flight)
    assert await store.mark_failed("telegram", 1, DAY, "w1", "500", retry_after=SECOND)
    assert (await store.delivery("telegram", 1, DAY)).part_in_flight is None


@pytest.mark.asyncio
async def test_released_claims_keep_a_part_cut_off_in_flight(store: AsyncStore) -> None:
    assert await store.claim("telegram", 1, DAY, "w1")
    assert await store.record_parts("telegram", 1, DAY, "w1", 1, "sha", next_in_flight=True)
    assert await store.release_claims("w1") == 1
    assert await store.claim("telegram", 1, DAY, "w2")
    row = await store.delivery("telegram", 1, DAY)
    assert (row.worker_id, row.parts_sent, row.part_in_flight) == ("w2", 1, 1)

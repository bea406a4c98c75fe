"""Delivery log: exactly-once claims under concurrency, leases, retries and final states."""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

import bot.store.engine
from bot.store import DeliveryStatus, Store, default_worker_id

# ``clock`` is conftest's FakeClock; ``database`` opens extra engines on the same tables.
DAY = date(2026, 3, 20)
SECOND = timedelta(seconds=1)
WORKERS = 12
CHATS = 25


def _race(stores: list[Store], claim: Callable[[Store, str, str], bool]) -> list[tuple[str, str]]:
    """Let every store's worker claim every chat at once; return the (chat, worker) wins."""
    barrier = threading.Barrier(len(stores))

    def work(index: int) -> list[tuple[str, str]]:
        worker = f"worker-{index}"
        chats = [f"chat-{n}" for n in range(CHATS)]
        random.Random(index).shuffle(chats)
        barrier.wait()
        return [(chat, worker) for chat in chats if claim(stores[index], chat, worker)]

    with ThreadPoolExecutor(len(stores)) as pool:
        return [win for wins in pool.map(work, range(len(stores))) for win in wins]


def _assert_each_chat_won_once(store: Store, wins: list[tuple[str, str]]) -> None:
    per_chat = Counter(chat for chat, _ in wins)
    assert sorted(per_chat) == sorted(f"chat-{n}" for n in range(CHATS))
    assert set(per_chat.values()) == {1}
    for chat, worker in wins:
        row = store.delivery("telegram", chat, DAY)
        assert row is not None and row.worker_id == worker and row.status == "claimed"


def _fresh_claim(store: Store, chat: str, worker: str) -> bool:
    return store.claim("telegram", chat, DAY, worker)


def test_threads_sharing_one_store_claim_each_row_once(store: Store) -> None:
    wins = _race([store] * WORKERS, _fresh_claim)
    _assert_each_chat_won_once(store, wins)


def test_separate_engines_claim_each_row_once(database, store: Store) -> None:
    # One engine (own connection pool) per worker stands in for separate processes.
    stores = [database.store() for _ in range(WORKERS)]
    wins = _race(stores, _fresh_claim)
    _assert_each_chat_won_once(store, wins)


def test_claim_without_on_conflict_support_is_still_exactly_once(
    database, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other dialects fall back to a plain INSERT whose unique violation loses the race.
    monkeypatch.setattr(bot.store.engine, "_CONFLICT_INSERTS", {})
    stores = [database.store() for _ in range(WORKERS)]
    wins = _race(stores, _fresh_claim)
    _assert_each_chat_won_once(store, wins)


def test_racing_reclaims_of_stale_claims_yield_one_winner(database, store: Store, clock) -> None:
    for n in range(CHATS):
        assert store.claim("telegram", f"chat-{n}", DAY, "crashed")
    clock.advance(store.lease + SECOND)
    stores = [database.store(clock=clock) for _ in range(WORKERS)]
    wins = _race(stores, _fresh_claim)
    _assert_each_chat_won_once(store, wins)
    assert {store.delivery("telegram", c, DAY).attempts for c, _ in wins} == {2}


def test_second_claim_is_refused_even_for_the_same_worker(store: Store) -> None:
    assert store.claim("telegram", 1, DAY, "w1") is True
    assert store.claim("telegram", 1, DAY, "w2") is False
    assert store.claim("telegram", 1, DAY, "w1") is False
    assert store.claim("telegram", 1, DAY + timedelta(days=1), "w2") is True
    assert store.claim("discord", 1, DAY, "w2") is True


def test_stale_claim_is_reclaimed_only_after_the_lease(store: Store, clock) -> None:
    assert store.claim("telegram", 1, DAY, "crashed")
    claimed_at = clock.now
    clock.advance(store.lease)
    assert store.claim("telegram", 1, DAY, "rescuer") is False
    clock.advance(SECOND)
    assert store.claim("telegram", 1, DAY, "rescuer") is True
    row = store.delivery("telegram", 1, DAY)
    assert row is not None
    assert (row.worker_id, row.attempts, row.status) == ("rescuer", 2, DeliveryStatus.CLAIMED)
    assert row.claimed_at == claimed_at + store.lease + SECOND
    # The crashed worker, back from the dead, no longer holds the claim.
    assert store.mark_sent("telegram", 1, DAY, "crashed") is False
    assert store.mark_sent("telegram", 1, DAY, "rescuer") is True


def test_sent_rows_are_never_claimed_again(store: Store, clock) -> None:
    assert store.claim("telegram", 1, DAY, "w1")
    clock.advance(timedelta(minutes=1))
    assert store.mark_sent("telegram", 1, DAY, "w1")
    row = store.delivery("telegram", 1, DAY)
    assert row is not None and row.status == "sent" and row.finished_at == clock.now
    clock.advance(timedelta(days=30))
    assert store.claim("telegram", 1, DAY, "w2") is False
    assert store.mark_sent("telegram", 1, DAY, "w1") is False
    assert store.mark_failed("telegram", 1, DAY, "w1", "late error") is False
    assert store.delivery("telegram", 1, DAY) == row


def test_failed_without_retry_is_final(store: Store, clock) -> None:
    assert store.claim("telegram", 1, DAY, "w1")
    assert store.mark_failed("telegram", 1, DAY, "w1", "400 Bad Request: chat not found")
    clock.advance(timedelta(days=1))
    assert store.claim("telegram", 1, DAY, "w2") is False
    row = store.delivery("telegram", 1, DAY)
    assert row is not None and row.status == "failed" and row.retry_at is None
    assert row.error == "400 Bad Request: chat not found"


def test_failed_with_retry_is_claimable_from_retry_at(store: Store, clock) -> None:
    assert store.claim("telegram", 1, DAY, "w1")
    assert store.mark_failed("telegram", 1, DAY, "w1", "x" * 5000, retry_after=timedelta(minutes=3))
    row = store.delivery("telegram", 1, DAY)
    assert row is not None and row.retry_at == clock.now + timedelta(minutes=3)
    assert row.error is not None and 0 < len(row.error) < 5000
    clock.advance(timedelta(minutes=3) - SECOND)
    assert store.claim("telegram", 1, DAY, "w2") is False
    clock.advance(SECOND)
    assert store.claim("telegram", 1, DAY, "w2") is True
    row = store.delivery("telegram", 1, DAY)
    assert row is not None
    assert (row.status, row.worker_id, row.attempts, row.error, row.retry_at) == (
        DeliveryStatus.CLAIMED,
        "w2",
        2,
        None,
        None,
    )


def test_only_the_holder_can_finish_a_claim(store: Store) -> None:
    assert store.mark_sent("telegram", 1, DAY, "w1") is False  # nothing claimed yet
    assert store.claim("telegram", 1, DAY, "w1")
    assert store.mark_failed("telegram", 1, DAY, "w2", "not mine") is False
    assert store.mark_sent("telegram", 1, DAY, "w2") is False
    assert store.delivery("telegram", 1, DAY).status == "claimed"


def test_default_worker_ids_are_unique_per_call_and_name_the_process() -> None:
    ids = {default_worker_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(f":{os.getpid()}:" in worker for worker in ids)

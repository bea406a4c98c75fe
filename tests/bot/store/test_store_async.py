"""AsyncStore from asyncio: one round trip through every operation, concurrency, open()."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.store import AsyncStore, content_hash
from core.errors import InvalidArgument


@pytest.mark.asyncio
async def test_async_facade_round_trip(store: AsyncStore, clock) -> None:
    db = store
    sub = await db.subscribe("discord", 42, "08:00", "Asia/Hong_Kong", ["hk"], created_by=1)
    assert await db.subscription("discord", 42) == sub
    assert await db.subscriptions("discord") == [sub]
    now = datetime(2026, 3, 20, 0, 0, tzinfo=UTC)
    clock.now = now
    [due] = await db.due(now)
    assert due.report_date == date(2026, 3, 20)
    assert await db.claim("discord", 42, due.report_date, "w")
    assert await db.mark_sent("discord", 42, due.report_date, "w")
    assert (await db.delivery("discord", 42, due.report_date)).status == "sent"
    assert await db.due(now) == []
    key = content_hash(b"png")
    await db.remember_photo(key, "file-1", "discord")
    assert await db.photo_file_id(key, "discord") == "file-1"
    assert await db.forget_photo(key, "discord")
    assert await db.migrate_chat("discord", 42, 43)
    assert await db.deactivate("discord", 43, "403 Forbidden")
    assert await db.unsubscribe("discord", 43) is False


@pytest.mark.asyncio
async def test_async_claims_gathered_at_once_win_once(store: AsyncStore) -> None:
    db = store
    results = await asyncio.gather(
        *(db.claim("telegram", 7, date(2026, 3, 20), f"task-{n}") for n in range(20))
    )
    assert results.count(True) == 1


@pytest.mark.asyncio
async def test_async_errors_and_failure_marks(store: AsyncStore) -> None:
    db = store
    with pytest.raises(InvalidArgument, match="time zone"):
        await db.subscribe("telegram", 1, "08:00", "Hong Kong")
    failed_at = date(2026, 3, 20)
    assert await db.claim("telegram", 1, failed_at, "w")
    assert await db.mark_failed("telegram", 1, failed_at, "w", "boom")


@pytest.mark.asyncio
async def test_open_uses_the_configured_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", f"sqlite:///{path}")
    db = await AsyncStore.open()
    try:
        await db.subscribe("telegram", 1, "08:00", "UTC")
    finally:
        await db.close()
    assert path.exists()
    reopened = await AsyncStore.open(f"sqlite:///{path}", create=False)
    try:
        assert [s.chat_id for s in await reopened.subscriptions()] == ["1"]
    finally:
        await reopened.close()

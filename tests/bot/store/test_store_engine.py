"""Engine set-up: default URL, in-memory SQLite shared by every task, schemas, table creation."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store import AsyncStore
from core.errors import ConfigError
from core.settings import EnvSettings

pytestmark = pytest.mark.asyncio


def _table_names(conn: sa.Connection, schema: str | None = None) -> list[str]:
    return sa.inspect(conn).get_table_names(schema=schema)


async def test_default_url_is_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKETBOT_DATABASE_URL", raising=False)
    assert EnvSettings().database_url == "sqlite:///marketbot.sqlite3"


async def test_store_creates_its_tables_idempotently(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first = await AsyncStore.open(url)
    await first.subscribe("telegram", 1, "08:00", "UTC")
    await first.close()
    again = await AsyncStore.open(url)  # create_all on an existing database must keep the data
    try:
        assert [s.chat_id for s in await again.subscriptions()] == ["1"]
        async with again.engine.connect() as conn:
            names = set(await conn.run_sync(_table_names))
        assert {"bot_subscriptions", "bot_deliveries", "bot_photo_files"} <= names
    finally:
        await again.close()


async def test_in_memory_sqlite_is_one_database_that_tasks_share_safely() -> None:
    # One shared connection: without turns, one task's commit ends another's transaction.
    store = await AsyncStore.open("sqlite://")
    chats, day = range(1, 31), date(2026, 3, 20)
    try:
        await asyncio.gather(
            *(store.subscribe("telegram", chat, "08:00", "UTC") for chat in chats),
            *(store.subscriptions() for _ in chats),
        )
        claims = [store.claim("telegram", chat, day, f"w{n}") for chat in chats for n in range(3)]
        won = await asyncio.gather(*claims, *(store.delivery("telegram", c, day) for c in chats))
        assert len(await store.subscriptions()) == len(chats)
        assert won[: len(claims)].count(True) == len(chats)
        assert all([await store.delivery("telegram", chat, day) for chat in chats])
    finally:
        await store.close()


async def test_open_without_creating_leaves_the_database_empty(tmp_path: Path) -> None:
    store = await AsyncStore.open(f"sqlite:///{tmp_path / 'y.sqlite3'}", create=False)
    try:
        async with store.engine.connect() as conn:
            assert await conn.run_sync(_table_names) == []
    finally:
        await store.close()


async def test_sqlite_has_no_schemas() -> None:
    with pytest.raises(ConfigError, match="SQLite has no schemas"):
        await AsyncStore.open("sqlite://", schema="bot")


async def test_schema_keeps_tables_apart(database) -> None:
    if database.schema is None:
        pytest.skip("schemas are a PostgreSQL feature")
    store = await database.store()
    await store.subscribe("telegram", 1, "08:00", "UTC")
    async with store.engine.connect() as conn:
        assert "bot_subscriptions" in await conn.run_sync(_table_names, database.schema)
        assert "bot_subscriptions" not in await conn.run_sync(_table_names, "public")

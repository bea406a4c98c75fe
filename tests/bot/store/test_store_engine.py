"""Engine set-up: default URL, in-memory SQLite across threads, schemas, table creation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store import Store, make_engine
from core.settings import EnvSettings


def test_default_url_is_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARKETBOT_DATABASE_URL", raising=False)
    assert EnvSettings().database_url == "sqlite:///marketbot.sqlite3"


def test_store_creates_its_tables_idempotently(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    Store(url).subscribe("telegram", 1, "08:00", "UTC")
    again = Store(url)  # create_all on an existing database must keep the data
    assert [s.chat_id for s in again.subscriptions()] == ["1"]
    names = set(sa.inspect(again.engine).get_table_names())
    assert {"bot_subscriptions", "bot_deliveries", "bot_photo_files"} <= names
    again.close()


def test_in_memory_sqlite_is_one_database_for_every_thread() -> None:
    store = Store("sqlite://")
    store.subscribe("telegram", 1, "08:00", "UTC")
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(len(store.subscriptions())))
    thread.start()
    thread.join()
    assert seen == [1]


def test_sqlite_has_no_schemas() -> None:
    with pytest.raises(ValueError, match="SQLite has no schemas"):
        make_engine("sqlite://", schema="bot")


def test_engine_and_url_are_exclusive() -> None:
    with pytest.raises(ValueError, match="either an engine or a url"):
        Store("sqlite://", engine=make_engine("sqlite://"))


def test_schema_keeps_tables_apart(database) -> None:
    if database.schema is None:
        pytest.skip("schemas are a PostgreSQL feature")
    store = database.store()
    store.subscribe("telegram", 1, "08:00", "UTC")
    inspector = sa.inspect(store.engine)
    assert "bot_subscriptions" in inspector.get_table_names(schema=database.schema)
    assert "bot_subscriptions" not in inspector.get_table_names(schema="public")

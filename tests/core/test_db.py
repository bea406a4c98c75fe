"""core/db.py: URL normalisation, sync and asyncio engines from one URL, pragmas, upserts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

import core.db
from core.db import (
    create_async_engine,
    create_engine,
    insert_if_absent,
    normalise_url,
    redacted,
    schema_of,
    upsert,
)
from core.errors import ConfigError


@pytest.mark.parametrize(
    ("url", "asyncio", "driver"),
    [
        ("sqlite:///x.sqlite3", False, "sqlite+pysqlite"),
        ("sqlite:///x.sqlite3", True, "sqlite+aiosqlite"),
        ("sqlite://", True, "sqlite+aiosqlite"),
        ("postgresql://u@h/db", False, "postgresql+psycopg"),
        ("postgresql://u@h/db", True, "postgresql+psycopg"),
        ("postgres://u@h/db", True, "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", True, "postgresql+psycopg"),
        ("mysql+pymysql://u@h/db", True, "mysql+pymysql"),
    ],
)
def test_each_backend_gets_this_projects_driver(url: str, asyncio: bool, driver: str) -> None:
    assert normalise_url(url, asyncio=asyncio).drivername == driver


def test_a_malformed_url_is_a_config_error_without_the_password() -> None:
    with pytest.raises(ConfigError, match="invalid database URL") as info:
        create_engine("nodb+nodriver://user:secret@host/db")
    assert "secret" not in str(info.value)
    assert "secret" not in redacted("postgresql://user:secret@host/db")


def test_sqlite_has_no_schemas() -> None:
    with pytest.raises(ConfigError, match="SQLite has no schemas"):
        create_engine("sqlite://", schema="bot")


def test_schema_is_carried_as_a_translate_map() -> None:
    engine = create_engine("postgresql://u@127.0.0.1/db", schema="bot_x")
    assert schema_of(engine) == "bot_x"
    assert schema_of(create_engine("sqlite://")) is None


def test_sqlite_connections_get_the_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
        foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one()
    assert (busy, foreign_keys) == (core.db.SQLITE_BUSY_TIMEOUT_MS, 1)
    engine.dispose()


@pytest.mark.asyncio
async def test_async_sqlite_gets_the_pragmas_and_one_in_memory_database() -> None:
    engine = create_async_engine("sqlite://")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one()
    async with engine.connect() as conn:  # a second checkout sees the same database
        assert (await conn.exec_driver_sql("SELECT count(*) FROM t")).scalar_one() == 0
    assert busy == core.db.SQLITE_BUSY_TIMEOUT_MS
    await engine.dispose()


def _table() -> sa.Table:
    return sa.Table(
        "closes",
        sa.MetaData(),
        sa.Column("instrument", sa.String(8), primary_key=True),
        sa.Column("session_date", sa.Date, primary_key=True),
        sa.Column("close", sa.Float, nullable=False),
    )


@pytest.mark.parametrize("native", [True, False], ids=["on-conflict", "portable"])
def test_upsert_inserts_then_replaces(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not native:
        monkeypatch.setattr(core.db, "_CONFLICT_INSERTS", {})
    table, engine = _table(), create_engine("sqlite://")
    table.metadata.create_all(engine)
    keys = ("instrument", "session_date")
    day = date(2026, 3, 20)
    with engine.begin() as conn:
        upsert(conn, table, [{"instrument": "SPX", "session_date": day, "close": 1.0}], keys)
        upsert(conn, table, [{"instrument": "SPX", "session_date": day, "close": 2.0}], keys)
        rows = conn.execute(sa.select(table)).all()
    assert [tuple(r) for r in rows] == [("SPX", day, 2.0)]


@pytest.mark.asyncio
@pytest.mark.parametrize("native", [True, False], ids=["on-conflict", "portable"])
async def test_insert_if_absent_inserts_once(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not native:
        monkeypatch.setattr(core.db, "_CONFLICT_INSERTS", {})
    table, engine = _table(), create_async_engine("sqlite://")
    async with engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    row = {"instrument": "HSI", "session_date": date(2026, 3, 20), "close": 1.0}
    keys = ("instrument", "session_date")
    first = await insert_if_absent(engine.begin, table, row, keys)
    second = await insert_if_absent(engine.begin, table, {**row, "close": 9.0}, keys)
    async with engine.connect() as conn:
        closes = (await conn.execute(sa.select(table.c.close))).scalars().all()
    assert (first, second, closes) == (True, False, [1.0])
    await engine.dispose()

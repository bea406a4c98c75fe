"""The one place that turns a database URL into SQLAlchemy engines (sync and asyncio).

Both stores use it: the history store (sync) and the bot's store (asyncio). It normalises
URLs, picks each backend's driver (psycopg 3 for PostgreSQL, which serves sync and asyncio
alike; pysqlite or aiosqlite for SQLite), sets SQLite's pragmas, pins in-memory SQLite to one
connection, and holds the dialect map behind upserts and insert-if-absent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import StaticPool

from core.errors import ConfigError

# How long a SQLite writer waits for another connection's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

# Dialects with INSERT ... ON CONFLICT (DO NOTHING / DO UPDATE); others use portable fallbacks.
_CONFLICT_INSERTS: dict[str, Callable[[sa.Table], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}
_SYNC_DRIVERS = {"postgresql": "psycopg", "sqlite": "pysqlite"}
_ASYNC_DRIVERS = {"postgresql": "psycopg", "sqlite": "aiosqlite"}


def redacted(url: str | sa.URL) -> str:
    """Return ``url`` as text with any password hidden (safe for logs and errors)."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def normalise_url(url: str | sa.URL, *, asyncio: bool = False) -> sa.URL:
    """Return ``url`` parsed, with the driver this project uses for its backend.

    ``postgres://`` and ``postgresql://`` select psycopg 3; SQLite selects pysqlite, or
    aiosqlite with ``asyncio``. Another backend keeps the driver the URL names. Raise
    ConfigError (password hidden) for a URL SQLAlchemy cannot parse.
    """
    try:
        parsed = sa.make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"invalid database URL {redacted(url)}") from exc
    backend = "postgresql" if parsed.get_backend_name() == "postgres" else parsed.get_backend_name()
    drivers = _ASYNC_DRIVERS if asyncio else _SYNC_DRIVERS
    if backend in drivers:
        parsed = parsed.set(drivername=f"{backend}+{drivers[backend]}")
    return parsed


def is_memory_sqlite(url: sa.URL) -> bool:
    """Return whether ``url`` names an in-memory SQLite database."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _engine_options(url: sa.URL, schema: str | None) -> dict[str, Any]:
    if url.get_backend_name() != "sqlite":
        return {"pool_pre_ping": True}
    if schema is not None:
        raise ConfigError("SQLite has no schemas; use a separate database file instead")
    if is_memory_sqlite(url):
        # One shared connection, or every connection would see its own empty database.
        return {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    return {}


def _set_sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    # The bot commits a few times per message sent (its send slot, the part in flight, the
    # part sent). A rollback journal syncs each commit to disk (1-20 ms here) and holds the
    # one write lock meanwhile, so sends queued behind it leave late and bunched. A
    # write-ahead log synced only at checkpoints commits in microseconds and is still durable
    # when the process dies (kill -9); only an OS crash or power loss may undo the last
    # commits. An in-memory database keeps its "memory" journal.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _configure(engine: sa.Engine, schema: str | None) -> sa.Engine:
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _set_sqlite_pragmas)
    if schema is not None:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


def create_engine(url: str | sa.URL, *, schema: str | None = None) -> sa.Engine:
    """Return a sync engine for ``url``; with ``schema``, unqualified tables live there."""
    parsed = normalise_url(url)
    try:
        engine = sa.create_engine(parsed, **_engine_options(parsed, schema))
    except (ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigError(f"invalid database URL {redacted(parsed)}") from exc
    return _configure(engine, schema)


def create_async_engine(url: str | sa.URL, *, schema: str | None = None) -> AsyncEngine:
    """Return an asyncio engine for ``url``; with ``schema``, unqualified tables live there."""
    parsed = normalise_url(url, asyncio=True)
    try:
        engine = _create_async_engine(parsed, **_engine_options(parsed, schema))
    except (ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigError(f"invalid database URL {redacted(parsed)}") from exc
    _configure(engine.sync_engine, None)
    if schema is not None:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


def schema_of(engine: sa.Engine | AsyncEngine) -> str | None:
    """Return the schema an engine translates unqualified tables to, or None."""
    translate = engine.get_execution_options().get("schema_translate_map") or {}
    return translate.get(None)


def conflict_insert(dialect: sa.Dialect, table: sa.Table) -> Any | None:
    """Return an INSERT supporting ``on_conflict_do_*`` for ``dialect``, or None if it has none."""
    make_insert = _CONFLICT_INSERTS.get(dialect.name)
    return None if make_insert is None else make_insert(table)


async def insert_if_absent(
    begin: Callable[[], AbstractAsyncContextManager[AsyncConnection]],
    table: sa.Table,
    values: Mapping[str, Any],
    keys: tuple[str, ...],
) -> bool:
    """Insert one row unless a row with the same ``keys`` exists; return whether it was inserted.

    ``begin`` opens a transaction of its own (e.g. ``engine.begin``). Atomic across
    processes: the database's unique constraint decides the winner.
    """
    async with begin() as conn:
        stmt = conflict_insert(conn.dialect, table)
        if stmt is not None:
            stmt = stmt.values(dict(values)).on_conflict_do_nothing(index_elements=keys)
            if not conn.dialect.insert_returning:
                return (await conn.execute(stmt)).rowcount == 1
            # rowcount is unreliable once SQLAlchemy adds its own RETURNING for the primary key.
            return (await conn.execute(stmt.returning(table.c[keys[0]]))).first() is not None
    try:
        async with begin() as conn:
            await conn.execute(sa.insert(table).values(dict(values)))
    except sa.exc.IntegrityError:
        return False
    return True


def upsert(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], keys: tuple[str, ...]
) -> None:
    """Insert ``rows``, replacing the other columns of any row with the same ``keys``."""
    stmt = conflict_insert(conn.dialect, table)
    if stmt is not None:
        updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates), rows)
        return
    for row in rows:
        match = sa.and_(*(table.c[k] == row[k] for k in keys))
        values = {name: value for name, value in row.items() if name not in keys}
        if conn.execute(sa.update(table).where(match).values(values)).rowcount == 0:
            conn.execute(sa.insert(table).values(row))

"""Engine construction and table creation for any SQLAlchemy URL (SQLite and PostgreSQL tested)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from bot.store.schema import metadata

# Dialects with INSERT ... ON CONFLICT DO NOTHING (a skipped row returns nothing).
_CONFLICT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def make_engine(url: str | sa.URL, *, schema: str | None = None) -> sa.Engine:
    """Return an engine for ``url``; with ``schema``, every bot table lives in that schema."""
    parsed = sa.make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if schema is not None:
            raise ValueError("SQLite has no schemas; use a separate database file instead")
        if parsed.database in (None, "", ":memory:"):
            # One shared connection, or every thread would see its own empty in-memory database.
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        else:
            kwargs = {"connect_args": {"timeout": 30}}
    else:
        kwargs = {"pool_pre_ping": True}
    engine = sa.create_engine(parsed, **kwargs)
    if schema is not None:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


def _schema_of(engine: sa.Engine) -> str | None:
    translate = engine.get_execution_options().get("schema_translate_map") or {}
    return translate.get(None)


def create_tables(engine: sa.Engine) -> None:
    """Create the bot's tables (and its schema, when one is configured) if missing."""
    schema = _schema_of(engine)
    with engine.begin() as conn:
        if schema is not None:
            conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
        metadata.create_all(conn)


def drop_tables(engine: sa.Engine) -> None:
    """Drop the bot's tables (and its schema, when one is configured)."""
    schema = _schema_of(engine)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        if schema is not None:
            conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))


def insert_if_absent(
    engine: sa.Engine, table: sa.Table, values: Mapping[str, Any], keys: tuple[str, ...]
) -> bool:
    """Insert one row unless a row with the same ``keys`` exists; return whether it was inserted.

    Atomic across processes: the database's unique constraint decides the winner.
    """
    make_insert = _CONFLICT_INSERTS.get(engine.dialect.name)
    if make_insert is not None:
        stmt = make_insert(table).values(dict(values)).on_conflict_do_nothing(index_elements=keys)
        with engine.begin() as conn:
            if not engine.dialect.insert_returning:
                return conn.execute(stmt).rowcount == 1
            # rowcount is unreliable once SQLAlchemy adds its own RETURNING for the primary key.
            return conn.execute(stmt.returning(table.c[keys[0]])).first() is not None
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(table).values(dict(values)))
    except sa.exc.IntegrityError:
        return False
    return True

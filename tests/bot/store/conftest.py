"""Store fixtures: every test runs on SQLite, and on PostgreSQL when asked to.

Set MARKETBOT_TEST_DATABASE_URL (a PostgreSQL URL) to add the PostgreSQL variant. It puts
each test's tables in a fresh schema (bot_store_test_<random>) that is dropped afterwards,
so parallel or repeated runs never meet each other's tables in the same database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import AsyncStore
from core.db import create_async_engine
from tests.fakeclock import FakeClock

PG_ENV = "MARKETBOT_TEST_DATABASE_URL"
LEASE = timedelta(minutes=10)


@dataclass
class Database:
    """Where a test's tables live; ``engine()`` opens an independent engine (a 'process')."""

    kind: str
    url: str
    schema: str | None
    engines: list[AsyncEngine] = field(default_factory=list)

    def engine(self) -> AsyncEngine:
        """Open another engine (its own connection pool) on this database."""
        engine = create_async_engine(self.url, schema=self.schema)
        self.engines.append(engine)
        return engine

    async def store(self, **kwargs: object) -> AsyncStore:
        """Open another store on the same tables through a new engine."""
        store = AsyncStore(self.engine(), lease=LEASE, **kwargs)  # type: ignore[arg-type]
        await store.create_tables()
        return store


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """Yield an empty database of each kind; drop the bot tables afterwards."""
    if request.param == "sqlite":
        db = Database("sqlite", f"sqlite:///{tmp_path / 'store.sqlite3'}", None)
    else:
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"{PG_ENV} is not set; PostgreSQL variant not run")
        db = Database("postgresql", url, f"bot_store_test_{uuid.uuid4().hex[:12]}")
    yield db
    await AsyncStore(db.engine()).drop_tables()
    for engine in db.engines:
        await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Return a settable clock starting 2026-03-01 00:00 UTC."""
    return FakeClock()


@pytest_asyncio.fixture
async def store(database: Database, clock: FakeClock) -> AsyncStore:
    """Return a store on the parametrized database, driven by the fake clock."""
    return await database.store(clock=clock)

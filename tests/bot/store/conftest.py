"""Store fixtures: every test runs on SQLite, and on PostgreSQL when asked to.

Set MARKETBOT_TEST_DATABASE_URL (a PostgreSQL URL) to add the PostgreSQL variant. It puts
each test's tables in a fresh schema (bot_store_test_<random>) that is dropped afterwards,
so they never meet other stores' tables in the same database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store import Store, make_engine
from tests.fakeclock import FakeClock

PG_ENV = "MARKETBOT_TEST_DATABASE_URL"
LEASE = timedelta(minutes=10)


@dataclass
class Database:
    """Where a test's tables live; ``engine()`` opens an independent engine (a 'process')."""

    kind: str
    url: str
    schema: str | None
    engines: list[sa.Engine] = field(default_factory=list)

    def engine(self) -> sa.Engine:
        engine = make_engine(self.url, schema=self.schema)
        self.engines.append(engine)
        return engine

    def store(self, **kwargs: object) -> Store:
        """Open another Store on the same tables through a new engine."""
        return Store(engine=self.engine(), lease=LEASE, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Yield an empty database of each kind; drop the bot tables afterwards."""
    if request.param == "sqlite":
        db = Database("sqlite", f"sqlite:///{tmp_path / 'store.sqlite3'}", None)
    else:
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"{PG_ENV} is not set; PostgreSQL variant not run")
        db = Database("postgresql", url, f"bot_store_test_{uuid.uuid4().hex[:12]}")
    yield db
    cleanup = Store(engine=db.engine(), create=False)
    cleanup.drop_tables()
    for engine in db.engines:
        engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Return a settable clock starting 2026-03-01 00:00 UTC."""
    return FakeClock()


@pytest.fixture
def store(database: Database, clock: FakeClock) -> Store:
    """Return a Store on the parametrized database, driven by the fake clock."""
    return database.store(clock=clock)

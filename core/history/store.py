"""HistoryStore: daily closes in any SQLAlchemy database (SQLite default, PostgreSQL too)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.db import create_engine, redacted, upsert
from core.errors import HistoryError
from core.history.records import DailyClose
from core.settings import EnvSettings

TABLE_NAME = "daily_closes"
_KEYS = ("instrument", "session_date")


def _table(metadata: sa.MetaData, name: str) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("instrument", sa.String(32), primary_key=True),
        sa.Column("session_date", sa.Date, primary_key=True),
        sa.Column("close", sa.Double, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
    )


class HistoryStore:
    """Read and upsert daily closes; one row per (instrument, session_date)."""

    def __init__(self, url_or_engine: str | Engine, *, table_prefix: str = "") -> None:
        engine = url_or_engine
        self.engine = engine if isinstance(engine, Engine) else create_engine(engine)
        self.metadata = sa.MetaData()
        self.table = _table(self.metadata, f"{table_prefix}{TABLE_NAME}")
        with self._guard("create the history table"):
            self.metadata.create_all(self.engine)

    @classmethod
    def from_env(cls, env: EnvSettings | None = None) -> HistoryStore:
        """Open the store at MARKETBOT_DATABASE_URL (default ``sqlite:///marketbot.sqlite3``)."""
        return cls((env or EnvSettings()).database_url)

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Translate database failures into HistoryError once, naming the action and database."""
        try:
            yield
        except SQLAlchemyError as exc:
            where = redacted(self.engine.url)
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise HistoryError(f"cannot {action} in {where}: {detail}") from exc

    def upsert_closes(self, records: Iterable[DailyClose]) -> int:
        """Insert closes, replacing any stored for the same instrument and session; return count."""
        # Within one batch the last record for a key wins, as a later fetch would.
        latest = {(r.instrument, r.session_date): r for r in records}
        if not latest:
            return 0
        rows = [
            {
                "instrument": r.instrument,
                "session_date": r.session_date,
                "close": r.close,
                "source": r.source,
            }
            for r in latest.values()
        ]
        with self._guard("write closes"), self.engine.begin() as conn:
            upsert(conn, self.table, rows, _KEYS)
        return len(rows)

    def closes(
        self, instrument: str, since: date | None = None, until: date | None = None
    ) -> list[DailyClose]:
        """Return an instrument's stored closes between two dates (both included), oldest first."""
        t = self.table
        query = sa.select(t).where(t.c.instrument == instrument).order_by(t.c.session_date)
        if since is not None:
            query = query.where(t.c.session_date >= since)
        if until is not None:
            query = query.where(t.c.session_date <= until)
        with self._guard("read closes"), self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [DailyClose(r.instrument, r.session_date, r.close, r.source) for r in rows]

    def latest_session(self, instrument: str) -> date | None:
        """Return the latest stored session date of an instrument, or None if none is stored."""
        t = self.table
        query = sa.select(sa.func.max(t.c.session_date)).where(t.c.instrument == instrument)
        with self._guard("read the latest session"), self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def session_count(self, instrument: str, since: date | None = None) -> int:
        """Return how many sessions of an instrument are stored (from ``since`` if given)."""
        t = self.table
        query = sa.select(sa.func.count()).where(t.c.instrument == instrument)
        if since is not None:
            query = query.where(t.c.session_date >= since)
        with self._guard("count closes"), self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def needs_backfill(self, instrument: str, min_sessions: int, since: date | None = None) -> bool:
        """Return True when fewer than ``min_sessions`` closes are stored (from ``since``)."""
        return self.session_count(instrument, since) < min_sessions

    def drop(self) -> None:
        """Drop this store's table (tests and resets); the data is gone afterwards."""
        with self._guard("drop the history table"):
            self.table.drop(self.engine, checkfirst=True)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

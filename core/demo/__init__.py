"""The bundled sample: the 08:00 HKT Mon 2026-03-23 report, built from real daily closes.

``build.py`` writes it from the history exports in ``../shared/fixtures/history``; the closes
before the report instant come with it, so the sample ranks spreads against real history.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources

from core.history import DailyClose, HistoryStore
from core.snapshot import MarketSnapshot

SNAPSHOT_FILE = "sample_2026-03-23.json"
CLOSES_FILE = "closes_2026-03-23.csv"


def _read(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()


def demo_snapshot() -> MarketSnapshot:
    """Return the bundled sample snapshot (no network, no token needed)."""
    return MarketSnapshot.from_json(_read(SNAPSHOT_FILE))


def demo_closes() -> list[DailyClose]:
    """Return the sample's bundled daily closes, up to its report instant."""
    rows = csv.DictReader(io.StringIO(_read(CLOSES_FILE).decode("utf-8")))
    return [
        DailyClose(
            r["instrument"], date.fromisoformat(r["session_date"]), float(r["close"]), r["source"]
        )
        for r in rows
    ]


def demo_history_store() -> HistoryStore:
    """Return an in-memory history store holding the sample's closes (no file is written)."""
    store = HistoryStore("sqlite://")
    store.upsert_closes(demo_closes())
    return store

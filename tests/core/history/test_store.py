"""HistoryStore on SQLite always, on PostgreSQL when MARKETBOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.errors import ConfigError, HistoryError
from core.history import DailyClose, HistoryStore, closes_from_snapshot
from core.settings import EnvSettings

PG_URL = os.environ.get("MARKETBOT_TEST_DATABASE_URL")
FRIDAY = date(2026, 3, 20)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="MARKETBOT_TEST_DATABASE_URL not set"),
            ],
        ),
    ]
)
def store(request, tmp_path):
    """Yield an empty store in its own table, dropped afterwards."""
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}" if request.param == "sqlite" else PG_URL
    prefix = f"test_{uuid.uuid4().hex[:10]}_"
    history = HistoryStore(url, table_prefix=prefix)
    yield history
    history.drop()
    assert not sa.inspect(history.engine).has_table(history.table.name)
    history.dispose()


def _closes(instrument: str, start: date, values: list[float], source: str = "yahoo"):
    return [
        DailyClose(instrument, start + timedelta(days=n), value, source)
        for n, value in enumerate(values)
    ]


def test_upsert_inserts_then_replaces_the_same_session(store):
    assert store.upsert_closes(_closes("SPX", FRIDAY, [6506.48])) == 1
    assert store.upsert_closes([DailyClose("SPX", FRIDAY, 6510.25, "stooq")]) == 1
    assert store.closes("SPX") == [DailyClose("SPX", FRIDAY, 6510.25, "stooq")]
    assert store.session_count("SPX") == 1


def test_a_batch_keeps_the_last_record_per_session(store):
    batch = [
        DailyClose("HSI", FRIDAY, 25_000.0, "yahoo"),
        DailyClose("HSI", FRIDAY, 25_277.32, "x"),
    ]
    assert store.upsert_closes(batch) == 1
    assert store.closes("HSI") == [DailyClose("HSI", FRIDAY, 25_277.32, "x")]
    assert store.upsert_closes([]) == 0


def test_closes_are_filtered_by_instrument_and_inclusive_dates(store):
    values = [100.0 + n * 1.125 for n in range(10)]
    store.upsert_closes(_closes("SSE", FRIDAY, values) + _closes("SZSE", FRIDAY, [9.0] * 10))
    since, until = FRIDAY + timedelta(days=2), FRIDAY + timedelta(days=5)
    got = store.closes("SSE", since, until)
    assert [c.session_date for c in got] == [since + timedelta(days=n) for n in range(4)]
    assert [c.close for c in got] == values[2:6]
    assert {c.instrument for c in got} == {"SSE"}
    assert store.closes("SSE", since=FRIDAY + timedelta(days=8)) == _closes(
        "SSE", FRIDAY + timedelta(days=8), values[8:]
    )
    assert store.closes("SSE", until=FRIDAY) == _closes("SSE", FRIDAY, values[:1])


def test_closes_come_back_oldest_first_and_exact(store):
    # Inserted newest first; a double must round-trip without loss.
    records = list(reversed(_closes("BTC", FRIDAY, [70_123.456789012, 69_999.000000001])))
    store.upsert_closes(records)
    assert store.closes("BTC") == list(reversed(records))


def test_latest_session_and_backfill_need(store):
    assert store.latest_session("DJIA") is None
    assert store.needs_backfill("DJIA", 1)
    store.upsert_closes(_closes("DJIA", FRIDAY, [46_000.0, 46_100.0, 46_050.0]))
    assert store.latest_session("DJIA") == FRIDAY + timedelta(days=2)
    assert store.needs_backfill("DJIA", 4)
    assert not store.needs_backfill("DJIA", 3)
    assert store.needs_backfill("DJIA", 3, since=FRIDAY + timedelta(days=1))


def test_data_outlives_the_store_object(tmp_path):
    url = f"sqlite:///{tmp_path / 'persist.sqlite3'}"
    first = HistoryStore(url)
    first.upsert_closes(_closes("HSTECH", FRIDAY, [4_900.5]))
    first.dispose()
    assert HistoryStore(url).closes("HSTECH") == _closes("HSTECH", FRIDAY, [4_900.5])


def test_from_env_reads_the_database_url(tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", f"sqlite:///{path}")
    HistoryStore.from_env().upsert_closes(_closes("SPX", FRIDAY, [1.0]))
    assert path.exists()


def test_default_database_is_a_local_sqlite_file(monkeypatch):
    monkeypatch.delenv("MARKETBOT_DATABASE_URL", raising=False)
    assert EnvSettings().database_url == "sqlite:///marketbot.sqlite3"


def test_a_snapshot_yields_only_the_closes_it_has(demo):
    records = closes_from_snapshot(demo)
    expected_index = {q.instrument for q in demo.indexes if q.close is not None}
    expected_crypto = {q.instrument for q in demo.crypto if q.price_usd is not None}
    assert {r.instrument for r in records} == expected_index | expected_crypto
    for record in records:
        quote = demo.index(record.instrument) or demo.crypto_quote(record.instrument)
        assert record.session_date == quote.session_date
        assert record.source == quote.source


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), True, "6500"])
def test_a_missing_or_invalid_close_is_refused(bad):
    with pytest.raises(ValueError):
        DailyClose("SPX", FRIDAY, bad, "yahoo")


def test_a_malformed_url_is_a_config_error():
    with pytest.raises(ConfigError, match="invalid database URL"):
        HistoryStore("nodb+nodriver://user:secret@host/db")


def test_an_unreachable_database_is_a_history_error_without_the_password():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    url = f"postgresql+psycopg://user:secret@127.0.0.1:{port}/none?connect_timeout=2"
    with pytest.raises(HistoryError, match="cannot create the history table") as info:
        HistoryStore(url)
    assert "secret" not in str(info.value)

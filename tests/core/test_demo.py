"""The bundled sample is rebuilt from the real history files, and holds their facts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources

import pytest

from core.demo import CLOSES_FILE, SNAPSHOT_FILE, demo_closes, demo_history_store
from core.demo.build import build_sample, closes_csv
from tests.core.providers.conftest import FIXTURES

HISTORY = FIXTURES / "history"
FRI = date(2026, 3, 20)


def test_bundled_files_are_what_the_builder_makes_from_the_history_files():
    snapshot, closes = build_sample(HISTORY)
    bundled = resources.files("core.demo")
    assert bundled.joinpath(SNAPSHOT_FILE).read_text(encoding="utf-8") == snapshot.to_json() + "\n"
    assert bundled.joinpath(CLOSES_FILE).read_text(encoding="utf-8") == closes_csv(closes)


# The Fri 2026-03-20 session, as the history README computes it from the same files.
@pytest.mark.parametrize(
    ("key", "close", "change_pct"),
    [
        ("DJIA", 45577.47, -0.96),
        ("NASDAQ", 21647.61, -2.01),
        ("SPX", 6506.48, -1.51),
        ("HSI", 25277.32, -0.88),
        ("HSCEI", 8574.07, -1.40),
        ("HSTECH", 4872.38, -2.48),
        ("SSE", 3957.05, -1.24),
        ("SZSE", 13866.20, -0.25),
        ("CHINEXT", 3352.10, 1.30),
    ],
)
def test_every_index_is_the_real_friday_session(sample, key, close, change_pct):
    quote = sample.index(key)
    assert (quote.session_date, quote.close) == (FRI, close)
    assert round(quote.change_pct, 2) == change_pct


def test_it_is_the_0800_hkt_monday_report_with_crypto_to_that_instant(sample):
    instant = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # 08:00 in Hong Kong
    assert (sample.report_date, sample.generated_at) == (date(2026, 3, 23), instant)
    btc = sample.crypto_quote("BTC")
    # The Yahoo daily bar of 03-22 closes at 24:00 UTC: exactly the report instant.
    assert (btc.price_usd, btc.as_of) == (67845.21, instant)
    assert btc.change_24h_pct == pytest.approx((67845.21 / 68711.52 - 1) * 100, abs=1e-9)
    assert sample.breadth is None and sample.protocols is None and sample.northbound is None
    assert "SAMPLE DATA" in sample.demo_note and "Mon 2026-03-23" in sample.demo_note


def test_bundled_history_stops_at_the_report_instant_and_fills_60_sessions():
    closes = demo_closes()
    last = {}
    for c in closes:
        last[c.instrument] = max(last.get(c.instrument, c.session_date), c.session_date)
    assert last["SPX"] == last["HSI"] == last["SSE"] == FRI
    assert last["BTC"] == date(2026, 3, 22)
    store = demo_history_store()
    try:
        assert store.session_count("HSTECH") > 60 and store.session_count("NASDAQ") > 60
    finally:
        store.dispose()

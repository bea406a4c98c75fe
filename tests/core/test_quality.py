"""Checks on a live snapshot: unusable closes out, outsized moves and supply artefacts flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.quality import check_snapshot, checked_indexes, checked_stablecoins
from core.settings import QualitySettings
from core.snapshot import (
    CryptoQuote,
    IndexQuote,
    MarketSnapshot,
    NoteKind,
    SnapshotNote,
    StablecoinSupply,
)

FRIDAY = date(2026, 3, 20)
CFG = QualitySettings(index_move_bound_pct=10.0, stablecoin_jump_pct=25.0)
FRIDAY_EVENING_HK = datetime(2026, 3, 20, 20, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))


@pytest.mark.parametrize(
    ("close", "previous", "kept", "flag"),
    [
        (25_000.0, 24_900.0, True, None),
        (None, 24_900.0, False, "gave close None"),
        (0.0, 24_900.0, False, "gave close 0.0"),
        (-1.0, 24_900.0, False, "gave close -1.0"),
        (25_000.0, 0.0, False, "gave previous close 0.0"),
        (25_000.0, None, True, None),
        (28_000.0, 25_000.0, True, "+12.00% on Fri 2026-03-20 (t) is beyond the ±10% plausibility"),
        (22_000.0, 25_000.0, True, "-12.00%"),
        (27_400.0, 25_000.0, True, None),  # +9.6 %: inside the bound
    ],
)
def test_index_closes(registry, close, previous, kept, flag):
    quote = IndexQuote("HSI", FRIDAY, "t", close=close, previous_close=previous)
    indexes, notes = checked_indexes((quote,), registry, CFG)
    assert indexes == ((quote,) if kept else ())
    assert [n.kind for n in notes] == ([NoteKind.DATA_QUALITY] if flag else [])
    if flag:
        assert flag in notes[0].message and notes[0].market == "HK"


@pytest.mark.parametrize(
    ("now_usd", "before_usd", "flagged"),
    [
        (100e9, 99e9, False),
        (100e9, None, False),
        (100e9, 60e9, True),  # +66.7 %: a re-based series, not a day's minting
        (100e9, 0.0, True),  # a zero previous day would read as a $100B inflow
        (1e9, 1.3e9, False),  # -23 %: inside the 25 % bound
        (1e9, 1.4e9, True),  # -28.6 %
    ],
)
def test_stablecoin_jumps(now_usd, before_usd, flagged):
    coin = StablecoinSupply("USDX", "defillama", circulating_usd=now_usd, prev_day_usd=before_usd)
    coins, notes = checked_stablecoins((coin,), CFG)
    assert len(coins) == 1 and coins[0].circulating_usd == now_usd
    if flagged:
        assert coins[0].change_usd is None and coins[0].prev_day_usd is None
        [note] = notes
        assert (
            note.kind is NoteKind.DATA_QUALITY and "left out of the net stablecoin" in note.message
        )
    else:
        assert coins == (coin,) and notes == []


def test_no_stablecoins_stays_missing():
    assert checked_stablecoins(None, CFG) == (None, [])


def test_check_snapshot_adds_calendar_notes_once_and_drops_bad_crypto(registry):
    closed = SnapshotNote(
        NoteKind.CLOSED, "US closed on Sat 2026-03-21 (weekend) — last session Fri 2026-03-20", "US"
    )
    snap = MarketSnapshot(
        report_date=date(2026, 3, 21),
        indexes=(IndexQuote("SPX", FRIDAY, "t", close=6500.0, previous_close=6480.0),),
        crypto=(
            CryptoQuote("BTC", date(2026, 3, 21), "t", price_usd=0.0),
            CryptoQuote("ETH", date(2026, 3, 21), "t", price_usd=2000.0),
        ),
        notes=(closed,),
    )
    saturday = datetime(2026, 3, 21, 9, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    checked = check_snapshot(snap, saturday, registry, CFG)
    assert checked.notes.count(closed) == 1
    assert [q.instrument for q in checked.crypto] == ["ETH"]
    assert any(n.message.startswith("BTC: t gave price 0.0") for n in checked.notes)
    assert {n.market for n in checked.notes if n.kind is NoteKind.CLOSED} == {"US", "HK", "CN"}


def test_a_trading_evening_adds_nothing(registry):
    snap = MarketSnapshot(
        report_date=FRIDAY,
        indexes=(IndexQuote("HSI", FRIDAY, "t", close=25_000.0, previous_close=24_900.0),),
    )
    assert check_snapshot(snap, FRIDAY_EVENING_HK, registry, CFG) == snap


@pytest.mark.parametrize(
    ("lag_min", "flagged"), [(30, False), (60, False), (61, True), (-30, False), (-90, True)]
)
def test_a_24_h_change_ending_long_before_the_report_is_flagged(registry, lag_min, flagged):
    now = datetime(2026, 3, 22, 9, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    quote = CryptoQuote(
        "BTC",
        date(2026, 3, 22),
        "binance",
        price_usd=70_000.0,
        change_24h_pct=-4.99,
        as_of=now - timedelta(minutes=lag_min),
    )
    snap = MarketSnapshot(report_date=date(2026, 3, 22), crypto=(quote,))
    notes = [n for n in check_snapshot(snap, now, registry, CFG).notes if n.market == "CRYPTO"]
    assert bool(notes) is flagged
    if flagged:
        assert "it is not the 24 h to then" in notes[0].message
        assert notes[0].kind is (NoteKind.STALE if lag_min > 0 else NoteKind.DATA_QUALITY)

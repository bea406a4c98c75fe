"""The live path end to end on replayed bodies: sessions, closures, stored closes, spread ranks."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from core.analysis.build import build_report
from core.analysis.history_stats import zscore_phrase
from core.formatting import session_label
from core.history import DailyClose, HistoryStore
from core.i18n import Language
from core.live import live_snapshot, pair_history
from core.localize import localize
from core.report import Paragraph, Table, WarningKind
from core.snapshot import NoteKind
from renderers.text import render_text
from tests.core.live_replay import offline, replay_upstream
from tests.english import english_runs
from tests.fakeclock import FakeClock

HKT = ZoneInfo("Asia/Hong_Kong")
NEW_YORK = ZoneInfo("America/New_York")
FRIDAY = date(2026, 3, 20)
SUNDAY_MORNING_HK = datetime(2026, 3, 22, 8, 0, tzinfo=HKT)
PAIRS = [("SPX", "HSI"), ("NASDAQ", "HSTECH"), ("CHINEXT", "SSE")]


@pytest.fixture
def store(tmp_path):
    history = HistoryStore(f"sqlite:///{tmp_path / 'history.sqlite3'}")
    yield history
    history.dispose()


@pytest_asyncio.fixture
async def replay():
    """Return a builder of live snapshots served from recorded bodies ending on Friday."""
    upstream = replay_upstream(FRIDAY, date(2026, 3, 21))
    async with httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler)) as client:

        async def build(now: datetime, store: HistoryStore | None = None):
            return await live_snapshot(client, now, store=store, clock=FakeClock())

        yield build


def _notes(snap, kind, market):
    return [n.message for n in snap.notes if n.kind is kind and n.market == market]


@pytest.mark.asyncio
async def test_sunday_morning_in_hong_kong_shows_fridays_sessions_as_closed(replay, store):
    snap = await replay(SUNDAY_MORNING_HK, store)
    for key in ("SPX", "DJIA", "NASDAQ", "HSI", "HSCEI", "HSTECH"):
        assert snap.index(key).session_date == FRIDAY, key
    for market in ("US", "HK"):
        assert _notes(snap, NoteKind.CLOSED, market) == [
            f"{market} closed on Sun 2026-03-22 (weekend) — last session {session_label(FRIDAY)}"
        ]
        assert not _notes(snap, NoteKind.STALE, market)

    report = build_report(snap)
    sessions = {s.market: s.session_date for s in report.sessions}
    assert sessions["US"] == sessions["HK"] == FRIDAY
    closed = {w.market: w.message for w in report.warnings if w.kind is WarningKind.CLOSED}
    assert "US closed on Sun 2026-03-22" in closed["US"]
    assert "HK closed on Sun 2026-03-22" in closed["HK"]
    text = render_text(report)
    assert "Fri 2026-03-20" in text
    assert "today" not in text.lower()


@pytest.mark.asyncio
async def test_first_run_back_fills_the_store_from_the_chart_range(replay, store):
    snap = await replay(SUNDAY_MORNING_HK, store)
    # 125 shaped sessions per index: 124 earlier bars back-filled, the latest from the snapshot.
    assert store.session_count("SPX") == 125
    assert store.latest_session("HSI") == FRIDAY
    assert store.closes("SPX", FRIDAY)[0].close == snap.index("SPX").close

    history = pair_history(store, snap.report_date, PAIRS, 60)
    for a, b in PAIRS:
        stats = history.of(a, b)
        assert stats.aligned_sessions > 60 and stats.zscore is not None, (a, b)
        assert stats.correlation is not None

    report = build_report(snap, sections=("divergences",), history=history)
    section = report.sections[0]
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.columns[-2:] == ("z (60 sessions)", "Correlation")
    row = next(r for r in table.rows if r[0].value == "S&P 500 vs HSI")
    assert row[-2].value == f"{history.of('SPX', 'HSI').zscore:+.1f}σ"
    words = render_text(report)
    ranked = [history.of(a, b) for a, b in PAIRS]
    assert any(zscore_phrase(s.zscore) in words for s in ranked)
    assert "not ranked against past sessions" not in words


@pytest.mark.asyncio
async def test_a_later_run_fills_gaps_but_keeps_stored_closes(replay, store):
    kept = DailyClose("SPX", date(2026, 3, 2), 1234.5, "earlier run")
    store.upsert_closes([kept])
    await replay(SUNDAY_MORNING_HK, store)
    assert kept in store.closes("SPX", kept.session_date, kept.session_date)
    assert store.session_count("SPX") == 125


@pytest.mark.asyncio
async def test_a_session_still_trading_is_flagged_and_not_stored(replay, store):
    friday_noon = datetime(2026, 3, 20, 12, 0, tzinfo=NEW_YORK)
    snap = await replay(friday_noon, store)
    assert snap.index("SPX").session_date == FRIDAY
    [intraday, *_] = _notes(snap, NoteKind.DATA_QUALITY, "US")
    assert "the Fri 2026-03-20 session had not closed" in intraday
    assert store.latest_session("SPX") == date(2026, 3, 19)


@pytest.mark.asyncio
async def test_quotes_older_than_the_latest_session_are_stale(replay):
    monday_evening = datetime(2026, 3, 23, 20, 0, tzinfo=NEW_YORK)
    snap = await replay(monday_evening)
    stale = _notes(snap, NoteKind.STALE, "US")
    assert len(stale) == 3
    assert all(
        "is from Fri 2026-03-20, but the Mon 2026-03-23 session has closed" in m for m in stale
    )


@pytest.mark.asyncio
async def test_a_broken_store_costs_a_note_not_the_report(replay, store, caplog):
    store.drop()
    snap = await replay(SUNDAY_MORNING_HK, store)
    [note] = [n for n in snap.notes if n.message.startswith("Closes not stored")]
    assert note.kind is NoteKind.INFO and "the log has its error" in note.message
    assert "cannot read closes" in caplog.text  # the database's error goes to the log
    assert snap.index("SPX") is not None
    history = pair_history(store, snap.report_date, PAIRS, 60)
    assert history.unavailable == "the history store could not be read (the log has its error)"
    assert "pair history not read" in caplog.text
    report = build_report(snap, sections=("divergences",), history=history, at=SUNDAY_MORNING_HK)
    [zh] = [s for s in localize(report, Language.ZH).sections if s.key == "divergences"]
    said = " ".join(b.text for b in zh.blocks if isinstance(b, Paragraph))
    assert "无法读取历史行情库（错误详见日志）" in said and english_runs(said) == []


@pytest.mark.asyncio
async def test_no_network_names_every_source_and_still_gives_calendar_notes():
    async with httpx.AsyncClient(transport=httpx.MockTransport(offline)) as client:
        snap = await live_snapshot(client, SUNDAY_MORNING_HK, clock=FakeClock())
    assert snap.indexes == () and snap.crypto == ()
    failed = [s for s in snap.sources if not s.ok]
    assert failed and all("ConnectError" in s.reason for s in failed)
    assert {n.market for n in snap.notes if n.kind is NoteKind.CLOSED} == {"US", "HK", "CN"}
    report = build_report(snap)
    failures = [w for w in report.warnings if w.kind is WarningKind.SOURCE_FAILED]
    # Each failed provider is worded once, by its failure note.
    assert len(failures) == len(failed)
    divergences = next(s for s in report.sections if s.key == "divergences")
    assert Paragraph("Spreads are not ranked against past sessions: no stored history.") in (
        divergences.blocks
    )

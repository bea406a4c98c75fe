"""ReportCache: one build per day, one render per (day, platform, sections), typed answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.commands import DivergenceRequest, ReportRequest
from bot.delivery import Broadcaster
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from core.analysis.history_stats import spread_stats
from core.errors import SourceUnavailable
from core.history import DailyClose, HistoryStore
from core.i18n import Language
from core.report import Table, WarningKind
from core.sections import SECTIONS
from core.snapshot import SourceStatus
from renderers.parts import PhotoPart, TextPart, utf16_len
from renderers.telegram_html import CAPTION_LIMIT
from renderers.text import render_text
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
NOW = datetime(2026, 3, 21, 1, 0, tzinfo=UTC)


async def test_report_is_built_once_and_rendered_once_per_key() -> None:
    calls = []
    source = demo_source()

    async def counting(now):
        calls.append(now)
        return await source(now)

    reports = ReportCache(counting, clock=FakeClock(NOW))
    results = await asyncio.gather(*(reports.parts("telegram") for _ in range(5)))
    assert all(r is results[0] for r in results)
    assert (reports.builds, reports.renders, len(calls)) == (1, 1, 1)
    await reports.parts("telegram", ("hk",))
    assert reports.renders == 2


def _live_like(failed: bool = False):
    """Return a source that, like live data, is built at the asked instant."""
    demo = demo_source()
    calls: list[datetime] = []

    async def source(now):
        calls.append(now)
        snapshot = (await demo(now)).with_changes(generated_at=now, demo_note=None)
        if failed:
            snapshot = snapshot.with_changes(sources=(SourceStatus("okx", False, "HTTP 503"),))
        return snapshot

    return source, calls


@pytest.mark.parametrize(
    ("later", "fetched_again"),
    [
        # Saturday 01:00 UTC → Sunday: no market has closed a new session.
        (NOW + timedelta(days=1), False),
        # A new UTC date alone changes nothing: Sunday 23:59 → Monday 00:01 UTC.
        (datetime(2026, 3, 23, 0, 1, tzinfo=UTC), False),
        # Monday 07:30 UTC: Shanghai's Monday session has closed.
        (datetime(2026, 3, 23, 7, 30, tzinfo=UTC), True),
    ],
    ids=["weekend", "utc-midnight", "new-session"],
)
async def test_the_snapshot_is_fetched_again_only_when_a_session_has_closed(later, fetched_again):
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    await reports.report()
    await reports.report(now_utc=later)
    assert len(calls) == (2 if fetched_again else 1)


async def test_a_failed_source_is_retried_after_the_configured_interval() -> None:
    source, calls = _live_like(failed=True)
    reports = ReportCache(source, clock=FakeClock(NOW), retry_failed_after=timedelta(minutes=15))
    await reports.report()
    await reports.report(now_utc=NOW + timedelta(minutes=14))
    assert len(calls) == 1
    await reports.report(now_utc=NOW + timedelta(minutes=15))
    assert len(calls) == 2


async def test_the_report_is_dated_in_the_readers_zone() -> None:
    # Saturday 01:00 UTC is Saturday 09:00 in Hong Kong and Friday 18:00 in Los Angeles.
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    hk = await reports.report(zone="Asia/Hong_Kong")
    la = await reports.report(zone="America/Los_Angeles")
    assert (hk.report_date, la.report_date) == (date(2026, 3, 21), date(2026, 3, 20))
    assert hk.report_at == la.report_at == NOW
    assert len(calls) == 1


async def test_sections_keep_the_disclaimer() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    report = await reports.report(ReportRequest(("hk",)))
    assert [s.key for s in report.sections] == ["hk", "disclaimer"]


async def test_divergence_without_history_is_the_table() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    parts = await reports.divergence_parts("telegram", DivergenceRequest("HSTECH", "NASDAQ"))
    assert all(isinstance(p, TextPart) for p in parts)
    assert "-47 bps" in "".join(p.text for p in parts)


def _stored_history(tmp_path) -> HistoryStore:
    history = HistoryStore(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    start = date(2026, 3, 20) - timedelta(days=99)
    rows = []
    for n in range(100):
        day = start + timedelta(days=n)
        rows.append(DailyClose("HSI", day, 20000 * (1 + 0.01 * ((n * 7) % 5 - 2) / 3), "t"))
        rows.append(DailyClose("SPX", day, 5000 * (1 + 0.01 * ((n * 3) % 4 - 1.5) / 3), "t"))
    history.upsert_closes(rows)
    return history


def _closes(history: HistoryStore, key: str) -> dict[date, float]:
    return {c.session_date: c.close for c in history.closes(key, date(2025, 1, 1), NOW.date())}


async def test_divergence_with_history_ranks_over_days_and_adds_the_chart(tmp_path) -> None:
    history = _stored_history(tmp_path)
    reports = ReportCache(demo_source(), history=history, clock=FakeClock(NOW))
    answer = await reports.divergence(DivergenceRequest("HSI", "SPX", 20))
    assert answer.chart is not None and len(answer.chart.spreads_bps) == 20
    expected = spread_stats(_closes(history, "HSI"), _closes(history, "SPX"), window=20)
    assert answer.chart.spreads_bps[-1][1] == pytest.approx(expected.spread_bps)
    table, sentence = answer.report.sections[0].blocks[:2]
    assert table.columns[-2:] == ("z (20 sessions)", "Correlation")
    assert table.rows[0][-2].value == f"{expected.zscore:+.1f}σ"
    assert "against the previous 20 aligned sessions" in sentence.text
    assert f"(z {expected.zscore:+.1f};" in sentence.text
    # One photo: the chart, its caption the spread, z-score, correlation and the sessions.
    (photo,) = await reports.divergence_parts("telegram", DivergenceRequest("HSI", "SPX", 20))
    assert isinstance(photo, PhotoPart) and photo.filename == "divergence-hsi-s-p-500.png"
    for figure in ("+64 bps", f"z {expected.zscore:+.1f}", "correlation", "Sessions: "):
        assert figure in photo.caption
    assert utf16_len(photo.caption) <= CAPTION_LIMIT
    (message,) = await reports.divergence_parts("discord", DivergenceRequest("HSI", "SPX", 20))
    assert [f.filename for f in message.files] == ["divergence-hsi-s-p-500.png"]
    assert "correlation" in message.embeds[0]["description"]


async def test_daily_report_ranks_configured_pairs_from_the_history_store(tmp_path) -> None:
    history = _stored_history(tmp_path)
    reports = ReportCache(demo_source(), history=history, clock=FakeClock(NOW))
    report = await reports.report(ReportRequest(("divergences",)))
    (table,) = [b for b in report.sections[0].blocks if isinstance(b, Table)]
    window = reports.settings.history.window_sessions
    assert table.columns[-2] == f"z ({window} sessions)"
    expected = spread_stats(_closes(history, "SPX"), _closes(history, "HSI"), window=window)
    spx, hsi = (reports.registry.resolve(k).display_name for k in ("SPX", "HSI"))
    by_pair = {row[0].value: row for row in table.rows}
    assert by_pair[f"{spx} vs {hsi}"][-2].value == f"{expected.zscore:+.1f}σ"
    without = await ReportCache(demo_source(), clock=FakeClock(NOW)).report(
        ReportRequest(("divergences",))
    )
    assert "not ranked against past sessions" in render_text(without)


async def test_sources_lists_every_quote_with_session() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    report = await reports.sources()
    quotes = report.sections[0].blocks[0]
    assert len(quotes.rows) >= 6
    assert {row[2].value for row in quotes.rows} >= {"Fri 2026-03-20", "Mon 2026-03-23"}


async def test_a_monday_morning_reader_gets_mondays_report_from_saturdays_fetch() -> None:
    # Fetched Saturday; asked Monday 07:00 in Hong Kong (Sunday 23:00 UTC), before any session.
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    saturday = await reports.report(zone="Asia/Hong_Kong")
    closed = [w.message for w in saturday.warnings if w.kind is WarningKind.CLOSED]
    assert any(m.startswith("HK closed on Sat 2026-03-21 (weekend)") for m in closed)
    monday = await reports.report(
        now_utc=datetime(2026, 3, 22, 23, 0, tzinfo=UTC), zone="Asia/Hong_Kong"
    )
    assert len(calls) == 1
    assert monday.report_date == date(2026, 3, 23)
    assert monday.title.endswith("2026-03-23")
    assert not [w for w in monday.warnings if w.kind is WarningKind.CLOSED]


async def test_a_fixed_offset_reader_is_dated_like_the_named_zone() -> None:
    source, _ = _live_like()
    reports = ReportCache(source, clock=FakeClock(datetime(2026, 3, 20, 17, 0, tzinfo=UTC)))
    offset = await reports.report(zone="UTC+08:00")
    named = await reports.report(zone="Asia/Hong_Kong")
    assert offset.report_date == named.report_date == date(2026, 3, 21)


async def test_prebuild_renders_ahead_so_the_first_ask_is_cached() -> None:
    reports = ReportCache(demo_source(), renderers={"text": _text_parts}, clock=FakeClock(NOW))
    assert not reports.is_cached("text", ReportRequest())
    await reports.prebuild(["text"])
    renders = reports.renders
    assert reports.is_cached("text", ReportRequest())
    assert reports.is_cached("text", ReportRequest(("hk",)))  # /market HK, the HK button
    assert not reports.is_cached("text", ReportRequest(("hk", "us")))
    assert not reports.is_cached("text", DivergenceRequest("HSI", "SPX"))
    parts, later = await reports.parts_text_first("text")
    assert later is None and parts == await reports.parts("text")
    assert reports.renders == renders == len(SECTIONS)  # the digest and each section but one


async def test_a_cold_ask_gets_the_text_first_and_the_photos_after() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    text, later = await reports.parts_text_first("telegram", ("hk",))
    assert text and all(isinstance(p, TextPart) for p in text)
    assert later is not None
    photos = await later
    assert photos and not any(isinstance(p, TextPart) for p in photos)
    assert reports.is_cached("telegram", ReportRequest(("hk",)))


async def test_a_failing_prebuild_is_logged_not_raised(caplog) -> None:
    async def failing(now):
        raise SourceUnavailable("yahoo", "HTTP 503")

    await ReportCache(failing, clock=FakeClock(NOW)).prebuild(["telegram"])
    assert "prebuild failed" in caplog.text


def _text_parts(report, *, with_images: bool = True, charts=(), digest: bool = False):
    return [TextPart(render_text(report))]


async def test_each_language_is_rendered_once_and_shared() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    english = await reports.parts("telegram")
    chinese = [await reports.parts("telegram", language=Language.ZH) for _ in range(3)]
    assert all(c is chinese[0] for c in chinese)
    assert (reports.builds, reports.renders) == (1, 2)  # one build; one render per language
    assert chinese[0] != english


async def test_the_daily_digest_is_rendered_once_per_language(tmp_path) -> None:
    store = await AsyncStore.open(
        f"sqlite:///{tmp_path / 'bot.sqlite3'}", clock=FakeClock(NOW - timedelta(days=1))
    )
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    sent: dict[str, list] = {}
    menus: dict[str, list] = {}

    class Recorder:
        async def send_part(self, chat_id, part, *, menu=None) -> None:
            sent.setdefault(chat_id, []).append(part)
            if menu is not None:
                menus.setdefault(chat_id, []).append((len(sent[chat_id]) - 1, menu))

    languages = {"1": Language.ZH, "2": Language.ZH, "3": Language.EN, "4": None}
    for chat, language in languages.items():
        await store.subscribe("telegram", chat, "00:30", "UTC", language=language)
    try:
        result = await Broadcaster(store, reports, {"telegram": Recorder()}).tick(NOW)
    finally:
        await store.close()
    assert result["sent"] == 4 and reports.renders == 2  # zh once, en once (4: the default)
    assert sent["1"] == sent["2"] == await reports.parts("telegram", language=Language.ZH)
    assert sent["3"] == sent["4"] == await reports.parts("telegram")
    # Each digest's text carries the section buttons once, in the chat's language.
    assert menus == {"1": [(0, Language.ZH)], "2": [(0, Language.ZH)]} | {
        chat: [(0, Language.EN)] for chat in ("3", "4")
    }

"""A pair's divergence from the cache: the table without history, ranked with a chart with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.commands import DivergenceRequest, ReportRequest
from bot.report_cache import ReportCache, demo_source
from core.analysis.history_stats import spread_stats
from core.history import DailyClose, HistoryStore
from core.report import Table
from renderers.parts import PhotoPart, TextPart, utf16_len
from renderers.telegram_html import CAPTION_LIMIT
from renderers.text import render_text
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
NOW = datetime(2026, 3, 21, 1, 0, tzinfo=UTC)


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
    # The 20 sessions today is ranked against, and today.
    assert answer.chart is not None and len(answer.chart.spreads_bps) == 20 + 1
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

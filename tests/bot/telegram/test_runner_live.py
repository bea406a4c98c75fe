"""``marketbot run`` on live data: recorded bodies replayed, closes kept, the digest sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from bot.report_cache import ReportCache
from bot.runner import live_source
from bot.store import AsyncStore, DeliveryStatus
from bot.telegram.settings import API_ENV as TELEGRAM_API_ENV
from bot.telegram.settings import TOKEN_ENV as TELEGRAM_TOKEN_ENV
from core.history import HistoryStore
from tests.bot.runner_ticks import NOTHING_DUE, SENT_ONE, start_run, subscribe_due
from tests.bot.telegram.fake_api import TOKEN
from tests.core.live_replay import replay_at
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

CHAT = 5151
FRIDAY = date(2026, 3, 20)
SATURDAY_MORNING = datetime(2026, 3, 21, 1, 0, tzinfo=UTC)


def _replay(now: datetime) -> httpx.MockTransport:
    return httpx.MockTransport(replay_at(now).handler)


async def test_live_source_feeds_the_service_and_keeps_closes_for_the_ranks(tmp_path) -> None:
    history = HistoryStore(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    try:
        source = live_source(history, transport=_replay(SATURDAY_MORNING))
        reports = ReportCache(source, history=history, clock=FakeClock(SATURDAY_MORNING))
        report = await reports.report()
        assert report.demo_note is None
        assert {s.market: s.session_date for s in report.sessions}["HK"] == FRIDAY
        # The back-filled closes rank today's spreads: the table has its z column.
        window = reports.settings.history.window_sessions
        divergences = next(s for s in report.sections if s.key == "divergences")
        assert divergences.blocks[0].columns[-2] == f"z ({window} sessions)"
        assert len(history.closes("HSI", FRIDAY - timedelta(days=120), FRIDAY)) >= window
    finally:
        history.dispose()


async def test_run_without_demo_delivers_a_live_digest(api, db_url) -> None:
    now = SATURDAY_MORNING
    await subscribe_due(db_url, "telegram", CHAT, ("hk", "divergences"), now)
    env = {
        TELEGRAM_TOKEN_ENV: TOKEN,
        TELEGRAM_API_ENV: api.base_url,
        "MARKETBOT_DATABASE_URL": db_url,
    }
    running = start_run(env, now, transport=_replay(now))
    try:
        first, *later = await running.next_ticks(3)
    finally:
        assert await running.finish() == 0
    assert (first, later) == (SENT_ONE, [NOTHING_DUE] * 2)
    digest = "\n".join(api.texts_to(CHAT))
    assert "Hong Kong Market" in digest
    assert "SAMPLE DATA" not in digest
    assert "Cross-Market Divergences" in digest
    # Each table once: the ranked divergence table (z, correlation) goes as its image.
    assert any(s.method in ("sendPhoto", "sendMediaGroup") for s in api.sent_to(CHAT))
    store = await AsyncStore.open(db_url)
    try:
        (sent,) = [d for d in await store.deliveries_on([now.date()]) if d.chat_id == str(CHAT)]
        assert sent.status is DeliveryStatus.SENT
    finally:
        await store.close()
    history = HistoryStore(db_url)
    try:
        assert history.closes("HSI", now.date() - timedelta(days=30), now.date())
    finally:
        history.dispose()

"""Fixtures: the fake Bot API, a store, the demo report service and the real PTB Application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.delivery import Broadcaster
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from bot.telegram.app import bot_context, build_application, start_application, stop_application
from bot.telegram.pacing import PacedRateLimiter
from tests.bot.telegram.fake_api import TOKEN, FakeBotApi
from tests.fakeclock import FakeClock

# 2026-03-20 23:00 UTC = 07:00 on the 21st in Hong Kong: before an 08:00 HKT slot.
START = datetime(2026, 3, 20, 23, 0, tzinfo=UTC)


@dataclass
class Bot:
    """A running bot under test: the fake API, the Application, its store and broadcaster."""

    api: FakeBotApi
    app: Application
    store: AsyncStore
    reports: ReportCache
    clock: FakeClock

    def broadcaster(self, worker_id: str = "worker-1", **kwargs: object) -> Broadcaster:
        """Return a broadcaster sending through this bot's Telegram sender."""
        return Broadcaster(
            self.store,
            self.reports,
            {"telegram": bot_context(self.app).sender},
            worker_id=worker_id,
            **kwargs,  # type: ignore[arg-type]
        )


def fast_limiter() -> PacedRateLimiter:
    """Return the bot's limiter on a clock of its own: its waits (pacing, injected 429s) pass
    at once in virtual time, leaving the bot's clock (store, reports) where the test put it."""
    return PacedRateLimiter(
        1000, group_max_rate=1000, group_time_period=1, max_retries=3, clock=FakeClock()
    )


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """Yield a started fake Bot API."""
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """Return a fresh SQLite database URL."""
    return f"sqlite:///{tmp_path / 'bot.sqlite3'}"


async def open_bot(api: FakeBotApi, db_url: str, clock: FakeClock, **app_kwargs) -> Bot:
    """Build and start the real Application against the fake API."""
    store = await AsyncStore.open(db_url, clock=clock)
    reports = ReportCache(demo_source(), clock=clock)
    app = build_application(
        TOKEN,
        reports,
        store,
        base_url=api.base_url,
        rate_limiter=app_kwargs.pop("rate_limiter", fast_limiter()),
        limiter=app_kwargs.pop("limiter", RateLimiter(burst=100, per_minute=600)),
    )
    await start_application(app)
    return Bot(api, app, store, reports, clock)


@pytest_asyncio.fixture
async def bot(api: FakeBotApi, db_url: str) -> AsyncIterator[Bot]:
    """Yield a running bot on SQLite with the demo report, clock at START."""
    running = await open_bot(api, db_url, FakeClock(START))
    yield running
    await stop_application(running.app)
    await running.store.close()

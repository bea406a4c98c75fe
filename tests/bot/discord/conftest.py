"""Fixtures: the fake Discord, discord.py pointed at it, and the real bot logged in."""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
import yarl
from discord.gateway import DiscordWebSocket

from bot.delivery import Broadcaster
from bot.discord.app import RunningDiscord, start_discord, stop_discord
from bot.discord.client import MarketBot
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, SnapshotSource, demo_source
from bot.store import AsyncStore
from core.history import DailyClose, HistoryStore
from tests.bot.discord.fake_discord import APP_ID, GUILD_ID, TOKEN, FakeDiscord, snowflake, user
from tests.fakeclock import FakeClock

# 2026-03-20 23:00 UTC = 07:00 on the 21st in Hong Kong: before an 08:00 HKT slot.
START = datetime(2026, 3, 20, 23, 0, tzinfo=UTC)
CHANNEL_ID = 1_400_000_000_000_000_001
MEMBER_ID = 1_500_000_000_000_000_001
P = discord.Permissions
MEMBER = P(view_channel=True, send_messages=True, use_application_commands=True)
MANAGER = P(view_channel=True, send_messages=True, manage_channels=True)
BOT_OK = P(view_channel=True, send_messages=True, embed_links=True, attach_files=True)
_tokens = itertools.count(1)


@pytest_asyncio.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """Yield a started fake Discord with discord.py's REST base and gateway pointed at it."""
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
    yield server
    await server.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """Return a fresh SQLite database URL."""
    return f"sqlite:///{tmp_path / 'bot.sqlite3'}"


def stored_history(url: str, keys: tuple[str, str], until: date, sessions: int = 90):
    """Return a history store with ``sessions`` weekday closes of two instruments."""
    history = HistoryStore(url)
    rng = random.Random(7)
    rows, levels = [], {keys[0]: 5000.0, keys[1]: 17000.0}
    day = until - timedelta(days=int(sessions * 1.5))
    while day <= until:
        if day.weekday() < 5:
            for key in keys:
                levels[key] *= 1 + rng.gauss(0, 0.012)
                rows.append(DailyClose(key, day, round(levels[key], 2), "fake"))
        day += timedelta(days=1)
    history.upsert_closes(rows)
    return history


@dataclass
class Bot:
    """The real bot logged in to the fake Discord, with its store, service and clock."""

    api: FakeDiscord
    running: RunningDiscord
    store: AsyncStore
    reports: ReportCache
    clock: FakeClock

    @property
    def client(self) -> MarketBot:
        """Return the discord.py client."""
        return self.running.bot

    def broadcaster(self, worker_id: str = "worker-1") -> Broadcaster:
        """Return a broadcaster sending through this bot's Discord sender."""
        return Broadcaster(
            self.store, self.reports, {"discord": self.client.sender}, worker_id=worker_id
        )


async def open_bot(
    api: FakeDiscord,
    db_url: str,
    *,
    history: HistoryStore | None = None,
    source: SnapshotSource | None = None,
) -> Bot:
    """Start the real bot against the fake Discord and wait for its gateway session."""
    clock = FakeClock(START)
    store = await AsyncStore.open(db_url, clock=clock)
    reports = ReportCache(source or demo_source(), history=history, clock=clock)
    running = await start_discord(
        TOKEN,
        reports,
        store,
        guild_id=GUILD_ID,
        limiter=RateLimiter(burst=100, per_minute=600),
    )
    await api.wait_for(api.identified.is_set)
    return Bot(api, running, store, reports, clock)


@pytest_asyncio.fixture
async def bot(api: FakeDiscord, db_url: str, tmp_path: Path) -> AsyncIterator[Bot]:
    """Yield the bot on SQLite with the demo report and stored HSTECH/Nasdaq history."""
    history = stored_history(
        f"sqlite:///{tmp_path / 'history.sqlite3'}", ("NASDAQ", "HSTECH"), date(2026, 3, 20)
    )
    running = await open_bot(api, db_url, history=history)
    yield running
    await stop_discord(running.running)
    await running.store.close()


def interaction(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    focused: str | None = None,
    permissions: discord.Permissions = MEMBER,
    app_permissions: discord.Permissions = BOT_OK,
    channel_id: int = CHANNEL_ID,
    user_id: int = MEMBER_ID,
) -> dict[str, Any]:
    """Return an INTERACTION_CREATE payload: a slash command, or autocomplete on ``focused``."""
    opts = []
    for key, value in (options or {}).items():
        option = {"name": key, "type": 4 if isinstance(value, int) else 3, "value": value}
        if key == focused:
            option["focused"] = True
        opts.append(option)
    return {
        "id": snowflake(),
        "application_id": str(APP_ID),
        "type": 4 if focused else 2,
        "token": f"interaction-token-{next(_tokens)}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(channel_id),
        "channel": {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": "markets",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        },
        "member": {
            "user": user(user_id, "trader"),
            "roles": [],
            "joined_at": "2025-01-01T00:00:00.000000+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions.value),
        },
        "app_permissions": str(app_permissions.value),
        "attachment_size_limit": 10 * 1024 * 1024,
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "data": {"id": snowflake(), "name": name, "type": 1, "options": opts},
    }


def choice(
    custom_id: str, values: list[str], message: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """Return an INTERACTION_CREATE payload: ``values`` chosen in a select of ``message``."""
    payload = interaction("", **kwargs)
    payload["type"] = 3
    payload["message"] = {**message, "channel_id": payload["channel_id"]}
    payload["data"] = {"custom_id": custom_id, "component_type": 3, "values": values}
    return payload

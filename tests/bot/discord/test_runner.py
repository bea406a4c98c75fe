"""``marketbot run`` with Discord: client.start on the same loop, digests, a missing token."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.runner import DISCORD_GUILD_ENV, DISCORD_TOKEN_ENV, TELEGRAM_TOKEN_ENV, run
from bot.store import Store
from tests.bot.discord.conftest import interaction
from tests.bot.discord.fake_discord import GUILD_ID, TOKEN

pytestmark = pytest.mark.asyncio
CHANNEL = "1700000000000000001"


async def test_run_starts_discord_answers_and_delivers(api, db_url, caplog) -> None:
    now = datetime.now(UTC)
    if now.hour == 0 and now.minute < 3:
        pytest.skip("the slot a minute ago would be yesterday's")
    slot = (now - timedelta(minutes=1)).strftime("%H:%M")
    Store(db_url, clock=lambda: now - timedelta(days=1)).subscribe(
        "discord", CHANNEL, slot, "UTC", ("hk",)
    )
    env = {
        DISCORD_TOKEN_ENV: TOKEN,
        DISCORD_GUILD_ENV: str(GUILD_ID),
        "MARKETBOT_DATABASE_URL": db_url,
    }
    stop = asyncio.Event()
    caplog.set_level(logging.INFO)
    task = asyncio.create_task(run(demo=True, env=env, stop=stop, tick=timedelta(seconds=1)))
    try:
        await api.wait_for(lambda: api.sent_to(CHANNEL), timeout=20)
        await api.wait_for(api.identified.is_set, timeout=20)
        payload = interaction("market", {"market": "HK"})
        await api.interact(payload)
        await api.wait_for(lambda: api.answers(payload["token"]), timeout=20)
        await asyncio.sleep(1.5)  # more ticks: still one digest
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
    digest = api.sent_to(CHANNEL)
    assert any("Hong Kong Market" in e.get("title", "") for m in digest for e in m.embeds)
    assert len(digest) == len(api.answers(payload["token"]))
    assert {"global", str(GUILD_ID)} <= set(api.synced)
    assert f"{TELEGRAM_TOKEN_ENV} is not set: Telegram is disabled" in caplog.text
    assert TOKEN not in caplog.text


async def test_missing_discord_token_disables_discord_with_a_log_line(db_url, caplog) -> None:
    caplog.set_level(logging.WARNING)
    assert await run(demo=True, env={"MARKETBOT_DATABASE_URL": db_url}) == 1
    assert f"{DISCORD_TOKEN_ENV} is not set: Discord is disabled" in caplog.text


async def test_a_rejected_token_disables_discord_without_a_crash(api, db_url, caplog) -> None:
    api.reject_token = True
    caplog.set_level(logging.WARNING)
    env = {DISCORD_TOKEN_ENV: TOKEN, "MARKETBOT_DATABASE_URL": db_url}
    assert await asyncio.wait_for(run(demo=True, env=env), 20) == 1
    assert "Discord is disabled: the bot could not log in" in caplog.text
    assert TOKEN not in caplog.text

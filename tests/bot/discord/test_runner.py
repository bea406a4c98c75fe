"""``marketbot run`` with Discord: client.start on the same loop, digests, a missing token."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from bot.discord.settings import GUILD_ENV as DISCORD_GUILD_ENV
from bot.discord.settings import TOKEN_ENV as DISCORD_TOKEN_ENV
from bot.runner import run
from bot.telegram.settings import TOKEN_ENV as TELEGRAM_TOKEN_ENV
from tests.bot.discord.conftest import interaction
from tests.bot.discord.fake_discord import GUILD_ID, TOKEN
from tests.bot.runner_ticks import HANG_S, NOTHING_DUE, SENT_ONE, start_run, subscribe_due

pytestmark = pytest.mark.asyncio
CHANNEL = "1700000000000000001"
NOW = datetime(2026, 3, 20, 0, 1, tzinfo=UTC)


async def test_run_starts_discord_answers_and_delivers(api, db_url, caplog) -> None:
    await subscribe_due(db_url, "discord", CHANNEL, ("hk",), NOW)
    env = {
        DISCORD_TOKEN_ENV: TOKEN,
        DISCORD_GUILD_ENV: str(GUILD_ID),
        "MARKETBOT_DATABASE_URL": db_url,
    }
    caplog.set_level(logging.INFO)
    running = start_run(env, NOW, demo=True)
    try:
        (first,) = await running.next_ticks(1)
        await api.wait_for(api.identified.is_set, timeout=HANG_S)
        payload = interaction("market", {"market": "HK"})
        await api.interact(payload)
        await api.wait_for(lambda: api.answers(payload["token"]), timeout=HANG_S)
        later = await running.next_ticks(3)
    finally:
        assert await running.finish() == 0
    # The first tick sends the digest; later ticks find nothing due.
    assert (first, later) == (SENT_ONE, [NOTHING_DUE] * 3)
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
    assert await asyncio.wait_for(run(demo=True, env=env), HANG_S) == 1
    assert f"Discord is disabled: Discord rejected {DISCORD_TOKEN_ENV} (401" in caplog.text
    assert TOKEN not in caplog.text

"""``marketbot run`` with Discord: client.start on the same loop, digests, a missing token."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime

import discord
import pytest

from bot.discord.settings import GUILD_ENV as DISCORD_GUILD_ENV
from bot.discord.settings import TOKEN_ENV as DISCORD_TOKEN_ENV
from bot.runner import run
from bot.startup import DEFAULT_ATTEMPTS
from bot.telegram.settings import API_ENV as TELEGRAM_API_ENV
from bot.telegram.settings import TOKEN_ENV as TELEGRAM_TOKEN_ENV
from tests.bot.discord.conftest import interaction
from tests.bot.discord.fake_discord import GUILD_ID, TOKEN
from tests.bot.runner_ticks import HANG_S, NOTHING_DUE, SENT_ONE, start_run, subscribe_due
from tests.bot.telegram.fake_api import TOKEN as TELEGRAM_TOKEN
from tests.bot.telegram.fake_api import FakeBotApi
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
CHANNEL = "1700000000000000001"
NOW = datetime(2026, 3, 20, 0, 1, tzinfo=UTC)
DOWN = "http://127.0.0.1:1/api/v10"  # nothing listens on port 1


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
    (line,) = [m for m in caplog.messages if "Discord is disabled" in m]
    assert line == f"Discord is disabled: Discord rejected {DISCORD_TOKEN_ENV} (401 Unauthorized)"
    assert not any(r.exc_info for r in caplog.records)
    assert TOKEN not in caplog.text


async def test_a_gateway_closed_for_good_is_not_reported_as_a_rejected_token(api, db_url, caplog):
    env = {DISCORD_TOKEN_ENV: TOKEN, "MARKETBOT_DATABASE_URL": db_url}
    caplog.set_level(logging.WARNING)
    running = start_run(env, NOW, demo=True)
    await api.wait_for(api.identified.is_set, timeout=HANG_S)
    await api.close_gateway(4014)  # disallowed intents: discord.py does not reconnect
    # No platform is left: the run ends non-zero by itself, so a supervisor restarts or alerts.
    assert await asyncio.wait_for(running.task, HANG_S) == 1
    (line,) = [m for m in caplog.messages if m.startswith("Discord stopped: ")]
    assert line.startswith("Discord stopped: its gateway connection ended (PrivilegedIntents")
    assert "token" not in line and TOKEN not in caplog.text


def _retry_waits(caplog) -> list[int]:
    lines = [m for m in caplog.messages if m.startswith("Discord at ")]
    return [int(re.search(r"retrying in (\d+) s", line)[1]) for line in lines]  # type: ignore[index]


async def test_a_gateway_refusing_at_first_is_retried_then_discord_runs(api, db_url, caplog):
    api.gateway_refusals = 2
    caplog.set_level(logging.INFO)
    env = {DISCORD_TOKEN_ENV: TOKEN, "MARKETBOT_DATABASE_URL": db_url}
    running = start_run(env, NOW, demo=True)
    try:
        await running.next_ticks(1)
        await api.wait_for(api.identified.is_set, timeout=HANG_S)
        payload = interaction("help")
        await api.interact(payload)
        await api.wait_for(lambda: api.callback(payload["id"]), timeout=HANG_S)
    finally:
        assert await running.finish() == 0
    # One line per refused attempt, the waits doubling on the run's clock.
    assert _retry_waits(caplog) == [1, 2]
    assert "503" in caplog.text
    assert not any(r.exc_info for r in caplog.records)


async def test_an_unreachable_discord_is_disabled_and_telegram_keeps_running(
    monkeypatch, db_url, caplog
):
    monkeypatch.setattr(discord.http.Route, "BASE", DOWN)
    caplog.set_level(logging.INFO)
    telegram = FakeBotApi()
    await telegram.start()
    env = {
        DISCORD_TOKEN_ENV: TOKEN,
        TELEGRAM_TOKEN_ENV: TELEGRAM_TOKEN,
        TELEGRAM_API_ENV: telegram.base_url,
        "MARKETBOT_DATABASE_URL": db_url,
    }
    running = start_run(env, NOW, demo=True)
    try:
        await running.next_ticks(1)
        telegram.command(77, "/help")
        await telegram.wait_for(lambda: telegram.sent_to(77), timeout=HANG_S)
    finally:
        assert await running.finish() == 0
        await telegram.stop()
    assert _retry_waits(caplog) == [1, 2, 4, 8, 16, 30, 30][: DEFAULT_ATTEMPTS - 1]
    (disabled,) = [m for m in caplog.messages if "Discord is disabled" in m]
    assert disabled.startswith(f"Discord is disabled: Discord at {DOWN} unreachable after")
    assert not any(r.exc_info for r in caplog.records)
    assert TOKEN not in caplog.text and TELEGRAM_TOKEN not in caplog.text


async def test_with_discord_unreachable_and_nothing_else_the_exit_is_non_zero(
    monkeypatch, db_url, caplog
):
    monkeypatch.setattr(discord.http.Route, "BASE", DOWN)
    caplog.set_level(logging.INFO)
    env = {DISCORD_TOKEN_ENV: TOKEN, "MARKETBOT_DATABASE_URL": db_url}
    clock = FakeClock(NOW)
    assert await asyncio.wait_for(run(demo=True, env=env, clock=clock), HANG_S) == 1
    assert len(_retry_waits(caplog)) == DEFAULT_ATTEMPTS - 1
    assert "no chat platform is running; exiting" in caplog.text
    assert TOKEN not in caplog.text

"""``marketbot run`` as an operator meets it: startup line, retries, bad tokens, one poller."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from bot.budgets import KEY_PREFIX
from bot.runner import run
from bot.settings import BotSettings, env_name
from bot.startup import DEFAULT_ATTEMPTS
from bot.telegram.running import budget_key
from bot.telegram.settings import API_ENV, TOKEN_ENV
from tests.bot.runner_ticks import HANG_S, start_run
from tests.bot.telegram.fake_api import TOKEN
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 3, 20, 0, 1, tzinfo=UTC)
FAST = timedelta(seconds=0.05)
REDIS_ENV = env_name(BotSettings, "redis_url")
TEST_REDIS_ENV = "MARKETBOT_TEST_REDIS_URL"


def _env(api, db_url: str) -> dict[str, str]:
    return {TOKEN_ENV: TOKEN, API_ENV: api.base_url, "MARKETBOT_DATABASE_URL": db_url}


async def test_a_rejected_token_is_one_line_and_the_exit_is_non_zero(api, db_url, caplog):
    caplog.set_level(logging.INFO)
    api.token = "999:another-token-the-bot-does-not-have-0000000"
    assert await asyncio.wait_for(run(demo=True, env=_env(api, db_url)), HANG_S) == 1
    rejected = [r for r in caplog.records if "Telegram is disabled" in r.getMessage()]
    assert [r.getMessage() for r in rejected] == [
        f"Telegram is disabled: the Bot API rejected {TOKEN_ENV} (401 Unauthorized)"
    ]
    assert not any(r.exc_info for r in caplog.records)
    assert TOKEN not in caplog.text


async def test_the_startup_line_names_platforms_database_and_api(api, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    url = "postgresql+psycopg://bot:s3cret-pass@127.0.0.1:1/market"
    env = {**_env(api, url), TOKEN_ENV: TOKEN}
    clock = FakeClock(NOW)
    assert await asyncio.wait_for(run(demo=True, env=env, clock=clock), HANG_S) == 1
    (line,) = [r.getMessage() for r in caplog.records if "marketbot starting" in r.getMessage()]
    assert f"Telegram ({api.base_url}, long polling)" in line
    assert "Discord off (DISCORD_BOT_TOKEN not set)" in line
    assert "postgresql+psycopg://bot:[REDACTED]@127.0.0.1:1/market" in line
    # The database never answers: one line per attempt, waits doubling on the clock, then exit.
    retries = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(retries) == DEFAULT_ATTEMPTS
    assert clock.waits[: DEFAULT_ATTEMPTS - 1] == [1, 2, 4, 8, 16, 30, 30][: DEFAULT_ATTEMPTS - 1]
    assert "s3cret-pass" not in caplog.text and TOKEN not in caplog.text


async def test_an_unreachable_bot_api_is_retried_then_telegram_is_disabled(db_url, caplog):
    caplog.set_level(logging.INFO)
    env = {TOKEN_ENV: TOKEN, API_ENV: "http://127.0.0.1:1/bot", "MARKETBOT_DATABASE_URL": db_url}
    assert await asyncio.wait_for(run(demo=True, env=env, clock=FakeClock(NOW)), HANG_S) == 1
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    lines = [line for line in lines if "unreachable" in line and "starting" not in line]
    assert len(lines) == DEFAULT_ATTEMPTS
    assert lines[-1].startswith("Telegram is disabled: Telegram Bot API at http://127.0.0.1:1/bot")
    assert not any(r.exc_info for r in caplog.records)
    assert TOKEN not in caplog.text


async def test_a_token_revoked_while_running_ends_the_process_non_zero(api, db_url, caplog):
    caplog.set_level(logging.INFO)
    running = start_run(_env(api, db_url), NOW, demo=True, keepalive=FAST)
    await running.next_ticks(1)
    api.token = "999:revoked-now-another-token-entirely-000000000"  # 401 from now on
    assert await asyncio.wait_for(running.task, HANG_S) == 1
    assert "Telegram stopped: its token was rejected" in caplog.text
    assert TOKEN not in caplog.text


async def test_one_instance_polls_and_another_takes_over_when_it_stops(api, db_url, caplog):
    caplog.set_level(logging.INFO)
    first = start_run(_env(api, db_url), NOW, demo=True, keepalive=FAST)
    await first.next_ticks(1)
    second = start_run(_env(api, db_url), NOW, demo=True, keepalive=FAST)
    try:
        await second.next_ticks(2)
        api.command(77, "/help")
        await api.wait_for(lambda: api.sent_to(77), timeout=HANG_S)
        polls = [r for r in caplog.records if "polls for updates" in r.getMessage()]
        assert len(polls) == 1
        assert await first.finish() == 0  # gives the poller lease up
        api.command(78, "/help")
        await api.wait_for(lambda: api.sent_to(78), timeout=HANG_S)
        polls = [r for r in caplog.records if "polls for updates" in r.getMessage()]
        assert len(polls) == 2
    finally:
        assert await second.finish() == 0
    assert api.conflicts == 0
    assert len(api.sent_to(77)) == len(api.sent_to(78)) == 1


async def test_an_unreachable_redis_is_retried_then_the_process_exits(api, db_url, caplog):
    caplog.set_level(logging.INFO)
    env = {**_env(api, db_url), REDIS_ENV: "redis://:s3cret-redis@127.0.0.1:1/0"}
    clock = FakeClock(NOW)
    assert await asyncio.wait_for(run(demo=True, env=env, clock=clock), HANG_S) == 1
    (line,) = [r.getMessage() for r in caplog.records if "marketbot starting" in r.getMessage()]
    assert "send budgets in Redis redis://:***@127.0.0.1:1/0" in line
    retries = [r for r in caplog.records if r.getMessage().startswith("Redis redis://:***@")]
    assert len(retries) == DEFAULT_ATTEMPTS
    assert retries[-1].getMessage().endswith("; exiting")
    assert "s3cret-redis" not in caplog.text and TOKEN not in caplog.text


async def test_with_redis_the_send_budget_is_kept_there(api, db_url, caplog):
    url = os.environ.get(TEST_REDIS_ENV)
    if not url:
        pytest.skip(f"{TEST_REDIS_ENV} is not set; Redis variant not run")
    caplog.set_level(logging.INFO)
    client = Redis.from_url(url)
    key = KEY_PREFIX + budget_key(TOKEN)
    await client.delete(key)
    running = start_run({**_env(api, db_url), REDIS_ENV: url}, NOW, demo=True, keepalive=FAST)
    try:
        await running.next_ticks(1)
        api.command(79, "/help")
        await api.wait_for(lambda: api.sent_to(79), timeout=HANG_S)
        assert await client.exists(key)  # the answer's slot came from Redis
    finally:
        assert await running.finish() == 0
        await client.delete(key)
        await client.aclose()
    assert "send budgets in Redis" in caplog.text

"""``marketbot run`` wiring: the Application, the scheduler and the broadcaster on one loop."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.delivery import DEFAULT_GRACE
from bot.runner import build_scheduler, run
from bot.telegram.settings import API_ENV as TELEGRAM_API_ENV
from bot.telegram.settings import TOKEN_ENV as TELEGRAM_TOKEN_ENV
from tests.bot.runner_ticks import HANG_S, NOTHING_DUE, SENT_ONE, start_run, subscribe_due
from tests.bot.telegram.fake_api import TOKEN

pytestmark = pytest.mark.asyncio

# The reports and the store read this fixed time.
NOW = datetime(2026, 3, 20, 0, 1, tzinfo=UTC)


async def test_run_polls_answers_and_delivers_due_digests(api, db_url, caplog) -> None:
    await subscribe_due(db_url, "telegram", 4242, ("hk",), NOW)
    env = {
        TELEGRAM_TOKEN_ENV: TOKEN,
        TELEGRAM_API_ENV: api.base_url,
        "MARKETBOT_DATABASE_URL": db_url,
    }
    caplog.set_level(logging.INFO)
    running = start_run(env, NOW, demo=True)
    try:
        (first,) = await running.next_ticks(1)
        api.command(77, "/market hk")
        await api.wait_for(lambda: api.sent_to(77), timeout=HANG_S)
        later = await running.next_ticks(3)
    finally:
        assert await running.finish() == 0
    # The first tick sends the digest; later ticks find nothing due.
    assert (first, later) == (SENT_ONE, [NOTHING_DUE] * 3)
    assert api.commands
    digest = api.texts_to(4242)
    assert "Hong Kong Market" in "\n".join(digest)
    assert len(api.sent_to(4242)) == len(api.sent_to(77))
    assert TOKEN not in caplog.text


async def test_missing_token_disables_telegram_with_a_log_line(db_url, caplog) -> None:
    caplog.set_level(logging.WARNING)
    assert await run(demo=True, env={"MARKETBOT_DATABASE_URL": db_url}) == 1
    assert f"{TELEGRAM_TOKEN_ENV} is not set: Telegram is disabled" in caplog.text


async def test_scheduler_keeps_misfires_within_the_grace_window() -> None:
    class Nothing:
        async def tick(self) -> None:
            return None

    scheduler = build_scheduler(Nothing())  # type: ignore[arg-type]
    scheduler.start(paused=True)
    try:
        (job,) = scheduler.get_jobs()
        assert job.misfire_grace_time == DEFAULT_GRACE.total_seconds() > 1
        assert job.coalesce and job.max_instances == 1
    finally:
        scheduler.shutdown(wait=False)

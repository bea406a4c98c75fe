"""``marketbot run`` wiring: the Application, the scheduler and the broadcaster on one loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import DEFAULT_GRACE
from bot.runner import TELEGRAM_API_ENV, TELEGRAM_TOKEN_ENV, build_scheduler, run
from bot.store import Store
from tests.bot.telegram.fake_api import TOKEN

pytestmark = pytest.mark.asyncio


async def test_run_polls_answers_and_delivers_due_digests(api, db_url, caplog) -> None:
    now = datetime.now(UTC)
    if now.hour == 0 and now.minute < 3:
        pytest.skip("the slot a minute ago would be yesterday's")
    slot = (now - timedelta(minutes=1)).strftime("%H:%M")
    Store(db_url, clock=lambda: now - timedelta(days=1)).subscribe(
        "telegram", 4242, slot, "UTC", ("hk",)
    )
    env = {
        TELEGRAM_TOKEN_ENV: TOKEN,
        TELEGRAM_API_ENV: api.base_url,
        "MARKETBOT_DATABASE_URL": db_url,
    }
    stop = asyncio.Event()
    caplog.set_level(logging.INFO)
    task = asyncio.create_task(run(demo=True, env=env, stop=stop, tick=timedelta(seconds=1)))
    try:
        await api.wait_for(lambda: api.sent_to(4242), timeout=20)
        api.command(77, "/market hk")
        await api.wait_for(lambda: api.sent_to(77), timeout=20)
        await asyncio.sleep(1.5)  # more ticks: still one digest
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
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

"""``marketbot run``: one asyncio loop with the Telegram bot and the delivery scheduler.

PTB's Application is driven here (initialize / start / updater.start_polling) instead of
``run_polling`` so that the APScheduler AsyncIOScheduler — and later other chat clients —
share its loop. A platform without a token is disabled with a log line; the rest runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import DEFAULT_GRACE, Broadcaster, Sender
from bot.logs import configure_logging
from bot.service import ReportService, SnapshotSource, demo_source
from bot.store import AsyncStore
from core.settings import EnvSettings

log = logging.getLogger(__name__)

TELEGRAM_TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
TELEGRAM_API_ENV = "TELEGRAM_API_BASE_URL"
TICK = timedelta(seconds=30)
# APScheduler drops a run more than 1 s late by default; a tick delayed by a busy loop or a
# suspended host must still run, and the delivery log keeps a late run from sending twice.
MISFIRE_GRACE = DEFAULT_GRACE


def build_scheduler(
    broadcaster: Broadcaster, *, tick: timedelta = TICK, grace: timedelta = MISFIRE_GRACE
) -> AsyncIOScheduler:
    """Return a scheduler that ticks the broadcaster now and every ``tick``, misfires kept."""
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(grace.total_seconds()),
        },
    )
    scheduler.add_job(
        broadcaster.tick,
        IntervalTrigger(seconds=tick.total_seconds(), timezone=UTC),
        id="broadcast",
        name="daily digest broadcast",
        next_run_time=datetime.now(UTC),  # catch up at once after a restart
    )
    return scheduler


def live_source() -> SnapshotSource:
    """Return the live snapshot source (providers over HTTP, closes kept in the history store)."""
    import httpx

    from core.history import HistoryStore
    from core.service import live_snapshot

    client: httpx.AsyncClient | None = None
    history = HistoryStore.from_env()

    async def source(now_utc: datetime):
        nonlocal client
        if client is None:
            client = httpx.AsyncClient(timeout=30)
        return await live_snapshot(client, now_utc, store=history)

    return source


async def run(
    *,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
    stop: asyncio.Event | None = None,
    tick: timedelta = TICK,
) -> int:
    """Run the bot until SIGINT/SIGTERM (or ``stop``); return the exit code."""
    env = os.environ if env is None else env
    token = env.get(TELEGRAM_TOKEN_ENV, "").strip()
    configure_logging([token])
    database_url = env.get("MARKETBOT_DATABASE_URL") or EnvSettings().database_url
    store = await AsyncStore.open(database_url)
    service = ReportService(demo_source() if demo else live_source())
    senders: dict[str, Sender] = {}
    apps = []
    try:
        if not token:
            log.warning("%s is not set: Telegram is disabled", TELEGRAM_TOKEN_ENV)
        else:
            from bot.telegram.app import bot_context, build_application, start_application

            app = build_application(token, service, store, base_url=env.get(TELEGRAM_API_ENV))
            await start_application(app)
            apps.append(app)
            senders["telegram"] = bot_context(app).sender
            log.info("Telegram bot @%s is polling", app.bot.username)
        if not senders:
            log.error("no chat platform is configured (set %s); exiting", TELEGRAM_TOKEN_ENV)
            return 1
        scheduler = build_scheduler(Broadcaster(store, service, senders), tick=tick)
        scheduler.start()
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        log.info(
            "marketbot running (%s data); delivery tick every %s", "demo" if demo else "live", tick
        )
        await stop.wait()
        scheduler.shutdown(wait=False)
        return 0
    finally:
        from bot.telegram.app import stop_application

        for app in apps:
            await stop_application(app)
        await store.close()

"""``marketbot run``: one asyncio loop with the Telegram and Discord bots and the scheduler.

PTB's Application is driven here (initialize / start / updater.start_polling) instead of
``run_polling`` so that the APScheduler AsyncIOScheduler and the Discord client
(``client.start`` as a task) share its loop. A platform without a token is disabled with a
log line; the rest runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import DEFAULT_GRACE, Broadcaster, Sender
from bot.logs import configure_logging
from bot.report_cache import ReportCache, SnapshotSource, demo_source
from bot.store import AsyncStore
from core.history import HistoryStore
from core.settings import EnvSettings

if TYPE_CHECKING:
    from bot.discord.app import RunningDiscord

log = logging.getLogger(__name__)

TELEGRAM_TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
TELEGRAM_API_ENV = "TELEGRAM_API_BASE_URL"
DISCORD_TOKEN_ENV = "DISCORD_BOT_TOKEN"
DISCORD_GUILD_ENV = "DISCORD_GUILD_ID"
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


def live_source(
    history: HistoryStore | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> SnapshotSource:
    """Return the live snapshot source: providers over HTTP, closes kept in ``history``.

    Without ``history`` the store at MARKETBOT_DATABASE_URL is opened; ``transport`` replaces
    the network (tests replay recorded bodies through it).
    """
    from core.live import live_snapshot
    from core.settings import default_provider_settings

    store = history if history is not None else HistoryStore.from_env()
    settings = default_provider_settings()
    client: httpx.AsyncClient | None = None

    async def source(now_utc: datetime):
        nonlocal client
        if client is None:
            client = httpx.AsyncClient(transport=transport, timeout=settings.timeout_s)
        return await live_snapshot(client, now_utc, store=store, provider_settings=settings)

    return source


async def start_discord_platform(
    env: Mapping[str, str], reports: ReportCache, store: AsyncStore
) -> RunningDiscord | None:
    """Start the Discord bot when its token is set; None (logged) when disabled or failing."""
    token = env.get(DISCORD_TOKEN_ENV, "").strip()
    if not token:
        log.warning("%s is not set: Discord is disabled", DISCORD_TOKEN_ENV)
        return None
    from bot.discord.app import DiscordStartFailed, start_discord

    guild = env.get(DISCORD_GUILD_ENV, "").strip()
    if guild and not guild.isdigit():
        log.warning(
            "%s=%r is not a server id; syncing commands globally only", DISCORD_GUILD_ENV, guild
        )
    try:
        running = await start_discord(
            token, reports, store, guild_id=int(guild) if guild.isdigit() else None
        )
    except DiscordStartFailed as exc:
        log.error("Discord is disabled: the bot could not log in (%s)", exc)
        return None
    log.info("Discord bot %s has logged in", running.bot.user)
    return running


async def run(
    *,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
    stop: asyncio.Event | None = None,
    tick: timedelta = TICK,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Run the bot until SIGINT/SIGTERM (or ``stop``); return the exit code.

    Live data (not ``demo``) is fetched through ``transport`` when given, and its closes are
    kept in the same database, where the report ranks spreads against them.
    """
    env = os.environ if env is None else env
    token = env.get(TELEGRAM_TOKEN_ENV, "").strip()
    configure_logging([token, env.get(DISCORD_TOKEN_ENV, "").strip()])
    database_url = env.get("MARKETBOT_DATABASE_URL") or EnvSettings().database_url
    store = await AsyncStore.open(database_url)
    history = None if demo else HistoryStore(database_url)
    source = demo_source() if demo else live_source(history, transport=transport)
    reports = ReportCache(source, history=history)
    senders: dict[str, Sender] = {}
    apps = []
    discord_bot: RunningDiscord | None = None
    try:
        if not token:
            log.warning("%s is not set: Telegram is disabled", TELEGRAM_TOKEN_ENV)
        else:
            from bot.telegram.app import bot_context, build_application, start_application

            app = build_application(token, reports, store, base_url=env.get(TELEGRAM_API_ENV))
            await start_application(app)
            apps.append(app)
            senders["telegram"] = bot_context(app).sender
            log.info("Telegram bot @%s is polling", app.bot.username)
        discord_bot = await start_discord_platform(env, reports, store)
        if discord_bot is not None:
            senders["discord"] = discord_bot.bot.sender
        if not senders:
            log.error(
                "no chat platform is configured (set %s or %s); exiting",
                TELEGRAM_TOKEN_ENV,
                DISCORD_TOKEN_ENV,
            )
            return 1
        scheduler = build_scheduler(Broadcaster(store, reports, senders), tick=tick)
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
        if discord_bot is not None:
            from bot.discord.app import stop_discord

            await stop_discord(discord_bot)
        await store.close()
        if history is not None:
            history.dispose()

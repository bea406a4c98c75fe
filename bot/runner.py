"""``marketbot run``: one asyncio loop with the Telegram and Discord bots and the scheduler.

PTB's Application is driven here (initialize / start / updater.start_polling) instead of
``run_polling`` so that the APScheduler AsyncIOScheduler and the Discord client
(``client.start`` as a task) share its loop. Every platform of ``bot.platforms`` is started
from the settings; one without a token is disabled with a log line and the rest runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.budgets import RedisSlots, open_redis
from bot.delivery import DEFAULT_GRACE, Broadcaster, Sender, TickDone
from bot.logs import configure_logging, redact_loop_errors
from bot.platforms import PLATFORMS, RunningPlatform
from bot.report_cache import ReportCache, SnapshotSource, demo_source
from bot.settings import PlatformSettings, load_settings
from bot.startup import with_retries
from bot.store import AsyncStore
from core.clock import SYSTEM_CLOCK, Clock
from core.db import redacted
from core.demo import demo_history_store
from core.errors import Unreachable
from core.history import HistoryStore
from core.i18n import Language

log = logging.getLogger(__name__)

TICK = timedelta(seconds=30)
# Claims and the poller lease are renewed this often: well inside their 45 s and 30 s leases.
KEEPALIVE = timedelta(seconds=10)
# What an unreachable database raises while connecting (retried at start, with backoff).
DATABASE_DOWN = (OSError, sa.exc.OperationalError, sa.exc.InterfaceError)
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
        # Catch up at once after a restart. APScheduler times its runs on the system clock, so
        # the first one is given in system time; what is due is read from the reports' clock.
        next_run_time=SYSTEM_CLOCK.now_utc(),
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
    from core.providers.health import SourceHealth
    from core.settings import EnvSettings, default_provider_settings

    store = history if history is not None else HistoryStore.from_env()
    settings = default_provider_settings()
    # Breakers and last good figures live as long as the process (and in the state file).
    state = EnvSettings().sources_state_path() if history is None else None
    health = SourceHealth.load(settings, state)
    client: httpx.AsyncClient | None = None

    async def source(now_utc: datetime):
        nonlocal client
        if client is None:
            client = httpx.AsyncClient(transport=transport, timeout=settings.timeout_s)
        return await live_snapshot(
            client, now_utc, store=store, provider_settings=settings, health=health
        )

    return source


async def run(
    *,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
    stop: asyncio.Event | None = None,
    tick: timedelta | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = SYSTEM_CLOCK,
    on_tick: TickDone | None = None,
    keepalive: timedelta = KEEPALIVE,
) -> int:
    """Run the bot until SIGINT/SIGTERM (or ``stop``); return the exit code.

    ``env`` replaces the process environment the settings are read from (tests). Live data
    (not ``demo``) is fetched through ``transport`` when given, and its closes are
    kept in the same database, where the report ranks spreads against them. ``clock`` tells
    the store, the reports and so the broadcaster the time; ``on_tick`` hears every tick.
    """
    settings = load_settings(env=env)
    tick = tick or timedelta(seconds=settings.tick_s)
    sections = {name: p.settings(env) for name, p in PLATFORMS.items()}
    configure_logging([*settings.secrets(), *(x for s in sections.values() for x in s.secrets())])
    redact_loop_errors(asyncio.get_running_loop())
    log.info(startup_line(sections, settings.database_url, demo, settings.redis()))
    try:
        store = await with_retries(
            f"database {redacted(settings.database_url)}",
            lambda: AsyncStore.open(
                settings.database_url,
                clock=clock,
                lease=timedelta(seconds=settings.claim_lease_s),
            ),
            DATABASE_DOWN,
            clock,
        )
    except Unreachable as exc:
        log.error("%s; exiting", exc)
        return 1
    # The sample brings its own closes, so its spreads are ranked against real history.
    history = demo_history_store() if demo else HistoryStore(settings.database_url)
    source = demo_source() if demo else live_source(history, transport=transport)
    reports = ReportCache(source, history=history, clock=clock)
    running: dict[str, RunningPlatform] = {}
    redis: RedisSlots | None = None
    try:
        if settings.redis():
            try:
                redis = await open_redis(settings.redis(), store, clock)
            except Unreachable as exc:
                log.error("%s; exiting", exc)
                return 1
        for platform in PLATFORMS.values():
            started = await platform.start(sections[platform.name], reports, store, redis or store)
            if started is not None:
                running[platform.name] = started
        if not running:
            log.error("no chat platform is running; exiting")
            return 1
        senders: dict[str, Sender] = {name: p.sender for name, p in running.items()}
        broadcaster = Broadcaster(
            store,
            reports,
            senders,
            on_tick=on_tick,
            on_token_rejected=lambda name: _failed(running[name]).set(),
        )
        scheduler = build_scheduler(broadcaster, tick=tick)
        # Fetch, build and render each day's report as its data arrives, before anyone asks.
        every_tick = IntervalTrigger(seconds=tick.total_seconds(), timezone=UTC)
        scheduler.add_job(
            reports.prebuild,
            every_tick,
            [list(senders)],
            {"languages": tuple(Language)},  # the buttons under every digest, in its language
            id="prebuild",
            next_run_time=SYSTEM_CLOCK.now_utc(),
        )
        scheduler.add_job(
            _keepalive,
            IntervalTrigger(seconds=keepalive.total_seconds(), timezone=UTC),
            [broadcaster, running],
            id="keepalive",
        )
        scheduler.start()
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        log.info(
            "marketbot running (%s data); delivery tick every %s", "demo" if demo else "live", tick
        )
        code = await _supervise(stop, running, broadcaster)
        # Let the parts in flight finish before the scheduler shuts down: its shutdown
        # cancels a running tick, which would cut a part off half-way.
        scheduler.pause()
        await broadcaster.stop(settings.stop_timeout_s)
        scheduler.shutdown(wait=False)
        return code
    finally:
        for started in running.values():
            await started.stop()
        if redis is not None:
            await redis.close()
        await store.close()
        if history is not None:
            history.dispose()


def startup_line(
    sections: Mapping[str, PlatformSettings], database_url: str, demo: bool, redis_url: str = ""
) -> str:
    """Return the one line naming each platform (on or off, its API), the stores, the data."""
    platforms = ", ".join(
        f"{PLATFORMS[name].title} ({section.endpoint()})"
        if section.token()
        else f"{PLATFORMS[name].title} off ({PLATFORMS[name].token_env()} not set)"
        for name, section in sections.items()
    )
    data = "demo" if demo else "live"
    budgets = f"Redis {redacted(redis_url)}" if redis_url else "the database"
    return (
        f"marketbot starting: {platforms}; database {redacted(database_url)}; "
        f"send budgets in {budgets}; {data} data"
    )


def _failed(platform: RunningPlatform) -> asyncio.Event:
    event = getattr(platform, "failed", None)
    return event if isinstance(event, asyncio.Event) else asyncio.Event()


async def _keepalive(broadcaster: Broadcaster, running: Mapping[str, RunningPlatform]) -> None:
    """Renew this instance's claims and leases (a lapsed one is taken over elsewhere)."""
    await broadcaster.heartbeat()
    for platform in list(running.values()):
        keepalive = getattr(platform, "keepalive", None)
        if keepalive is not None:
            await keepalive()


async def _supervise(
    stop: asyncio.Event, running: dict[str, RunningPlatform], broadcaster: Broadcaster
) -> int:
    """Wait for ``stop`` (0) or for every platform to fail (1), dropping each that fails."""
    while True:
        waits = {name: asyncio.ensure_future(_failed(p).wait()) for name, p in running.items()}
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({stopping, *waits.values()}, return_when=asyncio.FIRST_COMPLETED)
        for task in (stopping, *waits.values()):
            task.cancel()
        if stop.is_set():
            return 0
        for name in [n for n, task in waits.items() if _failed(running[n]).is_set()]:
            why = getattr(running[name], "failure", None) or "its token was rejected (revoked?)"
            log.error("%s stopped: %s", PLATFORMS[name].title, why)
            broadcaster.senders.pop(name, None)
            await running.pop(name).stop()
        if not running:
            log.error("no chat platform is left running; exiting")
            return 1

"""Run the Discord bot on the caller's loop: ``client.start`` as a task, never ``client.run``.

Before the client starts, Discord must be reachable: its REST API answering and its gateway
saying hello, retried with backoff and one line per attempt. discord.py reconnects a gateway
that drops while running, but not one whose very first connection fails (its reconnect path
needs the websocket it never had), so the first one is waited for here.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from http import HTTPStatus

import aiohttp
import discord
from discord.gateway import DiscordWebSocket

from bot.budgets import SlotStore
from bot.discord.client import MarketBot
from bot.discord.sender import DiscordSender
from bot.discord.settings import GUILD_ENV, TOKEN_ENV, DiscordSettings
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.startup import with_retries
from bot.store import AsyncStore
from core.errors import PlatformStartFailed, Unreachable

log = logging.getLogger(__name__)

LOGIN_TIMEOUT_S = 60.0
PROBE_TIMEOUT_S = 10.0
# What an unreachable (or failing, 5xx) Discord raises at start: retried with backoff.
DISCORD_DOWN = (aiohttp.ClientError, OSError, TimeoutError)


@dataclass
class RunningDiscord:
    """A started bot and the task running its gateway connection; ``failed`` when it ends."""

    bot: MarketBot
    task: asyncio.Task[None]
    failed: asyncio.Event = field(default_factory=asyncio.Event)
    failure: str | None = None  # why it ended, for the line saying it stopped

    async def keepalive(self) -> None:
        """Do nothing: every instance may hold a gateway connection."""

    @property
    def sender(self) -> DiscordSender:
        """Return the sender digests go through."""
        return self.bot.sender

    async def stop(self) -> None:
        """Close the connection (see ``stop_discord``)."""
        await stop_discord(self)


async def start_discord(
    token: str,
    reports: ReportCache,
    store: AsyncStore,
    *,
    guild_id: int | None = None,
    limiter: RateLimiter | None = None,
    login_timeout_s: float = LOGIN_TIMEOUT_S,
) -> RunningDiscord:
    """Start the bot on this loop and return once it has logged in (REST usable).

    The gateway connection carries on in the task; raise PlatformStartFailed if login fails.
    """
    bot = MarketBot(reports, store, limiter=limiter, guild_id=guild_id)
    task = asyncio.create_task(bot.start(token), name="discord")
    logged_in = asyncio.create_task(bot.logged_in.wait())
    done, _ = await asyncio.wait(
        {task, logged_in}, timeout=login_timeout_s, return_when=asyncio.FIRST_COMPLETED
    )
    logged_in.cancel()
    if task in done or not done:
        error = task.exception() if task in done else TimeoutError("login timed out")
        await stop_discord(RunningDiscord(bot, task))
        raise PlatformStartFailed(f"{type(error).__name__}: {error}") from error
    running = RunningDiscord(bot, task)

    def ended(task: asyncio.Task[None]) -> None:
        # A revoked token or a gateway that cannot be resumed ends the client for good: the
        # runner must learn of it, and why (only a 401 means the token).
        if not task.cancelled() and task.exception() is not None:
            running.failure = failure_reason(task.exception())
            running.failed.set()

    task.add_done_callback(ended)
    return running


def failure_reason(exc: BaseException) -> str:
    """Return why the client's task ended, as the runner's stop line says it."""
    if isinstance(exc, discord.LoginFailure):
        return f"Discord rejected {TOKEN_ENV} (401 Unauthorized)"
    return f"its gateway connection ended ({type(exc).__name__}: {exc})".replace("\n", " ")


async def stop_discord(running: RunningDiscord) -> None:
    """Close the connection and wait for the client's task to end."""
    await running.bot.close()
    if not running.task.done():
        running.task.cancel()
    # Wait for the task without awaiting it: how it ended is not this caller's error, and a
    # cancellation of the stop itself still propagates (suppressing CancelledError around
    # ``await running.task`` would swallow it: the caller's task would refuse to cancel).
    await asyncio.wait({running.task})


async def reach_discord() -> None:
    """Return once Discord's REST API answers and its gateway says hello; raise if not.

    Neither request carries the token: a rejected token is told apart later, by the login.
    """
    timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(f"{discord.http.Route.BASE}/gateway") as answer:
            if answer.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
                answer.raise_for_status()
        version = discord.http.INTERNAL_API_VERSION
        gateway = DiscordWebSocket.DEFAULT_GATEWAY.with_query(v=version, encoding="json")
        async with session.ws_connect(gateway) as ws:
            hello = await ws.receive(timeout=PROBE_TIMEOUT_S)
            if hello.type is not aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"the gateway answered {hello.type.name}, not hello")


async def start_platform(
    settings: DiscordSettings,
    reports: ReportCache,
    store: AsyncStore,
    budgets: SlotStore | None = None,
) -> RunningDiscord | None:
    """Start the bot from the settings (the registry's adapter); None (logged) if login fails.

    ``budgets`` is unused: discord.py keeps to Discord's per-route limits from its headers.
    """
    guild = (settings.guild_id or "").strip()
    if guild and not guild.isdigit():
        log.warning(
            "%s=%r is not a server id; syncing commands globally only",
            GUILD_ENV,
            guild,
        )
    where = f"Discord at {discord.http.Route.BASE}"
    try:
        await with_retries(where, reach_discord, DISCORD_DOWN, store.clock)
    except Unreachable as exc:
        log.error("Discord is disabled: %s", exc)
        return None
    try:
        running = await start_discord(
            settings.token(),
            reports,
            store,
            guild_id=int(guild) if guild.isdigit() else None,
        )
    except PlatformStartFailed as exc:
        if isinstance(exc.__cause__, discord.LoginFailure):
            log.error("Discord is disabled: Discord rejected %s (401 Unauthorized)", TOKEN_ENV)
        else:
            log.error("Discord is disabled: the bot could not log in (%s)", exc)
        return None
    log.info("Discord bot %s has logged in", running.bot.user)
    return running

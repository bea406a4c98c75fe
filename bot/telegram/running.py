"""Start and keep the Telegram adapter: startup retries, one poller at a time, webhook mode.

Every instance on one database sends digests, but Telegram answers 409 Conflict when two
clients poll getUpdates with one token: only the holder of the ``telegram:poller`` lease in
the database polls, renewing it on every keepalive; when it stops (or dies, and the lease
runs out) another instance takes the lease and starts polling. With a webhook URL set, every
instance takes updates from its own web server instead and no lease is needed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.budgets import SlotStore
from bot.report_cache import ReportCache
from bot.startup import with_retries
from bot.store import AsyncStore, default_worker_id
from bot.telegram.app import (
    bot_context,
    build_application,
    set_command_menus,
    stop_application,
)
from bot.telegram.pacing import PacedRateLimiter, SharedBudget
from bot.telegram.sender import TelegramSender
from bot.telegram.settings import TOKEN_ENV, TelegramSettings
from core.errors import Unreachable

log = logging.getLogger(__name__)

POLLER_LEASE = "telegram:poller"


@dataclass
class RunningTelegram:
    """A started Application: its sender delivers digests; ``failed`` is set on a 401."""

    app: Application
    store: AsyncStore
    settings: TelegramSettings
    failed: asyncio.Event
    holder: str = field(default_factory=default_worker_id)
    polling: bool = False

    @property
    def sender(self) -> TelegramSender:
        """Return the sender the handlers and the broadcaster share."""
        return bot_context(self.app).sender

    async def keepalive(self) -> None:
        """Poll while this instance holds the poller lease; take the lease when it is free."""
        if self.settings.webhook_url or self.failed.is_set():
            return
        ttl = timedelta(seconds=self.settings.poller_lease_s)
        held = await self.store.acquire_lease(POLLER_LEASE, self.holder, ttl)
        updater = self.app.updater
        assert updater is not None
        if held and not self.polling:
            await updater.start_polling(drop_pending_updates=False)
            self.polling = True
            log.info("Telegram: this instance polls for updates (it holds the poller lease)")
        elif not held and self.polling:
            await updater.stop()
            self.polling = False
            log.warning("Telegram: another instance took the poller lease; polling stopped")
        elif not held and not self.polling:
            log.debug("Telegram: another instance polls for updates")

    async def stop(self) -> None:
        """Stop taking updates, give the poller lease up at once, release the Application."""
        try:
            await stop_application(self.app)
        except TelegramError as exc:  # e.g. the token was revoked: nothing left to tidy
            log.warning("Telegram did not stop cleanly: %s", exc)
        if not self.settings.webhook_url:
            await self.store.release_lease(POLLER_LEASE, self.holder)


def budget_key(token: str) -> str:
    """Return the shared send budget's key for a token: a hash, never the token."""
    return "telegram:" + hashlib.sha256(token.encode()).hexdigest()[:32]


async def start_platform(
    settings: TelegramSettings,
    reports: ReportCache,
    store: AsyncStore,
    budgets: SlotStore | None = None,
) -> RunningTelegram | None:
    """Start the adapter (the registry's entry point); None, in one log line, if it cannot.

    An unreachable Bot API is retried with backoff, one line per attempt; a rejected token
    (401) disables Telegram at once. The send rate is one budget for the token, shared by
    every instance through ``budgets`` (the database unless Redis is configured).
    """
    failed = asyncio.Event()
    limiter = PacedRateLimiter(
        budget=SharedBudget(budgets or store, budget_key(settings.token())), clock=store.clock
    )
    app = build_application(
        settings.token(),
        reports,
        store,
        base_url=settings.api_base_url,
        rate_limiter=limiter,
        on_unauthorized=failed.set,
    )
    where = f"Telegram Bot API at {settings.api_base_url or 'api.telegram.org'}"
    try:
        await with_retries(where, app.initialize, (NetworkError,), store.clock)
    except InvalidToken:
        log.error("Telegram is disabled: the Bot API rejected %s (401 Unauthorized)", TOKEN_ENV)
        return None
    except Unreachable as exc:
        log.error("Telegram is disabled: %s", exc)
        return None
    await set_command_menus(app.bot)
    await app.start()
    running = RunningTelegram(app, store, settings, failed)
    if settings.webhook_url:
        assert app.updater is not None
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await app.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=_path_of(settings.webhook_url),
            webhook_url=settings.webhook_url,
            secret_token=secret,
        )
        log.info("Telegram bot @%s takes updates by webhook", app.bot.username)
    else:
        log.info("Telegram bot @%s has started", app.bot.username)
        await running.keepalive()
    return running


def _path_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")

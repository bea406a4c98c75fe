"""Build the PTB Application (injectable Bot API URL, rate limiter, no job queue) and run it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from telegram import Bot, BotCommand
from telegram.ext import (
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.commands import USAGE, Services
from bot.commands.wording import describe
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.store import AsyncStore
from bot.telegram.handlers import (
    CONTEXT_KEY,
    BotContext,
    button,
    command,
    on_error,
    unknown_command,
)
from bot.telegram.pacing import PacedRateLimiter
from bot.telegram.sender import TelegramSender
from bot.telegram.style import TELEGRAM_STYLE
from core.i18n import DEFAULT_LANGUAGE, Language

log = logging.getLogger(__name__)

DEFAULT_MAX_RETRIES = 3
SEND_POOL_SIZE = 256  # PTB's own default for the sending connection pool
# Commands in groups, private chats and channels (channel posts have no sender user).
COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def default_rate_limiter(max_retries: int = DEFAULT_MAX_RETRIES) -> PacedRateLimiter:
    """Return Telegram's documented limits (30 msg/s overall, 20/min per group) with retries."""
    return PacedRateLimiter(max_retries=max_retries)


class WatchedRequest(HTTPXRequest):
    """PTB's HTTP transport, telling ``on_unauthorized`` when the Bot API answers 401.

    A 401 on any request (getMe at start, getUpdates, a send) means the token is wrong or was
    revoked; the runner then stops the platform instead of leaving a deaf process up.
    """

    def __init__(self, on_unauthorized: Callable[[], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_unauthorized = on_unauthorized

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the request; report a 401."""
        code, payload = await super().do_request(*args, **kwargs)
        if code == HTTPStatus.UNAUTHORIZED:
            self._on_unauthorized()
        return code, payload


def build_application(
    token: str,
    reports: ReportCache,
    store: AsyncStore,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    rate_limiter: BaseRateLimiter | None = None,
    limiter: RateLimiter | None = None,
    on_unauthorized: Callable[[], object] | None = None,
) -> Application:
    """Return the bot's Application with every handler; ``base_url`` points at another Bot API."""
    builder = (
        Application.builder()
        .token(token)
        .job_queue(None)
        .rate_limiter(rate_limiter or default_rate_limiter())
        .concurrent_updates(True)
    )
    if base_url is not None:
        builder = builder.base_url(base_url).base_file_url(base_file_url or base_url)
    if on_unauthorized is not None:
        builder = builder.request(
            WatchedRequest(on_unauthorized, connection_pool_size=SEND_POOL_SIZE)
        ).get_updates_request(WatchedRequest(on_unauthorized, connection_pool_size=1))
    app = builder.build()
    services = Services(reports, store, limiter or RateLimiter())
    app.bot_data[CONTEXT_KEY] = BotContext(services, TelegramSender(app.bot, store))
    for name in USAGE:
        app.add_handler(CommandHandler(name, command(name), filters=COMMAND_UPDATES))
    # Added after the commands: in one group the first matching handler wins.
    app.add_handler(MessageHandler(filters.COMMAND & COMMAND_UPDATES, unknown_command))
    app.add_handler(CallbackQueryHandler(button))
    app.add_error_handler(on_error)
    return app


async def set_command_menus(bot: Bot) -> None:
    """Register the command menu: English for everyone, Chinese for Chinese-language users."""
    for language in Language:
        style = TELEGRAM_STYLE.in_language(language)
        menu = [BotCommand(name, describe(name, style)) for name in USAGE]
        if language is DEFAULT_LANGUAGE:
            await bot.set_my_commands(menu)  # users whose language has no menu of its own
        else:
            await bot.set_my_commands(menu, language_code=str(language))


def bot_context(app: Application) -> BotContext:
    """Return the shared handler context of an Application built here."""
    return app.bot_data[CONTEXT_KEY]


async def start_application(app: Application, *, poll_interval: float = 0.0) -> None:
    """Initialize, register the command menu, start polling and processing updates."""
    await app.initialize()
    await set_command_menus(app.bot)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=poll_interval, drop_pending_updates=False)
    await app.start()


async def stop_application(app: Application) -> None:
    """Stop polling and processing, then release the Application's resources."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()

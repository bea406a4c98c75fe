"""Answer any command once for every platform: charge, parse, check, run, word the reply.

Adapters translate an update into a ``CommandContext`` and the command's words (or named
options), call ``run_command`` and send the ``Reply``. What differs by platform comes in
through the context: who may manage a chat (a coroutine the adapter passes), how to buy
time before slow work (Discord's defer), the renderer and the wording style.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot.commands import wording
from bot.commands.parse import parse_command, parse_options
from bot.commands.requests import (
    DivergenceRequest,
    LanguageRequest,
    Options,
    ReportRequest,
    Request,
    SubscribeRequest,
)
from bot.commands.style import Style
from bot.ratelimit import RateLimiter
from bot.settings import default_language
from core.errors import ReportError, UserInputError
from core.i18n import DEFAULT_LANGUAGE, Language, parse_language
from renderers.parts import MessagePart

if TYPE_CHECKING:
    from bot.report_cache import ReportCache
    from bot.store import AsyncStore

log = logging.getLogger(__name__)

# Work charged to the user's and the chat's budgets when an answer must be built or
# rendered; everything else (help, start, subscriptions, errors, cached answers) is free.
COSTS: Mapping[str, float] = {"report": 1.0, "section": 1.0, "market": 1.0, "divergence": 1.0}
SOURCES_COST = 0.5  # rendered on every ask (freshness is live), text only
MANAGING = ("subscribe", "unsubscribe", "language")  # commands that change the chat's digest


async def _nothing(*args: object) -> None:
    return None


@dataclass(frozen=True)
class Services:
    """What every command may use: the report cache, the store and the per-user limiter."""

    reports: ReportCache
    store: AsyncStore
    limiter: RateLimiter = field(default_factory=RateLimiter)
    # The language of chats that chose none, except private ones (MARKETBOT_DEFAULT_LANGUAGE).
    default_language: Language = field(default_factory=default_language)


@dataclass(frozen=True)
class CommandContext:
    """One command's circumstances, as its adapter translated them."""

    services: Services
    platform: str  # whose subscriptions the chat's are
    chat_id: str | int
    user_id: str | int
    style: Style
    render_as: str = ""  # the renderer of the report parts; default: the platform's
    # Raise NotAllowed / BotCannotPost when the user may not run this command here.
    may_manage: Callable[[str], Awaitable[None]] = _nothing
    defer: Callable[[], Awaitable[None]] = _nothing  # called before slow work
    buttons: bool = False  # the platform can offer section buttons
    # The user's client language (Telegram language_code, Discord locale), given only in
    # private chats: a group or channel that chose no language gets the configured default.
    locale: str | None = None


@dataclass(frozen=True)
class Reply:
    """A command's answer: report parts and/or a short text in the platform's markup."""

    parts: tuple[MessagePart, ...] = ()
    text: str = ""
    error: bool = False  # the text says what went wrong (with the usage line when it applies)
    ephemeral: bool = False  # only the asker need see it, where the platform can do that
    keyboard: bool = False  # offer one button per section on the last text sent
    language: Language = DEFAULT_LANGUAGE  # of the buttons' labels
    # Parts still being drawn (a first ask's images): sent after the rest when they are done.
    later: asyncio.Future[list[MessagePart]] | None = field(default=None, compare=False)


async def run_command(ctx: CommandContext, name: str, args: Sequence[str] | Options = ()) -> Reply:
    """Return the reply to ``/name`` with its words (or named options): never raises for
    the user's mistakes or a report that cannot be built; other errors are bugs and pass."""
    services = ctx.services
    style = ctx.style.in_language(
        await chat_language(services, ctx.platform, ctx.chat_id, ctx.locale)
    )
    ctx = replace(ctx, style=style)
    try:
        registry = services.reports.registry
        if isinstance(args, Mapping):
            request = parse_options(name, args, registry)
        else:
            request = parse_command(name, args, registry)
        if name in MANAGING and request != LanguageRequest():  # asking is not changing
            await ctx.may_manage(name)
        return await _answer(ctx, name, request)
    except UserInputError as exc:
        return Reply(text=wording.user_error(exc, style), error=True, ephemeral=True)
    except ReportError as exc:
        log.warning("report unavailable: %s", exc)
        return Reply(text=wording.report_failed(exc, style), error=True, ephemeral=True)


async def chat_language(
    services: Services, platform: str, chat_id: str | int, locale: str | None = None
) -> Language:
    """Return the chat's chosen language, else its user's client ``locale`` (given in private
    chats only), else the configured default."""
    sub = await services.store.subscription(platform, chat_id)
    if sub is not None and sub.language is not None:
        return sub.language
    return parse_language(locale, services.default_language)


async def _answer(ctx: CommandContext, name: str, request: Request) -> Reply:
    reports, store, style = ctx.services.reports, ctx.services.store, ctx.style
    render_as = ctx.render_as or ctx.platform
    if name == "start":
        return Reply(text=wording.start(style))
    if name == "help":
        return Reply(text=wording.help_text(style), ephemeral=True)
    if isinstance(request, LanguageRequest):
        if request.language is None:
            return Reply(text=wording.language_status(style), ephemeral=True)
        await store.set_language(ctx.platform, ctx.chat_id, request.language)
        return Reply(text=wording.language_set(style.in_language(request.language)))
    if isinstance(request, SubscribeRequest):
        sub = await store.subscribe(
            ctx.platform,
            ctx.chat_id,
            request.delivery_time,
            request.timezone,
            request.sections,
            created_by=ctx.user_id,
            language=style.language,  # the digest comes in the language the chat reads now
        )
        return Reply(text=wording.subscribed(sub, style))
    if name == "unsubscribe":
        was_active = await store.unsubscribe(ctx.platform, ctx.chat_id)
        return Reply(text=wording.unsubscribed(was_active, style))
    if name == "subscriptions":
        sub = await store.subscription(ctx.platform, ctx.chat_id)
        return Reply(text=wording.subscription_status(sub, style), ephemeral=True)
    if name == "sources":
        ctx.services.limiter.charge(ctx.user_id, ctx.chat_id, SOURCES_COST)
        await ctx.defer()
        return Reply(tuple(await reports.sources_parts(render_as, language=style.language)))
    assert isinstance(request, ReportRequest | DivergenceRequest)
    if not reports.is_cached(render_as, request, style.language):
        ctx.services.limiter.charge(ctx.user_id, ctx.chat_id, COSTS[name])
    await ctx.defer()  # parts go as follow-ups where the platform needs that
    if isinstance(request, DivergenceRequest):
        parts = await reports.divergence_parts(render_as, request, language=style.language)
        return Reply(tuple(parts))
    parts, later = await reports.parts_text_first(
        render_as, request.sections, language=style.language
    )
    # The digest's own text carries the section buttons: one tap to any section.
    keyboard = name == "report" and ctx.buttons and not request.sections
    return Reply(tuple(parts), keyboard=keyboard, later=later, language=style.language)

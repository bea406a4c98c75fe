"""Thin command handlers: parse args → call the service or store → render → send.

Errors are not handled here: every UserInputError or ReportError a handler raises reaches
the one error handler (``on_error``), which answers in the chat.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.commands import parse_command, parse_section
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.store import AsyncStore
from bot.telegram import messages
from bot.telegram.admin import require_admin
from bot.telegram.sender import PLATFORM, TelegramSender
from core.errors import ReportError, UserInputError
from core.sections import SECTIONS

log = logging.getLogger(__name__)

CONTEXT_KEY = "marketbot"
SECTION_PREFIX = "section:"
# Charts cost more of a user's budget than a cached text answer.
COSTS = {"divergence": 2.0}


@dataclass
class BotContext:
    """What handlers share: the report cache, the store, the limiter and the sender."""

    reports: ReportCache
    store: AsyncStore
    limiter: RateLimiter
    sender: TelegramSender


def section_keyboard() -> InlineKeyboardMarkup:
    """Return one button per section (except the disclaimer), three per row."""
    buttons = [
        InlineKeyboardButton(s.title.split(":")[0], callback_data=f"{SECTION_PREFIX}{s.key}")
        for s in SECTIONS
        if s.key != "disclaimer"
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def _begin(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str):
    bc: BotContext = context.application.bot_data[CONTEXT_KEY]
    chat = update.effective_chat
    user = update.effective_user
    bc.limiter.check(user.id if user else chat.id, COSTS.get(command, 1.0))
    request = parse_command(command, context.args or [], bc.reports.registry)
    return bc, chat, request


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and point at the main commands."""
    bc, chat, _ = _begin(update, context, "start")
    await bc.sender.send_text(chat.id, messages.start())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List every command with its usage."""
    bc, chat, _ = _begin(update, context, "help")
    await bc.sender.send_text(chat.id, messages.help_text())


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send today's report (or some sections), then buttons to pick one section."""
    bc, chat, request = _begin(update, context, "report")
    await bc.sender.send_parts(chat.id, await bc.reports.parts(PLATFORM, request.sections))
    await bc.sender.send_text(chat.id, messages.PICK_SECTION, reply_markup=section_keyboard())


async def section(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one section of today's report."""
    bc, chat, request = _begin(update, context, "section")
    await bc.sender.send_parts(chat.id, await bc.reports.parts(PLATFORM, request.sections))


async def market(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one market's section."""
    bc, chat, request = _begin(update, context, "market")
    await bc.sender.send_parts(chat.id, await bc.reports.parts(PLATFORM, request.sections))


async def divergence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a pair's spread: a chart when history is stored, else the table."""
    bc, chat, request = _begin(update, context, "divergence")
    await bc.sender.send_parts(chat.id, await bc.reports.divergence_parts(PLATFORM, request))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send where each figure came from, its session and freshness."""
    bc, chat, _ = _begin(update, context, "sources")
    await bc.sender.send_parts(chat.id, await bc.reports.sources_parts(PLATFORM))


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe this chat (administrators only in groups and channels)."""
    bc, chat, request = _begin(update, context, "subscribe")
    await require_admin(update, context.bot)
    user = update.effective_user
    sub = await bc.store.subscribe(
        PLATFORM,
        chat.id,
        request.delivery_time,
        request.timezone,
        request.sections,
        created_by=user.id if user else chat.id,
    )
    await bc.sender.send_text(chat.id, messages.subscribed(sub))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop this chat's digest (administrators only in groups and channels)."""
    bc, chat, _ = _begin(update, context, "unsubscribe")
    await require_admin(update, context.bot)
    was_active = await bc.store.unsubscribe(PLATFORM, chat.id)
    await bc.sender.send_text(chat.id, messages.unsubscribed(was_active))


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show this chat's subscription."""
    bc, chat, _ = _begin(update, context, "subscriptions")
    sub = await bc.store.subscription(PLATFORM, chat.id)
    await bc.sender.send_text(chat.id, messages.subscription_status(sub))


async def section_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a section button: acknowledge the press, send that section."""
    bc: BotContext = context.application.bot_data[CONTEXT_KEY]
    query = update.callback_query
    await query.answer()
    bc.limiter.check(query.from_user.id)
    request = parse_section([(query.data or "").removeprefix(SECTION_PREFIX)])
    chat_id = update.effective_chat.id
    await bc.sender.send_parts(chat_id, await bc.reports.parts(PLATFORM, request.sections))


COMMANDS = {
    "start": start,
    "help": help_command,
    "report": report,
    "section": section,
    "market": market,
    "divergence": divergence,
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "subscriptions": subscriptions,
    "sources": sources,
}


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a failed command in its chat: the user's mistake, a data failure, or a bug."""
    exc = context.error
    if isinstance(exc, UserInputError):
        text = messages.user_error(exc)
    elif isinstance(exc, ReportError):
        log.warning("report unavailable: %s", exc)
        text = messages.report_failed(exc)
    else:
        log.error("handler failed", exc_info=exc)
        text = messages.INTERNAL_ERROR
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)

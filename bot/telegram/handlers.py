"""Thin handlers: translate an update, call the command layer, send its reply.

Every command goes through one handler factory; a command the bot does not have gets the
same answer as on every platform, and every button press is acknowledged.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from telegram import Chat, Update, User
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.commands import CommandContext, Reply, Services, run_command, wording
from bot.commands.parse import split_args
from bot.commands.run import chat_language
from bot.commands.style import Style
from bot.telegram.admin import require_admin
from bot.telegram.keyboard import SECTION_PREFIX, section_keyboard
from bot.telegram.pacing import Priority
from bot.telegram.sender import PLATFORM, TelegramSender
from bot.telegram.style import TELEGRAM_STYLE

log = logging.getLogger(__name__)

CONTEXT_KEY = "marketbot"


@dataclass
class BotContext:
    """What handlers share: the command layer's services and the sender."""

    services: Services
    sender: TelegramSender


async def answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, name: str, words: list[str]
) -> None:
    """Run one command for this update and send the reply to its chat."""
    bc: BotContext = context.application.bot_data[CONTEXT_KEY]
    chat, user = update.effective_chat, update.effective_user

    async def may_manage(command: str) -> None:
        await require_admin(update, context.bot)

    ctx = CommandContext(
        bc.services,
        PLATFORM,
        chat.id,
        user.id if user else chat.id,
        TELEGRAM_STYLE,
        may_manage=may_manage,
        buttons=True,
        locale=client_locale(chat, user),
    )
    await send_reply(bc.sender, chat.id, await run_command(ctx, name, words))


async def send_reply(sender: TelegramSender, chat_id: int, reply: Reply) -> None:
    """Send the reply's parts, then its text; the section buttons go on the last text sent.
    The parts still being drawn (a first ask's images) follow when they are done."""
    markup = section_keyboard(reply.language) if reply.keyboard else None
    # What the user waits for goes to the head of the send line; the rest follows in turn.
    first = Priority.REPLY
    if reply.parts:
        await sender.send_parts(
            chat_id, reply.parts, reply_markup=None if reply.text else markup, priority=first
        )
        first = Priority.FOLLOW_UP
    if reply.text:
        await sender.send_text(chat_id, reply.text, reply_markup=markup, priority=first)
    if reply.later is not None:
        await sender.send_parts(chat_id, await reply.later, priority=Priority.FOLLOW_UP)


def client_locale(chat: Chat, user: User | None) -> str | None:
    """Return the user's app language in a private chat; a group reads its own or the default."""
    return user.language_code if chat.type == ChatType.PRIVATE and user else None


async def update_style(bc: BotContext, update: Update) -> Style:
    """Return the Telegram style in the language of the update's chat (or its user's)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return TELEGRAM_STYLE
    locale = client_locale(chat, user)
    return TELEGRAM_STYLE.in_language(await chat_language(bc.services, PLATFORM, chat.id, locale))


def message_words(update: Update) -> list[str]:
    """Return the words after the /command, "quoted words" kept together (PTB's args are not)."""
    message = update.effective_message
    command_and_rest = (message.text or "").split(maxsplit=1) if message else []
    return split_args(command_and_rest[1]) if len(command_and_rest) == 2 else []


def command(name: str):
    """Return the handler of ``/name``."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await answer(update, context, name, message_words(update))

    handle.__name__ = handle.__qualname__ = f"command_{name}"
    return handle


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a /command the bot does not have (ignoring ones addressed to other bots)."""
    message = update.effective_message
    first = (message.text or "").split(maxsplit=1)[0] if message and message.text else ""
    name, _, addressee = first.removeprefix("/").partition("@")
    if addressee and addressee.casefold() != (context.bot.username or "").casefold():
        return
    await answer(update, context, name.casefold(), message_words(update))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge every press; a section button sends that section, others say they expired."""
    query = update.callback_query
    data = query.data or ""
    if not data.startswith(SECTION_PREFIX):
        style = await update_style(context.application.bot_data[CONTEXT_KEY], update)
        await query.answer(style.say(wording.STALE_BUTTON))
        return
    await query.answer()
    await answer(update, context, "section", [data.removeprefix(SECTION_PREFIX)])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a failed update in its chat; the command layer already worded user errors."""
    log.error("handler failed", exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    style = TELEGRAM_STYLE
    try:
        style = await update_style(context.application.bot_data[CONTEXT_KEY], update)
    except Exception:  # the store may be what failed: answer in the default language then
        log.warning("chat language unknown for the error answer", exc_info=True)
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(
            chat.id,
            style.say(wording.INTERNAL_ERROR),
            parse_mode=ParseMode.HTML,
            rate_limit_args=Priority.REPLY,
        )

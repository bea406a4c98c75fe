"""Everything the bot says in its own words, once, for every platform.

Sentences live here; a ``Style`` says how one platform marks them up (HTML on Telegram,
Markdown on Discord, nothing in the console) and what it calls a chat.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.commands.parse import USAGE
from bot.store import Subscription
from core.errors import (
    BadCommand,
    BotCannotPost,
    NotChatManager,
    RateLimitExceeded,
    ReportError,
    UnknownCommand,
    UserInputError,
)
from core.sections import SECTIONS

PICK_SECTION = "Pick one section:"
INTERNAL_ERROR = "Something went wrong on my side; please try again later."
STALE_BUTTON = "This button no longer works; send /report for fresh ones."
INTRO = (
    "{marketbot} writes a daily cross-market report: US → Hong Kong → China A-shares → "
    "crypto {amp} DeFi, every figure computed from market data and labelled with its session."
)

DESCRIPTIONS: dict[str, str] = {
    "start": "What this bot does",
    "help": "Commands and how to use them",
    "report": "Today's whole report, or some sections of it",
    "section": "One section of today's report",
    "market": "One market: US, HK, CN or CRYPTO",
    "divergence": "Spread between two instruments in bps, with a chart",
    "subscribe": "Daily digest in this {chat} at a time and zone",
    "unsubscribe": "Stop the daily digest in this {chat}",
    "subscriptions": "This {chat}'s daily digest",
    "sources": "Where each figure came from, its session and freshness",
}


def _same(text: str) -> str:
    return text


def _nowhere(chat_id: str) -> str:
    return ""  # a Telegram digest goes to the chat the command came from; no need to say


@dataclass(frozen=True)
class Style:
    """How one platform marks text up and names things; the sentences stay the same."""

    escape: Callable[[str], str] = _same
    code: Callable[[str], str] = _same
    bold: Callable[[str], str] = _same
    command: Callable[[str], str] = _same  # a /command mentioned in a sentence
    value: Callable[[str], str] = _same  # a typed value echoed back (a time zone)
    here: Callable[[str], str] = _nowhere  # " in <#channel>": where the digest goes
    chat: str = "chat"
    managers: str = "administrators"  # who may manage a group's or channel's digest
    grant: str = "Make me an administrator allowed to post messages"
    commands: tuple[str, ...] = tuple(USAGE)  # the commands this platform offers, in order
    usage: Mapping[str, str] = field(default_factory=lambda: USAGE)


def describe(name: str, style: Style) -> str:
    """Return a command's one-line description (command menus, slash commands)."""
    return DESCRIPTIONS[name].format(chat=style.chat)


def start(style: Style) -> str:
    """Return the /start greeting."""
    c = style.command
    return (
        INTRO.format(marketbot=style.bold("marketbot"), amp=style.escape("&"))
        + f"\n\nTry {c('/report')}, {c('/market HK')} or {c('/divergence HSTECH NASDAQ')}. "
        f"{c('/subscribe 08:00 Asia/Hong_Kong')} delivers it here every day. "
        f"{c('/help')} lists everything."
    )


def help_text(style: Style) -> str:
    """Return the /help list: each command's usage and what it does."""
    lines = [
        f"{style.code(style.usage[name])} — {style.escape(describe(name, style))}"
        for name in style.commands
    ]
    keys = ", ".join(s.key for s in SECTIONS)
    return (
        INTRO.format(marketbot=style.bold("marketbot"), amp=style.escape("&"))
        + f"\n\n{style.bold('Commands')}\n"
        + "\n".join(lines)
        + f"\n\n{style.bold('Sections:')} {style.escape(keys)}\n"
        + "Times are 24-hour HH:MM in an IANA time zone such as Asia/Hong_Kong (default UTC). "
        + f"In a group or channel only {style.managers} can subscribe it."
    )


def _did_you_mean(suggestions: tuple[str, ...], style: Style) -> str:
    if not suggestions:
        return ""
    return "\nDid you mean: " + ", ".join(style.code(s) for s in suggestions) + "?"


def unknown_command(exc: UnknownCommand, style: Style) -> str:
    """Return the answer to a command the bot does not have: the same on every platform."""
    names = ", ".join(style.command(f"/{name}") for name in style.commands)
    return (
        f"⚠️ unknown command {style.escape(repr('/' + exc.command))}; "
        f"try {style.command('/help')}"
        f"{_did_you_mean(exc.suggestions, style)}\nCommands: {names}"
    )


def user_error(exc: UserInputError, style: Style) -> str:
    """Return the reply to input the bot cannot use: what was wrong, usage, suggestions."""
    if isinstance(exc, BadCommand):
        usage = style.usage.get(exc.command, USAGE[exc.command])
        did_you_mean = _did_you_mean(exc.suggestions, style)
        return f"⚠️ {style.escape(exc.reason)}{did_you_mean}\nUsage: {style.code(usage)}"
    if isinstance(exc, UnknownCommand):
        return unknown_command(exc, style)
    if isinstance(exc, NotChatManager):
        return f"Only {style.managers} can change this {style.chat}'s daily digest."
    if isinstance(exc, BotCannotPost):
        names = ", ".join(style.bold(name) for name in exc.missing)
        return (
            f"I cannot post the daily digest here: I am missing {names} in this {style.chat}. "
            f"{style.grant}, then run {style.command('/subscribe')} again."
        )
    if isinstance(exc, RateLimitExceeded):
        return f"⏳ Too many commands. Try again in {max(1, round(exc.retry_after_s))} s."
    suggestions = getattr(exc, "suggestions", ())
    return f"⚠️ {style.escape(str(exc))}{_did_you_mean(suggestions, style)}"


def report_failed(exc: ReportError, style: Style) -> str:
    """Return the reply when today's report cannot be built (data or configuration failed)."""
    return f"⚠️ Today's report is not available right now: {style.escape(str(exc))}"


def _sections_text(sub: Subscription, style: Style) -> str:
    return style.escape(", ".join(sub.sections) if sub.sections else "the whole report")


def subscribed(sub: Subscription, style: Style) -> str:
    """Return the confirmation of a (re)subscription."""
    return (
        f"✅ Daily digest{style.here(sub.chat_id)}: {sub.delivery_time:%H:%M} "
        f"{style.value(sub.timezone)}, {_sections_text(sub, style)}. "
        f"Stop it with {style.command('/unsubscribe')}."
    )


def not_subscribed(style: Style) -> str:
    """Return the answer for a chat without a digest."""
    return f"This {style.chat} has no daily digest. Start one with {style.command('/subscribe')}."


def unsubscribed(was_active: bool, style: Style) -> str:
    """Return the reply to /unsubscribe."""
    if was_active:
        return (
            f"Daily digest stopped for this {style.chat}. "
            f"{style.command('/subscribe')} starts it again."
        )
    return not_subscribed(style)


def subscription_status(sub: Subscription | None, style: Style) -> str:
    """Return the reply to /subscriptions."""
    if sub is None or not sub.active:
        return not_subscribed(style)
    return (
        f"Daily digest{style.here(sub.chat_id)} at {sub.delivery_time:%H:%M} "
        f"{style.value(sub.timezone)}: {_sections_text(sub, style)}."
    )

"""Everything the Telegram bot says in its own words (HTML parse mode), in one place."""

from __future__ import annotations

from bot.commands import DESCRIPTIONS, USAGE
from bot.store import Subscription
from core.errors import (
    BadCommand,
    BotNotChannelAdmin,
    NotChatAdmin,
    RateLimitExceeded,
    ReportError,
    UserInputError,
)
from core.sections import SECTIONS
from renderers.telegram_html import escape

PICK_SECTION = "Pick one section:"
INTERNAL_ERROR = "Something went wrong on my side; please try again later."
NOT_ADMIN = "Only this chat's administrators can change its daily digest."
BOT_NOT_CHANNEL_ADMIN = (
    "I need to be an administrator of this channel (allowed to post messages) "
    "before I can deliver a daily digest here."
)
NOT_SUBSCRIBED = "This chat has no daily digest. Start one with /subscribe."


def start() -> str:
    """Return the /start greeting."""
    return (
        "<b>marketbot</b> writes a daily cross-market report: US → Hong Kong → China A-shares → "
        "crypto &amp; DeFi, every figure computed from market data and labelled with its "
        "session.\n\nTry /report, /market HK or /divergence HSTECH NASDAQ. "
        "/subscribe 08:00 Asia/Hong_Kong delivers it here every day. /help lists everything."
    )


def help_text() -> str:
    """Return the /help list: each command's usage and what it does."""
    lines = [f"<code>{escape(USAGE[name])}</code> — {escape(DESCRIPTIONS[name])}" for name in USAGE]
    keys = ", ".join(s.key for s in SECTIONS)
    return (
        "<b>Commands</b>\n"
        + "\n".join(lines)
        + f"\n\n<b>Sections:</b> {escape(keys)}\n"
        + "Times are 24-hour HH:MM in an IANA time zone such as Asia/Hong_Kong (default UTC)."
    )


def _did_you_mean(suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return ""
    return "\nDid you mean: " + ", ".join(f"<code>{escape(s)}</code>" for s in suggestions) + "?"


def user_error(exc: UserInputError) -> str:
    """Return the reply to input the bot cannot use: what was wrong, usage, suggestions."""
    if isinstance(exc, BadCommand):
        return (
            f"⚠️ {escape(exc.reason)}{_did_you_mean(exc.suggestions)}\n"
            f"Usage: <code>{escape(USAGE[exc.command])}</code>"
        )
    if isinstance(exc, NotChatAdmin):
        return NOT_ADMIN
    if isinstance(exc, BotNotChannelAdmin):
        return BOT_NOT_CHANNEL_ADMIN
    if isinstance(exc, RateLimitExceeded):
        return f"⏳ Too many commands. Try again in {max(1, round(exc.retry_after_s))} s."
    return f"⚠️ {escape(str(exc))}{_did_you_mean(getattr(exc, 'suggestions', ()))}"


def report_failed(exc: ReportError) -> str:
    """Return the reply when today's report cannot be built (data or configuration failed)."""
    return f"⚠️ Today's report is not available right now: {escape(str(exc))}"


def _sections_text(sub: Subscription) -> str:
    return ", ".join(sub.sections) if sub.sections else "the whole report"


def subscribed(sub: Subscription) -> str:
    """Return the confirmation of a (re)subscription."""
    return (
        f"✅ Daily digest on: {sub.delivery_time:%H:%M} {escape(sub.timezone)}, "
        f"{escape(_sections_text(sub))}. Stop it with /unsubscribe."
    )


def unsubscribed(was_active: bool) -> str:
    """Return the reply to /unsubscribe."""
    if was_active:
        return "Daily digest stopped for this chat. /subscribe starts it again."
    return NOT_SUBSCRIBED


def subscription_status(sub: Subscription | None) -> str:
    """Return the reply to /subscriptions."""
    if sub is None or not sub.active:
        return NOT_SUBSCRIBED
    return (
        f"Daily digest at {sub.delivery_time:%H:%M} {escape(sub.timezone)}: "
        f"{escape(_sections_text(sub))}."
    )

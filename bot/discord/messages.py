"""Everything the Discord bot says in its own words (Discord markdown), in one place."""

from __future__ import annotations

from bot.commands import DEFAULT_DIVERGENCE_DAYS, MARKETS
from bot.commands import USAGE as TEXT_USAGE
from bot.store import Subscription
from core.errors import (
    BadCommand,
    BotMissingPermissions,
    NotChannelManager,
    RateLimitExceeded,
    ReportError,
    UserInputError,
)
from core.sections import SECTIONS
from renderers.discord_markdown import escape_md

INTERNAL_ERROR = "Something went wrong on my side; please try again later."
NOT_MANAGER = (
    "Only members with **Manage Channels** or **Manage Server** can change this channel's "
    "daily digest."
)
NOT_SUBSCRIBED = "This channel has no daily digest. Start one with `/subscribe`."

# Slash command descriptions (Discord caps them at 100 characters).
DESCRIPTIONS: dict[str, str] = {
    "report": "Today's whole report, or one section",
    "market": "One market: US, HK, CN or CRYPTO",
    "divergence": "Spread between two instruments in bps, with a chart",
    "subscribe": "Daily digest in this channel at a time and zone",
    "unsubscribe": "Stop the daily digest in this channel",
    "subscriptions": "This channel's daily digest",
    "sources": "Where each figure came from, its session and freshness",
    "help": "Commands and how to use them",
}
USAGE: dict[str, str] = {
    "report": "/report [section]",
    "market": f"/market {'|'.join(MARKETS)}",
    "divergence": f"/divergence a b [days] (days default {DEFAULT_DIVERGENCE_DAYS})",
    "subscribe": "/subscribe [time HH:MM] [timezone] [sections]",
    "unsubscribe": "/unsubscribe",
    "subscriptions": "/subscriptions",
    "sources": "/sources",
    "help": "/help",
}
PARAMS: dict[str, str] = {
    "section": "A section of the report, e.g. hk or divergences",
    "market": "The market to show",
    "a": "First instrument, e.g. HSTECH or 恒生科技",
    "b": "Second instrument, e.g. NASDAQ",
    "days": "History window in sessions",
    "time": "Delivery time, 24-hour HH:MM (default 08:00)",
    "timezone": "IANA time zone, e.g. Asia/Hong_Kong (default UTC)",
    "sections": "Sections to deliver, separated by spaces (default: the whole report)",
}


def help_text() -> str:
    """Return the /help text: each command's usage and what it does."""
    lines = [f"`{USAGE[name]}` — {DESCRIPTIONS[name]}" for name in USAGE]
    keys = ", ".join(s.key for s in SECTIONS)
    return (
        "**marketbot** writes a daily cross-market report: US → Hong Kong → China A-shares → "
        "crypto & DeFi, every figure computed from market data and labelled with its session."
        "\n\n**Commands**\n"
        + "\n".join(lines)
        + f"\n\n**Sections:** {keys}\n"
        + "Times are 24-hour HH:MM in an IANA time zone such as Asia/Hong_Kong (default UTC). "
        + "Subscribing a channel needs Manage Channels or Manage Server."
    )


def _did_you_mean(suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return ""
    return "\nDid you mean: " + ", ".join(f"`{s}`" for s in suggestions) + "?"


def user_error(exc: UserInputError) -> str:
    """Return the reply to input the bot cannot use: what was wrong, usage, suggestions."""
    if isinstance(exc, BadCommand):
        usage = USAGE.get(exc.command, TEXT_USAGE[exc.command])
        return f"⚠️ {escape_md(exc.reason)}{_did_you_mean(exc.suggestions)}\nUsage: `{usage}`"
    if isinstance(exc, NotChannelManager):
        return NOT_MANAGER
    if isinstance(exc, BotMissingPermissions):
        return bot_missing(exc.missing)
    if isinstance(exc, RateLimitExceeded):
        return f"⏳ Too many commands. Try again in {max(1, round(exc.retry_after_s))} s."
    return f"⚠️ {escape_md(str(exc))}{_did_you_mean(getattr(exc, 'suggestions', ()))}"


def bot_missing(missing: tuple[str, ...]) -> str:
    """Return what the bot lacks in this channel to deliver a digest."""
    names = ", ".join(f"**{name}**" for name in missing)
    return (
        f"I cannot post the daily digest here: I am missing {names} in this channel. "
        "Ask a server admin to grant it to my role (or in the channel's permissions), "
        "then run `/subscribe` again."
    )


def report_failed(exc: ReportError) -> str:
    """Return the reply when today's report cannot be built (data or configuration failed)."""
    return f"⚠️ Today's report is not available right now: {escape_md(str(exc))}"


def _sections_text(sub: Subscription) -> str:
    return ", ".join(sub.sections) if sub.sections else "the whole report"


def subscribed(sub: Subscription) -> str:
    """Return the confirmation of a (re)subscription."""
    return (
        f"✅ Daily digest in <#{sub.chat_id}>: {sub.delivery_time:%H:%M} "
        f"`{sub.timezone}`, {escape_md(_sections_text(sub))}. "
        "Stop it with `/unsubscribe`."
    )


def unsubscribed(was_active: bool) -> str:
    """Return the reply to /unsubscribe."""
    if was_active:
        return "Daily digest stopped for this channel. `/subscribe` starts it again."
    return NOT_SUBSCRIBED


def subscription_status(sub: Subscription | None) -> str:
    """Return the reply to /subscriptions."""
    if sub is None or not sub.active:
        return NOT_SUBSCRIBED
    return (
        f"Daily digest in <#{sub.chat_id}> at {sub.delivery_time:%H:%M} "
        f"`{sub.timezone}`: {escape_md(_sections_text(sub))}."
    )

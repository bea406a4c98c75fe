"""How the bot's sentences look on Discord, and the slash commands' usage and option help."""

from __future__ import annotations

from bot.commands.style import Style
from core.i18n import N_
from renderers.discord_markdown import escape_md

# The slash commands' signatures (catalog messages, filled with the commands' USAGE_VALUES);
# Discord has no /start, and /report takes the section.
USAGE: dict[str, str] = {
    "report": N_("/report [section]"),
    "market": "/market %(markets)s",
    "divergence": N_("/divergence a b [days] (days default %(default)s)"),
    "subscribe": N_("/subscribe [time HH:MM] [timezone] [sections]"),
    "unsubscribe": "/unsubscribe",
    "subscriptions": "/subscriptions",
    "sources": "/sources",
    "help": "/help",
    "language": "/language zh|en",
}
PARAMS: dict[str, str] = {
    "section": N_("A section of the report, e.g. hk or divergences"),
    "market": N_("The market to show"),
    "a": N_("First instrument, e.g. HSTECH or 恒生科技"),
    "b": N_("Second instrument, e.g. NASDAQ"),
    "days": N_("History window in sessions"),
    "time": N_("Delivery time, 24-hour HH:MM (default 08:00)"),
    "timezone": N_("IANA time zone, e.g. Asia/Hong_Kong (default UTC)"),
    "sections": N_("Sections to deliver, separated by spaces (default: the whole report)"),
    "language": N_("zh (简体中文) or en (English)"),
}


def _code(text: str) -> str:
    return f"`{text}`"


DISCORD_STYLE = Style(
    escape=escape_md,
    code=_code,
    bold=lambda text: f"**{text}**",
    command=_code,
    value=_code,
    mention=lambda chat_id: f"<#{chat_id}>",
    chat=N_("channel"),
    managers=N_("members with **Manage Channels** or **Manage Server**"),
    grant=N_("Ask a server admin to grant it to my role (or in the channel's permissions)"),
    commands=tuple(USAGE),
    usage=USAGE,
)

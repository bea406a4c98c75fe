"""How the bot's sentences look on Telegram: HTML parse mode, commands as plain /links."""

from __future__ import annotations

from bot.commands.style import Style
from renderers.telegram_html import escape

TELEGRAM_STYLE = Style(
    escape=escape,
    code=lambda text: f"<code>{escape(text)}</code>",
    bold=lambda text: f"<b>{escape(text)}</b>",
)

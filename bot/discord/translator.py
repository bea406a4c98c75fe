"""Slash commands' names and descriptions in the member's Discord language, from the catalogs."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands.wording import describe
from bot.discord.style import DISCORD_STYLE, PARAMS, USAGE
from core.i18n import N_, Language

# Discord client locales that get a translation; every other locale sees the English.
LOCALES: dict[discord.Locale, Language] = {discord.Locale.chinese: Language.ZH}
# A command's name as Chinese readers find it in the menu; the command stays the same.
NAMES: dict[str, str] = {
    "report": N_("report"),
    "market": N_("market"),
    "divergence": N_("divergence"),
    "subscribe": N_("subscribe"),
    "unsubscribe": N_("unsubscribe"),
    "subscriptions": N_("subscriptions"),
    "sources": N_("sources"),
    "help": N_("help"),
    "language": N_("language"),
}
_DESCRIBED = {describe(name, DISCORD_STYLE): name for name in USAGE}
_PARAMS = set(PARAMS.values())

_Where = app_commands.TranslationContextLocation


class CatalogTranslator(app_commands.Translator):
    """Translate the English the cogs were declared with into a supported client locale."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Return the text for ``locale``, or None to keep the English."""
        language = LOCALES.get(locale)
        if language is None:
            return None
        style = DISCORD_STYLE.in_language(language)
        text = string.message
        if context.location is _Where.command_name and text in NAMES:
            return style.word(NAMES[text])
        if context.location is _Where.command_description and text in _DESCRIBED:
            return describe(_DESCRIBED[text], style)
        if context.location is _Where.parameter_description and text in _PARAMS:
            return style.word(text)
        return None

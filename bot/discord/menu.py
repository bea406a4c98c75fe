"""The section menu under the digest: pick a section, get it from the report cache.

The menu is persistent: its ``custom_id`` is fixed and the bot registers one instance at
start, so a digest posted before a restart still answers. The chosen value goes through the
command layer as ``/section VALUE``; a value no longer known gets its usual unknown-section
answer, never silence.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.commands import wording
from bot.discord.adapter import run_interaction
from bot.discord.client import MarketBot, answer_failure
from core.i18n import DEFAULT_LANGUAGE, Language

MENU_ID = "marketbot:section"  # fixed: old messages' menus route to the registered view


class SectionMenu(discord.ui.View):
    """One select of the report's sections, labelled in the chat's language."""

    def __init__(self, bot: MarketBot, language: Language = DEFAULT_LANGUAGE) -> None:
        super().__init__(timeout=None)
        self.bot = bot
        self.select: discord.ui.Select[SectionMenu] = discord.ui.Select(
            custom_id=MENU_ID,
            options=[
                discord.SelectOption(label=label, value=key)
                for key, label in wording.section_labels(language)
            ],
        )
        self.select.callback = self.choose  # type: ignore[method-assign]
        self.add_item(self.select)

    async def choose(self, interaction: discord.Interaction) -> None:
        """Answer the chosen section as ``/section`` would."""
        chosen = self.select.values[0] if self.select.values else ""
        await run_interaction(self.bot, interaction, "section", {"section": chosen})

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Answer a failed choice ephemerally, as a failed slash command is."""
        await answer_failure(interaction, error)

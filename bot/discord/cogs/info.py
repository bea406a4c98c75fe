"""/help and /sources."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord import messages
from bot.discord.cogs.base import MarketCog
from bot.discord.sender import PLATFORM


class InfoCog(MarketCog):
    """What the bot does and where its figures come from."""

    @app_commands.command(name="help", description=messages.DESCRIPTIONS["help"])
    async def help(self, interaction: discord.Interaction) -> None:
        """List every command with its usage (only to the user who asked)."""
        self.charge(interaction, "help")
        await interaction.response.send_message(messages.help_text(), ephemeral=True)

    @app_commands.command(name="sources", description=messages.DESCRIPTIONS["sources"])
    async def sources(self, interaction: discord.Interaction) -> None:
        """Send where each figure came from, its session and freshness."""
        self.charge(interaction, "sources")
        await self.defer(interaction)
        await self.answer(interaction, await self.bot.reports.sources_parts(PLATFORM))

"""/help and /sources."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands.wording import describe
from bot.discord.cogs.base import MarketCog
from bot.discord.style import DISCORD_STYLE


class InfoCog(MarketCog):
    """What the bot does and where its figures come from."""

    @app_commands.command(name="help", description=describe("help", DISCORD_STYLE))
    async def help(self, interaction: discord.Interaction) -> None:
        """List every command with its usage (only to the user who asked)."""
        await self.run(interaction, "help")

    @app_commands.command(name="sources", description=describe("sources", DISCORD_STYLE))
    async def sources(self, interaction: discord.Interaction) -> None:
        """Send where each figure came from, its session and freshness."""
        await self.run(interaction, "sources")

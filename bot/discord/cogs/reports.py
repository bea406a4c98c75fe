"""/report and /market: today's report, whole or one section or market."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands import MARKETS
from bot.commands.wording import describe
from bot.discord.autocomplete import complete_section
from bot.discord.cogs.base import MarketCog
from bot.discord.style import DISCORD_STYLE, PARAMS


class ReportsCog(MarketCog):
    """Today's report as embeds with table and chart images."""

    @app_commands.command(name="report", description=describe("report", DISCORD_STYLE))
    @app_commands.describe(section=PARAMS["section"])
    @app_commands.autocomplete(section=complete_section)
    async def report(self, interaction: discord.Interaction, section: str | None = None) -> None:
        """Send today's report, or one section of it."""
        await self.run(interaction, "report", section=section)

    @app_commands.command(name="market", description=describe("market", DISCORD_STYLE))
    @app_commands.describe(market=PARAMS["market"])
    @app_commands.choices(market=[app_commands.Choice(name=m, value=m) for m in MARKETS])
    async def market(self, interaction: discord.Interaction, market: str) -> None:
        """Send one market's section."""
        await self.run(interaction, "market", market=market)

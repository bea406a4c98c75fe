"""/report and /market: today's report, whole or one section or market."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands import MARKETS
from bot.discord import messages
from bot.discord.autocomplete import section_choices
from bot.discord.cogs.base import MarketCog
from bot.discord.options import market_request, report_request
from bot.discord.sender import PLATFORM

P = messages.PARAMS


class ReportsCog(MarketCog):
    """Today's report as embeds with table and chart images."""

    @app_commands.command(name="report", description=messages.DESCRIPTIONS["report"])
    @app_commands.describe(section=P["section"])
    async def report(self, interaction: discord.Interaction, section: str | None = None) -> None:
        """Send today's report, or one section of it."""
        self.charge(interaction, "report")
        request = report_request(section)
        await self.defer(interaction)
        await self.answer(interaction, await self.bot.reports.parts(PLATFORM, request.sections))

    @report.autocomplete("section")
    async def _section(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return section_choices(current)

    @app_commands.command(name="market", description=messages.DESCRIPTIONS["market"])
    @app_commands.describe(market=P["market"])
    @app_commands.choices(market=[app_commands.Choice(name=m, value=m) for m in MARKETS])
    async def market(self, interaction: discord.Interaction, market: str) -> None:
        """Send one market's section."""
        self.charge(interaction, "market")
        request = market_request(market)
        await self.defer(interaction)
        await self.answer(interaction, await self.bot.reports.parts(PLATFORM, request.sections))

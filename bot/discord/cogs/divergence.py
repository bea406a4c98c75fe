"""/divergence a b [days]: a pair's spread in bps, with a chart when history is stored."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands import MAX_DIVERGENCE_DAYS, MIN_DIVERGENCE_DAYS
from bot.discord import messages
from bot.discord.autocomplete import instrument_choices
from bot.discord.cogs.base import MarketCog
from bot.discord.options import divergence_request
from bot.discord.sender import PLATFORM

P = messages.PARAMS
Days = app_commands.Range[int, MIN_DIVERGENCE_DAYS, MAX_DIVERGENCE_DAYS]


class DivergenceCog(MarketCog):
    """Spreads between two instruments."""

    @app_commands.command(name="divergence", description=messages.DESCRIPTIONS["divergence"])
    @app_commands.describe(a=P["a"], b=P["b"], days=P["days"])
    async def divergence(
        self, interaction: discord.Interaction, a: str, b: str, days: Days | None = None
    ) -> None:
        """Send a pair's spread: a chart when history is stored, else the table."""
        self.charge(interaction, "divergence")
        request = divergence_request(self.bot.reports.registry, a, b, days)
        await self.defer(interaction)
        parts = await self.bot.reports.divergence_parts(PLATFORM, request)
        await self.answer(interaction, parts)

    @divergence.autocomplete("a")
    @divergence.autocomplete("b")
    async def _instrument(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return instrument_choices(self.bot.reports.registry, current)

"""/divergence a b [days]: a pair's spread in bps, with a chart when history is stored."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands import MAX_DIVERGENCE_DAYS, MIN_DIVERGENCE_DAYS
from bot.commands.wording import describe
from bot.discord.autocomplete import complete_instrument
from bot.discord.cogs.base import MarketCog
from bot.discord.style import DISCORD_STYLE, PARAMS

Days = app_commands.Range[int, MIN_DIVERGENCE_DAYS, MAX_DIVERGENCE_DAYS]


class DivergenceCog(MarketCog):
    """Spreads between two instruments."""

    @app_commands.command(name="divergence", description=describe("divergence", DISCORD_STYLE))
    @app_commands.describe(a=PARAMS["a"], b=PARAMS["b"], days=PARAMS["days"])
    @app_commands.autocomplete(a=complete_instrument, b=complete_instrument)
    async def divergence(
        self, interaction: discord.Interaction, a: str, b: str, days: Days | None = None
    ) -> None:
        """Send a pair's spread: a chart when history is stored, else the table."""
        await self.run(interaction, "divergence", a=a, b=b, days=days)

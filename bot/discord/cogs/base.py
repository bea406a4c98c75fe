"""What every cog shares: the bot, and one way to run a slash command through the layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.discord.adapter import run_interaction

if TYPE_CHECKING:
    from bot.discord.client import MarketBot


class MarketCog(commands.Cog):
    """A cog of the market bot: slash signatures here, answers in ``bot.commands``."""

    def __init__(self, bot: MarketBot) -> None:
        self.bot = bot

    async def run(
        self, interaction: discord.Interaction, name: str, **options: str | int | None
    ) -> None:
        """Answer ``/name`` with the options the member gave."""
        await run_interaction(self.bot, interaction, name, options)

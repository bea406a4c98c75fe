"""What every cog shares: the bot, per-user rate limiting, deferring and answering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from renderers.parts import MessagePart

if TYPE_CHECKING:
    from bot.discord.client import MarketBot

# Charts cost more of a user's budget than a cached text answer.
COSTS = {"divergence": 2.0}


class MarketCog(commands.Cog):
    """A cog of the market bot."""

    def __init__(self, bot: MarketBot) -> None:
        self.bot = bot

    def charge(self, interaction: discord.Interaction, command: str) -> None:
        """Take the command's cost from the user's rate-limit bucket (raises when empty)."""
        self.bot.limiter.check(interaction.user.id, COSTS.get(command, 1.0))

    async def defer(self, interaction: discord.Interaction) -> None:
        """Acknowledge at once so Discord's 3-second window cannot expire during the work."""
        await interaction.response.defer(thinking=True)

    async def answer(self, interaction: discord.Interaction, parts: Sequence[MessagePart]) -> None:
        """Send rendered parts as follow-ups of a deferred interaction, in order."""
        await self.bot.sender.followup(interaction, parts)

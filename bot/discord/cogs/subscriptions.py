"""/subscribe, /unsubscribe and /subscriptions: this channel's daily digest."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.commands.wording import describe
from bot.discord.autocomplete import complete_sections, complete_timezone
from bot.discord.cogs.base import MarketCog
from bot.discord.style import DISCORD_STYLE, PARAMS
from core.i18n import Language


class SubscriptionsCog(MarketCog):
    """Daily digests posted to channels."""

    @app_commands.command(name="subscribe", description=describe("subscribe", DISCORD_STYLE))
    @app_commands.describe(
        time=PARAMS["time"], timezone=PARAMS["timezone"], sections=PARAMS["sections"]
    )
    @app_commands.autocomplete(timezone=complete_timezone, sections=complete_sections)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: str | None = None,
        sections: str | None = None,
    ) -> None:
        """Subscribe this channel (managers only; the bot must be able to post here)."""
        await self.run(interaction, "subscribe", time=time, timezone=timezone, sections=sections)

    @app_commands.command(name="unsubscribe", description=describe("unsubscribe", DISCORD_STYLE))
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        """Stop this channel's digest (Manage Channels or Manage Server)."""
        await self.run(interaction, "unsubscribe")

    @app_commands.command(
        name="subscriptions", description=describe("subscriptions", DISCORD_STYLE)
    )
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        """Show this channel's digest (only to the user who asked)."""
        await self.run(interaction, "subscriptions")

    @app_commands.command(name="language", description=describe("language", DISCORD_STYLE))
    @app_commands.describe(language=PARAMS["language"])
    @app_commands.choices(
        language=[app_commands.Choice(name=lang.native_name, value=str(lang)) for lang in Language]
    )
    async def language(self, interaction: discord.Interaction, language: str | None = None) -> None:
        """Set (managers only) or show this channel's language."""
        await self.run(interaction, "language", language=language)

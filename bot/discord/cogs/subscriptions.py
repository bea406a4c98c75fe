"""/subscribe, /unsubscribe and /subscriptions: this channel's daily digest."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord import messages
from bot.discord.autocomplete import sections_list_choices, timezone_choices
from bot.discord.cogs.base import MarketCog
from bot.discord.options import subscribe_request
from bot.discord.permissions import require_bot_can_post, require_manager
from bot.discord.sender import PLATFORM

P = messages.PARAMS


class SubscriptionsCog(MarketCog):
    """Daily digests posted to channels."""

    @app_commands.command(name="subscribe", description=messages.DESCRIPTIONS["subscribe"])
    @app_commands.describe(time=P["time"], timezone=P["timezone"], sections=P["sections"])
    async def subscribe(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: str | None = None,
        sections: str | None = None,
    ) -> None:
        """Subscribe this channel (managers only; the bot must be able to post here)."""
        self.charge(interaction, "subscribe")
        request = subscribe_request(time, timezone, sections)
        require_manager(interaction)
        require_bot_can_post(interaction)
        sub = await self.bot.store.subscribe(
            PLATFORM,
            interaction.channel_id,
            request.delivery_time,
            request.timezone,
            request.sections,
            created_by=interaction.user.id,
        )
        await interaction.response.send_message(messages.subscribed(sub))

    @subscribe.autocomplete("timezone")
    async def _timezone(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current)

    @subscribe.autocomplete("sections")
    async def _sections(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return sections_list_choices(current)

    @app_commands.command(name="unsubscribe", description=messages.DESCRIPTIONS["unsubscribe"])
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        """Stop this channel's digest (Manage Channels or Manage Server)."""
        self.charge(interaction, "unsubscribe")
        require_manager(interaction)
        was_active = await self.bot.store.unsubscribe(PLATFORM, interaction.channel_id)
        await interaction.response.send_message(messages.unsubscribed(was_active))

    @app_commands.command(name="subscriptions", description=messages.DESCRIPTIONS["subscriptions"])
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        """Show this channel's digest (only to the user who asked)."""
        self.charge(interaction, "subscriptions")
        sub = await self.bot.store.subscription(PLATFORM, interaction.channel_id)
        await interaction.response.send_message(messages.subscription_status(sub), ephemeral=True)

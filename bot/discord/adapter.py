"""Translate an interaction into the command layer's context, and send its reply back.

Slow answers are deferred first (Discord allows 3 seconds) and come as follow-ups; errors
go to the asker alone, whatever state the interaction is in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import discord

from bot.commands import CommandContext, Reply, run_command
from bot.commands.run import chat_language
from bot.commands.style import Style
from bot.discord.permissions import require_bot_can_post, require_manager
from bot.discord.sender import ANSWERED, PLATFORM
from bot.discord.style import DISCORD_STYLE

if TYPE_CHECKING:
    from bot.discord.client import MarketBot


def command_context(bot: MarketBot, interaction: discord.Interaction) -> CommandContext:
    """Return the command context of an interaction in its channel."""

    async def may_manage(command: str) -> None:
        require_manager(interaction)
        if command == "subscribe":
            require_bot_can_post(interaction)

    async def defer() -> None:
        await interaction.response.defer(thinking=True)

    return CommandContext(
        bot.services,
        PLATFORM,
        interaction.channel_id or 0,
        interaction.user.id,
        DISCORD_STYLE,
        may_manage=may_manage,
        defer=defer,
        buttons=True,
        locale=client_locale(interaction),
    )


def client_locale(interaction: discord.Interaction) -> str | None:
    """Return the member's client language in a DM; a channel reads its own or the default."""
    return str(interaction.locale) if interaction.guild is None else None


async def interaction_style(bot: MarketBot, interaction: discord.Interaction) -> Style:
    """Return the Discord style in the language of the interaction's channel (or member's)."""
    chat_id = interaction.channel_id or 0
    locale = client_locale(interaction)
    return DISCORD_STYLE.in_language(await chat_language(bot.services, PLATFORM, chat_id, locale))


async def run_interaction(
    bot: MarketBot,
    interaction: discord.Interaction,
    name: str,
    options: Mapping[str, str | int | None],
) -> None:
    """Run the slash command ``name`` with its options and answer the interaction."""
    reply = await run_command(command_context(bot, interaction), name, options)
    await send_reply(bot, interaction, reply)


async def send_reply(bot: MarketBot, interaction: discord.Interaction, reply: Reply) -> None:
    """Send the reply: errors ephemerally, parts as follow-ups, a text as the response."""
    if reply.error:
        await answer_ephemeral(interaction, reply.text)
        return
    if reply.parts:
        # The digest's menu goes on its last message: one choice away from any section.
        menu = bot.section_menu(reply.language) if reply.keyboard else None
        await bot.sender.followup(interaction, reply.parts, view=menu)
    if not reply.text:
        return
    if interaction.response.is_done():
        await interaction.followup.send(reply.text, ephemeral=reply.ephemeral)
    else:
        await interaction.response.send_message(reply.text, ephemeral=reply.ephemeral)


async def answer_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Tell only the user who asked, whatever state the interaction is in."""
    if not interaction.response.is_done():
        await interaction.response.send_message(text, ephemeral=True)
        return
    if (
        interaction.response.type == discord.InteractionResponseType.deferred_channel_message
        and not interaction.extras.get(ANSWERED)
    ):
        # The first follow-up after a public defer would replace the "thinking" message
        # publicly; removing it lets the error go to the user alone.
        with contextlib.suppress(discord.HTTPException):
            await interaction.delete_original_response()
    await interaction.followup.send(text, ephemeral=True)

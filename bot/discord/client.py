"""The Discord client: a commands.Bot holding the service and store, its command tree and errors.

Cogs hold the commands; this module wires them, syncs the tree (globally, and to a test guild
when one is configured) and answers every failed command with one ephemeral message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import messages
from bot.discord.sender import ANSWERED, DiscordSender
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.store import AsyncStore
from core.errors import ReportError, UserInputError

log = logging.getLogger(__name__)


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


def error_text(error: Exception) -> str:
    """Return the user-facing text for a failed command, logging what is not the user's fault."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserInputError):
        return messages.user_error(error)
    if isinstance(error, ReportError):
        log.warning("report unavailable: %s", error)
        return messages.report_failed(error)
    log.error("command failed", exc_info=error)
    return messages.INTERNAL_ERROR


class MarketTree(app_commands.CommandTree):
    """The command tree with the one error handler of every slash command."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer a failed command ephemerally: the user's mistake, a data failure, or a bug."""
        text = error_text(error)
        try:
            await answer_ephemeral(interaction, text)
        except discord.HTTPException as exc:
            log.warning("could not report an error to the user: %s", exc)


# The bot never joins voice; discord.py would otherwise warn on start that voice libraries are
# not installed.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class MarketBot(commands.Bot):
    """The Discord bot: slash commands only, sharing the report service and the store."""

    def __init__(
        self,
        reports: ReportCache,
        store: AsyncStore,
        *,
        limiter: RateLimiter | None = None,
        guild_id: int | None = None,
        sync: bool = True,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=discord.Intents(guilds=True),
            tree_cls=MarketTree,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.reports = reports
        self.store = store
        self.limiter = limiter or RateLimiter()
        self.sender = DiscordSender(self)
        self.guild_id = guild_id
        self.sync_on_start = sync
        self.logged_in = asyncio.Event()

    async def setup_hook(self) -> None:
        """Add every cog, then sync the slash commands."""
        from bot.discord.cogs import COGS

        self.logged_in.set()  # login ran just before this hook: REST calls work from here

        for cog in COGS:
            await self.add_cog(cog(self))
        if self.sync_on_start:
            await self.sync_commands()

    async def sync_commands(self) -> None:
        """Register the commands globally and, when set, in the test guild (shown at once)."""
        try:
            if self.guild_id is not None:
                guild = discord.Object(id=self.guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d slash commands to guild %s", len(synced), self.guild_id)
            synced = await self.tree.sync()
            log.info("synced %d global slash commands", len(synced))
        except discord.HTTPException as exc:
            # Commands registered earlier keep working; the bot still posts digests.
            log.error("could not sync slash commands: %s", exc)

    async def on_ready(self) -> None:
        """Log the connection once the gateway session is ready."""
        log.info("Discord bot %s is connected to %d guilds", self.user, len(self.guilds))

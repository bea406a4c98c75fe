"""The Discord client: a commands.Bot holding the service and store, its command tree and errors.

Cogs hold the commands; this module wires them, syncs the tree (globally, and to a test guild
when one is configured) and answers every failed command with one ephemeral message.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands import Services, wording
from bot.discord.adapter import answer_ephemeral, interaction_style, run_interaction
from bot.discord.sender import DiscordSender
from bot.discord.style import DISCORD_STYLE
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.store import AsyncStore
from core.i18n import DEFAULT_LANGUAGE, Language

log = logging.getLogger(__name__)


def log_failure(error: Exception) -> None:
    """Log a command that failed outside the command layer: a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    log.error("command failed", exc_info=error)


async def answer_failure(interaction: discord.Interaction, error: Exception) -> None:
    """Tell the member alone, in the channel's language, that their command or choice
    failed (a bug, logged)."""
    log_failure(error)
    style = DISCORD_STYLE
    try:
        style = await interaction_style(interaction.client, interaction)
    except Exception:  # the store may be what failed: answer in the default language then
        log.warning("channel language unknown for the error answer", exc_info=True)
    try:
        await answer_ephemeral(interaction, style.say(wording.INTERNAL_ERROR))
    except discord.HTTPException as exc:
        log.warning("could not report an error to the user: %s", exc)


class MarketTree(app_commands.CommandTree):
    """The command tree with the one error handler of every slash command."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer a failed command ephemerally: an unknown (stale) command, or a bug."""
        if not isinstance(error, app_commands.CommandNotFound):
            await answer_failure(interaction, error)
            return
        if interaction.type != discord.InteractionType.application_command:
            return
        try:
            # A command deleted since the member's client last synced its list.
            await run_interaction(interaction.client, interaction, error.name, {})
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
        self.services = Services(reports, store, self.limiter)
        self.sender = DiscordSender(self)
        self.guild_id = guild_id
        self.sync_on_start = sync
        self.logged_in = asyncio.Event()

    async def setup_hook(self) -> None:
        """Add every cog, then sync the slash commands."""
        from bot.discord.cogs import COGS
        from bot.discord.translator import CatalogTranslator

        self.logged_in.set()  # login ran just before this hook: REST calls work from here

        await self.tree.set_translator(CatalogTranslator())
        for cog in COGS:
            await self.add_cog(cog(self))
        # Menus of digests sent before this start answer through this one (same custom_id).
        self.add_view(self.section_menu())
        if self.sync_on_start:
            await self.sync_commands()

    def section_menu(self, language: Language = DEFAULT_LANGUAGE) -> discord.ui.View:
        """Return the digest's section menu, labelled in ``language``."""
        from bot.discord.menu import SectionMenu  # the menu answers through this client

        return SectionMenu(self, language)

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

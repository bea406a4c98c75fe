"""Who may change a channel's digest, and whether the bot can post it there.

Both answers come from the interaction itself (``permissions`` resolved for the member in
the channel, ``app_permissions`` for the bot), so no extra API call is made.
"""

from __future__ import annotations

import discord

from core.errors import BotCannotPost, NotChatManager
from core.i18n import N_

# What a digest needs: the channel, posting, embeds for the sections, files for the images;
# each named as Discord's settings show it (catalog words: a Chinese client shows 发送消息).
BOT_NEEDS: tuple[tuple[str, str], ...] = (
    ("view_channel", N_("View Channel")),
    ("send_messages", N_("Send Messages")),
    ("embed_links", N_("Embed Links")),
    ("attach_files", N_("Attach Files")),
)
THREAD_SEND = ("send_messages_in_threads", N_("Send Messages in Threads"))


def may_manage(permissions: discord.Permissions) -> bool:
    """Return whether a member's channel permissions allow managing the digest."""
    return permissions.manage_channels or permissions.manage_guild or permissions.administrator


def missing_for_bot(
    permissions: discord.Permissions, *, in_thread: bool = False
) -> tuple[str, ...]:
    """Return the display names of the permissions the bot lacks to deliver a digest."""
    if permissions.administrator:
        return ()
    needs = [
        THREAD_SEND if in_thread and key == "send_messages" else (key, name)
        for key, name in BOT_NEEDS
    ]
    return tuple(name for key, name in needs if not getattr(permissions, key))


def require_manager(interaction: discord.Interaction) -> None:
    """Return if the user may manage this channel's digest (anyone in a DM); raise otherwise."""
    if interaction.guild_id is None:
        return
    if not may_manage(interaction.permissions):
        raise NotChatManager()


def require_bot_can_post(interaction: discord.Interaction) -> None:
    """Return if the bot can post digests in this channel; raise naming what is missing."""
    if interaction.guild_id is None:
        return
    in_thread = isinstance(interaction.channel, discord.Thread)
    missing = missing_for_bot(interaction.app_permissions, in_thread=in_thread)
    if missing:
        raise BotCannotPost(missing)

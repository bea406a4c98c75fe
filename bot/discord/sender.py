"""Send rendered Discord messages: to a channel by id (digests) or as interaction follow-ups."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from core.errors import ChatGone
from renderers.parts import DiscordMessage, MessagePart

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
ANSWERED = "answered"  # interaction.extras key: a follow-up replaced the "thinking" message


def message_kwargs(message: DiscordMessage) -> dict[str, Any]:
    """Return the keyword arguments of ``send`` for one rendered message."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if message.content:
        kwargs["content"] = message.content
    if message.embeds:
        kwargs["embeds"] = [discord.Embed.from_dict(e) for e in message.embeds]
    if message.files:
        # A fresh File per send: discord.py closes it after the upload.
        kwargs["files"] = [discord.File(io.BytesIO(f.data), f.filename) for f in message.files]
    return kwargs


def discord_messages(parts: Sequence[MessagePart]) -> list[DiscordMessage]:
    """Return the parts as Discord messages; TypeError for another platform's part."""
    for part in parts:
        if not isinstance(part, DiscordMessage):
            raise TypeError(f"Discord cannot send {type(part).__name__}")
    return list(parts)  # type: ignore[arg-type]


class DiscordSender:
    """Post message parts to channels by id through the client's HTTP session."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send_parts(self, chat_id: str | int, parts: Sequence[MessagePart]) -> None:
        """Send the messages in order; ChatGone when the channel is gone or closed to the bot.

        403 (access or permission removed) and 404 (channel deleted) end the subscription;
        429s are retried by discord.py itself, other errors pass through.
        """
        channel = self.client.get_partial_messageable(int(chat_id))
        try:
            for message in discord_messages(parts):
                await channel.send(**message_kwargs(message))
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChatGone(f"{exc.status} {exc.text or exc.response.reason}") from exc

    async def followup(
        self, interaction: discord.Interaction, parts: Sequence[MessagePart]
    ) -> None:
        """Answer a deferred interaction with the messages, in order."""
        for message in discord_messages(parts):
            await interaction.followup.send(**message_kwargs(message))
            interaction.extras[ANSWERED] = True

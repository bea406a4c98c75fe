"""Send rendered Discord messages: to a channel by id (digests) or as interaction follow-ups."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.delivery.in_flight import before_request, idempotency_key
from core.errors import ChatGone, PartRejected, TokenRejected
from core.i18n import Language
from renderers.parts import DiscordMessage, MessagePart

if TYPE_CHECKING:
    from bot.discord.client import MarketBot

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
ANSWERED = "answered"  # interaction.extras key: a follow-up replaced the "thinking" message
CONTENT_LIMIT = 2000
MISSING_PERMISSIONS = 50013  # e.g. Embed Links or Attach Files while Send Messages is allowed


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


def text_form(message: DiscordMessage) -> DiscordMessage | None:
    """Return the message as plain content (embed titles and texts, no files); None if same."""
    if not message.embeds and not message.files:
        return None
    lines = [message.content] if message.content else []
    for embed in message.embeds:
        lines += [f"**{embed['title']}**"] if embed.get("title") else []
        lines += [embed["description"]] if embed.get("description") else []
        lines += [f"{f['name']}: {f['value']}" for f in embed.get("fields", ())]
    text = "\n".join(lines).strip()
    if len(text) > CONTENT_LIMIT:
        text = text[: CONTENT_LIMIT - 1] + "…"
    return DiscordMessage(content=text) if text else None


def discord_messages(parts: Sequence[MessagePart]) -> list[DiscordMessage]:
    """Return the parts as Discord messages; TypeError for another platform's part."""
    for part in parts:
        if not isinstance(part, DiscordMessage):
            raise TypeError(f"Discord cannot send {type(part).__name__}")
    return list(parts)  # type: ignore[arg-type]


class DiscordSender:
    """Post message parts to channels by id through the client's HTTP session.

    A digest part carries its idempotency key as the message's nonce (discord.py then sets
    ``enforce_nonce``): Discord answers a second message with the same nonce from the same
    bot "in the past few minutes" with the first one, so a part a dead worker left in flight
    may be resent that long after it was marked without reaching the channel twice.
    """

    # Discord documents "a few minutes" without a figure: resend well inside it.
    resend_window = timedelta(minutes=2)

    def __init__(self, client: MarketBot) -> None:
        self.client = client

    async def send_parts(self, chat_id: str | int, parts: Sequence[MessagePart]) -> None:
        """Send the messages in order (see ``send_part``)."""
        for message in discord_messages(parts):
            await self.send_part(chat_id, message)

    async def send_part(
        self, chat_id: str | int, part: MessagePart, *, menu: Language | None = None
    ) -> None:
        """Send one message to a channel by id; ``menu``: the section menu's language under it.

        403 (access or permission removed) and 404 (channel deleted) raise ChatGone, which
        ends the subscription; a 403 for embeds or files alone, or a 400 (the message breaks
        a limit), raise PartRejected with the text form; 401 raises TokenRejected. 429s are
        retried by discord.py itself, other errors pass through.
        """
        (message,) = discord_messages([part])
        channel = self.client.get_partial_messageable(int(chat_id))
        kwargs = message_kwargs(message)
        if menu is not None:
            kwargs["view"] = self.client.section_menu(menu)
        nonce = idempotency_key()
        if nonce is not None:
            kwargs["nonce"] = nonce
        # discord.py paces inside ``send``, so the part is marked in flight before that wait.
        await before_request()
        try:
            await channel.send(**kwargs)
        except discord.HTTPException as exc:
            reason = f"{exc.status} {exc.text or exc.response.reason}"
            if exc.status == 401:
                raise TokenRejected("Discord rejected the bot token (401)") from exc
            fallback = text_form(message)
            refused = exc.status == 400 or (
                exc.status == 403 and exc.code == MISSING_PERMISSIONS and fallback is not None
            )
            if refused:
                raise PartRejected(reason, fallback) from exc
            if isinstance(exc, discord.Forbidden | discord.NotFound):
                raise ChatGone(reason) from exc
            raise

    async def followup(
        self,
        interaction: discord.Interaction,
        parts: Sequence[MessagePart],
        *,
        view: discord.ui.View | None = None,
    ) -> None:
        """Answer a deferred interaction with the messages, in order; ``view`` on the last."""
        messages = discord_messages(parts)
        for index, message in enumerate(messages):
            kwargs = message_kwargs(message)
            if view is not None and index == len(messages) - 1:
                kwargs["view"] = view
            await interaction.followup.send(**kwargs)
            interaction.extras[ANSWERED] = True

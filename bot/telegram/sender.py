"""Send rendered parts through PTB's Bot: HTML texts, photos uploaded once then sent by file_id."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken

from bot.store import AsyncStore, content_hash
from bot.telegram.keyboard import section_keyboard
from bot.telegram.pacing import Priority
from core.errors import ChatGone, ChatMoved, PartRejected, TokenRejected
from core.i18n import Language
from renderers.parts import MediaGroupPart, MessagePart, PhotoPart, TextPart

PLATFORM = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE_REASONS = ("chat not found", "bot was kicked", "group chat was deactivated")
_STALE_FILE = ("wrong file identifier", "file reference expired", "wrong remote file")
# 400s that the same part would earn again on every retry: send its text form or skip it.
_REFUSED_FOR_GOOD = (
    "not enough rights",
    "too long",
    "can't parse entities",
    "message text is empty",
    "wrong number of media",
)
_MAX_DIGESTS = 256


def telegram_chat_id(chat_id: str | int) -> int | str:
    """Return a numeric chat id as int (what the rate limiter groups by), else the @name."""
    text = str(chat_id)
    return int(text) if text.lstrip("-").isdigit() else text


def text_form(part: MessagePart) -> TextPart | None:
    """Return a photo's or album's captions as one text message; None for a text or no caption."""
    if isinstance(part, PhotoPart):
        captions = [part.caption]
    elif isinstance(part, MediaGroupPart):
        captions = [p.caption for p in part.photos]
    else:
        return None
    text = "\n\n".join(c for c in captions if c.strip())
    return TextPart(text) if text else None


class TelegramSender:
    """Deliver message parts to a chat; remembers photo file ids in memory and in the store."""

    def __init__(self, bot: Bot, store: AsyncStore | None = None) -> None:
        self.bot = bot
        self.store = store
        self._file_ids: dict[str, str] = {}
        self._digests: dict[bytes, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.uploads = 0

    async def send_parts(
        self,
        chat_id: str | int,
        parts: Sequence[MessagePart],
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        priority: Priority = Priority.BROADCAST,
    ) -> None:
        """Send the parts in order; ``reply_markup`` goes on the last text message.

        The first part goes with ``priority``, the others at most as follow-ups.
        """
        last_text = max((i for i, p in enumerate(parts) if isinstance(p, TextPart)), default=-1)
        for index, part in enumerate(parts):
            markup = reply_markup if index == last_text else None
            turn = priority if not index else max(priority, Priority.FOLLOW_UP)
            await self.send_part(chat_id, part, markup, priority=turn)

    async def send_part(
        self,
        chat_id: str | int,
        part: MessagePart,
        reply_markup: InlineKeyboardMarkup | None = None,
        *,
        priority: Priority = Priority.BROADCAST,
        menu: Language | None = None,
    ) -> None:
        """Send one part; ``priority`` is its place in the send pacer's line, ``menu`` the
        language of section buttons to put under it (a digest's, from the broadcaster).

        Raise ChatGone when the chat blocked or removed the bot, ChatMoved when it has a new
        id, PartRejected when this part is refused for good (with its text form, if any) and
        TokenRejected on 401; other Telegram errors pass through.
        """
        if menu is not None and reply_markup is None:
            reply_markup = section_keyboard(menu)
        try:
            await self._send(telegram_chat_id(chat_id), part, reply_markup, priority)
        except InvalidToken as exc:
            raise TokenRejected("Telegram rejected the bot token (401)") from exc
        except Forbidden as exc:
            raise ChatGone(exc.message) from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except BadRequest as exc:
            reason = exc.message.lower()
            if any(r in reason for r in _GONE_REASONS):
                raise ChatGone(exc.message) from exc
            if any(r in reason for r in _REFUSED_FOR_GOOD):
                raise PartRejected(exc.message, text_form(part)) from exc
            raise

    async def send_text(
        self,
        chat_id: str | int,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        priority: Priority = Priority.BROADCAST,
    ) -> None:
        """Send one HTML text message."""
        await self.send_parts(
            chat_id, [TextPart(text)], reply_markup=reply_markup, priority=priority
        )

    async def _send(self, chat_id: int | str, part: MessagePart, markup, priority) -> None:
        if isinstance(part, TextPart):
            await self.bot.send_message(
                chat_id,
                part.text,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=markup,
                rate_limit_args=priority,
            )
        elif isinstance(part, PhotoPart):
            await self._with_file_ids(
                [part], lambda ids: self._photo(chat_id, part, ids[0], priority)
            )
        elif isinstance(part, MediaGroupPart):
            await self._with_file_ids(
                list(part.photos), lambda ids: self._album(chat_id, part, ids, priority)
            )
        else:
            raise TypeError(f"Telegram cannot send {type(part).__name__}")

    def _digest(self, png: bytes) -> str:
        # bytes cache their own hash, so a repeated image costs a dict lookup, not a SHA-256.
        found = self._digests.get(png)
        if found is None:
            if len(self._digests) >= _MAX_DIGESTS:
                self._digests.clear()
            found = self._digests[png] = content_hash(png)
        return found

    async def _file_id(self, digest: str) -> str | None:
        found = self._file_ids.get(digest)
        if found is None and self.store is not None:
            found = await self.store.photo_file_id(digest, PLATFORM)
            if found is not None:
                self._file_ids[digest] = found
        return found

    async def _remember(self, digest: str, file_id: str) -> None:
        self._file_ids[digest] = file_id
        if self.store is not None:
            await self.store.remember_photo(digest, file_id, PLATFORM)

    async def _forget(self, digest: str) -> None:
        self._file_ids.pop(digest, None)
        if self.store is not None:
            await self.store.forget_photo(digest, PLATFORM)

    async def _with_file_ids(self, photos: list[PhotoPart], send) -> None:
        digests = [self._digest(p.png) for p in photos]
        ids = [await self._file_id(d) for d in digests]
        if not all(ids):
            # The first chat to send an image uploads it; the others wait here, then reuse its id.
            async with contextlib.AsyncExitStack() as stack:
                for digest in sorted(set(digests)):
                    lock = self._locks.setdefault(digest, asyncio.Lock())
                    await stack.enter_async_context(lock)
                ids = [await self._file_id(d) for d in digests]
                if not all(ids):
                    await self._upload(digests, ids, send)
                    return
        # Every image is uploaded already: send by file_id with no lock held.
        try:
            await send(ids)
        except BadRequest as exc:
            if not any(r in exc.message.lower() for r in _STALE_FILE):
                raise
            for digest in digests:
                await self._forget(digest)
            await self._with_file_ids(photos, send)

    async def _upload(self, digests: list[str], ids: list[str | None], send) -> None:
        messages = await send(ids)
        for digest, known, message in zip(digests, ids, messages, strict=True):
            if known is None and message.photo:
                self.uploads += 1
                await self._remember(digest, message.photo[-1].file_id)

    async def _photo(self, chat_id, part: PhotoPart, file_id, priority) -> list[Message]:
        message = await self.bot.send_photo(
            chat_id,
            file_id or part.png,
            caption=part.caption,
            parse_mode=ParseMode.HTML,
            filename=None if file_id else part.filename,
            rate_limit_args=priority,
        )
        return [message]

    async def _album(self, chat_id, part: MediaGroupPart, ids, priority) -> list[Message]:
        media = [
            InputMediaPhoto(
                file_id or photo.png,
                caption=photo.caption,
                parse_mode=ParseMode.HTML,
                filename=None if file_id else photo.filename,
            )
            for photo, file_id in zip(part.photos, ids, strict=True)
        ]
        return list(await self.bot.send_media_group(chat_id, media, rate_limit_args=priority))

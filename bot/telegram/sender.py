"""Send rendered parts through PTB's Bot: HTML texts, photos uploaded once then sent by file_id."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.store import AsyncStore, content_hash
from core.errors import ChatGone, ChatMoved
from renderers.parts import MediaGroupPart, MessagePart, PhotoPart, TextPart

PLATFORM = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE_REASONS = ("chat not found", "bot was kicked", "group chat was deactivated")
_STALE_FILE = ("wrong file identifier", "file reference expired", "wrong remote file")


def telegram_chat_id(chat_id: str | int) -> int | str:
    """Return a numeric chat id as int (what the rate limiter groups by), else the @name."""
    text = str(chat_id)
    return int(text) if text.lstrip("-").isdigit() else text


class TelegramSender:
    """Deliver message parts to a chat; remembers photo file ids in memory and in the store."""

    def __init__(self, bot: Bot, store: AsyncStore | None = None) -> None:
        self.bot = bot
        self.store = store
        self._file_ids: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.uploads = 0

    async def send_parts(
        self,
        chat_id: str | int,
        parts: Sequence[MessagePart],
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send the parts in order; ``reply_markup`` goes on the last text message.

        Raise ChatGone when the chat blocked or removed the bot and ChatMoved when it has a
        new id; other Telegram errors pass through.
        """
        target = telegram_chat_id(chat_id)
        last_text = max((i for i, p in enumerate(parts) if isinstance(p, TextPart)), default=-1)
        try:
            for index, part in enumerate(parts):
                markup = reply_markup if index == last_text else None
                await self._send(target, part, markup)
        except Forbidden as exc:
            raise ChatGone(exc.message) from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except BadRequest as exc:
            if any(reason in exc.message.lower() for reason in _GONE_REASONS):
                raise ChatGone(exc.message) from exc
            raise

    async def send_text(
        self, chat_id: str | int, text: str, *, reply_markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Send one HTML text message."""
        await self.send_parts(chat_id, [TextPart(text)], reply_markup=reply_markup)

    async def _send(self, chat_id: int | str, part: MessagePart, markup) -> None:
        if isinstance(part, TextPart):
            await self.bot.send_message(
                chat_id,
                part.text,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=markup,
            )
        elif isinstance(part, PhotoPart):
            await self._with_file_ids([part], lambda ids: self._photo(chat_id, part, ids[0]))
        elif isinstance(part, MediaGroupPart):
            await self._with_file_ids(
                list(part.photos), lambda ids: self._album(chat_id, part, ids)
            )
        else:
            raise TypeError(f"Telegram cannot send {type(part).__name__}")

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
        digests = [content_hash(p.png) for p in photos]
        # The first chat to send an image uploads it; the others wait here, then reuse its id.
        async with contextlib.AsyncExitStack() as stack:
            for digest in sorted(set(digests)):
                await stack.enter_async_context(self._locks.setdefault(digest, asyncio.Lock()))
            ids = [await self._file_id(d) for d in digests]
            try:
                messages = await send(ids)
            except BadRequest as exc:
                if not any(r in exc.message.lower() for r in _STALE_FILE) or not any(ids):
                    raise
                for digest in digests:
                    await self._forget(digest)
                messages = await send([None] * len(digests))
            for digest, known, message in zip(digests, ids, messages, strict=True):
                if known is None and message.photo:
                    self.uploads += 1
                    await self._remember(digest, message.photo[-1].file_id)

    async def _photo(self, chat_id, part: PhotoPart, file_id: str | None) -> list[Message]:
        message = await self.bot.send_photo(
            chat_id,
            file_id or part.png,
            caption=part.caption,
            parse_mode=ParseMode.HTML,
            filename=None if file_id else part.filename,
        )
        return [message]

    async def _album(self, chat_id, part: MediaGroupPart, ids) -> list[Message]:
        media = [
            InputMediaPhoto(
                file_id or photo.png,
                caption=photo.caption,
                parse_mode=ParseMode.HTML,
                filename=None if file_id else photo.filename,
            )
            for photo, file_id in zip(part.photos, ids, strict=True)
        ]
        return list(await self.bot.send_media_group(chat_id, media))

"""Message parts a chat adapter sends as they are: texts, photos, media groups, Discord messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MEDIA_GROUP_MIN = 2
MEDIA_GROUP_MAX = 10


def utf16_len(text: str) -> int:
    """Return the length chat platforms count: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class TextPart:
    """A text message (Telegram HTML parse mode)."""

    text: str


@dataclass(frozen=True)
class PhotoPart:
    """A PNG with its caption (Telegram HTML) and the file name to upload it under."""

    png: bytes = field(repr=False)
    caption: str
    filename: str


@dataclass(frozen=True)
class MediaGroupPart:
    """Related photos sent as one album (2 to 10 photos)."""

    photos: tuple[PhotoPart, ...]

    def __post_init__(self) -> None:
        if not MEDIA_GROUP_MIN <= len(self.photos) <= MEDIA_GROUP_MAX:
            raise ValueError(f"a media group holds 2-10 photos, got {len(self.photos)}")


@dataclass(frozen=True)
class FileAttachment:
    """A file uploaded with a Discord message; embeds refer to it as attachment://filename."""

    filename: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class DiscordMessage:
    """One Discord message: plain content, embeds in Discord's JSON shape, and attachments."""

    content: str = ""
    embeds: tuple[dict[str, Any], ...] = ()
    files: tuple[FileAttachment, ...] = ()

    def payload(self) -> dict[str, Any]:
        """Return the JSON body of a create-message request (files go as multipart parts)."""
        body: dict[str, Any] = {"allowed_mentions": {"parse": []}}
        if self.content:
            body["content"] = self.content
        if self.embeds:
            body["embeds"] = list(self.embeds)
        if self.files:
            body["attachments"] = [
                {"id": i, "filename": f.filename} for i, f in enumerate(self.files)
            ]
        return body


MessagePart = TextPart | PhotoPart | MediaGroupPart | DiscordMessage

"""Uploaded photo ids by content hash, so an identical chart is uploaded once and reused."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from bot.store.base import StoreBase
from bot.store.schema import photo_files
from bot.store.validation import parse_platform
from core.db import insert_if_absent


def content_hash(data: bytes) -> str:
    """Return the hex SHA-256 of a file's bytes (the photo cache key)."""
    return hashlib.sha256(data).hexdigest()


def _key(platform: str, sha256: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        photo_files.c.platform == parse_platform(platform),
        photo_files.c.content_sha256 == sha256,
    )


class PhotoCacheMixin(StoreBase):
    """Remember, look up and forget platform file ids (e.g. Telegram ``file_id``)."""

    async def photo_file_id(self, sha256: str, platform: str = "telegram") -> str | None:
        """Return the file id stored for content with this hash, or None."""
        stmt = sa.select(photo_files.c.file_id).where(_key(platform, sha256))
        async with self.connect() as conn:
            return (await conn.execute(stmt)).scalar_one_or_none()

    async def remember_photo(self, sha256: str, file_id: str, platform: str = "telegram") -> None:
        """Store (or replace) the file id the platform gave for content with this hash."""
        row = {
            "platform": parse_platform(platform),
            "content_sha256": sha256,
            "file_id": file_id,
            "created_at": self.now(),
        }
        if not await insert_if_absent(self.begin, photo_files, row, ("platform", "content_sha256")):
            async with self.begin() as conn:
                await conn.execute(
                    sa.update(photo_files)
                    .where(_key(platform, sha256))
                    .values(file_id=file_id, created_at=row["created_at"])
                )

    async def forget_photo(self, sha256: str, platform: str = "telegram") -> bool:
        """Drop a file id the platform no longer accepts; return whether one was stored."""
        stmt = sa.delete(photo_files).where(_key(platform, sha256))
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

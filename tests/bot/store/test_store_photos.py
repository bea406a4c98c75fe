"""Photo file ids cached by content hash."""

from __future__ import annotations

import hashlib

import pytest

from bot.store import AsyncStore, content_hash


def test_content_hash_is_sha256_of_the_bytes() -> None:
    data = b"\x89PNG\r\n\x1a\n chart bytes"
    assert content_hash(data) == hashlib.sha256(data).hexdigest()
    assert content_hash(data) != content_hash(data + b"!")


@pytest.mark.asyncio
async def test_remember_look_up_replace_and_forget(store: AsyncStore) -> None:
    key = content_hash(b"chart-1")
    assert await store.photo_file_id(key) is None
    await store.remember_photo(key, "AgACAgQAAxkDAAIB")
    assert await store.photo_file_id(key) == "AgACAgQAAxkDAAIB"
    await store.remember_photo(key, "AgACAgQAAxkDAAIC")  # re-upload after the old id was rejected
    assert await store.photo_file_id(key) == "AgACAgQAAxkDAAIC"
    assert await store.forget_photo(key) is True
    assert await store.forget_photo(key) is False
    assert await store.photo_file_id(key) is None


@pytest.mark.asyncio
async def test_file_ids_are_kept_per_platform(store: AsyncStore) -> None:
    key = content_hash(b"chart-2")
    await store.remember_photo(key, "telegram-id")
    await store.remember_photo(key, "discord-attachment", platform="discord")
    assert await store.photo_file_id(key) == "telegram-id"
    assert await store.photo_file_id(key, platform="discord") == "discord-attachment"

"""Photo file ids cached by content hash."""

from __future__ import annotations

import hashlib

from bot.store import Store, content_hash


def test_content_hash_is_sha256_of_the_bytes() -> None:
    data = b"\x89PNG\r\n\x1a\n chart bytes"
    assert content_hash(data) == hashlib.sha256(data).hexdigest()
    assert content_hash(data) != content_hash(data + b"!")


def test_remember_look_up_replace_and_forget(store: Store) -> None:
    key = content_hash(b"chart-1")
    assert store.photo_file_id(key) is None
    store.remember_photo(key, "AgACAgQAAxkDAAIB")
    assert store.photo_file_id(key) == "AgACAgQAAxkDAAIB"
    store.remember_photo(key, "AgACAgQAAxkDAAIC")  # re-upload after the old id was rejected
    assert store.photo_file_id(key) == "AgACAgQAAxkDAAIC"
    assert store.forget_photo(key) is True
    assert store.forget_photo(key) is False
    assert store.photo_file_id(key) is None


def test_file_ids_are_kept_per_platform(store: Store) -> None:
    key = content_hash(b"chart-2")
    store.remember_photo(key, "telegram-id")
    store.remember_photo(key, "discord-attachment", platform="discord")
    assert store.photo_file_id(key) == "telegram-id"
    assert store.photo_file_id(key, platform="discord") == "discord-attachment"

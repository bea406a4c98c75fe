"""Render each image once: PNG bytes cached by a content hash of what was drawn."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

# A rendered image, or the pages of one table.
Rendered = TypeVar("Rendered", bytes, tuple[bytes, ...])


def content_key(kind: str, *parts: object) -> str:
    """Return a sha256 over the kind and the reprs of the inputs (frozen dataclasses, options)."""
    digest = hashlib.sha256(kind.encode())
    for part in parts:
        digest.update(b"\x1f")
        digest.update(repr(part).encode())
    return digest.hexdigest()


class ImageCache:
    """A bounded LRU of rendered PNGs (or tuples of pages); one key is rendered once."""

    def __init__(self, max_entries: int = 128) -> None:
        self.max_entries = max_entries
        self._images: OrderedDict[str, bytes | tuple[bytes, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.renders = 0
        self.hits = 0

    def __len__(self) -> int:
        return len(self._images)

    def _lookup(self, key: str) -> bytes | tuple[bytes, ...] | None:
        with self._lock:
            png = self._images.get(key)
            if png is not None:
                self._images.move_to_end(key)
                self.hits += 1
            return png

    def get_or_render(self, key: str, render: Callable[[], Rendered]) -> Rendered:
        """Return the cached PNG for ``key``, rendering it with ``render`` on a miss."""
        png = self._lookup(key)
        if png is not None:
            return png
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            # Another thread may have rendered it while this one waited for the key lock.
            png = self._lookup(key)
            if png is not None:
                return png
            png = render()
            with self._lock:
                self.renders += 1
                self._images[key] = png
                while len(self._images) > self.max_entries:
                    self._images.popitem(last=False)
                self._key_locks.pop(key, None)
        return png

    def clear(self) -> None:
        """Drop every cached image and reset the counters."""
        with self._lock:
            self._images.clear()
            self.renders = 0
            self.hits = 0


DEFAULT_CACHE = ImageCache()

"""A rendered digest and its identity: what a resumed delivery checks it is still sending."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from core.i18n import Language
from renderers.parts import DiscordMessage, MediaGroupPart, MessagePart, PhotoPart, TextPart


@dataclass(frozen=True)
class Digest:
    """One rendered digest and its identity (a hash of every part's content).

    ``menu`` is the language of the section buttons (Telegram) or menu (Discord) that go
    under its last text or message, as under ``/report``; None for a push of chosen sections.
    """

    parts: tuple[MessagePart, ...]
    sha: str
    menu: Language | None = None

    @property
    def menu_index(self) -> int | None:
        """Return the index of the part that carries the menu (the last text or message)."""
        if self.menu is None:
            return None
        carriers = [i for i, p in enumerate(self.parts) if isinstance(p, TextPart | DiscordMessage)]
        return carriers[-1] if carriers else None


def digest_of(parts: Sequence[MessagePart], menu: Language | None = None) -> Digest:
    """Return the parts with the SHA-256 of their texts, captions, images and embeds."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(type(part).__name__.encode())
        photos = part.photos if isinstance(part, MediaGroupPart) else (part,)
        for piece in photos:
            if isinstance(piece, TextPart):
                sha.update(piece.text.encode())
            elif isinstance(piece, PhotoPart):
                sha.update(piece.caption.encode() + hashlib.sha256(piece.png).digest())
            elif isinstance(piece, DiscordMessage):
                sha.update(piece.content.encode())
                sha.update(json.dumps(piece.embeds, sort_keys=True).encode())
                for attachment in piece.files:
                    sha.update(hashlib.sha256(attachment.data).digest())
    return Digest(tuple(parts), sha.hexdigest(), menu)

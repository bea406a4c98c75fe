"""Write rendered message parts to a directory: numbered HTML/JSON files and the PNGs they use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from renderers.parts import (
    DiscordMessage,
    MediaGroupPart,
    MessagePart,
    PhotoPart,
    TextPart,
)


def _photo(photo: PhotoPart, name: str) -> dict[str, Any]:
    return {"file": name, "caption": photo.caption, "bytes": len(photo.png)}


def describe_part(part: MessagePart, *, with_digests: bool = False) -> dict[str, Any]:
    """Return a part as JSON-ready data; images appear by file name (and sha256 if asked)."""

    def image(name: str, data: bytes) -> dict[str, Any]:
        out: dict[str, Any] = {"filename": name}
        if with_digests:
            out["sha256"] = hashlib.sha256(data).hexdigest()
        return out

    match part:
        case TextPart():
            return {"type": "text", "text": part.text}
        case PhotoPart():
            return {"type": "photo", "caption": part.caption, **image(part.filename, part.png)}
        case MediaGroupPart():
            return {
                "type": "media_group",
                "photos": [{"caption": p.caption, **image(p.filename, p.png)} for p in part.photos],
            }
        case DiscordMessage():
            return {
                "type": "discord_message",
                "payload": part.payload(),
                "files": [image(f.filename, f.data) for f in part.files],
            }
    raise TypeError(f"unknown message part {type(part).__name__}")


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def export_parts(parts: Sequence[MessagePart], out_dir: Path | str) -> list[Path]:
    """Write each part as ``NN-…`` files in ``out_dir`` (created if needed); return the paths.

    Texts become ``NN-text.html``, photos ``NN-<file>.png`` with ``NN-caption.html``, albums
    ``NN-K-<file>.png`` with ``NN-media-group.json``, Discord messages ``NN-message.json``
    (the request body) with ``NN-<file>.png`` for their attachments.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n, part in enumerate(parts, start=1):
        stem = f"{n:02d}"
        match part:
            case TextPart():
                path = out / f"{stem}-text.html"
                path.write_text(part.text, encoding="utf-8")
                written.append(path)
            case PhotoPart():
                png = out / f"{stem}-{part.filename}"
                png.write_bytes(part.png)
                caption = out / f"{stem}-caption.html"
                caption.write_text(part.caption, encoding="utf-8")
                written += [png, caption]
            case MediaGroupPart():
                names = [f"{stem}-{k}-{p.filename}" for k, p in enumerate(part.photos, start=1)]
                for name, photo in zip(names, part.photos, strict=True):
                    (out / name).write_bytes(photo.png)
                    written.append(out / name)
                manifest = [_photo(p, name) for p, name in zip(part.photos, names, strict=True)]
                written.append(_write_json(out / f"{stem}-media-group.json", manifest))
            case DiscordMessage():
                for attachment in part.files:
                    path = out / f"{stem}-{attachment.filename}"
                    path.write_bytes(attachment.data)
                    written.append(path)
                written.append(_write_json(out / f"{stem}-message.json", part.payload()))
            case _:
                raise TypeError(f"unknown message part {type(part).__name__}")
    return written

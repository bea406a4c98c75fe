"""Writing message parts to a directory."""

from __future__ import annotations

import json

from renderers.discord import render_discord
from renderers.export import export_parts
from renderers.images.cache import ImageCache
from renderers.parts import MediaGroupPart, PhotoPart, TextPart
from renderers.telegram import render_telegram
from tests.renderers.chat_fixtures import chat_report


def test_telegram_parts_become_numbered_html_and_png_files(tmp_path):
    parts = render_telegram(chat_report(), cache=ImageCache())
    paths = export_parts(parts, tmp_path / "out")
    names = [p.name for p in paths]
    assert all(p.exists() for p in paths)
    texts = [p for p in parts if isinstance(p, TextPart)]
    assert [
        p.read_text(encoding="utf-8") for p in paths if p.suffix == ".html" and "text" in p.name
    ] == [t.text for t in texts]
    album = next(n for n, p in enumerate(parts, start=1) if isinstance(p, MediaGroupPart))
    manifest = json.loads((tmp_path / "out" / f"{album:02d}-media-group.json").read_text())
    assert [m["file"] for m in manifest] == [
        f"{album:02d}-{k}-{f}" for k, f in enumerate(("us.png", "hk.png", "cn.png"), start=1)
    ]
    photo = next(n for n, p in enumerate(parts, start=1) if isinstance(p, PhotoPart))
    assert f"{photo:02d}-risks.png" in names and f"{photo:02d}-caption.html" in names
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths if p.suffix == ".png")


def test_discord_messages_become_request_bodies_and_attachments(tmp_path):
    messages = render_discord(chat_report(), cache=ImageCache())
    paths = export_parts(messages, tmp_path)
    bodies = sorted(tmp_path.glob("*-message.json"))
    assert len(bodies) == len(messages)
    first = json.loads(bodies[0].read_text(encoding="utf-8"))
    assert first == json.loads(json.dumps(messages[0].payload()))
    pngs = [p.name for p in paths if p.suffix == ".png"]
    assert len(pngs) == sum(len(m.files) for m in messages)

"""Telegram and Discord output of the hand-built and the demo report against golden JSON files.

Images appear by file name and caption (PNG bytes vary with the FreeType build). When a change
is intended, rewrite the files and review their diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/renderers/test_chat_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.analysis.build import build_report
from renderers.discord import render_discord
from renderers.export import describe_part
from renderers.images.cache import ImageCache
from renderers.telegram import render_telegram
from tests.renderers.chat_fixtures import chat_report

GOLDEN = Path(__file__).parent / "golden"
RENDERERS = {"telegram": render_telegram, "discord": render_discord}


def _compare(name: str, parts) -> None:
    path = GOLDEN / name
    rendered = json.dumps([describe_part(p) for p in parts], ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
        pytest.skip(f"rewrote {name}; review its diff")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(rendered)


@pytest.mark.parametrize("platform", RENDERERS)
def test_hand_built_report_matches_golden(platform):
    parts = RENDERERS[platform](chat_report(), cache=ImageCache())
    _compare(f"chat_fixture_{platform}.json", parts)


@pytest.mark.parametrize("platform", RENDERERS)
def test_demo_report_matches_golden(platform, demo, registry, settings):
    report = build_report(demo, registry, settings)
    _compare(f"demo_{platform}.json", RENDERERS[platform](report, cache=ImageCache()))

"""The demo report pinned once per output format, and README's excerpt checked against it.

``golden/`` holds one file per format: ``demo_report.md`` (Markdown), ``demo_digest_telegram.json``
and ``demo_digest_discord.json`` (the digest: what ``/report`` and the daily push send), and the
digest in Chinese (``demo_digest_telegram_zh.json``, ``demo_digest_discord_zh.json``). Single
sections in chat are checked for structure and limits by the renderer tests, not pinned. When a
change to the report is intended, regenerate every golden and README's "Demo output" excerpt
with the one command::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/renderers/test_golden.py

then review ``git diff`` before committing. With ``UPDATE_GOLDEN=1`` each test writes its file
instead of comparing and reports itself skipped.

Digest goldens keep the dashboard's file name (not its bytes), so they show every send; PNG
bytes vary with the FreeType build, and the image tests test the images. These are the only
tests that pin the report's wording; the section and renderer tests assert values and structure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli_data import configured_pairs, demo_history
from core.analysis.build import build_report
from core.i18n import Language
from core.localize import localize
from core.report import Report
from renderers.discord import render_discord
from renderers.export import describe_part
from renderers.markdown import render_markdown
from renderers.telegram import render_telegram
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
MARKDOWN_GOLDEN = GOLDEN / "demo_report.md"
README = REPO / "README.md"
README_EXCERPT_LINES = 40
_EXCERPT = re.compile(r"^## Demo output\n.*?^```text\n(.*?)\n```$", flags=re.S | re.M)


def _chat(render: Callable[..., list], *, digest: bool = False) -> Callable[[Report], str]:
    def dump(report: Report) -> str:
        parts = render(report, with_images=digest, digest=digest)
        return json.dumps([describe_part(p) for p in parts], ensure_ascii=False, indent=2) + "\n"

    return dump


def _chinese(dump: Callable[[Report], str]) -> Callable[[Report], str]:
    return lambda report: dump(localize(report, Language.ZH))


FORMATS: dict[str, Callable[[Report], str]] = {
    "demo_report.md": render_markdown,
    "demo_digest_telegram.json": _chat(render_telegram, digest=True),
    "demo_digest_discord.json": _chat(render_discord, digest=True),
    "demo_digest_telegram_zh.json": _chinese(_chat(render_telegram, digest=True)),
    "demo_digest_discord_zh.json": _chinese(_chat(render_discord, digest=True)),
}


def _updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", FORMATS)
def test_demo_report_matches_its_golden(name, sample, registry, settings):
    # What `marketbot report --demo` prints: the sample with its bundled history.
    history = demo_history(sample.report_date, configured_pairs())
    rendered = FORMATS[name](build_report(sample, registry, settings, history=history))
    path = GOLDEN / name
    if _updating():
        path.write_bytes(rendered.encode("utf-8"))
        pytest.skip(f"rewrote {name}; review its diff")
    assert path.read_bytes().decode("utf-8") == rendered


def test_readme_demo_excerpt_is_the_start_of_the_markdown_golden():
    readme = README.read_text(encoding="utf-8")
    found = _EXCERPT.search(readme)
    assert found, "README has no ## Demo output code block"
    head = "\n".join(
        MARKDOWN_GOLDEN.read_text(encoding="utf-8").splitlines()[:README_EXCERPT_LINES]
    )
    if _updating():
        README.write_text(
            readme[: found.start(1)] + head + readme[found.end(1) :], encoding="utf-8"
        )
        pytest.skip("rewrote README's demo excerpt; review its diff")
    assert found.group(1) == head

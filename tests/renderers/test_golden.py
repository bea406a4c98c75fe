"""The demo report's Markdown, byte for byte, against ``golden/demo_report.md``.

Any change to a section builder, the wording or the Markdown renderer shows up here as a diff.
When the change is intended, rewrite the file and review its diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/renderers/test_golden.py

With ``UPDATE_GOLDEN=1`` the test writes the file instead of comparing, and reports itself skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.analysis.build import build_report
from renderers.markdown import render_markdown

GOLDEN = Path(__file__).parent / "golden" / "demo_report.md"


def test_demo_report_matches_golden(demo, registry, settings):
    rendered = render_markdown(build_report(demo, registry, settings)).encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_bytes(rendered)
        pytest.skip(f"rewrote {GOLDEN.name}; review its diff")
    assert GOLDEN.read_bytes() == rendered

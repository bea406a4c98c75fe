"""Markdown rendering of hand-built Reports: order, tables, escaping, flow maps, warnings."""

from __future__ import annotations

import re

import pytest

from core.report import Cell, Paragraph, Section, Table, Unit, pct, text
from renderers.markdown import escape_cell, render_markdown, render_section_markdown
from tests.renderers.conftest import DEMO_NOTE, make_report


def _table_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def test_title_then_demo_note_then_sessions(sample_report):
    lines = render_markdown(sample_report).splitlines()
    assert lines[0] == f"# {sample_report.title}"
    assert lines[2] == f"> **{DEMO_NOTE}**"
    assert lines[4] == (
        "**Sessions:** US equities: Thu 2026-03-19 · Hong Kong: Fri 2026-03-20 · Crypto: n/a"
    )


def test_demo_note_is_not_repeated_among_warnings(sample_report):
    assert render_markdown(sample_report).count(DEMO_NOTE) == 1


def test_no_demo_note_without_one():
    assert "> **" not in render_markdown(make_report(demo_note=None, warnings=()))


def test_warnings_in_reading_order(sample_report):
    out = render_markdown(sample_report)
    order = ["Market closed:", "Stale:", "Missing: Crypto", "Source failed:", "Note:"]
    positions = [out.index(f"- {label}") for label in order]
    assert positions == sorted(positions)
    assert out.index(DEMO_NOTE) < out.index("**Warnings**") < out.index("## 1.")


def test_sections_numbered_in_order(sample_report):
    headings = [line for line in render_markdown(sample_report).splitlines() if line[:3] == "## "]
    assert headings == ["## 1. Hong Kong Market", "## 2. Capital Flow Map", "## 3. Disclaimer"]


def test_table_header_alignment_and_formatted_cells(sample_report):
    lines = _table_lines(render_markdown(sample_report))
    assert lines[0] == "| Index | Close | Change |"
    assert lines[1] == "|---|---:|---:|"
    assert _cells(lines[2]) == ["HSI", "25,500.58", "-2.02%"]
    assert _cells(lines[3]) == ["上证指数 (SSE)", "n/a", "n/a"]
    assert _cells(lines[4]) == ["Tech\\|Growth", "4,996.28", "+0.50%"]
    assert {len(_cells(line)) for line in lines} == {3}


def test_table_title_and_footer_around_the_table(sample_report):
    out = render_markdown(sample_report)
    assert (
        out.index("**Hong Kong indexes**")
        < out.index("| Index |")
        < out.index("Closes in index points.")
    )


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("||", "\\|\\|"),
        ("two\nlines", "two lines"),
        ("back\\slash", "back\\\\slash"),
        ("plain", "plain"),
    ],
)
def test_escape_cell(raw, escaped):
    assert escape_cell(raw) == escaped


def test_pipe_in_header_and_cell_keeps_column_count():
    table = Table(("A|B", "C"), ((text("x|y|z"), Cell(3, Unit.COUNT)),))
    section = Section("us", "US Market", (table,))
    lines = _table_lines(render_section_markdown(section))
    assert [len(_cells(line)) for line in lines] == [2, 2, 2]
    assert lines[2] == "| x\\|y\\|z | 3 |"


def test_text_column_with_only_missing_values_is_left_aligned():
    table = Table(("Name", "Change"), ((text(None), pct(None)),))
    lines = _table_lines(render_section_markdown(Section("us", "US Market", (table,))))
    assert lines[1] == "|---|---|"
    assert lines[2] == "| n/a | n/a |"


def test_bullets_and_missing_line(sample_report):
    out = render_markdown(sample_report)
    assert "- HSTECH led the fall\n- HSCEI fell least" in out
    assert "**Missing:** HSCEI close; turnover" in out


def test_flow_map_nodes_and_edges(sample_report):
    out = render_markdown(sample_report)
    assert (
        "```text\n"
        "US equities (+) — mean +0.56%\n"
        "Hong Kong (-) — mean -1.93%\n"
        "\n"
        "US equities ──► Hong Kong: chain breaks\n"
        "```\n\n"
        "Money left Hong Kong while US equities rose."
    ) in out


def test_disclaimer_then_sources_at_the_end(sample_report):
    out = render_markdown(sample_report)
    assert out.endswith("**Sources:** stooq, yahoo\n")
    assert out.index("## 3. Disclaimer") < out.index("Not financial advice.")


def test_render_section_alone_is_unnumbered():
    section = Section("insight", "Key Insight", (Paragraph("US rose 0.56% on average."),))
    assert render_section_markdown(section) == "## Key Insight\n\nUS rose 0.56% on average.\n"
    assert render_section_markdown(section, 4).startswith("## 4. Key Insight\n")


def test_empty_section_shows_only_missing():
    section = Section("cn", "A-Share Market", (), missing=("all A-share figures",))
    assert render_section_markdown(section) == (
        "## A-Share Market\n\n**Missing:** all A-share figures\n"
    )

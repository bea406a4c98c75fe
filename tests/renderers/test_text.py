"""Plain-text rendering: aligned tables (CJK-aware), wrapped prose, no Markdown syntax."""

from __future__ import annotations

import pytest

from core.report import BulletList, Paragraph, Section, Table, pct, text
from renderers.text import (
    WIDTH,
    display_width,
    format_table,
    render_section_text,
    render_text,
    wrap,
)
from tests.renderers.conftest import DEMO_NOTE, make_report


def _table_block(out: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index("Hong Kong indexes") + 2  # title, blank line, table
    end = lines.index("", start)
    return lines[start:end]


def test_title_underlined_then_demo_note_then_sessions(sample_report):
    lines = render_text(sample_report).splitlines()
    assert lines[0] == sample_report.title
    assert set(lines[1]) == {"="}
    assert len(lines[1]) == display_width(lines[0])
    assert lines[3] == f"! {DEMO_NOTE}"
    assert (
        lines[5]
        == "Sessions: US equities: Thu 2026-03-19 · Hong Kong: Fri 2026-03-20 · Crypto: n/a"
    )


def test_no_markdown_syntax():
    # The shared sample has a literal pipe in a cell; this report keeps every pipe out.
    out = render_text(make_report(sections=make_report().sections[1:]))
    for marker in ("**", "```", "| ", "# ", "> "):
        assert marker not in out


def test_warnings_in_reading_order_demo_once(sample_report):
    out = render_text(sample_report)
    labels = ["• Market closed:", "• Stale:", "• Missing: Crypto", "• Source failed:", "• Note:"]
    positions = [out.index(label) for label in labels]
    assert positions == sorted(positions)
    assert out.count(DEMO_NOTE) == 1


def test_table_columns_line_up_with_wide_characters(sample_report):
    header, rule, *rows = _table_block(render_text(sample_report))
    assert header.split() == ["Index", "Close", "Change"]
    assert set(rule.replace("  ", "")) == {"─"}
    # Right-aligned last column: every line ends at the same display column.
    assert {display_width(line) for line in [header, rule, *rows]} == {display_width(rule)}
    assert rows[0].split() == ["HSI", "25,500.58", "-2.02%"]
    assert rows[1].split() == ["上证指数", "(SSE)", "n/a", "n/a"]
    assert rows[2].split() == ["Tech|Growth", "4,996.28", "+0.50%"]
    # The close column ends at the same display column in every row.
    close_end = display_width(header[: header.index("Close") + len("Close")])
    for row in rows:
        value = row.split()[-2]
        assert display_width(row[: row.index(value) + len(value)]) == close_end


def test_text_column_left_numbers_right():
    table = Table(("Name", "Change"), ((text("a"), pct(1.0)), (text("longer"), pct(-10.0))))
    assert format_table(table).splitlines() == [
        "Name     Change",
        "──────  ───────",
        "a        +1.00%",
        "longer  -10.00%",
    ]


def test_wide_table_wraps_text_columns_to_fit():
    long = "Hong Kong fell 2.02% while US equities rose 0.56% on average in the last session. " * 3
    table = Table(
        ("Risk", "Evidence", "Change"),
        ((text("Drawdown"), text(long), pct(-2.02)), (text("Breadth"), text("weak"), pct(None))),
    )
    lines = format_table(table).splitlines()
    assert max(display_width(line) for line in lines) <= WIDTH
    # Every word of the long cell survives, in order, across its continuation lines.
    evidence_start = lines[0].index("Evidence")
    first_row = lines[2 : lines.index("")]
    assert " ".join(line[evidence_start:].replace("-2.02%", "") for line in first_row).split() == (
        long.split()
    )
    assert first_row[0].endswith("-2.02%")
    assert lines[lines.index("") + 1].split() == ["Breadth", "weak", "n/a"]


def test_unlimited_width_keeps_one_line_per_row():
    table = Table(("Name", "Aliases"), ((text("HSI"), text("x " * 80)),))
    assert len(format_table(table, width=None).splitlines()) == 3


@pytest.mark.parametrize(
    ("value", "width", "first", "rest", "hard", "expected"),
    [
        ("a bb ccc", 4, "", "", False, ["a bb", "ccc"]),
        ("a bb ccc", 6, "• ", "  ", False, ["• a bb", "  ccc"]),
        ("abcdefgh ij", 3, "", "", True, ["abc", "def", "gh", "ij"]),
        ("abcdefgh", 3, "", "", False, ["abcdefgh"]),
        ("上证指数 x", 4, "", "", True, ["上证", "指数", "x"]),
        ("", 10, "! ", "! ", False, ["!"]),
    ],
)
def test_wrap(value, width, first, rest, hard, expected):
    assert wrap(value, width, first, rest, hard=hard) == expected


@pytest.mark.parametrize(("value", "width"), [("abc", 3), ("上证", 4), ("", 0), ("a上", 3)])
def test_display_width(value, width):
    assert display_width(value) == width


def test_long_prose_wraps_to_width():
    sentence = "Hong Kong fell 2.02% while US equities rose 0.56% on average; " * 6
    section = Section("hk", "Hong Kong Market", (Paragraph(sentence), BulletList((sentence,))))
    lines = render_section_text(section).splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    bullet = lines.index(next(line for line in lines if line.startswith("• ")))
    assert lines[bullet + 1].startswith("  ") and lines[bullet + 1][2] != " "


def test_flow_map_and_missing_line(sample_report):
    out = render_text(sample_report)
    assert (
        "  US equities (+) — mean +0.56%\n"
        "  Hong Kong (-) — mean -1.93%\n"
        "\n"
        "  US equities ──► Hong Kong: chain breaks\n"
    ) in out
    assert "Missing: HSCEI close; turnover" in out


def test_sections_numbered_disclaimer_then_sources(sample_report):
    out = render_text(sample_report)
    positions = [
        out.index(h) for h in ("1. Hong Kong Market", "2. Capital Flow Map", "3. Disclaimer")
    ]
    assert positions == sorted(positions)
    assert out.endswith("Sources: stooq, yahoo\n")


def test_section_alone():
    section = Section("insight", "Key Insight", (Paragraph("US rose."),))
    assert render_section_text(section) == "Key Insight\n───────────\n\nUS rose.\n"

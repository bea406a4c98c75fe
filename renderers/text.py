"""Plain-text rendering of a Report for terminals: padded tables, wrapped prose, no Markdown."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from core.report import Report, Section, Table
from renderers.walk import ReportWriter, cell_texts, numeric_columns

WIDTH = 100
_GAP = "  "
# A text column is never squeezed below this, even if the table then runs wider.
_MIN_COLUMN = 12


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _underline(text: str, char: str) -> str:
    return f"{text}\n{char * display_width(text)}"


def wrap(
    text: str, width: int, first: str = "", rest: str = "", *, hard: bool = False
) -> list[str]:
    """Return ``text`` wrapped at spaces to ``width`` display columns, indents included.

    With ``hard`` a word longer than a line is cut, so a table column never overflows.
    """
    lines: list[str] = []
    line = first
    fresh = True  # nothing but the indent on the current line yet
    for word in text.split():
        room = width - display_width(line) - (0 if fresh else 1)
        if display_width(word) <= room:
            line += word if fresh else f" {word}"
            fresh = False
            continue
        if not fresh:
            lines.append(line)
            line, fresh = rest, True
        while hard and display_width(word) > width - display_width(line):
            head = _cut(word, width - display_width(line))
            lines.append(line + head)
            word, line = word[len(head) :], rest
        line += word
        fresh = not word
    lines.append(line)
    return [ln.rstrip() for ln in lines]


def _cut(word: str, columns: int) -> str:
    """Return the longest prefix of ``word`` that fits ``columns`` (at least one character)."""
    taken = 0
    for i, ch in enumerate(word):
        taken += display_width(ch)
        if taken > columns:
            return word[: max(i, 1)]
    return word


def _fit(natural: list[int], numeric: Sequence[bool], budget: int) -> list[int]:
    """Return column widths within ``budget``: numbers keep theirs, text columns share the rest."""
    widths = list(natural)
    left = budget - sum(w for w, num in zip(natural, numeric, strict=True) if num)
    pending = sorted((i for i, num in enumerate(numeric) if not num), key=lambda i: natural[i])
    while pending:
        share = max(left // len(pending), _MIN_COLUMN)
        if natural[pending[0]] > share:
            for i in pending:
                widths[i] = min(natural[i], share)
            break
        left -= natural[pending.pop(0)]
    return widths


def format_table(table: Table, width: int | None = WIDTH) -> str:
    """Return a table as padded columns under a rule; numeric columns are right-aligned.

    Text columns wrap so a line fits ``width`` display columns; ``None`` keeps one line per row.
    """
    rows = [list(table.columns), *cell_texts(table)]
    right = numeric_columns(table)
    natural = [
        max(display_width(" ".join(row[i].split())) for row in rows) for i in range(len(right))
    ]
    widths = natural
    if width is not None:
        widths = _fit(natural, right, width - len(_GAP) * (len(right) - 1))
    wrapped = [[wrap(c, w, hard=True) for c, w in zip(row, widths, strict=True)] for row in rows]

    def lines(cells: list[list[str]]) -> list[str]:
        height = max(len(c) for c in cells)
        return [
            _GAP.join(
                _pad(c[k] if k < len(c) else "", w, right=r)
                for c, w, r in zip(cells, widths, right, strict=True)
            ).rstrip()
            for k in range(height)
        ]

    rule = _GAP.join("─" * w for w in widths)
    body = [lines(row) for row in wrapped[1:]]
    # Rows that wrap are kept apart by a blank line so their continuation lines stay readable.
    spacer = [""] if any(len(row) > 1 for row in body) else []
    out = [*lines(wrapped[0]), rule]
    for i, row in enumerate(body):
        out.extend([*(spacer if i else []), *row])
    return "\n".join(out)


class TextWriter(ReportWriter):
    """Write a Report as plain text for a terminal."""

    def title(self, title: str) -> str:
        """Return the title underlined with ``=``."""
        return _underline(title, "=")

    def demo_note(self, note: str) -> str:
        """Return the sample-data note with every line marked ``!``."""
        return "\n".join(wrap(note, WIDTH, "! ", "! "))

    def heading(self, title: str, number: int | None) -> str:
        """Return ``1. Title`` underlined."""
        return _underline(f"{number}. {title}" if number is not None else title, "─")

    def subheading(self, title: str) -> str:
        """Return the title on its own line."""
        return title

    def paragraph(self, text: str, label: str | None = None) -> str:
        """Return the text wrapped to the terminal width, the label (``Label:``) in front."""
        return "\n".join(wrap(f"{label} {text}" if label else text, WIDTH))

    def bullets(self, items: Sequence[str]) -> str:
        """Return ``• item`` lines with wrapped continuation lines indented."""
        return "\n".join(line for item in items for line in wrap(item, WIDTH, "• ", "  "))

    def diagram(self, lines: Sequence[str]) -> str:
        """Return the lines indented; a long line continues further indented."""
        return "\n".join(row for line in lines for row in wrap(line, WIDTH, "  ", "      "))

    def table_body(self, table: Table) -> str:
        """Return the table as padded columns."""
        return format_table(table)


_WRITER = TextWriter()


def render_text(report: Report) -> str:
    """Return the report as plain text."""
    return _WRITER.render(report)


def render_section_text(section: Section, number: int | None = None) -> str:
    """Return one section as plain text."""
    return _WRITER.render_section(section, number)

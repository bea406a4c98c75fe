"""Markdown rendering of a Report: headings, pipe tables, bullet lists."""

from __future__ import annotations

from collections.abc import Sequence

from core.report import Report, Section, Table
from renderers.walk import ReportWriter, cell_texts, numeric_columns


def escape_cell(text: str) -> str:
    """Return cell text safe inside a pipe table: ``|`` escaped, line breaks flattened."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


class MarkdownWriter(ReportWriter):
    """Write a Report as GitHub-flavoured Markdown."""

    def title(self, title: str) -> str:
        """Return ``# title``."""
        return f"# {title}"

    def demo_note(self, note: str) -> str:
        """Return the sample-data note as a bold quote."""
        return f"> **{note}**"

    def heading(self, title: str, number: int | None) -> str:
        """Return ``## 1. Title``."""
        return f"## {number}. {title}" if number is not None else f"## {title}"

    def subheading(self, title: str) -> str:
        """Return the title in bold."""
        return f"**{title}**"

    def paragraph(self, text: str, label: str | None = None) -> str:
        """Return the text, with the bold label (``Label:``) in front when given."""
        return f"**{label}** {text}" if label else text

    def bullets(self, items: Sequence[str]) -> str:
        """Return ``- item`` lines."""
        return "\n".join(f"- {item}" for item in items)

    def diagram(self, lines: Sequence[str]) -> str:
        """Return the lines in a fenced code block."""
        return "\n".join(["```text", *lines, "```"])

    def table_body(self, table: Table) -> str:
        """Return a pipe table; numeric columns are right-aligned."""
        rules = ["---:" if numeric else "---" for numeric in numeric_columns(table)]
        # The rule row carries no words: written tight, as in the reference report.
        lines = [_row(table.columns), "|" + "|".join(rules) + "|"]
        lines.extend(_row(row) for row in cell_texts(table))
        return "\n".join(lines)


def _row(cells: Sequence[str], *, escape: bool = True) -> str:
    texts = [escape_cell(c) for c in cells] if escape else list(cells)
    return "| " + " | ".join(texts) + " |"


_WRITER = MarkdownWriter()


def render_markdown(report: Report) -> str:
    """Return the report as Markdown."""
    return _WRITER.render(report)


def render_section_markdown(section: Section, number: int | None = None) -> str:
    """Return one section as Markdown."""
    return _WRITER.render_section(section, number)

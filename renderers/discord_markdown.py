"""Discord markdown: escaping data, a writer for embed descriptions, splitting at line ends."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.i18n import Language
from core.report import Section, Table
from renderers.chat import aligned, records, unavailable_label
from renderers.parts import utf16_len
from renderers.text import format_table
from renderers.walk import ReportWriter, missing_line

FENCE = "```"
_BACKTICK_RUN = re.compile(r"`(?=`)")
_SPECIAL = re.compile(r"([\\*_~`|>#\[\]<])")
# A line starting like a list item, numbered item or heading would be reformatted by Discord.
_LINE_START = re.compile(r"^(\s*)(?:([-+])|(\d+)(\.))(?=\s)", re.M)
_UNESCAPE = re.compile(r"\\(.)", re.S)


def escape_md(text: str) -> str:
    """Return text with every Discord markdown character escaped."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, bullet, digits, dot = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{digits}\\{dot}"


def unescape_md(text: str) -> str:
    """Return the text a reader sees for escaped markdown (backslash escapes removed)."""
    return _UNESCAPE.sub(r"\1", text)


def code_block(text: str) -> str:
    """Return text in a fenced block; runs of backticks inside are broken by zero-width spaces."""
    safe = _BACKTICK_RUN.sub("`\u200b", text)
    return f"{FENCE}\n{safe}\n{FENCE}"


class DiscordWriter(ReportWriter):
    """Write report pieces as Discord markdown (embed descriptions)."""

    def title(self, title: str) -> str:
        """Return the title in bold."""
        return f"**{escape_md(title)}**"

    def demo_note(self, note: str) -> str:
        """Return the sample-data note, bold, first thing a reader sees."""
        return f"⚠️ **{escape_md(note)}**"

    def heading(self, title: str, number: int | None) -> str:
        """Return ``1. Title`` (used as an embed title, so no markdown)."""
        return f"{number}. {title}" if number is not None else title

    def subheading(self, title: str) -> str:
        """Return the title in bold."""
        return f"**{escape_md(title)}**"

    def paragraph(self, text: str, label: str | None = None) -> str:
        """Return escaped prose, the bold label (``Label:``) in front when given."""
        return f"**{escape_md(label)}** {escape_md(text)}" if label else escape_md(text)

    def bullets(self, items: Sequence[str]) -> str:
        """Return ``• item`` lines."""
        return "\n".join(f"• {escape_md(item)}" for item in items)

    def diagram(self, lines: Sequence[str]) -> str:
        """Return the lines in a code block."""
        return code_block("\n".join(lines))

    def table_body(self, table: Table) -> str:
        """Return aligned columns in a code block, or one line per row when too wide."""
        if aligned(table):
            return code_block(format_table(table))
        return "\n".join(
            f"• **{escape_md(first)}** — "
            + " · ".join(f"*{escape_md(col)}:* {escape_md(val)}" for col, val in rest)
            for first, rest in records(table)
        )

    def section_body(self, section: Section, language: Language = Language.EN) -> str:
        """Return a section's blocks and its missing-data line, without the heading."""
        parts = [self.block(b) for b in section.blocks]
        if section.missing:
            text = missing_line(section.missing, language)
            label = unavailable_label(section, language)
            parts.append(f"_{self.paragraph(text, label=label)}_")
        return self.join_blocks(parts)


def _cut_line(line: str, limit: int) -> list[str]:
    """Return a line cut into pieces ≤ limit, at spaces when possible, never inside an escape."""
    pieces = []
    while utf16_len(line) > limit:
        cut = limit
        while utf16_len(line[:cut]) > limit:
            cut -= 1
        space = line.rfind(" ", 0, cut)
        if space > limit // 2:
            cut = space + 1
        # An odd run of backslashes before the cut would escape across it.
        while cut > 1 and (len(line[:cut]) - len(line[:cut].rstrip("\\"))) % 2:
            cut -= 1
        pieces.append(line[:cut])
        line = line[cut:]
    return [*pieces, line]


def split_markdown(text: str, limit: int) -> list[str]:
    """Return chunks ≤ limit split at line ends; a code block cut in two is closed and reopened."""
    if utf16_len(text) <= limit:
        return [text]
    reserve = utf16_len(FENCE) + 1
    chunks: list[str] = []
    current: list[str] = []
    in_fence, fence_line = False, FENCE

    def size(lines: list[str], fence_open: bool) -> int:
        return utf16_len("\n".join(lines)) + (reserve if fence_open else 0)

    for line in text.split("\n"):
        is_fence = line.startswith(FENCE)
        after = in_fence != is_fence
        for piece in _cut_line(line, limit - 2 * reserve):
            if current and size([*current, piece], after) > limit:
                if in_fence and current[-1] == fence_line and len(current) > 1:
                    # Nothing inside the block yet: move its opening fence to the next chunk.
                    chunks.append("\n".join(current[:-1]))
                elif in_fence:
                    chunks.append("\n".join([*current, FENCE]))
                else:
                    chunks.append("\n".join(current))
                current = [fence_line] if in_fence else []
            current.append(piece)
        if is_fence:
            in_fence, fence_line = after, line if after else fence_line
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]

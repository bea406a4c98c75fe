"""Table images for a phone: 1,080 px wide, text at least 30 px, a grid or one card per row.

Narrow tables are drawn as a grid (numbers right-aligned, gains green, losses red); wider ones
as stacked cards of ``label … value`` lines. A table taller than a page is split into pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.formatting import format_cell
from core.i18n import Language
from core.report import Cell, Table
from renderers.images.canvas import INK, MUTED, Canvas
from renderers.images.table_layout import (
    LAYOUT,
    TableLayout,
    cell_ink,
    condensed,
    grid_widths,
    numeric_column,
)

HEADER_FILL = "#eef1f4"
STRIPE_FILL = "#f6f8fa"
CARD_FILL = "#f3f5f7"
RULE = "#c8d0d8"

__all__ = ["LAYOUT", "TableLayout", "table_png", "table_pngs"]


@dataclass
class _Block:
    """Texts and boxes at offsets from the block's top, and the block's height."""

    height: float = 0.0
    texts: list[tuple] = field(default_factory=list)
    boxes: list[tuple] = field(default_factory=list)

    def draw(self, c: Canvas, top: float) -> None:
        for x, dy, w, h, color, radius in self.boxes:
            c.box(x, top + dy, w, h, color, radius)
        for x, dy, line_h, text, prop, color, ha in self.texts:
            c.text(x, top + dy, line_h, text, prop, color, ha)


class _Builder:
    """Measure a table once and cut it into blocks: title, header, rows, notes."""

    def __init__(self, layout: TableLayout, language: Language = Language.EN) -> None:
        self.l = layout
        self.language = language
        self.c = Canvas(layout.width_px)
        self.body = self.c.font(layout.body_px)
        self.bold = self.c.font(layout.body_px, bold=True)
        self.small = self.c.font(layout.small_px)
        self.title_prop = self.c.font(layout.title_px, bold=True)
        self.left = float(layout.margin_px)

    def paragraph(self, text: str, prop, size_px: float, color: str) -> _Block:
        block = _Block()
        for line in self.c.wrap(text, prop, self.l.inner_px):
            block.texts.append(
                (self.left, block.height, self.l.line(size_px), line, prop, color, "left")
            )
            block.height += self.l.line(size_px)
        return block

    def grid_line(
        self, table: Table, texts: list[tuple[str, str]], widths: list[float], bold: bool
    ) -> _Block:
        """Return one grid line of (text, colour) cells; numeric columns are right-aligned."""
        block, pad = _Block(), self.l.pad_px
        line_h = self.l.line(self.l.body_px)
        prop = self.bold if bold else self.body
        x = self.left
        for i, ((shown, ink), w) in enumerate(zip(texts, widths, strict=True)):
            lines = self.c.wrap(shown, prop, w - 2 * pad)
            right = numeric_column(table, i)
            at, ha = (x + w - pad, "right") if right else (x + pad, "left")
            for k, line in enumerate(lines):
                block.texts.append((at, pad / 2 + k * line_h, line_h, line, prop, ink, ha))
            block.height = max(block.height, len(lines) * line_h + pad)
            x += w
        return block

    def grid_header(self, table: Table, widths: list[float]) -> _Block:
        block = self.grid_line(table, [(name, INK) for name in table.columns], widths, True)
        block.boxes.append((0, 0, self.l.width_px, block.height, HEADER_FILL, 0))
        return block

    def grid_row(
        self, table: Table, row: tuple[Cell, ...], widths: list[float], striped: bool
    ) -> _Block:
        texts = [(format_cell(cell), cell_ink(cell, self.language)) for cell in row]
        block = self.grid_line(table, texts, widths, False)
        if striped:
            block.boxes.append((0, 0, self.l.width_px, block.height, STRIPE_FILL, 0))
        return block

    def card_row(self, table: Table, row: tuple[Cell, ...]) -> _Block:
        block, pad = _Block(), self.l.pad_px
        inner = self.l.inner_px - 2 * pad
        x = self.left + pad
        body_h, small_h = self.l.line(self.l.body_px), self.l.line(self.l.small_px)
        head, fields = format_cell(row[0]), list(zip(table.columns[1:], row[1:], strict=True))
        if numeric_column(table, 0) and fields and fields[0][1].value is not None:
            # A leading rank or count reads as "1. <the row's name>".
            head, fields = f"{head}. {format_cell(fields[0][1])}", fields[1:]
        block.height = pad
        for line in self.c.wrap(head, self.bold, inner):
            block.texts.append((x, block.height, body_h, line, self.bold, INK, "left"))
            block.height += body_h
        for name, cell in fields:
            value, ink = format_cell(cell), cell_ink(cell, self.language)
            if self.c.width(name, self.small) + pad + self.c.width(value, self.body) <= inner:
                block.texts.append((x, block.height, body_h, name, self.small, MUTED, "left"))
                block.texts.append(
                    (x + inner, block.height, body_h, value, self.body, ink, "right")
                )
                block.height += body_h
                continue
            block.texts.append((x, block.height, small_h, name, self.small, MUTED, "left"))
            block.height += small_h
            for line in self.c.wrap(value, self.body, inner):
                block.texts.append((x, block.height, body_h, line, self.body, ink, "left"))
                block.height += body_h
        block.height += pad
        block.boxes.append((self.left, 0, self.l.inner_px, block.height, CARD_FILL, pad))
        block.height += pad / 2
        return block


def _pages(rows: list[_Block], budget: float) -> list[list[_Block]]:
    """Return the rows cut into pages under ``budget`` px, as even in height as greedy allows."""

    def cut(limit: float) -> list[list[_Block]]:
        pages: list[list[_Block]] = [[]]
        used = 0.0
        for row in rows:
            if pages[-1] and used + row.height > limit:
                pages.append([])
                used = 0.0
            pages[-1].append(row)
            used += row.height
        return pages

    greedy = cut(budget)
    if len(greedy) == 1:
        return greedy
    # Aim each page at an equal share so the last page is not a lone row.
    even = cut(sum(r.height for r in rows) / len(greedy) + max(r.height for r in rows) / 2)
    return even if len(even) == len(greedy) else greedy


def table_pngs(
    table: Table,
    *,
    title: str | None = None,
    footer: str | None = None,
    layout: TableLayout = LAYOUT,
    language: Language = Language.EN,
) -> list[bytes]:
    """Return the table as one or more phone-sized PNGs, each page titled ``(k/n)`` if split."""
    shown, notes = condensed(table)
    b = _Builder(layout, language)
    widths = grid_widths(shown, b.c, layout)
    if widths is None:
        rows = [b.card_row(shown, row) for row in shown.rows]
        head = _Block()
    else:
        rows = [b.grid_row(shown, row, widths, n % 2 == 1) for n, row in enumerate(shown.rows)]
        head = b.grid_header(shown, widths)
    # A note the footer already says (the session date in "as of …") is not said twice.
    notes = tuple(n for n in notes if not footer or n.split(": ", 1)[1] not in footer)
    foot_text = " · ".join(filter(None, (*notes, footer)))
    foot = b.paragraph(foot_text, b.small, layout.small_px, MUTED) if foot_text else _Block()
    title_h = b.paragraph(title, b.title_prop, layout.title_px, INK).height if title else 0.0
    gap = layout.pad_px
    fixed = 2 * layout.margin_px + title_h + head.height + foot.height + 3 * gap
    pages = _pages(rows, max(layout.max_page_px - fixed, 1.0))
    out = []
    for k, page in enumerate(pages, start=1):
        c = Canvas(layout.width_px)
        y = float(layout.margin_px)
        if title:
            shown_title = f"{title} ({k}/{len(pages)})" if len(pages) > 1 else title
            block = b.paragraph(shown_title, b.title_prop, layout.title_px, INK)
            block.draw(c, y)
            y += block.height + gap
        head.draw(c, y)
        y += head.height
        for row in page:
            row.draw(c, y)
            y += row.height
        if widths is not None:
            c.box(0, y, layout.width_px, 2, RULE)
        y += gap
        if foot.height:
            foot.draw(c, y)
            y += foot.height
        out.append(c.png(y + layout.margin_px))
    return out


def table_png(
    table: Table,
    *,
    title: str | None = None,
    footer: str | None = None,
    layout: TableLayout = LAYOUT,
    language: Language = Language.EN,
) -> bytes:
    """Return the whole table as one PNG (however tall)."""
    tall = replace(layout, max_page_px=10**9)
    (png,) = table_pngs(table, title=title, footer=footer, layout=tall, language=language)
    return png

"""How a table is laid out on a phone: which columns stay, and whether it fits as a grid.

A table becomes a grid only when its columns fit 1,080 px with each cell on at most two lines;
otherwise renderers/images/table.py stacks it, one card per row. Columns with no figure at all
or one date shared by every row are dropped into a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.formatting import format_cell
from core.i18n import Language
from core.report import Cell, Table, Unit
from renderers.images.canvas import MISSING_INK, PHONE_WIDTH_PX, TONE_INKS, Canvas

_TEXT_UNITS = (Unit.TEXT, Unit.DATE)


@dataclass(frozen=True)
class TableLayout:
    """Pixel sizes of table images; text sizes are em heights in output pixels."""

    width_px: int = PHONE_WIDTH_PX
    margin_px: int = 24
    pad_px: int = 16
    title_px: int = 42
    body_px: int = 34
    small_px: int = 32
    line_factor: float = 1.3
    max_grid_columns: int = 4
    max_cell_lines: int = 2
    max_page_px: int = 2200

    @property
    def min_text_px(self) -> int:
        """Return the smallest text size used."""
        return min(self.title_px, self.body_px, self.small_px)

    @property
    def inner_px(self) -> int:
        """Return the width between the margins."""
        return self.width_px - 2 * self.margin_px

    def line(self, size_px: float) -> float:
        """Return the height of a line of text of this size."""
        return self.line_factor * size_px


LAYOUT = TableLayout()


def numeric_column(table: Table, index: int) -> bool:
    """Return True when every known cell of a column is a number (so it is right-aligned)."""
    known = [row[index] for row in table.rows if not row[index].missing]
    return bool(known) and all(
        c.unit not in _TEXT_UNITS and isinstance(c.value, int | float) for c in known
    )


def cell_ink(cell: Cell, language: Language = Language.EN) -> str:
    """Return the text colour of a cell by its tone (as the language reads it); missing is grey."""
    return MISSING_INK if cell.missing else TONE_INKS[language][cell.tone]


def condensed(table: Table) -> tuple[Table, tuple[str, ...]]:
    """Return the table without columns that say nothing per row, and notes that say it once.

    A column with no figure in any row, or one date shared by every row, is dropped; the note
    keeps its content (``TVL: n/a``, ``Session: Fri 2026-03-20``). The first column stays.
    """
    keep, notes = [0], []
    for i, name in enumerate(table.columns[1:], start=1):
        cells = [row[i] for row in table.rows]
        values = {c.value for c in cells}
        if all(c.missing for c in cells):
            notes.append(f"{name}: n/a")
        elif len(values) == 1 and cells[0].unit is Unit.DATE:
            notes.append(f"{name}: {format_cell(cells[0])}")
        else:
            keep.append(i)
    if len(keep) == len(table.columns):
        return table, ()
    rows = tuple(tuple(row[i] for i in keep) for row in table.rows)
    columns = tuple(table.columns[i] for i in keep)
    return Table(columns, rows, title=table.title, footer=table.footer), tuple(notes)


def grid_widths(table: Table, c: Canvas, layout: TableLayout = LAYOUT) -> list[float] | None:
    """Return column widths (padding included) when the table fits as a grid, else None."""
    if len(table.columns) > layout.max_grid_columns:
        return None
    body, bold = c.font(layout.body_px), c.font(layout.body_px, bold=True)
    pad = 2 * layout.pad_px
    widths = []
    for i, header in enumerate(table.columns):
        texts = [format_cell(row[i]) for row in table.rows]
        natural = max([c.width(header, bold)] + [c.width(t, body) for t in texts])
        words = [w for t in texts for w in t.split(" ")] + header.split(" ")
        narrowest = max(c.width(w, bold) for w in words if w)
        widths.append((natural + pad, narrowest + pad, numeric_column(table, i)))
    total = sum(n for n, _, _ in widths)
    if total <= layout.inner_px:
        extra = layout.inner_px - total
        return [n + (extra if i == 0 else 0) for i, (n, _, _) in enumerate(widths)]
    # Text columns give up width in proportion to what they can spare; numbers never wrap.
    spare = sum(n - m for n, m, num in widths if not num)
    excess = total - layout.inner_px
    if spare < excess:
        return None
    out = [n if num else n - (n - m) * excess / spare for n, m, num in widths]
    lines = [
        len(c.wrap(format_cell(row[i]), body, out[i] - pad))
        for row in table.rows
        for i in range(len(out))
    ]
    return out if max(lines, default=1) <= layout.max_cell_lines else None

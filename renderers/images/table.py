"""Table images: a header row, right-aligned numbers, gains green and losses red."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from core.formatting import format_cell
from core.report import Cell, Table, Tone, Unit
from renderers.images.canvas import wrap_to_width
from renderers.images.fonts import font_families

DPI = 150
BODY_PT = 11.0
TITLE_PT = 13.5
FOOTER_PT = 8.5
MARGIN_PX = 24
CELL_PAD_PX = 14
MIN_FOOTER_WIDTH_PX = 520
MAX_TEXT_COLUMN_PX = 420
MAX_TITLE_PX = 1100

INK = "#24292f"
MUTED = "#6e7781"
MISSING_INK = "#8c959f"
TONE_INK = {Tone.UP: "#1a7f37", Tone.DOWN: "#cf222e", Tone.NEUTRAL: INK}
HEADER_FILL = "#eef1f4"
STRIPE_FILL = "#f8f9fa"
RULE = "#c8d0d8"

_TEXT_UNITS = (Unit.TEXT, Unit.DATE)


def numeric_column(table: Table, index: int) -> bool:
    """Return True when every known cell of a column is a number (so it is right-aligned)."""
    known = [row[index] for row in table.rows if not row[index].missing]
    return bool(known) and all(
        c.unit not in _TEXT_UNITS and isinstance(c.value, int | float) for c in known
    )


def cell_ink(cell: Cell) -> str:
    """Return the text colour of a cell by its tone; missing cells are greyed."""
    return MISSING_INK if cell.missing else TONE_INK[cell.tone]


class _Measure:
    def __init__(self, renderer: RendererAgg) -> None:
        self._renderer = renderer

    def width(self, text: str, prop: FontProperties) -> float:
        w, _, _ = self._renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w


def _put(fig: Figure, x_px: float, y_px: float, text: str, prop: FontProperties, **kw) -> None:
    width_px, height_px = fig.bbox.width, fig.bbox.height
    fig.text(
        x_px / width_px,
        1 - y_px / height_px,
        text,
        fontproperties=prop,
        va="center",
        parse_math=False,
        **{"color": INK, **kw},
    )


def _band(fig: Figure, y_px: float, h_px: float, color: str) -> None:
    height_px = fig.bbox.height
    fig.add_artist(
        Rectangle(
            (0, 1 - (y_px + h_px) / height_px),
            1,
            h_px / height_px,
            transform=fig.transFigure,
            facecolor=color,
            edgecolor="none",
            zorder=0,
        )
    )


def table_png(
    table: Table, *, title: str | None = None, footer: str | None = None, dpi: int = DPI
) -> bytes:
    """Return a PNG of the table with an optional title above and footer below."""
    fig = Figure(dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    families = font_families()
    body = FontProperties(family=families, size=BODY_PT)
    bold = FontProperties(family=families, size=BODY_PT, weight="bold")
    title_prop = FontProperties(family=families, size=TITLE_PT, weight="bold")
    foot_prop = FontProperties(family=families, size=FOOTER_PT)
    measure = _Measure(canvas.get_renderer())
    px_per_pt = dpi / 72

    numeric = [numeric_column(table, i) for i in range(len(table.columns))]
    head_w = [measure.width(h, bold) for h in table.columns]
    texts = [[format_cell(c) for c in row] for row in table.rows]
    content_w = [
        max([head_w[i]] + [measure.width(r[i], body) for r in texts]) for i in range(len(head_w))
    ]
    # Long prose cells wrap inside a capped column instead of stretching the image.
    content_w = [
        w if numeric[i] else min(w, max(MAX_TEXT_COLUMN_PX, head_w[i]))
        for i, w in enumerate(content_w)
    ]
    cells = [
        [
            wrap_to_width(shown, content_w[i], lambda s: measure.width(s, body))
            for i, shown in enumerate(r)
        ]
        for r in texts
    ]
    col_w = [w + 2 * CELL_PAD_PX for w in content_w]
    title_w = measure.width(title, title_prop) if title else 0.0
    inner_w = max(sum(col_w), min(title_w, MAX_TITLE_PX), MIN_FOOTER_WIDTH_PX if footer else 0)
    # A title wider than the table widens the label column so the table spans the image.
    col_w[0] += inner_w - sum(col_w)
    width_px = 2 * MARGIN_PX + inner_w
    title_lines = (
        wrap_to_width(title, inner_w, lambda s: measure.width(s, title_prop)) if title else []
    )
    foot_lines = (
        wrap_to_width(footer, inner_w, lambda s: measure.width(s, foot_prop)) if footer else []
    )

    line_h = 1.4 * BODY_PT * px_per_pt
    pad_v = 0.35 * BODY_PT * px_per_pt
    row_heights = [max(len(lines) for lines in row) * line_h + 2 * pad_v for row in cells]
    header_h = line_h + 2 * pad_v
    title_line_h = 1.5 * TITLE_PT * px_per_pt
    title_h = (len(title_lines) * title_line_h + 0.5 * header_h) if title_lines else 0.0
    foot_line_h = 1.6 * FOOTER_PT * px_per_pt
    foot_h = (len(foot_lines) * foot_line_h + 0.6 * header_h) if foot_lines else 0.0
    height_px = MARGIN_PX * 2 + title_h + header_h + sum(row_heights) + foot_h
    fig.set_size_inches(width_px / dpi, height_px / dpi)

    y = float(MARGIN_PX)
    for line in title_lines:
        _put(fig, MARGIN_PX, y + title_line_h / 2, line, title_prop, ha="left")
        y += title_line_h
    y += 0.5 * header_h if title_lines else 0.0
    _band(fig, y, header_h, HEADER_FILL)
    lefts = [MARGIN_PX + sum(col_w[:i]) for i in range(len(col_w))]
    for i, header in enumerate(table.columns):
        if numeric[i]:
            _put(fig, lefts[i] + col_w[i] - CELL_PAD_PX, y + header_h / 2, header, bold, ha="right")
        else:
            _put(fig, lefts[i] + CELL_PAD_PX, y + header_h / 2, header, bold, ha="left")
    y += header_h
    for r, (row, row_lines) in enumerate(zip(table.rows, cells, strict=True)):
        if r % 2:
            _band(fig, y, row_heights[r], STRIPE_FILL)
        for i, (cell, lines) in enumerate(zip(row, row_lines, strict=True)):
            right = numeric[i] or (cell.unit not in _TEXT_UNITS and not cell.missing)
            x = lefts[i] + col_w[i] - CELL_PAD_PX if right else lefts[i] + CELL_PAD_PX
            for k, line in enumerate(lines):
                line_y = y + pad_v + (k + 0.5) * line_h
                _put(
                    fig,
                    x,
                    line_y,
                    line,
                    body,
                    color=cell_ink(cell),
                    ha="right" if right else "left",
                )
        y += row_heights[r]
    _band(fig, y, 1.0, RULE)
    y += 0.6 * header_h
    for line in foot_lines:
        _put(fig, MARGIN_PX, y + foot_line_h / 2, line, foot_prop, color=MUTED, ha="left")
        y += foot_line_h

    out = io.BytesIO()
    canvas.print_png(out, metadata={"Software": None})
    return out.getvalue()

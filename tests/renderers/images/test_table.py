"""Phone-sized table images: 1080 px wide, grid only when it fits, stacked otherwise, paged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from core.analysis.build import build_report
from core.report import Cell, Table, Unit, pct, text
from renderers.images import cached_table_pngs, table_png, table_pngs
from renderers.images.cache import ImageCache
from renderers.images.canvas import Canvas
from renderers.images.table import LAYOUT, TableLayout
from renderers.images.table_layout import condensed, grid_widths

DAY = date(2026, 3, 20)
INDEXES = Table(
    ("Index", "Close", "Change", "Session"),
    tuple(
        (text(name), Cell(close, Unit.POINTS), pct(change), Cell(DAY, Unit.DATE))
        for name, close, change in (("HSI", 25500.58, -2.02), ("HSTECH", 4996.28, -2.19))
    ),
)


def _size(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    image.verify()
    return image.size


def _demo_tables(demo) -> list[Table]:
    report = build_report(demo)
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.rows]


def test_text_is_readable_on_a_390_px_phone():
    assert LAYOUT.width_px == 1080 and LAYOUT.min_text_px >= 28
    assert LAYOUT.min_text_px * 390 / LAYOUT.width_px >= 11


def test_every_demo_table_is_phone_width_and_no_page_is_taller_than_a_page(demo):
    for table in _demo_tables(demo):
        for png in table_pngs(table, title=table.title or "t", footer="as of Fri 2026-03-20"):
            width, height = _size(png)
            assert width == LAYOUT.width_px
            assert height <= LAYOUT.max_page_px


def test_a_shared_date_and_an_empty_column_become_notes():
    table = Table(
        ("Index", "Close", "Change", "Session"),
        ((text("DJIA"), Cell(None, Unit.POINTS), pct(0.65), Cell(DAY, Unit.DATE)),),
    )
    shown, notes = condensed(table)
    assert shown.columns == ("Index", "Change")
    assert notes == ("Close: n/a", "Session: Fri 2026-03-20")
    assert condensed(Table(("A", "B"), ((text("x"), pct(1.0)),))) == (
        Table(("A", "B"), ((text("x"), pct(1.0)),)),
        (),
    )


@pytest.mark.parametrize(
    ("columns", "grid"),
    [
        (("Index", "Close", "Change"), True),
        (("Pair", "A change", "B change", "Spread", "Level", "Sessions"), False),
    ],
)
def test_grid_only_when_the_columns_fit(columns, grid):
    row = tuple(text("S&P 500 vs HSI") if i == 0 else pct(0.59) for i in range(len(columns)))
    widths = grid_widths(Table(columns, (row,)), Canvas())
    assert (widths is not None) is grid
    if grid:
        assert sum(widths) == pytest.approx(LAYOUT.inner_px)


def test_long_prose_columns_are_stacked_not_squeezed():
    prose = Table(
        ("Profile", "Stance", "Actions"), ((text("Moderate"), text("Hedge"), text("word " * 80)),)
    )
    assert grid_widths(prose, Canvas()) is None
    width, height = _size(table_png(prose))
    assert width == LAYOUT.width_px and height > 400


def test_long_tables_split_into_even_pages():
    rows = tuple((text(f"Protocol {n}"), text("Lending " * 6), pct(n - 20.0)) for n in range(40))
    table = Table(("Protocol", "Category", "1-day change"), rows)
    pages = table_pngs(table, title="TVL", layout=TableLayout(max_page_px=1600))
    heights = [_size(p)[1] for p in pages]
    assert len(pages) > 1 and max(heights) <= 1600
    assert min(heights) > max(heights) / 2  # no lone last row


def test_same_table_same_bytes_and_pages_are_cached():
    assert table_png(INDEXES, title="HK") == table_png(INDEXES, title="HK")
    cache = ImageCache()
    first = cached_table_pngs(INDEXES, title="HK", cache=cache)
    assert cached_table_pngs(INDEXES, title="HK", cache=cache) == first
    assert cache.renders == 1 and cache.hits == 1


@pytest.mark.parametrize(
    "text", ["24 h change", "上证指数 (SSE) -1.39%", "Uncollateralized Lending"]
)
def test_text_exactly_as_wide_as_its_room_stays_on_one_line(text):
    canvas = Canvas()
    prop = canvas.font(LAYOUT.body_px, bold=True)
    assert canvas.wrap(text, prop, canvas.width(text, prop)) == [text]
    assert len(canvas.wrap(text, prop, canvas.width(text, prop) / 2)) > 1

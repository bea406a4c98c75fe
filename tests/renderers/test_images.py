"""Table and chart images: valid PNGs, CJK glyphs, tone colours, caching, off-loop rendering."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import warnings
from datetime import date

import numpy as np
import pytest
from PIL import Image

from core.report import Cell, Table, Unit, pct, text
from renderers.images import (
    cached_table_png,
    divergence_chart_png,
    divergence_chart_png_async,
    fonts,
    table_png,
    table_png_async,
)
from renderers.images.cache import ImageCache, content_key
from renderers.images.canvas import TONE_INK
from renderers.images.chart import rebased, spread_stats
from tests.renderers.chat_fixtures import divergence_history

CJK_NAMES = ("上证指数 (SSE)", "深证成指 (SZSE)", "创业板指 (ChiNext)")
A_SHARES = Table(
    ("Index", "Close", "Change"),
    tuple(
        (text(name), Cell(close, Unit.POINTS), pct(change))
        for name, close, change in zip(
            CJK_NAMES, (4006.55, 13901.57, 3309.10), (-1.39, -2.02, 1.11), strict=True
        )
    ),
)

needs_cjk = pytest.mark.skipif(
    fonts.cjk_family() is None,
    reason="no CJK font installed (apt-get install fonts-noto-cjk); CJK glyph checks skipped",
)


def _decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _has_colour(image: Image.Image, hex_colour: str, tolerance: int = 40) -> bool:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image, dtype=int)
    return bool(np.any(np.all(np.abs(pixels - target) <= tolerance, axis=-1)))


def test_table_png_decodes_with_a_sane_size_and_tone_colours():
    image = _decode(table_png(A_SHARES, title="A-Share Market", footer="as of Fri 2026-03-20"))
    assert 300 <= image.width <= 2000 and 150 <= image.height <= 1200
    assert _has_colour(image, TONE_INK["down"]) and _has_colour(image, TONE_INK["up"])


def test_table_without_gains_has_no_green():
    losses = Table(("Index", "Change"), ((text("HSI"), pct(-2.02)), (text("HSCEI"), pct(-1.58))))
    image = _decode(table_png(losses))
    assert _has_colour(image, TONE_INK["down"])
    assert not _has_colour(image, TONE_INK["up"], tolerance=25)


def test_long_text_cells_wrap_instead_of_widening_the_image():
    wide = Table(("Risk", "Trigger"), ((text("word " * 200), text("another " * 150)),))
    image = _decode(table_png(wide))
    assert image.width < 1400
    assert image.height > 400


@needs_cjk
def test_cjk_names_render_with_the_cjk_font():
    family = fonts.cjk_family()
    files = fonts.font_files_for(fonts.font_families())
    assert "cjk" in str(files[-1]).casefold() or "han" in str(files[-1]).casefold()
    assert family in fonts.font_families()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        table_png(A_SHARES, title="上证指数 A股")


def test_missing_cjk_font_falls_back_to_dejavu_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font CJK",))
    monkeypatch.setattr(fonts, "_register_system_cjk_fonts", lambda: None)
    fonts.cjk_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=fonts.__name__):
            assert fonts.font_families() == [fonts.LATIN_FAMILY]
        assert "no CJK font found" in caplog.text
        with pytest.warns(UserWarning, match="missing from font"):
            assert table_png(A_SHARES).startswith(b"\x89PNG")
    finally:
        fonts.cjk_family.cache_clear()


def test_divergence_chart_decodes():
    h = divergence_history()
    png = divergence_chart_png(
        h.series_a, h.series_b, h.spreads_bps, label_a="S&P 500 $", label_b="恒生指数", title="t"
    )
    image = _decode(png)
    assert 800 <= image.width <= 2000 and 500 <= image.height <= 1400
    assert _has_colour(image, "#cf222e")  # today's point


def test_rebase_and_spread_bands():
    assert rebased([(date(2026, 3, 2), 50.0), (date(2026, 3, 1), 40.0)]) == [
        (date(2026, 3, 1), 100.0),
        (date(2026, 3, 2), 125.0),
    ]
    # The bands come from the points before today; today is ranked against them.
    points = ((1, 10.0), (2, -10.0), (3, 30.0), (4, 50.0))
    stats = spread_stats([(date(2026, 3, d), v) for d, v in points])
    assert stats.mean_bps == pytest.approx(10.0)
    assert stats.stdev_bps == pytest.approx(20.0)
    assert stats.today == (date(2026, 3, 4), 50.0)
    assert stats.z_score == pytest.approx(2.0)
    with pytest.raises(ValueError):
        spread_stats([(date(2026, 3, 1), 1.0), (date(2026, 3, 2), 2.0)])


def test_cache_renders_each_content_once_even_concurrently():
    cache = ImageCache()
    calls = []

    def render() -> bytes:
        calls.append(threading.get_ident())
        return b"png"

    key = content_key("table", A_SHARES, "t", None)
    threads = [threading.Thread(target=cache.get_or_render, args=(key, render)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.renders == 1 and cache.hits == 7
    assert content_key("table", A_SHARES, "t", None) != content_key("table", A_SHARES, "u", None)


def test_cache_is_bounded():
    cache = ImageCache(max_entries=2)
    for n in range(3):
        cache.get_or_render(str(n), lambda n=n: bytes([n]))
    assert len(cache) == 2
    cache.get_or_render("0", lambda: b"again")
    assert cache.renders == 4


def test_async_wrappers_render_off_the_event_loop(monkeypatch):
    import renderers.images as images

    threads = []
    real = images.table_png

    def spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(images, "table_png", spy)
    cache = ImageCache()

    async def main() -> tuple[bytes, bytes, int]:
        png = await table_png_async(A_SHARES, title="x", cache=cache)
        h = divergence_history()
        chart = await divergence_chart_png_async(
            h.series_a, h.series_b, h.spreads_bps, label_a="a", label_b="b", cache=cache
        )
        return png, chart, threading.get_ident()

    png, chart, loop_thread = asyncio.run(main())
    assert threads and loop_thread not in threads
    assert png == cached_table_png(A_SHARES, title="x", cache=cache)
    assert chart.startswith(b"\x89PNG")

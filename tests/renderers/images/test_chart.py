"""The divergence chart for a phone: 1080 px wide, readable labels, same input same bytes."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from core.i18n import Language
from renderers.chat import chart_image
from renderers.images import divergence_chart_png, fonts
from renderers.images.cache import ImageCache
from renderers.images.chart import LAYOUT
from tests.english import english_runs
from tests.renderers.chat_fixtures import divergence_history


def _chart(label_a: str = "S&P 500", label_b: str = "HSI") -> bytes:
    h = divergence_history(60)
    return divergence_chart_png(
        h.series_a,
        h.series_b,
        h.spreads_bps,
        label_a=label_a,
        label_b=label_b,
        title=f"{label_a} vs {label_b}: 59-session divergence",
        footer="as of Fri 2026-03-20 · source: stooq",
    )


def test_chart_is_portrait_phone_width_with_readable_text():
    image = Image.open(io.BytesIO(_chart()))
    assert image.size == (LAYOUT.width_px, LAYOUT.height_px) == (1080, 1350)
    assert LAYOUT.min_text_px * 390 / LAYOUT.width_px >= 11


def test_same_history_same_bytes():
    assert _chart() == _chart()


@pytest.mark.skipif(fonts.cjk_family() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_cjk_leg_names_have_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        _chart("创业板指 (ChiNext)", "上证指数 (SSE)")


def test_the_chinese_chart_names_its_legs_and_dates_in_chinese():
    image = chart_image(divergence_history(60), ImageCache(), Language.ZH)
    assert english_runs(f"{image.title} {image.footer}", 2) == []
    assert image.title.endswith("个交易日涨跌幅差") and image.footer.startswith("截至 ")


@pytest.mark.skipif(fonts.cjk_family() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_the_chinese_chart_has_every_glyph():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        chart_image(divergence_history(60), ImageCache(), Language.ZH)

"""A pixel canvas for phone-sized images: lay out in pixels top-down, then draw once to PNG.

Layout code measures text and records boxes and texts at pixel positions; the figure is made
only at the end, when the total height is known. Sizes are pixels of the output PNG, so a font
of 30 px stays 30 px whatever the DPI.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import IdentityTransform

from core.i18n import Language
from core.report import Tone
from renderers.images.fonts import font_families

DPI = 150
# A phone shows about 390 CSS px; images are drawn at ~2.8× that so text stays sharp.
PHONE_WIDTH_PX = 1080
ELLIPSIS = "…"
# Summed word widths ignore kerning between words; keep a little room for it.
WRAP_SLACK = 0.98

INK = "#24292f"
MUTED = "#6e7781"
MISSING_INK = "#8c959f"
TONE_INK = {Tone.UP: "#1a7f37", Tone.DOWN: "#cf222e", Tone.NEUTRAL: INK}
# Chinese markets colour a rise red and a fall green (红涨绿跌), the reverse of Western ones;
# a reader of each language sees the colours they read quotes in.
TONE_INKS = {
    Language.EN: TONE_INK,
    Language.ZH: {Tone.UP: "#cf222e", Tone.DOWN: "#1a7f37", Tone.NEUTRAL: INK},
}


@dataclass(frozen=True)
class _Text:
    x: float
    baseline: float
    text: str
    prop: FontProperties
    color: str
    ha: str


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float
    color: str
    radius: float
    layer: int


class Canvas:
    """Record texts and boxes at pixel positions (y grows downwards), then render a PNG."""

    def __init__(self, width_px: int = PHONE_WIDTH_PX, dpi: int = DPI) -> None:
        self.width_px = width_px
        self.dpi = dpi
        self.families = font_families()
        self._renderer = FigureCanvasAgg(Figure(dpi=dpi)).get_renderer()
        self._ops: list[_Text | _Box] = []
        self._widths: dict[tuple[str, int], float] = {}

    def font(self, size_px: float, *, bold: bool = False) -> FontProperties:
        """Return the image font at ``size_px`` pixels (em size), CJK glyphs falling back."""
        weight = "bold" if bold else "normal"
        return FontProperties(family=self.families, size=size_px * 72 / self.dpi, weight=weight)

    def width(self, text: str, prop: FontProperties) -> float:
        """Return the drawn width of ``text`` in pixels (measured once per text and font)."""
        key = (text, hash(prop))
        w = self._widths.get(key)
        if w is None:
            w, _, _ = self._renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._widths[key] = w
        return w

    def fit(self, text: str, prop: FontProperties, limit_px: float) -> str:
        """Return ``text``, cut with an ellipsis if it is wider than ``limit_px``."""
        if self.width(text, prop) <= limit_px:
            return text
        cut = len(text)
        while cut > 1 and self.width(text[:cut].rstrip() + ELLIPSIS, prop) > limit_px:
            cut -= 1
        return text[:cut].rstrip() + ELLIPSIS

    def wrap(self, text: str, prop: FontProperties, limit_px: float) -> list[str]:
        """Return ``text`` broken at spaces into lines no wider than ``limit_px`` where possible."""
        if self.width(text, prop) <= limit_px:
            return [text]
        # Words are measured once and summed: measuring every candidate line is quadratic.
        space = self.width("a a", prop) - self.width("aa", prop)
        lines: list[str] = []
        current, used = "", 0.0
        for word in text.split(" "):
            w = self.width(word, prop)
            if current and used + space + w > limit_px * WRAP_SLACK:
                lines.append(current)
                current, used = word, w
            elif current:
                current, used = f"{current} {word}", used + space + w
            else:
                current, used = word, w
        if current:
            lines.append(current)
        return lines

    def text(
        self,
        x: float,
        line_top: float,
        line_h: float,
        text: str,
        prop: FontProperties,
        color: str,
        ha: str = "left",
    ) -> None:
        """Draw one line of text vertically centred in the line box at ``line_top``."""
        size_px = prop.get_size_in_points() * self.dpi / 72
        # The baseline sits so capitals (about 0.72 em high) are centred in the line box.
        baseline = line_top + (line_h + 0.72 * size_px) / 2
        self._ops.append(_Text(x, baseline, text, prop, color, ha))

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        color: str,
        radius: float = 0.0,
        layer: int = 0,
    ) -> None:
        """Fill a (rounded) rectangle; a higher ``layer`` is drawn over a lower one."""
        self._ops.append(_Box(x, y, w, h, color, radius, layer))

    def png(self, height_px: float, background: str = "white") -> bytes:
        """Return the PNG of everything recorded, ``height_px`` tall (same input, same bytes)."""
        height = max(1, round(height_px))
        fig = Figure(figsize=(self.width_px / self.dpi, height / self.dpi), dpi=self.dpi)
        fig.patch.set_facecolor(background)
        canvas = FigureCanvasAgg(fig)
        pixels = IdentityTransform()
        for op in self._ops:
            if isinstance(op, _Box):
                fig.add_artist(
                    FancyBboxPatch(
                        (op.x, height - op.y - op.h),
                        op.w,
                        op.h,
                        boxstyle=f"round,pad=0,rounding_size={op.radius}",
                        transform=pixels,
                        facecolor=op.color,
                        edgecolor="none",
                        zorder=op.layer,
                    )
                )
            else:
                fig.text(
                    op.x,
                    height - op.baseline,
                    op.text,
                    transform=pixels,
                    fontproperties=op.prop,
                    color=op.color,
                    ha=op.ha,
                    va="baseline",
                    parse_math=False,
                    zorder=10,
                )
        out = io.BytesIO()
        canvas.print_png(out, metadata={"Software": None})
        return out.getvalue()

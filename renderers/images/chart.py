"""Divergence charts for a phone: both legs rebased to 100 above, the spread in bps below.

Drawn 1,080 × 1,350 px (portrait, 4:5) with text at least 28 px; the spread carries its ±1σ
and ±2σ bands around the mean, and today is marked on both panels.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from core.formatting import bps, session_label
from core.i18n import N_, Language, translator
from renderers.images.canvas import DPI, INK, MUTED, PHONE_WIDTH_PX, Canvas

Point = tuple[date, float]

COLOR_A = "#0969da"
COLOR_B = "#bf8700"
SPREAD = "#24292f"
TODAY = "#cf222e"
BAND_1 = "#54aeff"
BAND_2 = "#b6e3ff"


@dataclass(frozen=True)
class ChartLayout:
    """Pixel size of the chart and its text sizes (em heights in output pixels)."""

    width_px: int = PHONE_WIDTH_PX
    height_px: int = 1350
    title_px: int = 42
    body_px: int = 36
    small_px: int = 32
    max_date_ticks: int = 5

    @property
    def min_text_px(self) -> int:
        """Return the smallest text size used."""
        return min(self.title_px, self.body_px, self.small_px)


LAYOUT = ChartLayout()


@dataclass(frozen=True)
class DivergenceHistory:
    """Closing levels of two instruments and their daily spread over a window, oldest first."""

    label_a: str
    label_b: str
    series_a: tuple[Point, ...]
    series_b: tuple[Point, ...]
    spreads_bps: tuple[Point, ...]
    sources: tuple[str, ...] = ()

    @property
    def as_of(self) -> date:
        """Return the date of the latest spread point."""
        return max(day for day, _ in self.spreads_bps)


@dataclass(frozen=True)
class SpreadStats:
    """Mean and standard deviation of the spread before today, and today's z-score.

    As the report's figures (``core.analysis.history_stats``): today is compared with the
    sessions before it, so the bands, the z-score and the caption's text agree.
    """

    mean_bps: float
    stdev_bps: float
    today: Point
    z_score: float | None


def rebased(series: Sequence[Point]) -> list[Point]:
    """Return the series scaled so its first point is 100."""
    ordered = sorted(series)
    if not ordered or ordered[0][1] == 0:
        raise ValueError("a series needs a non-zero first value to be rebased")
    base = ordered[0][1]
    return [(day, value / base * 100.0) for day, value in ordered]


def spread_stats(spreads_bps: Sequence[Point]) -> SpreadStats:
    """Return the mean and sample standard deviation of the points before the latest, and
    the latest point's z-score against them."""
    ordered = sorted(spreads_bps)
    if len(ordered) < 3:
        raise ValueError("the spread needs two points before today for its bands")
    values = [v for _, v in ordered[:-1]]
    mean, stdev = statistics.fmean(values), statistics.stdev(values)
    today = ordered[-1]
    return SpreadStats(mean, stdev, today, (today[1] - mean) / stdev if stdev else None)


# Date ticks as each language writes them (no English month names under a Chinese chart).
_DATE_FORMATS: dict[Language, dict[str, list[str]]] = {
    Language.EN: {},
    Language.ZH: {
        "formats": ["%Y年", "%-m月", "%-d日", "%H:%M", "%H:%M", "%S.%f"],
        "zero_formats": ["", "%Y年", "%-m月", "%-m月%-d日", "%H:%M", "%H:%M"],
    },
}


def _wrapped(canvas: Canvas, text: str, size_px: float, width_px: float, bold=False) -> str:
    return "\n".join(canvas.wrap(text, canvas.font(size_px, bold=bold), width_px))


def divergence_chart_png(
    series_a: Sequence[Point],
    series_b: Sequence[Point],
    spreads_bps: Sequence[Point],
    *,
    label_a: str,
    label_b: str,
    title: str | None = None,
    footer: str | None = None,
    layout: ChartLayout = LAYOUT,
    language: Language = Language.EN,
) -> bytes:
    """Return a PNG: both series rebased to 100, and the spread with ±1σ/±2σ bands, today marked."""
    say = translator(language).gettext
    a, b = rebased(series_a), rebased(series_b)
    spread = sorted(spreads_bps)
    stats = spread_stats(spread)
    # What the bands are goes under the chart, where a line has room; the panel keeps its name.
    bands = say(
        N_("Bands: ±1σ and ±2σ around %(mean)s (σ %(sigma)s) of the %(n)s sessions before today"),
        mean=bps(stats.mean_bps, lang=language),
        sigma=bps(stats.stdev_bps, signed=False, lang=language),
        n=len(spread) - 1,
    )
    footer = f"{bands} · {footer}" if footer else bands
    measure = Canvas(layout.width_px)
    small = measure.font(layout.small_px)
    body = measure.font(layout.body_px)
    bold = measure.font(layout.body_px, bold=True)
    w_px, h_px = layout.width_px, layout.height_px
    left_px, right_px = 110, 36
    text_w = w_px - left_px - right_px

    fig = Figure(figsize=(w_px / DPI, h_px / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    title_text = (
        _wrapped(measure, title, layout.title_px, w_px - 2 * right_px, True) if title else ""
    )
    foot_text = _wrapped(measure, footer, layout.small_px, w_px - 2 * right_px) if footer else ""
    title_h = (title_text.count("\n") + 1) * 1.3 * layout.title_px + 30 if title else 20
    foot_h = (foot_text.count("\n") + 1) * 1.3 * layout.small_px + 20 if footer else 0
    axis_h = 1.3 * layout.small_px + 24  # date labels under the lower panel
    grid = fig.add_gridspec(2, 1, height_ratios=(3, 2), hspace=0.32)
    top = fig.add_subplot(grid[0])
    low = fig.add_subplot(grid[1], sharex=top)
    panel_title_h = 1.3 * layout.small_px + 16
    fig.subplots_adjust(
        left=left_px / w_px,
        right=1 - right_px / w_px,
        top=1 - (title_h + panel_title_h) / h_px,
        bottom=(foot_h + axis_h) / h_px,
    )

    top.plot([d for d, _ in a], [v for _, v in a], color=COLOR_A, lw=3, label=label_a)
    top.plot([d for d, _ in b], [v for _, v in b], color=COLOR_B, lw=3, label=label_b)
    top.axhline(100, color=MUTED, lw=1.2, ls=":")
    rebase_note = say(N_("Rebased to 100 on %(day)s"), day=session_label(a[0][0], language))
    top.set_title(rebase_note, loc="left", fontproperties=small, color=MUTED, parse_math=False)
    legend = top.legend(loc="best", framealpha=0.9, edgecolor="none", prop=body, handlelength=1.2)
    for item in legend.get_texts():
        item.set_parse_math(False)
    top.tick_params(labelbottom=False)

    days = [d for d, _ in spread]
    m, s = stats.mean_bps, stats.stdev_bps
    low.fill_between(days, m - 2 * s, m + 2 * s, color=BAND_2, alpha=0.6, lw=0)
    low.fill_between(days, m - s, m + s, color=BAND_1, alpha=0.45, lw=0)
    low.axhline(m, color=MUTED, lw=1.2, ls="--")
    low.axhline(0, color=MUTED, lw=0.8)
    low.plot(days, [v for _, v in spread], color=SPREAD, lw=2.2, marker="o", ms=4)
    today_day, today_bps = stats.today
    for ax in (top, low):
        ax.axvline(today_day, color=TODAY, lw=1.5, ls=":", zorder=1)
    low.scatter([today_day], [today_bps], s=160, color=TODAY, zorder=5)
    today_text = say(N_("today %(spread)s"), spread=bps(today_bps, lang=language))
    if stats.z_score is not None:
        today_text = f"{today_text}, {stats.z_score:+.1f}σ"
    # Today's figure sits above the panel, right-aligned over its dot: inside the panel a
    # label hides the last weeks of the spread it is about.
    low.annotate(
        today_text,
        (1.0, 1.0),
        xycoords="axes fraction",
        xytext=(0, 8),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color=TODAY,
        fontproperties=bold,
    )
    spread_note = say(N_("Spread %(a)s − %(b)s, bps"), a=label_a, b=label_b)
    today_w = measure.width(today_text, bold) + 24
    low.set_title(
        _wrapped(measure, spread_note, layout.small_px, text_w - today_w),
        loc="left",
        fontproperties=small,
        color=MUTED,
        parse_math=False,
    )
    locator = AutoDateLocator(maxticks=layout.max_date_ticks)
    low.xaxis.set_major_locator(locator)
    # The year and month are in the footer's date; an offset label would crowd the footer.
    low.xaxis.set_major_formatter(
        ConciseDateFormatter(locator, offset_formats=[""] * 6, **_DATE_FORMATS[language])
    )
    if language is Language.ZH:
        # The spread is said in percentage points in Chinese: its axis too.
        low.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / 100:g}"))

    for ax in (top, low):
        ax.grid(True, color="#eaeef2", lw=1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(colors=MUTED, labelsize=small.get_size_in_points())
        for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
            label.set_fontproperties(small)
    low.xaxis.get_offset_text().set_fontproperties(small)
    if title:
        fig.text(
            right_px / w_px,
            1 - 20 / h_px,
            title_text,
            va="top",
            color=INK,
            fontproperties=measure.font(layout.title_px, bold=True),
            parse_math=False,
        )
    if footer:
        fig.text(
            right_px / w_px,
            14 / h_px,
            foot_text,
            va="bottom",
            color=MUTED,
            fontproperties=small,
            parse_math=False,
        )
    out = io.BytesIO()
    canvas.print_png(out, metadata={"Software": None})
    return out.getvalue()

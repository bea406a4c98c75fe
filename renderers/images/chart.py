"""Divergence charts: two series rebased to 100 above, their daily spread in bps below."""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from core.formatting import bps
from renderers.images.fonts import font_families
from renderers.images.table import DPI, INK, MUTED

Point = tuple[date, float]

COLOR_A = "#0969da"
COLOR_B = "#bf8700"
SPREAD = "#24292f"
TODAY = "#cf222e"
BAND_1 = "#54aeff"
BAND_2 = "#b6e3ff"


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
    """Mean and standard deviation of the spread over the window, and today's z-score."""

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
    """Return the spread's mean, sample standard deviation and the latest point's z-score."""
    ordered = sorted(spreads_bps)
    if len(ordered) < 2:
        raise ValueError("the spread needs at least two points for its bands")
    values = [v for _, v in ordered]
    mean, stdev = statistics.fmean(values), statistics.stdev(values)
    today = ordered[-1]
    return SpreadStats(mean, stdev, today, (today[1] - mean) / stdev if stdev else None)


def divergence_chart_png(
    series_a: Sequence[Point],
    series_b: Sequence[Point],
    spreads_bps: Sequence[Point],
    *,
    label_a: str,
    label_b: str,
    title: str | None = None,
    footer: str | None = None,
    dpi: int = DPI,
) -> bytes:
    """Return a PNG: both series rebased to 100, and the spread with ±1σ/±2σ bands, today marked."""
    a, b = rebased(series_a), rebased(series_b)
    spread = sorted(spreads_bps)
    stats = spread_stats(spread)
    families = font_families()
    small = FontProperties(family=families, size=8.5)
    body = FontProperties(family=families, size=10)

    fig = Figure(figsize=(8.0, 5.6), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 1, height_ratios=(3, 2), hspace=0.22)
    top = fig.add_subplot(grid[0])
    low = fig.add_subplot(grid[1], sharex=top)

    top.plot([d for d, _ in a], [v for _, v in a], color=COLOR_A, lw=1.8, label=label_a)
    top.plot([d for d, _ in b], [v for _, v in b], color=COLOR_B, lw=1.8, label=label_b)
    top.axhline(100, color=MUTED, lw=0.8, ls=":")
    top.set_title(
        f"Rebased to 100 on {a[0][0].isoformat()}",
        loc="left",
        fontproperties=small,
        color=MUTED,
        parse_math=False,
    )
    legend = top.legend(loc="best", framealpha=0.9, edgecolor="none", prop=body)
    for text in legend.get_texts():
        text.set_parse_math(False)
    top.tick_params(labelbottom=False)

    days = [d for d, _ in spread]
    m, s = stats.mean_bps, stats.stdev_bps
    low.fill_between(days, m - 2 * s, m + 2 * s, color=BAND_2, alpha=0.6, lw=0, label="±2σ")
    low.fill_between(days, m - s, m + s, color=BAND_1, alpha=0.45, lw=0, label="±1σ")
    low.axhline(m, color=MUTED, lw=0.8, ls="--", label="mean")
    low.axhline(0, color=MUTED, lw=0.6)
    low.plot(days, [v for _, v in spread], color=SPREAD, lw=1.4, marker="o", ms=2.5)
    today_day, today_bps = stats.today
    low.scatter([today_day], [today_bps], s=60, color=TODAY, zorder=5)
    z_text = f", {stats.z_score:+.1f}σ" if stats.z_score is not None else ""
    low.annotate(
        f"today {bps(today_bps)}{z_text}",
        (today_day, today_bps),
        xytext=(-12, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        color=TODAY,
        fontproperties=body,
        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.9},
        zorder=6,
    )
    low.set_title(
        f"Daily spread {label_a} − {label_b} (bps): mean {bps(m)}, σ {bps(s, signed=False)}",
        loc="left",
        fontproperties=small,
        color=MUTED,
        parse_math=False,
    )
    low.set_ylabel("bps", fontproperties=small, color=MUTED)
    low.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        prop=small,
        ncols=3,
        borderaxespad=0.1,
    )
    locator = AutoDateLocator()
    low.xaxis.set_major_locator(locator)
    low.xaxis.set_major_formatter(ConciseDateFormatter(locator))

    for ax in (top, low):
        ax.grid(True, color="#eaeef2", lw=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(colors=MUTED, labelsize=8)
    if title:
        fig.suptitle(
            title,
            x=0.1,
            ha="left",
            color=INK,
            fontproperties=FontProperties(family=families, size=13, weight="bold"),
            parse_math=False,
        )
    if footer:
        fig.text(0.1, 0.015, footer, color=MUTED, fontproperties=small, parse_math=False)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.9 if title else 0.96, bottom=0.11)

    out = io.BytesIO()
    canvas.print_png(out, metadata={"Software": None})
    return out.getvalue()

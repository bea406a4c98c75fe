"""Time image rendering: the dashboard, a table PNG, a divergence chart PNG, and a cache hit.

Run: ``.venv/bin/python benchmarks/render.py``. The last line is one JSON object with the medians.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from core.analysis.build import build_report
from core.demo import demo_snapshot
from core.report import Cell, Table, Unit, pct, text
from renderers.images import cached_table_png, dashboard_png, divergence_chart_png, table_png
from renderers.images.cache import ImageCache

TABLE = Table(
    ("Index", "Close", "Change", "Session"),
    tuple(
        (text(name), Cell(close, Unit.POINTS), pct(change), Cell(date(2026, 3, 20), Unit.DATE))
        for name, close, change in (
            ("上证指数 (SSE)", 4006.55, -1.39),
            ("深证成指 (SZSE)", 13901.57, -2.02),
            ("创业板指 (ChiNext)", 3309.10, -1.11),
            ("HSI", 25500.58, -2.02),
            ("S&P 500", 6606.49, 0.59),
        )
    ),
)
DAYS = [date(2026, 1, 2) + timedelta(days=i) for i in range(60)]
SERIES_A = [(d, 6500.0 * (1 + 0.001 * i)) for i, d in enumerate(DAYS)]
SERIES_B = [(d, 25000.0 * (1 - 0.0015 * i + 0.004 * (i % 5))) for i, d in enumerate(DAYS)]
SPREADS = [(d, 40.0 * ((i % 7) - 3)) for i, d in enumerate(DAYS)]


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Return the median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print each median and then the JSON summary line."""
    table_png(TABLE, title="warm-up")  # font discovery and caches, not part of a render
    table_ms = median_ms(lambda: table_png(TABLE, title="A-shares", footer="as of …"), 20)
    chart_ms = median_ms(
        lambda: divergence_chart_png(
            SERIES_A, SERIES_B, SPREADS, label_a="S&P 500", label_b="HSI", title="S&P 500 vs HSI"
        ),
        10,
    )
    report = build_report(demo_snapshot())
    dashboard_ms = median_ms(lambda: dashboard_png(report), 10)
    cache = ImageCache()
    cached_table_png(TABLE, title="A-shares", cache=cache)
    hit_ms = median_ms(lambda: cached_table_png(TABLE, title="A-shares", cache=cache), 500)
    print(f"dashboard median:  {dashboard_ms:8.2f} ms (10 runs)")
    print(f"table_png median:  {table_ms:8.2f} ms (20 runs)")
    print(f"chart_png median:  {chart_ms:8.2f} ms (10 runs)")
    print(f"cached hit median: {hit_ms:8.3f} ms (500 runs)")
    print(
        json.dumps(
            {
                "dashboard_png_median_ms": round(dashboard_ms, 2),
                "table_png_median_ms": round(table_ms, 2),
                "chart_png_median_ms": round(chart_ms, 2),
                "cached_hit_median_ms": round(hit_ms, 4),
            }
        )
    )


if __name__ == "__main__":
    main()

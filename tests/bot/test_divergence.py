"""A pair's chart input from stored closes: the chart's bands are the report's figures."""

from __future__ import annotations

from datetime import date

import pytest

from bot.divergence import divergence_chart
from core.demo import demo_history_store
from core.live import pair_history
from renderers.images.chart import spread_stats

FRIDAY = date(2026, 3, 20)


@pytest.mark.parametrize(("a", "b"), [("HSTECH", "NASDAQ"), ("CHINEXT", "SSE")])
@pytest.mark.parametrize("days", [20, 60])
def test_the_charts_bands_and_z_score_are_the_reports(a: str, b: str, days: int) -> None:
    store = demo_history_store()
    chart = divergence_chart(store, a, b, labels=(a, b), days=days, until=FRIDAY)
    assert chart is not None
    report = pair_history(store, FRIDAY, [(a, b)], days).of(a, b)
    assert report is not None
    drawn = spread_stats(chart.spreads_bps)
    # Today and the `days` sessions before it: what the caption's text ranks today against.
    assert len(chart.spreads_bps) == days + 1
    assert drawn.today == (report.session_date, pytest.approx(report.spread_bps))
    assert drawn.mean_bps == pytest.approx(report.mean_bps)
    assert drawn.stdev_bps == pytest.approx(report.std_bps)
    assert drawn.z_score == pytest.approx(report.zscore)

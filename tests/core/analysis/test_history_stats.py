"""Spread z-score and correlation from stored closes, on series whose answer is known."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from core.analysis.history_stats import aligned_returns, spread_stats, zscore_phrase

START = date(2025, 1, 1)


def _closes_from_returns(returns: list[float], first: float = 100.0) -> dict[date, float]:
    """Return daily closes (one per calendar day) whose day-on-day returns are ``returns``."""
    closes = {START: first}
    level = first
    for n, r in enumerate(returns, start=1):
        level *= 1 + r
        closes[START + timedelta(days=n)] = level
    return closes


def _alternating(n: int, size: float) -> list[float]:
    return [size if i % 2 == 0 else -size for i in range(n)]


def test_zscore_uses_only_the_previous_window_of_spreads():
    # Older huge days sit outside the window and must not count.
    window = 60
    a_returns = [0.20] * 10 + _alternating(window, 0.01) + [0.03]
    a = _closes_from_returns(a_returns)
    b = _closes_from_returns([0.0] * len(a_returns))
    stats = spread_stats(a, b, window=window)

    # Previous 60 spreads are ±100 bps: mean 0, sample std 100·√(60/59); today is +300 bps.
    std = 100.0 * math.sqrt(window / (window - 1))
    assert stats.session_date == max(a)
    assert stats.spread_bps == pytest.approx(300.0, rel=1e-9)
    assert stats.mean_bps == pytest.approx(0.0, abs=1e-9)
    assert stats.std_bps == pytest.approx(std, rel=1e-9)
    assert stats.zscore == pytest.approx(300.0 / std, rel=1e-9)
    # B never moved, so a correlation is undefined and says so.
    assert stats.correlation is None
    assert "did not move" in stats.reason


def test_correlation_of_orthogonal_parts_is_one_over_root_two():
    window = 60
    u = _alternating(window, 0.01)  # +,-,+,-
    v = [0.01 if i % 4 < 2 else -0.01 for i in range(window)]  # +,+,-,- : orthogonal to u
    # Twenty earlier days of perfectly opposite moves must stay outside the window.
    early = _alternating(20, 0.02)
    a = _closes_from_returns(early + u)
    b = _closes_from_returns([-r for r in early] + [x + y for x, y in zip(u, v, strict=True)])
    stats = spread_stats(a, b, window=window)
    assert stats.correlation == pytest.approx(1 / math.sqrt(2), rel=1e-9)
    assert stats.aligned_sessions == window + 20


@pytest.mark.parametrize("scale, expected", [(0.5, 1.0), (-2.0, -1.0)])
def test_proportional_moves_are_perfectly_correlated(scale, expected):
    returns = [0.01 * math.sin(i) for i in range(1, 40)]
    a = _closes_from_returns(returns)
    b = _closes_from_returns([scale * r for r in returns])
    assert spread_stats(a, b, window=30).correlation == pytest.approx(expected, rel=1e-9)


def test_each_leg_returns_over_its_own_previous_trading_day():
    mon, tue, wed, thu, fri = (date(2026, 3, 16) + timedelta(days=n) for n in range(5))
    a = {mon: 100.0, tue: 101.0, wed: 102.0, thu: 103.0, fri: 104.0}
    b = [(mon, 50.0), (tue, 51.0), (thu, 49.0), (fri, 50.0)]  # B closed on Wednesday
    returns = aligned_returns(a, b)
    assert [ts.date() for ts in returns.index] == [tue, thu, fri]
    thursday = returns.loc[str(thu)]
    assert thursday["a"] == pytest.approx(103.0 / 102.0 - 1)
    assert thursday["b"] == pytest.approx(49.0 / 51.0 - 1)  # vs Tuesday, nothing filled in
    stats = spread_stats(a, b, window=2)
    assert stats.session_date == fri
    assert stats.spread_bps == pytest.approx(((104 / 103 - 1) - (50 / 49 - 1)) * 10_000)


def test_a_missing_close_leaves_its_day_and_the_next_unaligned():
    days = [date(2026, 3, 16) + timedelta(days=n) for n in range(5)]
    a = dict(zip(days, [100.0, 101.0, None, 103.0, 104.0], strict=True))
    b = dict(zip(days, [50.0, 51.0, 52.0, 53.0, 54.0], strict=True))
    returns = aligned_returns(a, b)
    assert [ts.date() for ts in returns.index] == [days[1], days[4]]


def test_unordered_input_is_sorted_by_date():
    a = _closes_from_returns([0.01, -0.02, 0.03])
    b = _closes_from_returns([0.0, 0.01, 0.0])
    forward = spread_stats(a, b, window=2)
    backward = spread_stats(list(reversed(a.items())), list(b.items()), window=2)
    assert backward == forward


@pytest.mark.parametrize(
    "returns_count, has_z, has_corr",
    [(4, False, False), (5, False, True), (6, True, True)],
)
def test_too_short_history_gives_none_with_a_reason(returns_count, has_z, has_corr):
    window = 5
    pattern = [0.01, -0.02, 0.015, 0.0, -0.005, 0.02]
    a = _closes_from_returns(pattern[:returns_count])
    b = _closes_from_returns(
        [r / 3 + 0.001 * (i % 2) for i, r in enumerate(pattern)][:returns_count]
    )
    stats = spread_stats(a, b, window=window)
    assert stats.spread_bps is not None
    assert (stats.zscore is not None) is has_z
    assert (stats.correlation is not None) is has_corr
    if not has_z:
        assert f"z-score needs {window + 1} aligned sessions, have {returns_count}" in stats.reason
    if not has_corr:
        assert f"correlation needs {window} aligned sessions" in stats.reason
    if has_z and has_corr:
        assert stats.reason is None


def test_a_constant_spread_has_no_zscore():
    returns = [0.01 * math.cos(i) for i in range(10)]
    a = _closes_from_returns(returns)
    stats = spread_stats(a, dict(a), window=5)
    assert stats.spread_bps == 0.0
    assert stats.zscore is None
    assert "did not vary" in stats.reason
    assert stats.correlation == pytest.approx(1.0)


def test_no_common_dates_gives_no_figures():
    a = _closes_from_returns([0.01, 0.02])
    b = {day + timedelta(days=100): close for day, close in a.items()}
    stats = spread_stats(a, b)
    assert (stats.session_date, stats.spread_bps, stats.aligned_sessions) == (None, None, 0)
    assert stats.reason == "no aligned sessions"


@pytest.mark.parametrize(
    "closes, message",
    [
        ([(START, 1.0), (START, 2.0)], "same date"),
        ([(START, 1.0), (START + timedelta(days=1), 0.0)], "positive"),
    ],
)
def test_invalid_series_are_refused(closes, message):
    with pytest.raises(ValueError, match=message):
        spread_stats(closes, closes)


@pytest.mark.parametrize(
    "zscore, threshold, phrase",
    [
        (2.8, 2.0, "a 2.8σ move"),
        (-2.84, 2.0, "a 2.8σ move"),
        (2.0, 2.0, "a 2.0σ move"),
        (1.99, 2.0, "an ordinary day"),
        (2.8, 3.0, "an ordinary day"),
        (8.1, 2.0, "an 8.1σ move"),
        (11.4, 2.0, "an 11.4σ move"),
        (None, 2.0, "a move without enough history to rank"),
    ],
)
def test_zscore_phrase(zscore, threshold, phrase):
    assert zscore_phrase(zscore, threshold) == phrase


def test_configured_window_and_threshold(settings):
    history = settings.history
    n = history.window_sessions
    a = _closes_from_returns([*_alternating(n, 0.01), 0.05])
    b = _closes_from_returns([0.0] * (n + 1))
    stats = spread_stats(a, b, window=n)
    assert stats.window == n
    assert abs(stats.zscore) >= history.unusual_zscore
    assert zscore_phrase(stats.zscore, history.unusual_zscore).endswith("σ move")

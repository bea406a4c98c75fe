"""A pair's chart input from stored closes: both legs' levels and their aligned daily spread.

The spread's statistics (z-score, mean, σ, correlation) are not computed here: the report
takes them from ``core.live.pair_history`` into the report's facts, as every front end
does. Only the series a chat platform draws are read here.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.analysis.history_stats import aligned_returns
from core.errors import HistoryError
from core.history import HistoryStore
from renderers.images import DivergenceHistory

# Calendar days read back per session wanted: weekends and two markets' holidays leave gaps.
_DAYS_PER_SESSION = 3
MIN_CHART_POINTS = 3


def divergence_chart(
    store: HistoryStore,
    a: str,
    b: str,
    *,
    labels: tuple[str, str],
    days: int,
    until: date,
) -> DivergenceHistory | None:
    """Return the last ``days`` aligned sessions of A and B to draw, or None with too few."""
    since = until - timedelta(days=(days + 1) * _DAYS_PER_SESSION)
    try:
        stored = {key: store.closes(key, since, until) for key in (a, b)}
    except HistoryError:
        return None  # the report already says why the spread is not ranked
    closes = {
        key: {c.session_date: c.close for c in rows if c.close > 0} for key, rows in stored.items()
    }
    if not closes[a] or not closes[b]:
        return None
    # The previous `days` sessions and today: the bands are drawn from the sessions before
    # today, as the report ranks today against them.
    returns = aligned_returns(closes[a], closes[b]).tail(days + 1)
    if len(returns) < MIN_CHART_POINTS:
        return None
    spreads = tuple(
        (stamp.date(), float((row.a - row.b) * 10_000.0)) for stamp, row in returns.iterrows()
    )
    start = spreads[0][0]
    sources = tuple(
        dict.fromkeys(c.source for key in (a, b) for c in stored[key] if c.session_date >= start)
    )
    return DivergenceHistory(
        labels[0],
        labels[1],
        tuple((d, v) for d, v in sorted(closes[a].items()) if d >= start),
        tuple((d, v) for d, v in sorted(closes[b].items()) if d >= start),
        spreads,
        sources,
    )

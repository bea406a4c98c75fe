"""A pair's spread history from stored closes: the chart's series and today's z-score."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.analysis.history_stats import SpreadStats, aligned_returns, spread_stats, zscore_phrase
from core.formatting import bps
from core.history import HistoryStore
from core.report import Paragraph, Section
from renderers.images import DivergenceHistory

# Calendar days fetched per requested session: weekends and holidays leave gaps.
_CALENDAR_PER_SESSION = 1.6
MIN_CHART_POINTS = 3


@dataclass(frozen=True)
class PairHistory:
    """What stored history says about a pair: chart data and spread statistics."""

    chart: DivergenceHistory
    stats: SpreadStats


def pair_history(
    store: HistoryStore,
    a: str,
    b: str,
    *,
    labels: tuple[str, str],
    days: int,
    until: date,
) -> PairHistory | None:
    """Return the last ``days`` aligned sessions of A and B, or None with too few of them."""
    since = until - timedelta(days=int(days * _CALENDAR_PER_SESSION) + 10)
    closes_a = {c.session_date: c.close for c in store.closes(a, since, until)}
    closes_b = {c.session_date: c.close for c in store.closes(b, since, until)}
    if not closes_a or not closes_b:
        return None
    returns = aligned_returns(closes_a, closes_b).tail(days)
    if len(returns) < MIN_CHART_POINTS:
        return None
    spreads = tuple(
        (stamp.date(), float((row.a - row.b) * 10_000.0)) for stamp, row in returns.iterrows()
    )
    start = spreads[0][0]
    sources = tuple(
        dict.fromkeys(c.source for key in (a, b) for c in store.closes(key, start, until))
    )
    chart = DivergenceHistory(
        labels[0],
        labels[1],
        tuple((d, v) for d, v in sorted(closes_a.items()) if d >= start),
        tuple((d, v) for d, v in sorted(closes_b.items()) if d >= start),
        spreads,
        sources,
    )
    window = min(days, len(returns) - 1)
    stats = spread_stats(closes_a, closes_b, window=max(window, 2))
    return PairHistory(chart, stats)


def with_stats(section: Section, history: PairHistory) -> Section:
    """Return the pair's section with a sentence on the spread against its own history."""
    s = history.stats
    if s.zscore is None or s.mean_bps is None or s.std_bps is None:
        sentence = (
            f"Stored history: {s.aligned_sessions} aligned sessions; "
            f"no z-score ({s.reason or 'not enough history'})."
        )
    else:
        sentence = (
            f"Against the previous {s.window} aligned sessions (mean {bps(s.mean_bps)}, "
            f"standard deviation {bps(s.std_bps, signed=False)}), the latest spread of "
            f"{bps(s.spread_bps)} has a z-score of {s.zscore:+.2f}: {zscore_phrase(s.zscore)}."
        )
    return replace(section, blocks=(*section.blocks, Paragraph(sentence)))

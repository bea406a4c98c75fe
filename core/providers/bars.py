"""Daily bars: one bar per session date, and the previous close taken from an earlier session.

Sources sometimes repeat the latest session (Yahoo returns today's bar twice, yfinance PRs
#1070 and #2389), so "the bar before the last" can be the same session again. Every kline
source reads its latest close and previous close through :func:`latest_and_previous`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple, Protocol, TypeVar

from core.snapshot import IndexQuote


class DatedBar(Protocol):
    """A daily bar: the session it belongs to and its close."""

    @property
    def session_date(self) -> date: ...

    @property
    def close(self) -> float: ...


class DailyBar(NamedTuple):
    """A plain daily bar for sources whose rows carry only a date and a close."""

    session_date: date
    close: float


B = TypeVar("B", bound=DatedBar)


def session_bars(bars: Iterable[B]) -> list[B]:
    """Return one bar per session date, oldest first; of repeated dates the last one wins."""
    by_session: dict[date, B] = {}
    for bar in bars:
        by_session.pop(bar.session_date, None)
        by_session[bar.session_date] = bar
    return sorted(by_session.values(), key=lambda b: b.session_date)


def latest_and_previous(bars: Iterable[B]) -> tuple[B, B | None]:
    """Return the latest session's bar and the bar of the session before it (None if none).

    The previous bar is always from an earlier session date, never a repeat of the latest.
    Raise ValueError when there is no bar at all.
    """
    unique = session_bars(bars)
    if not unique:
        raise ValueError("no bars")
    return unique[-1], (unique[-2] if len(unique) > 1 else None)


def bar_quote(
    instrument: str,
    source: str,
    last: DatedBar,
    previous_close: float | None,
    fetched_at: datetime,
) -> IndexQuote:
    """Return the IndexQuote of an index's latest daily bar (its change follows from the closes)."""
    return IndexQuote(
        instrument=instrument,
        session_date=last.session_date,
        source=source,
        close=last.close,
        previous_close=previous_close,
        fetched_at=fetched_at,
    )

"""DailyClose: one instrument's closing level for one session, as stored."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from core.snapshot import MarketSnapshot


@dataclass(frozen=True)
class DailyClose:
    """Close of one instrument for one session, with the source it came from."""

    instrument: str
    session_date: date
    close: float
    source: str

    def __post_init__(self) -> None:
        # A missing close is not stored at all: a stored zero or NaN would read as a figure.
        if not self.instrument:
            raise ValueError("a daily close needs an instrument")
        close = self.close
        if (
            isinstance(close, bool)
            or not isinstance(close, int | float)
            or not math.isfinite(close)
        ):
            raise ValueError(f"{self.instrument} {self.session_date}: close {self.close!r}")


def closes_from_snapshot(snapshot: MarketSnapshot) -> tuple[DailyClose, ...]:
    """Return the closes a snapshot carries (index closes, crypto spot at window end)."""
    records = [
        DailyClose(q.instrument, q.session_date, q.close, q.source)
        for q in snapshot.indexes
        if q.close is not None
    ]
    records += [
        DailyClose(q.instrument, q.session_date, q.price_usd, q.source)
        for q in snapshot.crypto
        if q.price_usd is not None
    ]
    return tuple(records)

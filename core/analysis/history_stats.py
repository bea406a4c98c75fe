"""Today's spread between two instruments against their own history: z-score and correlation.

Each leg's return is taken over its own previous trading day, then the two return series are
joined on the dates both traded. Nothing is forward-filled: a date one market was closed (or a
close that is missing) simply has no aligned observation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from core.phrase import Phrase, listing, say

CloseSeries = Mapping[date, float | None] | Iterable[tuple[date, float | None]]


@dataclass(frozen=True)
class SpreadStats:
    """Latest aligned spread A minus B in bps, its z-score and the returns' correlation.

    ``zscore`` compares today's spread with the ``window`` aligned spreads before it (sample
    standard deviation); ``correlation`` is over the latest ``window`` aligned returns,
    today included. A figure that cannot be computed is None and ``reason`` says why.
    """

    session_date: date | None
    spread_bps: float | None
    zscore: float | None
    mean_bps: float | None
    std_bps: float | None
    correlation: float | None
    window: int
    aligned_sessions: int
    reason: str | None = None


def _series(closes: CloseSeries, name: str) -> pd.Series:
    pairs = list(closes.items()) if isinstance(closes, Mapping) else list(closes)
    days = [day for day, _ in pairs]
    if len(set(days)) != len(days):
        raise ValueError(f"{name}: more than one close for the same date")
    values = [math.nan if close is None else float(close) for _, close in pairs]
    if any(v <= 0 for v in values if not math.isnan(v)):
        raise ValueError(f"{name}: closes must be positive")
    index = pd.DatetimeIndex(pd.to_datetime(days), name="session_date")
    return pd.Series(values, index=index, name=name, dtype="float64").sort_index()


def _returns(closes: pd.Series) -> pd.Series:
    # Against the previous row, i.e. the leg's own previous trading day; a missing close
    # leaves that day's and the next day's return unknown instead of spanning the gap.
    return closes / closes.shift(1) - 1.0


def aligned_returns(a: CloseSeries, b: CloseSeries) -> pd.DataFrame:
    """Return daily returns of A and B (fractions) on the dates both have one, oldest first."""
    returns_a = _returns(_series(a, "a"))
    returns_b = _returns(_series(b, "b"))
    joined = pd.concat([returns_a, returns_b], axis=1, join="inner")
    return joined.dropna()


def spread_stats(a: CloseSeries, b: CloseSeries, window: int = 60) -> SpreadStats:
    """Return the latest aligned spread of A minus B in bps with its z-score and correlation."""
    if window < 2:
        raise ValueError(f"window must be at least 2 sessions, got {window}")
    returns = aligned_returns(a, b)
    aligned = len(returns)
    if aligned == 0:
        return SpreadStats(
            None, None, None, None, None, None, window, 0, say("no aligned sessions")
        )
    spreads = (returns["a"] - returns["b"]) * 10_000.0
    today = float(spreads.iloc[-1])
    reasons: list[Phrase] = []

    zscore = mean = std = None
    if aligned < window + 1:
        reasons.append(
            say(
                "z-score needs %(needed)s aligned sessions, have %(have)s",
                needed=window + 1,
                have=aligned,
            )
        )
    else:
        previous = spreads.iloc[-window - 1 : -1]
        mean, std = float(previous.mean()), float(previous.std(ddof=1))
        if std > 0:
            zscore = (today - mean) / std
        else:
            reasons.append(
                say("the spread did not vary over the previous %(window)s sessions", window=window)
            )

    correlation = None
    if aligned < window:
        reasons.append(
            say(
                "correlation needs %(needed)s aligned sessions, have %(have)s",
                needed=window,
                have=aligned,
            )
        )
    else:
        value = returns["a"].rolling(window).corr(returns["b"]).iloc[-1]
        if math.isfinite(value):
            correlation = float(value)
        else:
            reasons.append(
                say("a leg did not move over the last %(window)s sessions", window=window)
            )

    return SpreadStats(
        session_date=returns.index[-1].date(),
        spread_bps=today,
        zscore=zscore,
        mean_bps=mean,
        std_bps=std,
        correlation=correlation,
        window=window,
        aligned_sessions=aligned,
        reason=listing(reasons, "semicolon") if reasons else None,
    )


@dataclass(frozen=True)
class SpreadHistory:
    """Spread statistics per pair of instrument keys (A, B), or why there is no history."""

    pairs: Mapping[tuple[str, str], SpreadStats] = field(default_factory=dict)
    unavailable: str | None = None

    def of(self, a: str, b: str) -> SpreadStats | None:
        """Return the statistics of the pair A minus B, if they were computed."""
        return self.pairs.get((a, b))


def spread_history(
    closes: Mapping[str, CloseSeries], pairs: Iterable[tuple[str, str]], window: int = 60
) -> SpreadHistory:
    """Return the spread statistics of each pair from each instrument's stored closes."""
    empty: list[tuple[date, float | None]] = []
    return SpreadHistory(
        {(a, b): spread_stats(closes.get(a, empty), closes.get(b, empty), window) for a, b in pairs}
    )


def _article(magnitude_text: str) -> str:
    whole = magnitude_text.split(".")[0]
    # "an" before numbers read with a leading vowel sound: 8, 11, 18, 80-89, 800...
    return "an" if whole.startswith("8") or whole in ("11", "18") else "a"


def zscore_phrase(zscore: float | None, threshold: float = 2.0) -> Phrase:
    """Return ``a 2.8σ move`` when |z| reaches the threshold, else ``an ordinary day``."""
    if zscore is None:
        return say("a move without enough history to rank")
    if abs(zscore) < threshold:
        return say("an ordinary day")
    magnitude = f"{abs(zscore):.1f}"
    if _article(magnitude) == "an":
        return say("an %(z)sσ move", z=magnitude)
    return say("a %(z)sσ move", z=magnitude)

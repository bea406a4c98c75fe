"""Scored evidence shared by the insight, flow, risk and action builders.

A score is a magnitude divided by its configured threshold, so 1.0 means "just reached the
threshold" whatever the unit (percent, bps, USD); that makes unlike signals comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.analysis.facts import BreadthFacts, ChainLink, Facts
from core.analysis.signals import Divergence, MarketMove, Signal, signal_bounds
from core.instruments import market_keys, round_the_clock
from core.settings import BreadthSettings, SignalThresholds

# The markets with exchange sessions, in configured order.
EQUITY_MARKETS = tuple(k for k in market_keys() if not round_the_clock(k))


def ratio(magnitude: float, threshold: float) -> float:
    """Return |magnitude| as a multiple of a (positive) threshold."""
    return abs(magnitude) / threshold if threshold > 0 else float("inf")


def strong_threshold(market: str, s: SignalThresholds) -> float:
    """Return the percent move that makes this market strongly risk-on/off."""
    return signal_bounds(market, s)[1]


def market_score(mm: MarketMove, s: SignalThresholds) -> float | None:
    """Return a market's mean move as a multiple of its strong-move threshold."""
    if mm.mean_change_pct is None:
        return None
    return ratio(mm.mean_change_pct, strong_threshold(mm.market, s))


def link_score(facts: Facts, link: ChainLink) -> float | None:
    """Return how clearly a chain link broke: the weaker leg's move over its risk-on bound."""
    if link.status != "breaks":
        return None
    s = facts.settings.signal
    legs = [facts.markets[link.source], facts.markets[link.target]]
    return min(ratio(m.mean_change_pct, signal_bounds(m.market, s)[0]) for m in legs)


def divergence_score(div: Divergence, major_bps: float) -> float | None:
    """Return a spread as a multiple of the major-divergence threshold."""
    return None if div.spread_bps is None else ratio(div.spread_bps, major_bps)


def breadth_state(b: BreadthFacts, s: BreadthSettings) -> str:
    """Return ``weak``, ``strong`` or ``normal`` for an advance rate."""
    if b.advance_rate_pct <= s.weak_pct:
        return "weak"
    if b.advance_rate_pct >= s.strong_pct:
        return "strong"
    return "normal"


def breadth_score(b: BreadthFacts, s: BreadthSettings) -> float:
    """Return the advance rate's distance from 50 % over the distance of its configured bound."""
    if b.advance_rate_pct < 50:
        return ratio(50 - b.advance_rate_pct, 50 - s.weak_pct)
    return ratio(b.advance_rate_pct - 50, s.strong_pct - 50)


def stablecoin_net(facts: Facts) -> float | None:
    """Return the net 1-day stablecoin supply change in USD, or None."""
    return None if facts.stablecoins is None else facts.stablecoins.net_change_usd


def stablecoin_direction(facts: Facts) -> int | None:
    """Return +1 / -1 when the net change reaches the flow threshold, 0 below it, None unknown."""
    net = stablecoin_net(facts)
    if net is None:
        return None
    if abs(net) < facts.settings.defi.stablecoin_flow_usd:
        return 0
    return 1 if net > 0 else -1


@dataclass(frozen=True)
class Regime:
    """Markets grouped by the sign of their signal."""

    on: tuple[MarketMove, ...]
    off: tuple[MarketMove, ...]
    neutral: tuple[MarketMove, ...]
    unknown: tuple[MarketMove, ...]

    @property
    def known(self) -> int:
        """Return how many markets have a signal."""
        return len(self.on) + len(self.off) + len(self.neutral)

    @property
    def lean(self) -> int:
        """Return +1 when risk-on markets outnumber risk-off ones, -1 for the reverse, else 0."""
        return (len(self.on) > len(self.off)) - (len(self.off) > len(self.on))


def regime(facts: Facts) -> Regime:
    """Return the markets grouped into risk-on, risk-off, neutral and without data."""
    moves = tuple(facts.markets.values())
    return Regime(
        on=tuple(m for m in moves if m.signal.sign == 1),
        off=tuple(m for m in moves if m.signal.sign == -1),
        neutral=tuple(m for m in moves if m.signal.sign == 0),
        unknown=tuple(m for m in moves if m.signal is Signal.UNKNOWN),
    )


def older_than(move: MarketMove, reference: date | None) -> bool:
    """Return True when a market's figures come from a session before ``reference``."""
    return move.session_date is not None and reference is not None and move.session_date < reference

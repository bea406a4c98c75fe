"""Per-instrument and per-market moves, risk signals and pairwise divergences in bps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.instruments import InstrumentRegistry, round_the_clock
from core.settings import DivergenceSettings, SignalThresholds
from core.snapshot import MarketSnapshot


class Signal(StrEnum):
    """Risk-appetite reading of a market's move."""

    STRONG_RISK_ON = "strong risk-on"
    RISK_ON = "risk-on"
    NEUTRAL = "neutral"
    RISK_OFF = "risk-off"
    STRONG_RISK_OFF = "strong risk-off"
    UNKNOWN = "no data"

    @property
    def sign(self) -> int | None:
        """Return +1 for risk-on, -1 for risk-off, 0 for neutral, None without data."""
        return {
            Signal.STRONG_RISK_ON: 1,
            Signal.RISK_ON: 1,
            Signal.NEUTRAL: 0,
            Signal.RISK_OFF: -1,
            Signal.STRONG_RISK_OFF: -1,
        }.get(self)


def classify(change_pct: float | None, risk_on_pct: float, strong_pct: float) -> Signal:
    """Map a percent move to a Signal with symmetric thresholds."""
    if change_pct is None:
        return Signal.UNKNOWN
    if change_pct >= strong_pct:
        return Signal.STRONG_RISK_ON
    if change_pct >= risk_on_pct:
        return Signal.RISK_ON
    if change_pct <= -strong_pct:
        return Signal.STRONG_RISK_OFF
    if change_pct <= -risk_on_pct:
        return Signal.RISK_OFF
    return Signal.NEUTRAL


@dataclass(frozen=True)
class InstrumentMove:
    """One instrument's level and change, with the session and source they come from."""

    key: str
    display_name: str
    market: str
    change_pct: float | None
    level: float | None
    session_date: date | None
    source: str | None

    @property
    def known(self) -> bool:
        """Return True when the change is known."""
        return self.change_pct is not None


@dataclass(frozen=True)
class MarketMove:
    """A market's instruments, their mean change and the signal it gives."""

    market: str
    name: str
    moves: tuple[InstrumentMove, ...]
    mean_change_pct: float | None
    signal: Signal

    @property
    def known_moves(self) -> tuple[InstrumentMove, ...]:
        """Return the instruments whose change is known."""
        return tuple(m for m in self.moves if m.known)

    @property
    def missing(self) -> tuple[str, ...]:
        """Return display names of instruments without a change."""
        return tuple(m.display_name for m in self.moves if not m.known)

    @property
    def session_date(self) -> date | None:
        """Return the latest session date among the market's known quotes."""
        dates = [m.session_date for m in self.known_moves if m.session_date]
        return max(dates) if dates else None

    @property
    def session_dates(self) -> tuple[date, ...]:
        """Return the distinct session dates of the market's quotes, oldest first."""
        return tuple(sorted({m.session_date for m in self.known_moves if m.session_date}))

    @property
    def sources(self) -> tuple[str, ...]:
        """Return the distinct sources of the market's quotes."""
        return tuple(dict.fromkeys(m.source for m in self.known_moves if m.source))

    def best(self) -> InstrumentMove | None:
        """Return the instrument with the highest change."""
        known = self.known_moves
        return max(known, key=lambda m: m.change_pct) if known else None

    def worst(self) -> InstrumentMove | None:
        """Return the instrument with the lowest change."""
        known = self.known_moves
        return min(known, key=lambda m: m.change_pct) if known else None


def instrument_move(
    snapshot: MarketSnapshot, registry: InstrumentRegistry, key: str
) -> InstrumentMove:
    """Return the move of one instrument (index or crypto); unknown figures stay None."""
    inst = registry.get(key)
    if inst.kind == "crypto":
        cq = snapshot.crypto_quote(key)
        if cq is None:
            return InstrumentMove(key, inst.display_name, inst.market, None, None, None, None)
        return InstrumentMove(
            key,
            inst.display_name,
            inst.market,
            cq.change_24h_pct,
            cq.price_usd,
            cq.session_date,
            cq.source,
        )
    iq = snapshot.index(key)
    if iq is None:
        return InstrumentMove(key, inst.display_name, inst.market, None, None, None, None)
    return InstrumentMove(
        key, inst.display_name, inst.market, iq.change_pct, iq.close, iq.session_date, iq.source
    )


def signal_bounds(market: str, thresholds: SignalThresholds) -> tuple[float, float]:
    """Return a market's (risk-on, strong) percent bounds: crypto's for 24/7 markets."""
    if round_the_clock(market):
        return thresholds.crypto_risk_on_pct, thresholds.crypto_strong_pct
    return thresholds.equity_risk_on_pct, thresholds.equity_strong_pct


def market_move(
    snapshot: MarketSnapshot,
    registry: InstrumentRegistry,
    market: str,
    thresholds: SignalThresholds,
) -> MarketMove:
    """Return a market's moves, their mean change and its risk signal."""
    moves = tuple(instrument_move(snapshot, registry, i.key) for i in registry.in_market(market))
    known = [m.change_pct for m in moves if m.change_pct is not None]
    mean = sum(known) / len(known) if known else None
    signal = classify(mean, *signal_bounds(market, thresholds))
    return MarketMove(market, registry.markets[market].name, moves, mean, signal)


class DivergenceLevel(StrEnum):
    """How large a spread is against the configured thresholds."""

    MAJOR = "major"
    NOTABLE = "notable"
    ORDINARY = "ordinary"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Divergence:
    """Spread A minus B in basis points between two instruments' moves."""

    a: InstrumentMove
    b: InstrumentMove
    spread_bps: float | None
    level: DivergenceLevel

    @property
    def same_session(self) -> bool:
        """Return True when both legs come from the same session date."""
        return self.a.session_date == self.b.session_date

    @property
    def opposite_directions(self) -> bool:
        """Return True when the two legs moved in opposite directions."""
        if self.a.change_pct is None or self.b.change_pct is None:
            return False
        return self.a.change_pct * self.b.change_pct < 0


def spread_bps(change_a_pct: float, change_b_pct: float) -> float:
    """Return A minus B in basis points (1 % = 100 bps)."""
    return (change_a_pct - change_b_pct) * 100.0


def divergence(
    snapshot: MarketSnapshot,
    registry: InstrumentRegistry,
    a: str,
    b: str,
    settings: DivergenceSettings,
) -> Divergence:
    """Return the divergence of two instruments (names may be aliases)."""
    move_a = instrument_move(snapshot, registry, registry.resolve(a).key)
    move_b = instrument_move(snapshot, registry, registry.resolve(b).key)
    if move_a.change_pct is None or move_b.change_pct is None:
        return Divergence(move_a, move_b, None, DivergenceLevel.UNKNOWN)
    spread = spread_bps(move_a.change_pct, move_b.change_pct)
    if abs(spread) >= settings.major_bps:
        level = DivergenceLevel.MAJOR
    elif abs(spread) >= settings.notable_bps:
        level = DivergenceLevel.NOTABLE
    else:
        level = DivergenceLevel.ORDINARY
    return Divergence(move_a, move_b, spread, level)

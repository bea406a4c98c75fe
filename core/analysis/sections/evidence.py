"""Scored evidence and dated phrases shared by the insight, flow, risk and action builders.

A score is a magnitude divided by its configured threshold, so 1.0 means "just reached the
threshold" whatever the unit (percent, bps, USD); that makes unlike signals comparable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.analysis.facts import BreadthFacts, ChainLink, Facts
from core.analysis.signals import Divergence, InstrumentMove, MarketMove, Signal
from core.analysis.wording import market_label, missing_text, move_text, session_tag
from core.formatting import compact_money, session_label, signed_pct
from core.settings import BreadthSettings, SignalThresholds

EQUITY_MARKETS = ("US", "HK", "CN")

# Labels used in Section.missing, so every builder names a missing input the same way.
BREADTH_LABEL = "A-share breadth"
STABLECOIN_LABEL = "Stablecoin supply"
NORTHBOUND_LABEL = "Northbound flow"
DEFI_LABEL = "DeFi TVL"


def ratio(magnitude: float, threshold: float) -> float:
    """Return |magnitude| as a multiple of a (positive) threshold."""
    return abs(magnitude) / threshold if threshold > 0 else float("inf")


def when(move: InstrumentMove | MarketMove, report_date: date) -> str:
    """Return ``session Fri 2026-03-20``, ``last session …`` or ``24 h to …`` for a move."""
    if move.market == "CRYPTO":
        day = move.session_date
        return f"24 h to {session_label(day)}" if day else "24 h, date unknown"
    return session_tag(move.session_date, report_date)


def dated_move(move: InstrumentMove, report_date: date) -> str:
    """Return ``HSI -2.02% (session Fri 2026-03-20)``."""
    return f"{move_text(move)} ({when(move, report_date)})"


def market_moves(mm: MarketMove, report_date: date) -> str:
    """Return the known moves of a market, each dated when its quotes span sessions."""
    if len(mm.session_dates) > 1:
        return ", ".join(dated_move(m, report_date) for m in mm.known_moves)
    return ", ".join(move_text(m) for m in mm.known_moves)


def market_summary(mm: MarketMove, report_date: date) -> str:
    """Return ``Hong Kong (session Fri 2026-03-20) averaged -1.93% (HSI -2.02%, …)``."""
    return (
        f"{market_label(mm, report_date)} averaged {signed_pct(mm.mean_change_pct)} "
        f"({market_moves(mm, report_date)})"
    )


def strong_threshold(market: str, s: SignalThresholds) -> float:
    """Return the percent move that makes this market strongly risk-on/off."""
    return s.crypto_strong_pct if market == "CRYPTO" else s.equity_strong_pct


def risk_on_threshold(market: str, s: SignalThresholds) -> float:
    """Return the percent move that makes this market risk-on/off."""
    return s.crypto_risk_on_pct if market == "CRYPTO" else s.equity_risk_on_pct


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
    return min(ratio(m.mean_change_pct, risk_on_threshold(m.market, s)) for m in legs)


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


def breadth_text(b: BreadthFacts, report_date: date) -> str:
    """Return ``257 up / 2,075 down, advance rate 11.0% (session Fri 2026-03-20)``."""
    flat = f" / {b.flat:,} flat" if b.flat is not None else ""
    return (
        f"{b.up:,} up / {b.down:,} down{flat}, advance rate {b.advance_rate_pct:.1f}% "
        f"({session_tag(b.session_date, report_date)})"
    )


def stablecoin_net(facts: Facts) -> float | None:
    """Return the net 1-day stablecoin supply change in USD, or None."""
    return None if facts.stablecoins is None else facts.stablecoins.net_change_usd


def stablecoin_text(facts: Facts) -> str:
    """Return ``net -$1.20B over 1 day (USDT -0.44%, USDC -0.46%; DAI +0.28% not counted)``."""
    sc = facts.stablecoins
    if sc is None or sc.net_change_usd is None:
        return "net change unknown"
    counted = [c for c in sc.coins if c.symbol in sc.counted]
    others = [c for c in sc.coins if c.symbol not in sc.counted and c.change_pct is not None]
    parts = ", ".join(f"{c.symbol} {signed_pct(c.change_pct)}" for c in counted)
    if others:
        skipped = ", ".join(f"{c.symbol} {signed_pct(c.change_pct)}" for c in others)
        parts += f"; {skipped} not counted, no USD level"
    stamps = [c.as_of for c in counted if c.as_of is not None]
    dated = f" to {session_label(max(stamps).date())}" if stamps else ""
    return f"net {compact_money(sc.net_change_usd, signed=True)} over 1 day{dated} ({parts})"


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


def missing_markets(facts: Facts, keys: tuple[str, ...] = ()) -> list[str]:
    """Return missing-data lines for markets (all, or ``keys``) lacking some or all figures."""
    out = []
    for key, mm in facts.markets.items():
        if keys and key not in keys:
            continue
        if not mm.known_moves:
            out.append(missing_text(f"{mm.name} figures"))
        elif mm.missing:
            out.append(missing_text(f"{mm.name} figures for {', '.join(mm.missing)}"))
    return out


def missing_breadth(facts: Facts) -> list[str]:
    """Return the missing-data line for A-share breadth, if it is missing."""
    if facts.breadth is not None:
        return []
    b = facts.snapshot.breadth
    reason = None if b is None else "advancers or decliners not given"
    return [missing_text(BREADTH_LABEL, reason)]


def missing_stablecoins(facts: Facts) -> list[str]:
    """Return the missing-data line for the stablecoin net change, if it is unknown."""
    if facts.stablecoins is None:
        return [missing_text(STABLECOIN_LABEL)]
    if facts.stablecoins.net_change_usd is None:
        return [missing_text(STABLECOIN_LABEL, "no coin has a USD supply change")]
    return []


def missing_northbound(facts: Facts) -> list[str]:
    """Return the missing-data line for northbound net buying, if it is unknown."""
    nb = facts.snapshot.northbound
    if nb is not None and nb.net_buy_cny is not None:
        return []
    return [missing_text(NORTHBOUND_LABEL, nb.note if nb is not None else None)]


def missing_defi(facts: Facts) -> list[str]:
    """Return the missing-data line for DeFi TVL, if protocols were not obtained."""
    return [] if facts.defi is not None else [missing_text(DEFI_LABEL)]

"""Facts: every figure the section builders word, computed once from a snapshot."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from core.analysis.history_stats import SpreadHistory
from core.analysis.signals import (
    Divergence,
    MarketMove,
    Signal,
    divergence,
    market_move,
)
from core.analysis.timeline import Timeline, build_timeline
from core.i18n import N_
from core.instruments import InstrumentRegistry
from core.settings import AnalysisSettings, DefiSettings
from core.snapshot import DexVolume, MarketSnapshot, ProtocolTvl, StablecoinSupply

NO_HISTORY = SpreadHistory(unavailable=N_("no stored history"))


@dataclass(frozen=True)
class BreadthFacts:
    """A-share breadth with its advance rate (percent of counted stocks that rose)."""

    up: int
    down: int
    flat: int | None
    advance_rate_pct: float
    session_date: date
    source: str


@dataclass(frozen=True)
class CategoryMove:
    """TVL of one DeFi category now and its 1-day change, from protocols with known TVL."""

    category: str
    tvl_usd: float
    change_usd: float
    change_pct: float
    protocols: int


@dataclass(frozen=True)
class DefiFacts:
    """DeFi movers by protocol and by category after the TVL floor."""

    winners: tuple[ProtocolTvl, ...]
    losers: tuple[ProtocolTvl, ...]
    categories_up: tuple[CategoryMove, ...]
    categories_down: tuple[CategoryMove, ...]
    below_floor: int
    unknown_tvl: int


@dataclass(frozen=True)
class StablecoinFacts:
    """Stablecoin supplies and their summed 1-day change where both levels are known."""

    coins: tuple[StablecoinSupply, ...]
    net_change_usd: float | None
    counted: tuple[str, ...]


@dataclass(frozen=True)
class DexFacts:
    """DEX volumes: the biggest movers and the total 24 h volume where known."""

    movers: tuple[DexVolume, ...]
    total_volume_usd: float | None


@dataclass(frozen=True)
class ChainLink:
    """Transmission from a market whose session had closed to one that opened after it."""

    source: str
    target: str
    status: str  # "confirms", "breaks", "neutral", "unknown"


@dataclass(frozen=True)
class Facts:
    """The derived figures of one snapshot that every section builder reads."""

    snapshot: MarketSnapshot
    registry: InstrumentRegistry
    settings: AnalysisSettings
    markets: dict[str, MarketMove]
    divergences: tuple[Divergence, ...]
    breadth: BreadthFacts | None
    defi: DefiFacts | None
    stablecoins: StablecoinFacts | None
    dex: DexFacts | None
    chain: tuple[ChainLink, ...]
    timeline: Timeline
    history: SpreadHistory = NO_HISTORY

    @property
    def report_date(self) -> date:
        """Return the report date."""
        return self.snapshot.report_date

    def first_break(self) -> ChainLink | None:
        """Return the first link of the transmission chain that breaks, if any."""
        return next((link for link in self.chain if link.status == "breaks"), None)

    def strongest_divergence(self) -> Divergence | None:
        """Return the configured divergence with the largest absolute spread."""
        known = [d for d in self.divergences if d.spread_bps is not None]
        return max(known, key=lambda d: abs(d.spread_bps)) if known else None


def breadth_facts(snapshot: MarketSnapshot) -> BreadthFacts | None:
    """Return breadth with its advance rate, or None when up or down is unknown."""
    b = snapshot.breadth
    if b is None or b.up is None or b.down is None:
        return None
    counted = b.up + b.down + (b.flat or 0)
    if counted <= 0:
        return None
    return BreadthFacts(b.up, b.down, b.flat, b.up / counted * 100.0, b.session_date, b.source)


def _category_moves(protocols: list[ProtocolTvl], floor_usd: float) -> list[CategoryMove]:
    now: dict[str, float] = defaultdict(float)
    before: dict[str, float] = defaultdict(float)
    members: dict[str, int] = defaultdict(int)
    for p in protocols:
        if p.category and p.tvl_usd is not None and p.change_1d_pct is not None:
            if p.change_1d_pct <= -100:
                continue
            now[p.category] += p.tvl_usd
            before[p.category] += p.tvl_usd / (1 + p.change_1d_pct / 100.0)
            members[p.category] += 1
    return [
        CategoryMove(
            cat, now[cat], now[cat] - before[cat], (now[cat] / before[cat] - 1) * 100, members[cat]
        )
        for cat in now
        if now[cat] >= floor_usd and before[cat] > 0
    ]


def defi_facts(snapshot: MarketSnapshot, cfg: DefiSettings) -> DefiFacts | None:
    """Return protocol and category movers; protocols under the TVL floor are left out."""
    if snapshot.protocols is None:
        return None
    with_change = [p for p in snapshot.protocols if p.change_1d_pct is not None]
    eligible = [p for p in with_change if p.tvl_usd is None or p.tvl_usd >= cfg.tvl_floor_usd]
    n = cfg.movers_per_side
    winners = sorted((p for p in eligible if p.change_1d_pct > 0), key=lambda p: -p.change_1d_pct)
    losers = sorted((p for p in eligible if p.change_1d_pct < 0), key=lambda p: p.change_1d_pct)
    cats = _category_moves(eligible, cfg.category_tvl_floor_usd)
    return DefiFacts(
        winners=tuple(winners[:n]),
        losers=tuple(losers[:n]),
        categories_up=tuple(
            sorted((c for c in cats if c.change_pct > 0), key=lambda c: -c.change_pct)[:n]
        ),
        categories_down=tuple(
            sorted((c for c in cats if c.change_pct < 0), key=lambda c: c.change_pct)[:n]
        ),
        below_floor=len(with_change) - len(eligible),
        unknown_tvl=sum(1 for p in eligible if p.tvl_usd is None),
    )


def stablecoin_facts(snapshot: MarketSnapshot) -> StablecoinFacts | None:
    """Return stablecoin supplies and their net 1-day change in USD."""
    if snapshot.stablecoins is None:
        return None
    counted = [s for s in snapshot.stablecoins if s.change_usd is not None]
    net = sum(s.change_usd for s in counted) if counted else None
    coins = tuple(sorted(snapshot.stablecoins, key=lambda s: -(s.circulating_usd or 0)))
    return StablecoinFacts(coins, net, tuple(s.symbol for s in counted))


def dex_facts(snapshot: MarketSnapshot, top: int) -> DexFacts | None:
    """Return the DEXes with the largest absolute volume change and the total volume."""
    if snapshot.dex_volumes is None:
        return None
    movers = sorted(
        (d for d in snapshot.dex_volumes if d.change_1d_pct is not None),
        key=lambda d: -abs(d.change_1d_pct),
    )
    volumes = [d.volume_24h_usd for d in snapshot.dex_volumes if d.volume_24h_usd is not None]
    return DexFacts(tuple(movers[:top]), sum(volumes) if volumes else None)


def transmission_chain(markets: dict[str, MarketMove], timeline: Timeline) -> tuple[ChainLink, ...]:
    """Return each link of the timeline (earlier close → later open): confirms, breaks, …"""
    links = []
    for src, dst in timeline.links():
        a, b = markets[src].signal, markets[dst].signal
        if a is Signal.UNKNOWN or b is Signal.UNKNOWN:
            status = "unknown"
        elif a.sign == 0 or b.sign == 0:
            status = "neutral"
        elif a.sign == b.sign:
            status = "confirms"
        else:
            status = "breaks"
        links.append(ChainLink(src, dst, status))
    return tuple(links)


def compute_facts(
    snapshot: MarketSnapshot,
    registry: InstrumentRegistry,
    settings: AnalysisSettings,
    history: SpreadHistory | None = None,
    at: datetime | None = None,
) -> Facts:
    """Compute every derived figure of a snapshot once; ``history`` holds pair statistics.

    ``at`` is the report instant the timeline is read at (default: the snapshot's build time).
    """
    if history is None:
        history = (
            SpreadHistory(unavailable=N_("no history in sample data"))
            if snapshot.demo_note
            else NO_HISTORY
        )
    markets = {
        m: market_move(snapshot, registry, m, settings.signal) for m in registry.market_keys()
    }
    divs = tuple(
        divergence(snapshot, registry, a, b, settings.divergence)
        for a, b in settings.divergence.pairs
    )
    timeline = build_timeline(snapshot, markets, registry, settings.timeline, at)
    return Facts(
        snapshot=snapshot,
        registry=registry,
        settings=settings,
        markets=markets,
        divergences=divs,
        breadth=breadth_facts(snapshot),
        defi=defi_facts(snapshot, settings.defi),
        stablecoins=stablecoin_facts(snapshot),
        dex=dex_facts(snapshot, settings.defi.dex_movers),
        chain=transmission_chain(markets, timeline),
        timeline=timeline,
        history=history,
    )

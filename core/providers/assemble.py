"""Build a MarketSnapshot from every live provider at once; a failing source never fails it."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import httpx

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import ProviderError
from core.history.records import DailyClose
from core.instruments import InstrumentRegistry, default_registry
from core.providers.base import FetchContext, Fetcher, HttpSource, Record
from core.providers.registry import default_providers
from core.providers.stock_connect import combine_northbound
from core.settings import ProviderSettings, default_provider_settings
from core.snapshot import (
    Breadth,
    CryptoQuote,
    DexVolume,
    IndexQuote,
    MarketSnapshot,
    Northbound,
    NoteKind,
    ProtocolTvl,
    SnapshotNote,
    SourceStatus,
    StablecoinSupply,
    Turnover,
)

log = logging.getLogger(__name__)

Quote = IndexQuote | CryptoQuote


@dataclass(frozen=True)
class Outcome:
    """What one provider returned, or why it returned nothing."""

    key: str
    fetcher: Fetcher
    records: tuple[Record, ...] = ()
    error: str | None = None


async def run_provider(key: str, fetcher: Fetcher, http: HttpSource, ctx: FetchContext) -> Outcome:
    """Return one provider's records, capturing its failure instead of raising it."""
    try:
        return Outcome(key, fetcher, tuple(await fetcher.fetch(http, ctx)))
    except ProviderError as exc:
        return Outcome(key, fetcher, error=exc.reason)
    except Exception as exc:  # a bug in one provider must not cost the whole report
        log.exception("provider %s crashed", key)
        return Outcome(key, fetcher, error=f"internal error: {type(exc).__name__}: {exc}")


async def fetch_outcomes(
    client: httpx.AsyncClient,
    now: datetime,
    registry: Mapping[str, Fetcher] | None = None,
    *,
    instruments: InstrumentRegistry | None = None,
    settings: ProviderSettings | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> tuple[list[Outcome], FetchContext]:
    """Run every provider concurrently through ``client``; return their outcomes and context."""
    instruments = instruments or default_registry()
    settings = settings or default_provider_settings()
    if registry is None:
        registry = default_providers(instruments, settings)
    http = HttpSource(client, settings, clock)
    ctx = FetchContext(now, instruments, settings)
    outcomes = await asyncio.gather(
        *(run_provider(key, fetcher, http, ctx) for key, fetcher in registry.items())
    )
    return list(outcomes), ctx


async def build_snapshot(
    client: httpx.AsyncClient,
    now: datetime,
    registry: Mapping[str, Fetcher] | None = None,
    *,
    instruments: InstrumentRegistry | None = None,
    settings: ProviderSettings | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> MarketSnapshot:
    """Fetch every provider concurrently through ``client`` and assemble the snapshot.

    ``registry`` maps provider keys to fetchers (default: the configured providers);
    ``now`` is the build's clock and its calendar date is the report date.
    """
    outcomes, ctx = await fetch_outcomes(
        client, now, registry, instruments=instruments, settings=settings, clock=clock
    )
    return assemble(outcomes, ctx)


def history_closes(outcomes: list[Outcome]) -> tuple[DailyClose, ...]:
    """Return the earlier daily closes providers returned alongside their quotes (back-fill)."""
    return tuple(r for o in outcomes if not o.error for r in o.records if isinstance(r, DailyClose))


def assemble(outcomes: list[Outcome], ctx: FetchContext) -> MarketSnapshot:
    """Return the snapshot of provider outcomes: pick sources, note failures and disagreements."""
    records = [r for o in outcomes for r in o.records]
    notes = [r for r in records if isinstance(r, SnapshotNote)]
    indexes, index_notes = _resolve([r for r in records if isinstance(r, IndexQuote)], ctx)
    crypto, crypto_notes = _resolve([r for r in records if isinstance(r, CryptoQuote)], ctx)
    chosen = {q.instrument: q.source for q in (*indexes, *crypto)}
    notes += index_notes + crypto_notes + [_failure_note(o, chosen) for o in outcomes if o.error]
    return MarketSnapshot(
        report_date=ctx.now.date(),
        generated_at=ctx.now,
        indexes=tuple(indexes),
        crypto=tuple(crypto),
        breadth=_first(records, Breadth),
        turnover=_first(records, Turnover),
        northbound=combine_northbound([r for r in records if isinstance(r, Northbound)]),
        protocols=_part(outcomes, ProtocolTvl),
        stablecoins=_part(outcomes, StablecoinSupply),
        dex_volumes=_part(outcomes, DexVolume),
        sources=_statuses(outcomes, ctx.now),
        notes=tuple(notes),
    )


def _first(records: list[Record], kind: type) -> object | None:
    return next((r for r in records if isinstance(r, kind)), None)


def _part(outcomes: list[Outcome], kind: type) -> tuple | None:
    found = [r for o in outcomes if not o.error for r in o.records if isinstance(r, kind)]
    return tuple(found) if found else None


def _rank(order: tuple[str, ...], source: str) -> int:
    return order.index(source) if source in order else len(order)


def _resolve(quotes: list[Quote], ctx: FetchContext) -> tuple[list[Quote], list[SnapshotNote]]:
    """Return the primary quote of each instrument, and notes where its sources disagree."""
    by_instrument: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_instrument[q.instrument].append(q)
    chosen: list[Quote] = []
    notes: list[SnapshotNote] = []
    for key in [i.key for i in ctx.instruments if i.key in by_instrument]:
        inst = ctx.instruments.get(key)
        order = ctx.settings.order_for(inst.market)
        ranked = sorted(by_instrument[key], key=lambda q: _rank(order, q.source))
        # A lagging primary is as good as a failed one: the latest session wins, then priority.
        primary = max(ranked, key=_session_key)
        chosen.append(primary)
        for other in (q for q in ranked if q is not primary):
            message = _disagreement(primary, other, ctx.settings.tolerance_pct)
            if message:
                notes.append(
                    SnapshotNote(
                        NoteKind.DISAGREEMENT, f"{inst.display_name}: {message}", inst.market
                    )
                )
    return chosen, notes


def _session_key(q: Quote) -> date:
    # Crypto has no sessions; its sources are ranked by priority alone.
    return q.session_date if isinstance(q, IndexQuote) else date.min


def _price(q: Quote) -> float | None:
    return q.close if isinstance(q, IndexQuote) else q.price_usd


def _disagreement(primary: Quote, other: Quote, tolerance_pct: float) -> str | None:
    """Return why two quotes of one instrument disagree, or None when they agree."""
    use = f"using {primary.source}."
    # Crypto trades around the clock: its sources' dates differ with their as-of times.
    if isinstance(primary, IndexQuote) and primary.session_date != other.session_date:
        return (
            f"{primary.source} has the {primary.session_date} session, {other.source} "
            f"the {other.session_date} one; {use}"
        )
    a, b = _price(primary), _price(other)
    if a is None or b is None or b == 0:
        return None
    apart_pct = abs(a / b - 1.0) * 100.0
    if apart_pct <= tolerance_pct:
        return None
    return (
        f"{primary.source} {a:,.2f} vs {other.source} {b:,.2f} on {primary.session_date}, "
        f"{apart_pct:.2f} % apart (tolerance {tolerance_pct:g} %); {use}"
    )


def _failure_note(outcome: Outcome, chosen: dict[str, str]) -> SnapshotNote:
    """Return the note telling the reader what a failed provider cost them."""
    f = outcome.fetcher
    failed = f"{f.source} failed ({outcome.error})"
    if not f.instruments:
        return SnapshotNote(NoteKind.SOURCE_FAILED, f"{f.covers} unavailable: {failed}.", f.market)
    covered = [k for k in f.instruments if k in chosen and chosen[k] != f.source]
    missing = [k for k in f.instruments if k not in chosen]
    parts = []
    if covered:
        parts.append(", ".join(f"{k} from {chosen[k]}" for k in covered))
    if missing:
        parts.append(f"no figure for {', '.join(missing)}")
    return SnapshotNote(
        NoteKind.SOURCE_FAILED, f"{f.covers}: {failed}; {'; '.join(parts)}.", f.market
    )


def _statuses(outcomes: list[Outcome], now: datetime) -> tuple[SourceStatus, ...]:
    """Return one ok status per source that answered and one failed status per provider."""
    answered = dict.fromkeys(o.fetcher.source for o in outcomes if not o.error)
    ok = [SourceStatus(source, True, fetched_at=now) for source in answered]
    failed = [
        SourceStatus(o.fetcher.name, False, o.error, fetched_at=now) for o in outcomes if o.error
    ]
    return tuple(ok + failed)

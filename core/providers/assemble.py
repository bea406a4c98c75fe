"""Build a MarketSnapshot from every live provider at once; a failing source never fails it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import httpx

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import ProviderError
from core.history.records import DailyClose
from core.instruments import InstrumentRegistry, default_registry
from core.phrase import Phrase, listing, say, verbatim
from core.providers.base import FetchContext, Fetcher, HttpSource, Record
from core.providers.crosscheck import resolve
from core.providers.health import SourceHealth, supplied_by
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
    ProviderStatus,
    SnapshotNote,
    SourceStatus,
    StablecoinSupply,
    Turnover,
)

log = logging.getLogger(__name__)

Quote = IndexQuote | CryptoQuote


@dataclass(frozen=True)
class Outcome:
    """What one provider returned, or why it returned nothing.

    With ``last_good_at`` set, ``records`` are its last good figures from that time, served
    in place of the failed (or resting) fetch.
    """

    key: str
    fetcher: Fetcher
    records: tuple[Record, ...] = ()
    error: str | None = None
    latency_ms: float | None = None
    last_good_at: datetime | None = None
    last_success: datetime | None = None
    breaker: str = "closed"


async def _fetch(key: str, fetcher: Fetcher, http: HttpSource, ctx: FetchContext) -> Outcome:
    try:
        return Outcome(key, fetcher, tuple(await fetcher.fetch(http, ctx)))
    except ProviderError as exc:
        # The reader is told the reason; the technical detail is the operator's.
        log.info("provider %s failed: %s", key, exc)
        return Outcome(key, fetcher, error=exc.reason)
    except Exception as exc:  # a bug in one provider must not cost the whole report
        log.exception("provider %s crashed", key)
        # The reader gets the error's name; its words and the trace are the log's.
        detail = verbatim(type(exc).__name__)
        return Outcome(key, fetcher, error=say("internal error: %(detail)s", detail=detail))


async def _before_deadline(
    key: str, fetcher: Fetcher, http: HttpSource, ctx: FetchContext, deadline_loop_s: float | None
) -> Outcome:
    if deadline_loop_s is None:
        return await _fetch(key, fetcher, http, ctx)
    left_s = max(0.0, deadline_loop_s - asyncio.get_running_loop().time())
    try:
        return await asyncio.wait_for(_fetch(key, fetcher, http, ctx), timeout=left_s)
    except TimeoutError:
        limit = ctx.settings.snapshot_deadline_s
        return Outcome(
            key,
            fetcher,
            error=say("no answer within the %(limit)s s snapshot deadline", limit=f"{limit:g}"),
        )


async def run_provider(
    key: str,
    fetcher: Fetcher,
    http: HttpSource,
    ctx: FetchContext,
    health: SourceHealth | None = None,
    clock: Clock = SYSTEM_CLOCK,
    *,
    probe: bool = False,
    deadline_loop_s: float | None = None,
) -> Outcome:
    """Return one provider's records, capturing its failure instead of raising it.

    With ``health``, a resting provider is not asked (unless ``probe``), the run is recorded
    (breaker, latency, what it supplied), and a failure serves the last good figures. A
    provider still fetching at ``deadline_loop_s`` (event-loop time) is cut off and named.
    """
    resting = None if health is None or probe else health.resting(key, ctx.now)
    if resting is not None:
        outcome = Outcome(key, fetcher, error=resting)
    else:
        started = clock.monotonic()
        outcome = await _before_deadline(key, fetcher, http, ctx, deadline_loop_s)
        ms = (clock.monotonic() - started) * 1000.0
        outcome = replace(outcome, latency_ms=ms)
        if health is not None and outcome.error is None:
            health.succeeded(key, outcome.records, ctx.now, ms)
        elif health is not None:
            health.failed(key, outcome.error or "", ctx.now, ms)
    if health is None:
        return outcome
    h = health.get(key)
    breaker = h.breaker(ctx.now, health.settings.breaker_failures)
    outcome = replace(outcome, last_success=h.last_success, breaker=breaker)
    good = health.last_good(key, ctx.now) if outcome.error is not None else None
    if good is not None:
        outcome = replace(outcome, records=good[0], last_good_at=good[1])
    return outcome


async def fetch_outcomes(
    client: httpx.AsyncClient,
    now: datetime,
    registry: Mapping[str, Fetcher] | None = None,
    *,
    instruments: InstrumentRegistry | None = None,
    settings: ProviderSettings | None = None,
    health: SourceHealth | None = None,
    clock: Clock = SYSTEM_CLOCK,
    probe: bool = False,
) -> tuple[list[Outcome], FetchContext]:
    """Run every provider concurrently through ``client``; return their outcomes and context.

    ``health`` keeps breakers and last good figures across runs; ``probe`` asks every
    provider even if its breaker is open (``marketbot sources --check``).
    """
    instruments = instruments or default_registry()
    settings = settings or default_provider_settings()
    if registry is None:
        registry = default_providers(instruments, settings)
    http = HttpSource(client, settings, clock)
    ctx = FetchContext(now, instruments, settings)
    # One deadline for the whole snapshot: what has not arrived by then is named, and the
    # report ships without it.
    deadline = asyncio.get_running_loop().time() + settings.snapshot_deadline_s
    outcomes = await asyncio.gather(
        *(
            run_provider(
                key, fetcher, http, ctx, health, clock, probe=probe, deadline_loop_s=deadline
            )
            for key, fetcher in registry.items()
        )
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
    indexes, index_notes = resolve([r for r in records if isinstance(r, IndexQuote)], ctx)
    crypto, crypto_notes = resolve([r for r in records if isinstance(r, CryptoQuote)], ctx)
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
        providers=tuple(provider_status(o) for o in outcomes),
        notes=tuple(notes),
    )


def _first(records: list[Record], kind: type) -> object | None:
    return next((r for r in records if isinstance(r, kind)), None)


def _part(outcomes: list[Outcome], kind: type) -> tuple | None:
    # A failed provider's records, if any, are its last good ones: they are served too.
    found = [r for o in outcomes for r in o.records if isinstance(r, kind)]
    return tuple(found) if found else None


def _failure_note(outcome: Outcome, chosen: dict[str, str]) -> SnapshotNote:
    """Return the note telling the reader what a failed provider cost them."""
    f = outcome.fetcher
    error = outcome.error if isinstance(outcome.error, Phrase) else verbatim(outcome.error or "")
    failed = say("%(source)s failed (%(error)s)", source=verbatim(f.source), error=error)
    if outcome.last_good_at is not None:
        failed = say(
            "%(failed)s; its last good figures, fetched %(at)s UTC, are shown where no fresh "
            "source has them",
            failed=failed,
            at=f"{outcome.last_good_at:%Y-%m-%d %H:%M}",
        )
    if not f.instruments:
        message = say("%(covers)s unavailable: %(failed)s.", covers=f.covers, failed=failed)
        return SnapshotNote(NoteKind.SOURCE_FAILED, message, f.market)
    covered = [k for k in f.instruments if k in chosen and chosen[k] != f.source]
    missing = [k for k in f.instruments if k not in chosen]
    parts = []
    if covered:
        parts.append(
            listing(
                say("%(name)s from %(source)s", name=k, source=verbatim(chosen[k])) for k in covered
            )
        )
    if missing:
        parts.append(say("no figure for %(absent)s", absent=listing(missing)))
    message = say(
        "%(covers)s: %(failed)s; %(parts)s.",
        covers=f.covers,
        failed=failed,
        parts=listing(parts, "semicolon"),
    )
    return SnapshotNote(NoteKind.SOURCE_FAILED, message, f.market)


def _statuses(outcomes: list[Outcome], now: datetime) -> tuple[SourceStatus, ...]:
    """Return one ok status per source that answered and one failed status per provider."""
    answered = dict.fromkeys(o.fetcher.source for o in outcomes if not o.error)
    ok = [SourceStatus(source, True, fetched_at=now) for source in answered]
    failed = [
        SourceStatus(o.fetcher.name, False, o.error, fetched_at=now) for o in outcomes if o.error
    ]
    return tuple(ok + failed)


def provider_status(outcome: Outcome) -> ProviderStatus:
    """Return what one provider did in this build, for the sources report."""
    f = outcome.fetcher
    fresh = outcome.error is None
    return ProviderStatus(
        key=outcome.key,
        source=f.source,
        market=f.market,
        covers=f.covers,
        ok=fresh,
        reason=outcome.error,
        latency_ms=outcome.latency_ms,
        supplied=supplied_by(outcome.records) if fresh else (),
        last_success=outcome.last_success,
        breaker=outcome.breaker,
        last_good_at=outcome.last_good_at,
    )

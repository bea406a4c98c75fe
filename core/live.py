"""The live path: fetch every source, check the figures, keep the closes, rank the spreads.

``live_snapshot`` is the one entry point front ends call for live data; ``pair_history``
reads the stored closes the divergence section ranks today's spreads against. Neither
imports a chat library.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import httpx

from core.analysis.history_stats import SpreadHistory, spread_history
from core.calendars import latest_completed_session
from core.clock import SYSTEM_CLOCK, Clock
from core.errors import HistoryError
from core.history import DailyClose, HistoryStore, closes_from_snapshot
from core.i18n import N_
from core.instruments import InstrumentRegistry, default_registry
from core.phrase import say
from core.providers.assemble import assemble, fetch_outcomes, history_closes
from core.providers.base import Fetcher
from core.providers.health import SourceHealth
from core.quality import check_snapshot
from core.settings import (
    AnalysisSettings,
    ProviderSettings,
    default_analysis_settings,
)
from core.snapshot import MarketSnapshot, NoteKind, SnapshotNote

log = logging.getLogger(__name__)

# Calendar days read back per stored session wanted: two markets' holidays rarely line up.
_DAYS_PER_SESSION = 3


# The note when the history store fails: the reader learns the closes are missing, not why.
CLOSES_NOT_STORED = SnapshotNote(
    NoteKind.INFO,
    say(
        "Closes not stored and earlier sessions not back-filled: the history database failed "
        "(the log has its error)."
    ),
)


# The pair-history note when the store cannot be read: the reader learns no rank, not why.
HISTORY_NOT_READ = say("the history store could not be read (the log has its error)")


async def live_snapshot(
    client: httpx.AsyncClient,
    now: datetime,
    *,
    store: HistoryStore | None = None,
    providers: Mapping[str, Fetcher] | None = None,
    instruments: InstrumentRegistry | None = None,
    provider_settings: ProviderSettings | None = None,
    analysis: AnalysisSettings | None = None,
    clock: Clock = SYSTEM_CLOCK,
    health: SourceHealth | None = None,
) -> MarketSnapshot:
    """Return the checked live snapshot at ``now`` (timezone-aware) and store its closes.

    Calendar notes name every closed market, quotes older than the latest completed session
    are flagged stale, unusable figures are removed and implausible ones flagged. With a
    ``store``, closes are saved and the Yahoo bars fetched with them back-fill the sessions
    the store does not hold yet; a store failure becomes a note, never a failed report.
    With ``health``, resting sources are skipped, failed ones serve their last good figures
    (labelled with their age), and the run is recorded (and saved, if it has a file).
    """
    instruments = instruments or default_registry()
    analysis = analysis or default_analysis_settings()
    outcomes, ctx = await fetch_outcomes(
        client,
        now,
        providers,
        instruments=instruments,
        settings=provider_settings,
        clock=clock,
        health=health,
    )
    if health is not None:
        health.save()
    snapshot = check_snapshot(assemble(outcomes, ctx), now, instruments, analysis.quality)
    if store is None:
        return snapshot
    try:
        # Off the loop: a blocking SQLite commit there would stall the bot's own async store
        # on the same file (a claim in flight) until the busy timeout.
        added = await asyncio.to_thread(
            store_closes, store, snapshot, history_closes(outcomes), now, instruments
        )
    except HistoryError as exc:
        # The database's own error is for whoever runs the bot (the log), not for the reader.
        log.warning("closes not stored: %s", exc)
        return snapshot.with_changes(notes=(*snapshot.notes, CLOSES_NOT_STORED))
    log.info("stored %d closes (%d back-filled)", *added)
    return snapshot


def _completed(
    snapshot: MarketSnapshot, now: datetime, instruments: InstrumentRegistry
) -> list[DailyClose]:
    """Return the snapshot's closes, leaving out index sessions that had not closed yet."""
    latest = {
        market: latest_completed_session(market, now, instruments) for market in instruments.markets
    }
    index_keys = {q.instrument for q in snapshot.indexes}
    return [
        c
        for c in closes_from_snapshot(snapshot)
        if c.instrument not in index_keys
        or c.session_date <= latest[instruments.get(c.instrument).market]
    ]


def store_closes(
    store: HistoryStore,
    snapshot: MarketSnapshot,
    bars: Iterable[DailyClose],
    now: datetime,
    instruments: InstrumentRegistry,
) -> tuple[int, int]:
    """Store the snapshot's closes and back-fill earlier bars; return (stored, back-filled).

    A bar only fills a session the store lacks, so closes kept on earlier runs are not
    replaced; the snapshot's own closes replace any stored for their session.
    """
    by_instrument: dict[str, list[DailyClose]] = {}
    for bar in bars:
        if bar.close > 0:
            by_instrument.setdefault(bar.instrument, []).append(bar)
    missing: list[DailyClose] = []
    for key, found in by_instrument.items():
        first = min(b.session_date for b in found)
        held = {c.session_date for c in store.closes(key, since=first)}
        missing.extend(b for b in found if b.session_date not in held)
    backfilled = store.upsert_closes(missing)
    return store.upsert_closes(_completed(snapshot, now, instruments)), backfilled


def pair_history(
    store: HistoryStore | None,
    report_date: date,
    pairs: Iterable[tuple[str, str]],
    window: int,
    unavailable: str = N_("no history store"),
) -> SpreadHistory:
    """Return each pair's spread statistics from the closes stored up to ``report_date``."""
    if store is None:
        return SpreadHistory(unavailable=unavailable)
    pairs = list(dict.fromkeys(pairs))
    since = report_date - timedelta(days=(window + 1) * _DAYS_PER_SESSION)
    try:
        closes = {
            key: [
                (c.session_date, c.close)
                for c in store.closes(key, since, report_date)
                if c.close > 0
            ]
            for key in dict.fromkeys(k for pair in pairs for k in pair)
        }
    except HistoryError as exc:
        # As with closes not stored: the database's own error is the operator's, in the log.
        log.warning("pair history not read: %s", exc)
        return SpreadHistory(unavailable=HISTORY_NOT_READ)
    return spread_history(closes, pairs, window)

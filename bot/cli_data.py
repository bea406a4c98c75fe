"""Where the CLI's market data comes from: the sample, a snapshot file, or live sources."""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import httpx

from core.analysis.history_stats import SpreadHistory
from core.demo import demo_history_store, demo_snapshot
from core.errors import HistoryError, UserInputError
from core.history import HistoryStore
from core.i18n import N_
from core.instruments import default_registry
from core.live import live_snapshot, pair_history
from core.phrase import say
from core.providers.health import SourceHealth
from core.quality import check_calendars
from core.settings import EnvSettings, default_analysis_settings, default_provider_settings
from core.snapshot import MarketSnapshot

log = logging.getLogger(__name__)

HISTORY_NOT_OPENED = say("the history store could not be opened (the log has its error)")


def configured_pairs() -> list[tuple[str, str]]:
    """Return the configured divergence pairs as canonical instrument keys."""
    registry = default_registry()
    pairs = default_analysis_settings().divergence.pairs
    return [(registry.resolve(a).key, registry.resolve(b).key) for a, b in pairs]


async def fetch_live(
    args: argparse.Namespace, now: datetime, pairs: list[tuple[str, str]]
) -> tuple[MarketSnapshot, SpreadHistory]:
    """Return the live snapshot and its pairs' spread history, through one shared client."""
    url = args.db or EnvSettings().database_url
    store: HistoryStore | None = None
    unavailable: str = N_("no history store")
    try:
        store = HistoryStore(url)
    except HistoryError as exc:
        # The report says the ranks are missing; why (the database's error) is the operator's.
        log.warning("history store not opened: %s", exc)
        unavailable = HISTORY_NOT_OPENED
    settings = default_provider_settings()
    # Breakers and last good figures are kept beside the history database between runs.
    state = EnvSettings().sources_state_path(url) if store is not None else None
    health = SourceHealth.load(settings, state)
    try:
        async with httpx.AsyncClient(
            transport=args.transport, timeout=settings.timeout_s
        ) as client:
            snapshot = await live_snapshot(
                client,
                now,
                store=store,
                provider_settings=settings,
                clock=args.clock,
                health=health,
            )
        window = default_analysis_settings().history.window_sessions
        history = pair_history(store, snapshot.report_date, pairs, window, unavailable)
    finally:
        if store is not None:
            store.dispose()
    return snapshot, history


def _end_of(day: date) -> datetime:
    zone = ZoneInfo(default_analysis_settings().timeline.reader_timezone)
    return datetime.combine(day, time(23, 59), tzinfo=zone)


def demo_history(report_date: date, pairs: list[tuple[str, str]]) -> SpreadHistory:
    """Return the pairs' spread history from the sample's bundled closes."""
    store = demo_history_store()
    try:
        window = default_analysis_settings().history.window_sessions
        return pair_history(store, report_date, pairs, window)
    finally:
        store.dispose()


def load_snapshot(
    args: argparse.Namespace, pairs: list[tuple[str, str]]
) -> tuple[MarketSnapshot, SpreadHistory | None]:
    """Return the snapshot the options ask for, checked against ``--date``, with its history."""
    history = None
    if args.snapshot is not None:
        snapshot, origin = MarketSnapshot.load(args.snapshot), f"snapshot {args.snapshot}"
        # A saved snapshot gets the calendar and quality checks live data gets, at its instant.
        at = args.at or snapshot.generated_at or _end_of(snapshot.report_date)
        snapshot = check_calendars(snapshot, at, default_registry())
    elif args.demo:
        snapshot, origin = demo_snapshot(), "bundled sample data"
        history = demo_history(snapshot.report_date, pairs)
    else:
        now = args.at or args.now or args.clock.now_utc().astimezone()
        if args.date is not None and args.date != now.date():
            raise UserInputError(
                f"--date {args.date.isoformat()} is not today ({now.date().isoformat()}): "
                "live data is always today's; use --snapshot FILE for another date"
            )
        snapshot, history = asyncio.run(fetch_live(args, now, pairs))
        origin = "live data"
    if args.date is not None and args.date != snapshot.report_date:
        raise UserInputError(
            f"--date {args.date.isoformat()} does not match the {origin}, "
            f"which is for {snapshot.report_date.isoformat()}"
        )
    return snapshot, history

"""Reports built when their content changes: the snapshot fetched, one report per reader's day.

The snapshot is fetched again only when a market's new session has closed since the last build,
or when a source had failed and the configured retry interval has passed (it may have
recovered); never merely because the UTC date changed. Each report is made for the build's
instant and dated in the reader's time zone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.commands import ReportRequest
from bot.store.zones import zone_of
from core.analysis.build import build_report
from core.analysis.facts import Facts, compute_facts
from core.analysis.history_stats import SpreadHistory
from core.calendars import latest_completed_session
from core.clock import SYSTEM_CLOCK, Clock
from core.demo import demo_snapshot
from core.history import HistoryStore
from core.i18n import DEFAULT_LANGUAGE, Language
from core.instruments import InstrumentRegistry, default_registry
from core.live import pair_history
from core.quality import check_calendars
from core.report import Report
from core.sections import select_sections
from core.settings import AnalysisSettings, default_analysis_settings, default_provider_settings
from core.snapshot import MarketSnapshot, NoteKind
from core.sources_report import build_sources_report

SnapshotSource = Callable[[datetime], Awaitable[MarketSnapshot]]


def demo_source() -> SnapshotSource:
    """Return a source that always yields the bundled sample snapshot."""
    snapshot = demo_snapshot()

    async def source(now_utc: datetime) -> MarketSnapshot:
        return snapshot

    return source


@dataclass(frozen=True)
class Built:
    """One snapshot's facts and full report, for one reader time zone."""

    snapshot: MarketSnapshot
    facts: Facts
    report: Report


@dataclass(frozen=True)
class _Content:
    """The fetched snapshot and what decides when it is fetched again."""

    snapshot: MarketSnapshot
    fetched_at: datetime
    sessions: tuple[date, ...]
    failed: bool
    generation: int


class ReportBuilds:
    """Fetch the snapshot when its content may have changed; build each reader's report once.

    ``retry_failed_after`` is how long a snapshot with a failed source is served before the
    sources are asked again (default: ``rebuild_after_failure_s`` in providers.toml).
    """

    def __init__(
        self,
        source: SnapshotSource,
        *,
        registry: InstrumentRegistry | None = None,
        settings: AnalysisSettings | None = None,
        history: HistoryStore | None = None,
        clock: Clock = SYSTEM_CLOCK,
        retry_failed_after: timedelta | None = None,
    ) -> None:
        self.registry = registry or default_registry()
        if retry_failed_after is None:
            retry_failed_after = timedelta(
                seconds=default_provider_settings().rebuild_after_failure_s
            )
        self.retry_failed_after = retry_failed_after
        self._content: _Content | None = None
        self.settings = settings or default_analysis_settings()
        self.history = history
        self._source = source
        self._clock = clock
        self._built: dict[tuple[Any, date], Built] = {}
        self._locks: dict[Any, asyncio.Lock] = {}
        self.builds = 0

    def _content_changed(self) -> None:
        """Forget everything made from the previous content (subclasses forget their own)."""
        self._built = {}

    def now(self) -> datetime:
        """Return the service clock's aware UTC time."""
        return self._clock.now_utc()

    def _lock(self, key: Any) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    def _closed_sessions(self, now: datetime) -> tuple[date, ...]:
        """Return each exchange market's latest session completed by ``now``."""
        return tuple(
            latest_completed_session(key, now, self.registry)
            for key, market in self.registry.markets.items()
            if not market.round_the_clock
        )

    def _current(self, now: datetime) -> bool:
        """Return True while the fetched content still holds at ``now``."""
        content = self._content
        if content is None or self._closed_sessions(now) != content.sessions:
            return False
        return not (content.failed and now - content.fetched_at >= self.retry_failed_after)

    async def built(self, now_utc: datetime | None = None, zone: str | None = None) -> Built:
        """Return the snapshot's report for a reader's zone, fetching anew when content changed.

        ``zone`` is the reader's time zone (default: ``reader_timezone`` in analysis.toml).
        """
        now = now_utc or self.now()
        if not self._current(now):
            async with self._lock("fetch"):
                if not self._current(now):
                    snapshot = await self._source(now)
                    generation = self._content.generation + 1 if self._content else 1
                    self._content = _Content(
                        snapshot,
                        now,
                        self._closed_sessions(now),
                        any(not s.ok for s in snapshot.sources),
                        generation,
                    )
                    self._content_changed()
                    self.builds += 1
        content = self._content
        at, key = self._reader_key(content, now, zone)
        found = self._built.get(key)
        if found is None:
            async with self._lock(("build", content.generation, key)):
                found = self._built.get(key)
                if found is None:
                    found = await asyncio.to_thread(self._build, content, at)
                    if content is self._content:
                        self._built[key] = found
        return found

    def _reader_key(
        self, content: _Content, now: datetime, zone: str | None
    ) -> tuple[datetime, tuple[Any, date]]:
        """Return the report's instant in the reader's zone and the key of its report."""
        at = self._instant(content, now).astimezone(zone_of(zone or self.default_zone))
        # One report per reader's zone and local day: its first ask is the report's instant.
        return at, (at.tzinfo, at.date())

    def _cached_built(self, now: datetime, zone: str | None = None) -> Built | None:
        """Return the reader's report if it is built and its content still holds, else None."""
        if self._content is None or not self._current(now):
            return None
        return self._built.get(self._reader_key(self._content, now, zone)[1])

    @property
    def default_zone(self) -> str:
        """Return the zone reports are dated in when the reader has none."""
        return self.settings.timeline.reader_timezone

    @staticmethod
    def _instant(content: _Content, now: datetime) -> datetime:
        """Return the report's instant: the ask, or the sample's own fixed instant."""
        sample = content.snapshot
        if sample.demo_note and sample.generated_at is not None:
            return sample.generated_at
        return now

    def _build(self, content: _Content, at: datetime) -> Built:
        snapshot = content.snapshot.with_changes(report_date=at.date())
        if not snapshot.demo_note:
            # Closures are named as of the report's instant, not as of the fetch.
            kept = tuple(n for n in snapshot.notes if n.kind is not NoteKind.CLOSED)
            snapshot = check_calendars(snapshot.with_changes(notes=kept), at, self.registry)
        history = self._spread_history(
            snapshot, self.configured_pairs(), self.settings.history.window_sessions
        )
        facts = compute_facts(snapshot, self.registry, self.settings, history, at=at)
        report = build_report(snapshot, self.registry, self.settings, history=history, at=at)
        return Built(snapshot, facts, report)

    def configured_pairs(self) -> list[tuple[str, str]]:
        """Return the report's divergence pairs as canonical instrument keys."""
        resolve = self.registry.resolve
        return [(resolve(a).key, resolve(b).key) for a, b in self.settings.divergence.pairs]

    def _spread_history(
        self, snapshot: MarketSnapshot, pairs: Sequence[tuple[str, str]], window: int
    ) -> SpreadHistory | None:
        """Return the pairs' statistics from stored closes; None without a store."""
        if self.history is None:
            return None
        return pair_history(self.history, snapshot.report_date, pairs, window)

    async def report(
        self,
        request: ReportRequest | None = None,
        now_utc: datetime | None = None,
        zone: str | None = None,
    ) -> Report:
        """Return the current report, limited to the requested sections (None = all)."""
        sections = request.sections if request is not None else ()
        return select_sections((await self.built(now_utc, zone)).report, sections)

    async def sources(
        self, now_utc: datetime | None = None, language: Language = DEFAULT_LANGUAGE
    ) -> Report:
        """Return where each figure came from, its session and its freshness."""
        now = now_utc or self.now()
        built = await self.built(now)
        return build_sources_report(built.snapshot, self.registry, now, language)

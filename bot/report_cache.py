"""ReportCache: reports built when their content changes, rendered once per platform, served.

The snapshot is fetched again only when a market's new session has closed since the last build,
or when a source had failed and the configured retry interval has passed (it may have
recovered); never merely because the UTC date changed. Each report is made for the build's
instant and dated in the reader's time zone.

Platform-neutral: chat adapters (Telegram, Discord, the console) and the broadcaster ask it
for reports and rendered message parts; it never imports a chat library.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.commands import DivergenceRequest, ReportRequest
from bot.divergence import divergence_chart
from bot.platforms import platform_renderers
from bot.store.zones import zone_of
from core.analysis.build import build_report
from core.analysis.facts import Facts, compute_facts
from core.analysis.history_stats import SpreadHistory
from core.analysis.pair_report import build_pair_report
from core.calendars import latest_completed_session
from core.clock import SYSTEM_CLOCK, Clock
from core.demo import demo_snapshot
from core.errors import ReportError
from core.history import HistoryStore
from core.i18n import DEFAULT_LANGUAGE, Language
from core.instruments import Instrument, InstrumentRegistry, default_registry
from core.live import pair_history
from core.localize import localize
from core.quality import check_calendars
from core.report import Report
from core.sections import SECTIONS, select_sections
from core.settings import AnalysisSettings, default_analysis_settings, default_provider_settings
from core.snapshot import MarketSnapshot, NoteKind
from core.sources_report import build_sources_report
from renderers.images import DivergenceHistory
from renderers.parts import MessagePart, TextPart

log = logging.getLogger(__name__)

SnapshotSource = Callable[[datetime], Awaitable[MarketSnapshot]]


class PartsRenderer(Protocol):
    """Render a report into one platform's message parts."""

    def __call__(
        self,
        report: Report,
        *,
        with_images: bool = True,
        charts: Sequence[DivergenceHistory] = (),
        digest: bool = False,
    ) -> list[MessagePart]: ...


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


@dataclass(frozen=True)
class DivergenceAnswer:
    """A pair's report (sessions, warnings, sources kept) and its history chart, if stored."""

    report: Report
    chart: DivergenceHistory | None = None

    @property
    def charts(self) -> tuple[DivergenceHistory, ...]:
        """Return the chart data to draw (none without history)."""
        return () if self.chart is None else (self.chart,)


class ReportCache:
    """Build, cache and answer reports; a build per new content, a render per platform and ask.

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
        renderers: Mapping[str, PartsRenderer] | None = None,
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
        self.renderers = dict(platform_renderers() if renderers is None else renderers)
        self._source = source
        self._clock = clock
        self._built: dict[tuple[Any, date], Built] = {}
        self._parts: dict[tuple[Any, ...], list[MessagePart]] = {}
        self._locks: dict[Any, asyncio.Lock] = {}
        self.builds = 0
        self.renders = 0

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
                    self._built, self._parts = {}, {}
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

    def renderer(self, platform: str) -> PartsRenderer:
        """Return the renderer of a platform; KeyError names the unknown one."""
        try:
            return self.renderers[platform]
        except KeyError:
            raise KeyError(f"no renderer for platform {platform!r}") from None

    async def parts(
        self,
        platform: str,
        sections: Sequence[str] = (),
        *,
        with_images: bool = True,
        now_utc: datetime | None = None,
        zone: str | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> list[MessagePart]:
        """Return the digest (no sections asked) or some sections for a platform, rendered once.

        ``zone`` is the reader's time zone, which dates the report (a subscription's zone);
        each language's report is rendered once and shared by every chat reading it.
        """
        built = await self.built(now_utc, zone)
        key = self._report_key(built, platform, sections, with_images, language)
        return await self._render_once(
            key,
            platform,
            localize(select_sections(built.report, sections), language),
            with_images,
            (),
            digest=not sections,
        )

    @staticmethod
    def _report_key(
        built: Built,
        platform: str,
        sections: Sequence[str],
        with_images: bool,
        language: Language = DEFAULT_LANGUAGE,
    ) -> tuple[Any, ...]:
        return ("report", built.report.report_at, platform, tuple(sections), with_images, language)

    @staticmethod
    def _divergence_key(
        built: Built,
        platform: str,
        request: DivergenceRequest,
        language: Language = DEFAULT_LANGUAGE,
    ) -> tuple[Any, ...]:
        return ("divergence", built.report.report_date, platform, request, language)

    def is_cached(
        self,
        platform: str,
        request: ReportRequest | DivergenceRequest,
        language: Language = DEFAULT_LANGUAGE,
    ) -> bool:
        """Return True when the answer is rendered (or its text is, its images on the way):
        serving it costs no more work."""
        built = self._cached_built(self.now())
        if built is None:
            return False
        if isinstance(request, DivergenceRequest):
            return self._divergence_key(built, platform, request, language) in self._parts
        keys = [
            self._report_key(built, platform, request.sections, images, language)
            for images in (True, False)
        ]
        return any(key in self._parts for key in keys)

    async def prebuild(
        self,
        platforms: Sequence[str],
        now_utc: datetime | None = None,
        languages: Sequence[Language] = (DEFAULT_LANGUAGE,),
    ) -> None:
        """Fetch, build and render the digest, then each section, for each platform and
        language before anyone asks (/report, /market, /section and the section buttons under
        a digest, asked or pushed, are then cached).

        Run on each scheduler tick: current content costs a lookup. A report that cannot be
        built is logged, and the next tick (or ask) tries again.
        """
        asks = [(), *((s.key,) for s in SECTIONS if s.key != "disclaimer")]
        try:
            for language in languages:
                for sections in asks:
                    for platform in platforms:
                        await self.parts(platform, sections, now_utc=now_utc, language=language)
        except ReportError as exc:
            log.warning("prebuild failed: %s", exc)

    async def parts_text_first(
        self,
        platform: str,
        sections: Sequence[str] = (),
        now_utc: datetime | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> tuple[list[MessagePart], asyncio.Future[list[MessagePart]] | None]:
        """Return the report's parts now if rendered; else its text now and its images later.

        Images take seconds to draw: a first ask gets the text at once and a future of the
        whole render's other parts (its photos; its texts are the text render's, cut apart).
        """
        built = await self.built(now_utc)
        if self._report_key(built, platform, sections, True, language) not in self._parts:
            text = await self.parts(
                platform, sections, with_images=False, now_utc=now_utc, language=language
            )
            # Where text parts are whole messages (Discord) they are sent once, whole.
            if all(isinstance(part, TextPart) for part in text):
                images = self._images(platform, sections, now_utc, language)
                return text, asyncio.ensure_future(images)
        return await self.parts(platform, sections, now_utc=now_utc, language=language), None

    async def _images(
        self,
        platform: str,
        sections: Sequence[str],
        now_utc: datetime | None,
        language: Language,
    ) -> list[MessagePart]:
        full = await self.parts(platform, sections, now_utc=now_utc, language=language)
        return [part for part in full if not isinstance(part, TextPart)]

    async def _render_once(
        self,
        key: tuple[Any, ...],
        platform: str,
        report: Report,
        with_images: bool,
        charts: Sequence[DivergenceHistory],
        *,
        digest: bool = False,
    ) -> list[MessagePart]:
        found = self._parts.get(key)
        if found is not None:
            return found
        render = self.renderer(platform)
        async with self._lock(key):
            found = self._parts.get(key)
            if found is None:
                found = await asyncio.to_thread(
                    render, report, with_images=with_images, charts=charts, digest=digest
                )
                self._parts[key] = found
                self.renders += 1
        return found

    async def divergence(
        self, request: DivergenceRequest, now_utc: datetime | None = None
    ) -> DivergenceAnswer:
        """Return one pair's spread as a report, with its stored history when there is some."""
        built = await self.built(now_utc)
        a, b = self.registry.resolve(request.a), self.registry.resolve(request.b)
        facts, chart = built.facts, None
        if self.history is not None:
            facts, chart = await asyncio.to_thread(self._pair_facts, built, a, b, request.days)
        return DivergenceAnswer(build_pair_report(built.report, facts, a, b), chart)

    def _pair_facts(
        self, built: Built, a: Instrument, b: Instrument, days: int
    ) -> tuple[Facts, DivergenceHistory | None]:
        """Return facts ranking the pair over ``days`` stored sessions, and its chart input."""
        settings = self.settings.model_copy(
            update={"history": self.settings.history.model_copy(update={"window_sessions": days})}
        )
        history = self._spread_history(built.snapshot, [(a.key, b.key)], days)
        facts = compute_facts(
            built.snapshot, self.registry, settings, history, at=built.report.report_at
        )
        chart = None
        if self.history is not None and a.key != b.key:
            chart = divergence_chart(
                self.history,
                a.key,
                b.key,
                labels=(a.display_name, b.display_name),
                days=days,
                until=built.snapshot.report_date,
            )
        return facts, chart

    async def divergence_parts(
        self,
        platform: str,
        request: DivergenceRequest,
        now_utc: datetime | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> list[MessagePart]:
        """Return a pair's answer rendered for a platform in a language: a chart with
        history, else the table."""
        key = self._divergence_key(await self.built(now_utc), platform, request, language)
        if key in self._parts:
            return self._parts[key]
        answer = await self.divergence(request, now_utc)
        report = localize(answer.report, language)
        return await self._render_once(key, platform, report, bool(answer.charts), answer.charts)

    async def sources(
        self, now_utc: datetime | None = None, language: Language = DEFAULT_LANGUAGE
    ) -> Report:
        """Return where each figure came from, its session and its freshness."""
        now = now_utc or self.now()
        built = await self.built(now)
        return build_sources_report(built.snapshot, self.registry, now, language)

    async def sources_parts(
        self,
        platform: str,
        now_utc: datetime | None = None,
        language: Language = DEFAULT_LANGUAGE,
    ) -> list[MessagePart]:
        """Return the sources answer rendered for a platform in a language (text only;
        freshness is live)."""
        report = await self.sources(now_utc, language)
        return await asyncio.to_thread(self.renderer(platform), report, with_images=False)

"""ReportCache: each day's report built once, rendered once per platform, then served.

Platform-neutral: chat adapters (Telegram, Discord, the console) and the broadcaster ask it
for reports and rendered message parts; it never imports a chat library.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from bot.commands import DivergenceRequest, ReportRequest
from bot.divergence import divergence_chart
from bot.platforms import platform_renderers
from core.analysis.build import build_report
from core.analysis.facts import Facts, compute_facts
from core.analysis.history_stats import SpreadHistory
from core.analysis.pair_report import build_pair_report
from core.clock import SYSTEM_CLOCK, Clock
from core.demo import demo_snapshot
from core.history import HistoryStore
from core.instruments import Instrument, InstrumentRegistry, default_registry
from core.live import pair_history
from core.report import Report
from core.sections import select_sections
from core.settings import AnalysisSettings, default_analysis_settings
from core.snapshot import MarketSnapshot
from core.sources_report import build_sources_report
from renderers.images import DivergenceHistory
from renderers.parts import MessagePart

SnapshotSource = Callable[[datetime], Awaitable[MarketSnapshot]]


class PartsRenderer(Protocol):
    """Render a report into one platform's message parts."""

    def __call__(
        self, report: Report, *, with_images: bool = True, charts: Sequence[DivergenceHistory] = ()
    ) -> list[MessagePart]: ...


def demo_source() -> SnapshotSource:
    """Return a source that always yields the bundled sample snapshot."""
    snapshot = demo_snapshot()

    async def source(now_utc: datetime) -> MarketSnapshot:
        return snapshot

    return source


@dataclass(frozen=True)
class Built:
    """One day's snapshot, facts and full report."""

    snapshot: MarketSnapshot
    facts: Facts
    report: Report


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
    """Build, cache and answer reports; one build per day, one render per platform and ask."""

    def __init__(
        self,
        source: SnapshotSource,
        *,
        registry: InstrumentRegistry | None = None,
        settings: AnalysisSettings | None = None,
        history: HistoryStore | None = None,
        renderers: Mapping[str, PartsRenderer] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.registry = registry or default_registry()
        self.settings = settings or default_analysis_settings()
        self.history = history
        self.renderers = dict(platform_renderers() if renderers is None else renderers)
        self._source = source
        self._clock = clock
        self._built: dict[date, Built] = {}
        self._parts: dict[tuple[Any, ...], list[MessagePart]] = {}
        self._locks: dict[Any, asyncio.Lock] = {}
        self.builds = 0
        self.renders = 0

    def now(self) -> datetime:
        """Return the service clock's aware UTC time."""
        return self._clock.now_utc()

    def _lock(self, key: Any) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    async def built(self, now_utc: datetime | None = None) -> Built:
        """Return the day's snapshot and report, building them on the first ask of a UTC day."""
        day = (now_utc or self.now()).astimezone(UTC).date()
        found = self._built.get(day)
        if found is not None:
            return found
        async with self._lock(("build", day)):
            found = self._built.get(day)
            if found is None:
                snapshot = await self._source(now_utc or self.now())
                found = await asyncio.to_thread(self._build, snapshot)
                # Only the current day is kept: yesterday's report is never asked for again.
                self._built = {day: found}
                self._parts = {}
                self.builds += 1
        return found

    def _build(self, snapshot: MarketSnapshot) -> Built:
        history = self._spread_history(
            snapshot, self.configured_pairs(), self.settings.history.window_sessions
        )
        facts = compute_facts(snapshot, self.registry, self.settings, history)
        report = build_report(snapshot, self.registry, self.settings, history=history)
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
        self, request: ReportRequest | None = None, now_utc: datetime | None = None
    ) -> Report:
        """Return today's report, limited to the requested sections (None = all)."""
        sections = request.sections if request is not None else ()
        return select_sections((await self.built(now_utc)).report, sections)

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
    ) -> list[MessagePart]:
        """Return today's report (or some sections) rendered for a platform, rendered once."""
        built = await self.built(now_utc)
        key = ("report", built.report.report_date, platform, tuple(sections), with_images)
        return await self._render_once(
            key, platform, select_sections(built.report, sections), with_images, ()
        )

    async def _render_once(
        self,
        key: tuple[Any, ...],
        platform: str,
        report: Report,
        with_images: bool,
        charts: Sequence[DivergenceHistory],
    ) -> list[MessagePart]:
        found = self._parts.get(key)
        if found is not None:
            return found
        render = self.renderer(platform)
        async with self._lock(key):
            found = self._parts.get(key)
            if found is None:
                found = await asyncio.to_thread(
                    render, report, with_images=with_images, charts=charts
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
        facts = compute_facts(built.snapshot, self.registry, settings, history)
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
        self, platform: str, request: DivergenceRequest, now_utc: datetime | None = None
    ) -> list[MessagePart]:
        """Return a pair's answer rendered for a platform: a chart with history, else the table."""
        answer = await self.divergence(request, now_utc)
        key = ("divergence", answer.report.report_date, platform, request)
        return await self._render_once(
            key, platform, answer.report, bool(answer.charts), answer.charts
        )

    async def sources(self, now_utc: datetime | None = None) -> Report:
        """Return where each figure came from, its session and its freshness."""
        now = now_utc or self.now()
        built = await self.built(now)
        return build_sources_report(built.snapshot, self.registry, now)

    async def sources_parts(
        self, platform: str, now_utc: datetime | None = None
    ) -> list[MessagePart]:
        """Return the sources answer rendered for a platform (text only; freshness is live)."""
        report = await self.sources(now_utc)
        return await asyncio.to_thread(self.renderer(platform), report, with_images=False)

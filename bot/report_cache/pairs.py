"""One pair's divergence answered from the current report, ranked against stored history."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.commands import DivergenceRequest
from bot.divergence import divergence_chart
from bot.report_cache.content import Built
from bot.report_cache.rendering import RenderedReports
from core.analysis.facts import Facts, compute_facts
from core.analysis.pair_report import build_pair_report
from core.i18n import DEFAULT_LANGUAGE, Language
from core.instruments import Instrument
from core.localize import localize
from core.report import Report
from renderers.images import DivergenceHistory
from renderers.parts import MessagePart


@dataclass(frozen=True)
class DivergenceAnswer:
    """A pair's report (sessions, warnings, sources kept) and its history chart, if stored."""

    report: Report
    chart: DivergenceHistory | None = None

    @property
    def charts(self) -> tuple[DivergenceHistory, ...]:
        """Return the chart data to draw (none without history)."""
        return () if self.chart is None else (self.chart,)


class PairAnswers(RenderedReports):
    """Answer ``/divergence A B [DAYS]`` from the current report and the history store."""

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

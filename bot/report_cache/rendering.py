"""Reports rendered once per platform, sections and language, ahead of the asks where it can.

A cold ask gets its text at once and its images when they are drawn; ``prebuild`` renders the
digest and every section after each fetch, so /report, /market, /section and the buttons
under a digest are answered from the cache.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.commands import DivergenceRequest, ReportRequest
from bot.platforms import platform_renderers
from bot.report_cache.content import Built, ReportBuilds, SnapshotSource
from core.errors import ReportError
from core.i18n import DEFAULT_LANGUAGE, Language
from core.localize import localize
from core.report import Report
from core.sections import SECTIONS, select_sections
from renderers.images import DivergenceHistory
from renderers.parts import MessagePart, TextPart

log = logging.getLogger(__name__)


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


class RenderedReports(ReportBuilds):
    """The built reports rendered into each platform's message parts, once per ask's key."""

    def __init__(
        self,
        source: SnapshotSource,
        *,
        renderers: Mapping[str, PartsRenderer] | None = None,
        **builds: Any,
    ) -> None:
        super().__init__(source, **builds)
        self.renderers = dict(platform_renderers() if renderers is None else renderers)
        self._parts: dict[tuple[Any, ...], list[MessagePart]] = {}
        self.renders = 0

    def _content_changed(self) -> None:
        super()._content_changed()
        self._parts = {}

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

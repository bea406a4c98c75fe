"""PNG images of the dashboard, tables and divergence charts, rendered once per content."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from core.i18n import Language, translator
from core.report import Report, Table
from renderers.images.cache import DEFAULT_CACHE, ImageCache, content_key
from renderers.images.chart import DivergenceHistory, Point, divergence_chart_png
from renderers.images.dashboard import LAYOUT, DashboardLayout, dashboard_png, plan_dashboard
from renderers.images.table import table_png, table_pngs

__all__ = [
    "DivergenceHistory",
    "cached_dashboard_png",
    "cached_divergence_chart_png",
    "cached_table_png",
    "cached_table_pngs",
    "dashboard_png",
    "dashboard_png_async",
    "divergence_chart_png",
    "divergence_chart_png_async",
    "history_chart_png",
    "table_png",
    "table_png_async",
    "table_pngs",
]


def cached_table_png(
    table: Table,
    *,
    title: str | None = None,
    footer: str | None = None,
    cache: ImageCache = DEFAULT_CACHE,
    language: Language = Language.EN,
) -> bytes:
    """Return the table's PNG, rendering it only if this content was not rendered before."""
    key = content_key("table", table, title, footer, language)
    return cache.get_or_render(
        key, lambda: table_png(table, title=title, footer=footer, language=language)
    )


def cached_table_pngs(
    table: Table,
    *,
    title: str | None = None,
    footer: str | None = None,
    cache: ImageCache = DEFAULT_CACHE,
    language: Language = Language.EN,
) -> list[bytes]:
    """Return the table's phone-sized pages, each rendered only on a cache miss."""
    key = content_key("table-pages", table, title, footer, language)

    def pages() -> tuple[bytes, ...]:
        return tuple(table_pngs(table, title=title, footer=footer, language=language))

    return list(cache.get_or_render(key, pages))


def cached_dashboard_png(
    report: Report, *, layout: DashboardLayout = LAYOUT, cache: ImageCache = DEFAULT_CACHE
) -> bytes:
    """Return the report's dashboard PNG, rendering it only when what it shows changed."""
    key = content_key("dashboard", plan_dashboard(report, layout), layout)
    return cache.get_or_render(key, lambda: dashboard_png(report, layout))


async def dashboard_png_async(report: Report, *, cache: ImageCache = DEFAULT_CACHE) -> bytes:
    """Return the (cached) dashboard PNG, rendered in a worker thread."""
    return await asyncio.to_thread(cached_dashboard_png, report, cache=cache)


def cached_divergence_chart_png(
    series_a: Sequence[Point],
    series_b: Sequence[Point],
    spreads_bps: Sequence[Point],
    *,
    label_a: str,
    label_b: str,
    title: str | None = None,
    footer: str | None = None,
    cache: ImageCache = DEFAULT_CACHE,
    language: Language = Language.EN,
) -> bytes:
    """Return the divergence chart's PNG, rendering it only on a cache miss."""
    inputs = (tuple(series_a), tuple(series_b), tuple(spreads_bps))
    key = content_key("divergence", *inputs, label_a, label_b, title, footer, language)
    return cache.get_or_render(
        key,
        lambda: divergence_chart_png(
            *inputs,
            label_a=label_a,
            label_b=label_b,
            title=title,
            footer=footer,
            language=language,
        ),
    )


def history_chart_png(
    history: DivergenceHistory,
    *,
    title: str | None,
    footer: str | None,
    cache: ImageCache = DEFAULT_CACHE,
    language: Language = Language.EN,
) -> bytes:
    """Return the (cached) chart of a DivergenceHistory, its words in ``language``."""
    name = translator(language).gettext
    return cached_divergence_chart_png(
        history.series_a,
        history.series_b,
        history.spreads_bps,
        label_a=name(history.label_a),
        label_b=name(history.label_b),
        title=title,
        footer=footer,
        cache=cache,
        language=language,
    )


async def table_png_async(
    table: Table,
    *,
    title: str | None = None,
    footer: str | None = None,
    cache: ImageCache = DEFAULT_CACHE,
) -> bytes:
    """Return the table's PNG, rendered in a worker thread so the event loop keeps serving."""
    return await asyncio.to_thread(cached_table_png, table, title=title, footer=footer, cache=cache)


async def divergence_chart_png_async(
    series_a: Sequence[Point],
    series_b: Sequence[Point],
    spreads_bps: Sequence[Point],
    *,
    label_a: str,
    label_b: str,
    title: str | None = None,
    footer: str | None = None,
    cache: ImageCache = DEFAULT_CACHE,
) -> bytes:
    """Return the divergence chart's PNG, rendered in a worker thread."""
    return await asyncio.to_thread(
        cached_divergence_chart_png,
        series_a,
        series_b,
        spreads_bps,
        label_a=label_a,
        label_b=label_b,
        title=title,
        footer=footer,
        cache=cache,
    )

"""ReportCache: reports built when their content changes, rendered once per platform, served.

Platform-neutral: chat adapters (Telegram, Discord, the console) and the broadcaster ask it
for reports and rendered message parts; it never imports a chat library. One concept per
module: ``content`` (fetching and building), ``rendering`` (message parts, prebuilt and
text-first), ``pairs`` (a pair's divergence).
"""

from __future__ import annotations

from bot.report_cache.content import Built, ReportBuilds, SnapshotSource, demo_source
from bot.report_cache.pairs import DivergenceAnswer, PairAnswers
from bot.report_cache.rendering import PartsRenderer, RenderedReports


class ReportCache(PairAnswers):
    """Build, cache and answer reports; a build per new content, a render per platform and ask.

    Takes the snapshot ``source`` and, by keyword, ``registry``, ``settings``, ``history``,
    ``renderers``, ``clock`` and ``retry_failed_after`` (see ``ReportBuilds``).
    """


__all__ = [
    "Built",
    "DivergenceAnswer",
    "PartsRenderer",
    "RenderedReports",
    "ReportBuilds",
    "ReportCache",
    "SnapshotSource",
    "demo_source",
]

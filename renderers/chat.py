"""What the chat renderers share: reading order in segments, table layout, and the images."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from core.formatting import session_label
from core.i18n import N_, Language, translator
from core.instruments import round_the_clock
from core.phrase import listing
from core.report import Paragraph, Report, Section, Table
from core.sections import SECTIONS
from renderers.images import (
    DivergenceHistory,
    cached_dashboard_png,
    cached_table_pngs,
    history_chart_png,
)
from renderers.images.cache import DEFAULT_CACHE, ImageCache
from renderers.text import display_width, format_table
from renderers.walk import (
    ReportWriter,
    cell_texts,
    label,
    labelled,
    ordered_warnings,
    sessions_text,
)

# Wider aligned tables wrap on a phone and lose their columns; those are written as records.
MAX_ALIGNED_WIDTH = 60
# A Telegram bubble on a 390 px phone holds about 34 monospace characters a line.
TablePicked = Callable[[Table], bool]
PHONE_PRE_WIDTH = 34
# The equity markets' sections share one image group.
MARKET_SECTIONS = tuple(s.key for s in SECTIONS if s.market and not round_the_clock(s.market))
FALLBACK_DISCLAIMER = N_(
    "For information only; not investment advice. Figures are computed from the sources named "
    "in this report and may be delayed, revised or incomplete. Verify before trading."
)
_MARKET_OF = {s.key: s.market for s in SECTIONS if s.market}


def with_disclaimer(report: Report) -> Report:
    """Return the report with a disclaimer section at the end if it has none."""
    if any(s.key == "disclaimer" for s in report.sections):
        return report
    say = translator(report.language).gettext
    disclaimer = Section(
        "disclaimer", say(N_("Disclaimer")), (Paragraph(say(FALLBACK_DISCLAIMER)),)
    )
    return replace(report, sections=(*report.sections, disclaimer))


def aligned(table: Table, width: int = MAX_ALIGNED_WIDTH) -> bool:
    """Return True when the table is narrow enough to show as aligned monospace columns."""
    lines = format_table(table).splitlines()
    return max(display_width(line) for line in lines) <= width


def records(table: Table) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return each row as its first cell and the (column, value) pairs of the others."""
    return [
        (row[0], list(zip(table.columns[1:], row[1:], strict=True))) for row in cell_texts(table)
    ]


def unavailable_label(section: Section, language: Language = Language.EN) -> str:
    """Return how a section's missing-data line is labelled, in the report's language."""
    return labelled(N_("Missing") if section.available else N_("Not available"), language)


@dataclass(frozen=True)
class Segment:
    """A piece of the report in reading order; ``key`` names the section it renders."""

    key: str | None
    text: str


def segments(writer: ReportWriter, report: Report) -> list[Segment]:
    """Return the report in reading order, one segment for the header, each section, sources."""
    head = [writer.title(report.title)]
    if report.demo_note:
        head.insert(0, writer.demo_note(report.demo_note))
    if report.sessions:
        sessions = sessions_text(report.sessions, report.language)
        head.append(writer.paragraph(sessions, label=label(report, N_("Sessions"))))
    warnings = ordered_warnings(report)
    if warnings:
        head.append(writer.warnings(warnings, report.language))
    out = [Segment(None, writer.join_blocks(head))]
    out.extend(
        Segment(s.key, writer.section(s, n, language=report.language))
        for n, s in enumerate(report.sections, start=1)
    )
    if report.sources:
        sources = listing(report.sources).said(translator(report.language))
        out.append(Segment(None, writer.paragraph(sources, label=label(report, N_("Sources")))))
    return out


def as_of_footer(report: Report, key: str | None) -> str:
    """Return ``as of <session date> · source: …`` for a section's market, else the report's."""
    market = _MARKET_OF.get(key or "")
    session = next((s for s in report.sessions if s.market == market), None)
    if session is not None:
        day, sources = session.session_date, session.sources
    else:
        day, sources = report.report_date, report.sources
    return _as_of(day, sources, report.language)


def _as_of(day, sources: Sequence[str], language: Language) -> str:
    say = translator(language).gettext
    text = say(N_("as of %(day)s"), day=session_label(day, language))
    if not sources:
        return text
    names = listing(sources).said(translator(language))
    return say(N_("%(as_of)s · source: %(sources)s"), as_of=text, sources=names)


@dataclass(frozen=True)
class Image:
    """A rendered image, the section it belongs to, and its title and footer as plain text."""

    key: str
    filename: str
    title: str
    footer: str
    png: bytes


@dataclass(frozen=True)
class ImageGroup:
    """Related images, shown right after the section ``after``."""

    after: str | None
    images: tuple[Image, ...]


def slug(text: str) -> str:
    """Return an ASCII file-name fragment."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def _table_images(
    report: Report, section: Section, cache: ImageCache, pictured: TablePicked
) -> list[Image]:
    tables = [b for b in section.blocks if isinstance(b, Table) and b.rows and pictured(b)]
    out = []
    for n, table in enumerate(tables, start=1):
        title = f"{section.title} — {table.title}" if table.title else section.title
        footer = " · ".join(filter(None, (table.footer, as_of_footer(report, section.key))))
        pages = cached_table_pngs(
            table, title=title, footer=footer, cache=cache, language=report.language
        )
        for k, png in enumerate(pages, start=1):
            suffix = f"-{n}" if len(tables) > 1 else ""
            suffix += f"-p{k}" if len(pages) > 1 else ""
            shown = f"{title} ({k}/{len(pages)})" if len(pages) > 1 else title
            out.append(Image(section.key, f"{slug(section.key)}{suffix}.png", shown, footer, png))
    return out


def _chart_image(history: DivergenceHistory, cache: ImageCache, language: Language) -> Image:
    tr = translator(language)
    title = tr.gettext(
        N_("%(a)s vs %(b)s: %(n)s-session divergence"),
        a=tr.gettext(history.label_a),
        b=tr.gettext(history.label_b),
        n=len(history.spreads_bps) - 1,  # today, against the sessions before it
    )
    footer = _as_of(history.as_of, history.sources, language)
    png = history_chart_png(history, title=title, footer=footer, cache=cache, language=language)
    name = f"divergence-{slug(history.label_a)}-{slug(history.label_b)}.png"
    return Image("divergences", name, title, footer, png)


def chart_image(
    history: DivergenceHistory,
    cache: ImageCache = DEFAULT_CACHE,
    language: Language = Language.EN,
) -> Image:
    """Return a pair's divergence chart as an image, its words in ``language``."""
    return _chart_image(history, cache, language)


def pair_answer(report: Report, charts: Sequence[DivergenceHistory]) -> tuple[str, str] | None:
    """Return (title, caption text) when ``report`` is one pair's answer with its chart.

    The caption carries what the chart does not print: the spread sentence (z-score,
    correlation, lead-lag) and the legs' sessions, each once.
    """
    keys = [s.key for s in report.sections if s.key != "disclaimer"]
    if len(charts) != 1 or keys != ["divergences"]:
        return None
    section = report.section("divergences")
    lines = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    table = next((b for b in section.blocks if isinstance(b, Table) and b.rows), None)
    say = translator(report.language).gettext
    if table is not None and say(N_("Sessions")) in table.columns:
        sessions = cell_texts(table)[0][table.columns.index(say(N_("Sessions")))]
        lines.append(say(N_("Sessions: %(sessions)s"), sessions=sessions))
    if report.demo_note:
        lines.insert(0, report.demo_note.partition(". ")[0].rstrip("."))
    return report.title, "\n".join(lines)


def dashboard_image(report: Report, cache: ImageCache = DEFAULT_CACHE) -> Image:
    """Return the one-picture overview of the report: every market's moves and the main spreads."""
    say = translator(report.language).gettext
    day = session_label(report.report_date, report.language)
    title = say(N_("Markets at a glance — %(day)s"), day=day)
    names = listing(report.sources).said(translator(report.language))
    footer = say(N_("source: %(names)s"), names=names) if report.sources else ""
    png = cached_dashboard_png(report, cache=cache)
    return Image("dashboard", "dashboard.png", title, footer, png)


def _every_table(table: Table) -> bool:
    return True


def image_groups(
    report: Report,
    charts: Sequence[DivergenceHistory] = (),
    cache: ImageCache = DEFAULT_CACHE,
    pictured: TablePicked = _every_table,
) -> list[ImageGroup]:
    """Return the report's images grouped: one group per section, the three markets together.

    ``pictured`` picks the tables sent as images (the others are sent as text only).
    """
    keys = [s.key for s in report.sections]
    markets_last = next((k for k in reversed(keys) if k in MARKET_SECTIONS), None)
    groups: dict[str | None, list[Image]] = {}
    for section in report.sections:
        anchor = markets_last if section.key in MARKET_SECTIONS else section.key
        groups.setdefault(anchor, []).extend(_table_images(report, section, cache, pictured))
    if charts:
        anchor = "divergences" if "divergences" in keys else None
        groups.setdefault(anchor, []).extend(
            _chart_image(h, cache, report.language) for h in charts
        )
    return [ImageGroup(k, tuple(v)) for k, v in groups.items() if v]

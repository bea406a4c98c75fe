"""The /sources answer: where each figure came from, its session and how fresh it is."""

from __future__ import annotations

from datetime import datetime

from core.errors import UnknownInstrument
from core.formatting import session_label
from core.instruments import InstrumentRegistry
from core.report import Cell, Paragraph, Report, Section, Table
from core.snapshot import MarketSnapshot

NOT_RECORDED = "not recorded"


def freshness(fetched_at: datetime | None, now_utc: datetime) -> str:
    """Return how long ago a figure was fetched: ``12 min ago``, ``3 h ago``, ``2 d ago``."""
    if fetched_at is None:
        return NOT_RECORDED
    seconds = max(0.0, (now_utc - fetched_at).total_seconds())
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} d ago"


def _name(registry: InstrumentRegistry, key: str) -> str:
    try:
        return registry.resolve(key).display_name
    except UnknownInstrument:  # one the configuration no longer lists keeps its key
        return key


def build_sources_report(
    snapshot: MarketSnapshot, registry: InstrumentRegistry, now_utc: datetime
) -> Report:
    """Return a one-section report listing every quote's source, session and freshness."""
    rows = [
        (
            Cell(_name(registry, q.instrument)),
            Cell(q.source),
            Cell(session_label(q.session_date)),
            Cell(freshness(q.fetched_at, now_utc)),
        )
        for q in (*snapshot.indexes, *snapshot.crypto)
    ]
    for extra in (snapshot.breadth, snapshot.turnover, snapshot.northbound):
        if extra is not None:
            rows.append(
                (
                    Cell(type(extra).__name__),
                    Cell(extra.source),
                    Cell(session_label(extra.session_date)),
                    Cell(NOT_RECORDED),
                )
            )
    quotes = Table(("Figure", "Source", "Session", "Fetched"), tuple(rows), title="Quotes")
    status = Table(
        ("Source", "Status", "Fetched"),
        tuple(
            (
                Cell(s.name),
                Cell("ok" if s.ok else f"failed: {s.reason or 'no answer'}"),
                Cell(freshness(s.fetched_at, now_utc)),
            )
            for s in snapshot.sources
        ),
        title="Sources",
    )
    blocks: list = [quotes]
    if snapshot.sources:
        blocks.append(status)
    if snapshot.generated_at is not None:
        blocks.append(Paragraph(f"Snapshot built {freshness(snapshot.generated_at, now_utc)}."))
    section = Section("sources", "Sources and freshness", tuple(blocks))
    return Report(
        report_date=snapshot.report_date,
        title=f"Sources — {snapshot.report_date.isoformat()}",
        sections=(section,),
        sources=tuple(dict.fromkeys(s.name for s in snapshot.sources)),
        demo_note=snapshot.demo_note,
    )

"""The /sources answer: where each figure came from, its session and how fresh it is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from core.errors import UnknownInstrument
from core.formatting import age_text, session_label
from core.instruments import InstrumentRegistry
from core.report import Cell, Paragraph, Report, Section, Table
from core.snapshot import MarketSnapshot, ProviderStatus

NOT_RECORDED = "not recorded"


def freshness(fetched_at: datetime | None, now_utc: datetime) -> str:
    """Return how long ago a figure was fetched: ``12 min ago``, ``3 h ago``, ``2 d ago``."""
    if fetched_at is None:
        return NOT_RECORDED
    return f"{age_text((now_utc - fetched_at).total_seconds())} ago"


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
    if snapshot.providers:
        blocks.append(providers_table(snapshot.providers, now_utc))
    elif snapshot.sources:
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


def _latency(ms: float | None) -> str:
    return NOT_RECORDED if ms is None else f"{ms:,.0f} ms"


def _state(s: ProviderStatus, now_utc: datetime) -> str:
    if s.ok:
        return "ok"
    state = f"failed: {s.reason or 'no answer'}"
    if s.last_good_at is not None:
        state += f" (serving its last good figures, {freshness(s.last_good_at, now_utc)})"
    return state


def providers_table(statuses: Iterable[ProviderStatus], now_utc: datetime) -> Table:
    """Return one row per provider: status, last success, latency, supplied, breaker."""
    rows = tuple(
        (
            Cell(s.source),
            Cell(s.market or ""),
            Cell(s.covers),
            Cell(_state(s, now_utc)),
            Cell(freshness(s.last_success, now_utc) if s.last_success else "never"),
            Cell(_latency(s.latency_ms)),
            Cell(", ".join(s.supplied) or "nothing"),
            Cell(s.breaker),
        )
        for s in statuses
    )
    columns = ("Source", "Market", "Covers", "Status", "Last success", "Latency", "Supplied")
    return Table((*columns, "Breaker"), rows, title="Sources")


def build_provider_report(
    statuses: Iterable[ProviderStatus], now_utc: datetime, note: str | None = None
) -> Report:
    """Return the ``marketbot sources`` report: the providers table and a closing note."""
    statuses = tuple(statuses)
    blocks: list = [providers_table(statuses, now_utc)]
    if note:
        blocks.append(Paragraph(note))
    today = now_utc.date()
    return Report(
        report_date=today,
        title=f"Sources — {today.isoformat()}",
        sections=(Section("sources", "Sources", tuple(blocks)),),
        sources=tuple(dict.fromkeys(s.source for s in statuses if s.ok)),
    )

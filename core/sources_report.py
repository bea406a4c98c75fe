"""The /sources answer: where each figure came from, its session and how fresh it is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from core.errors import UnknownInstrument
from core.formatting import age_text, session_label
from core.i18n import DEFAULT_LANGUAGE, N_, Language, Translator, translator
from core.instruments import InstrumentRegistry
from core.phrase import said
from core.report import Cell, Paragraph, Report, Section, Table
from core.snapshot import MarketSnapshot, ProviderStatus

NOT_RECORDED = N_("not recorded")
_EXTRAS = {
    "breadth": N_("A-share breadth"),
    "turnover": N_("A-share turnover"),
    "northbound": N_("Northbound flow"),
}


def freshness(
    fetched_at: datetime | None, now_utc: datetime, language: Language = DEFAULT_LANGUAGE
) -> str:
    """Return how long ago a figure was fetched: ``12 min ago``, ``3 h ago`` (``3 小时前``)."""
    tr = translator(language)
    if fetched_at is None:
        return tr.gettext(NOT_RECORDED)
    age = age_text((now_utc - fetched_at).total_seconds(), language)
    return tr.gettext(N_("%(age)s ago"), age=age)


def _name(registry: InstrumentRegistry, key: str, tr: Translator) -> str:
    try:
        return tr.gettext(registry.resolve(key).display_name)
    except UnknownInstrument:  # one the configuration no longer lists keeps its key
        return key


def _status(ok: bool, reason: str | None, tr: Translator) -> str:
    if ok:
        return tr.gettext(N_("ok"))
    # A reason made here is a Phrase said in the reader's language; codes stay as they came.
    return tr.gettext(
        N_("failed: %(reason)s"), reason=said(reason, tr) if reason else tr.gettext(N_("no answer"))
    )


def build_sources_report(
    snapshot: MarketSnapshot,
    registry: InstrumentRegistry,
    now_utc: datetime,
    language: Language = DEFAULT_LANGUAGE,
) -> Report:
    """Return a one-section report listing every quote's source, session and freshness,
    worded in ``language``."""
    tr = translator(language)
    rows = [
        (
            Cell(_name(registry, q.instrument, tr)),
            Cell(said(q.source, tr)),  # a last good figure's source says its age
            Cell(session_label(q.session_date, language)),
            Cell(freshness(q.fetched_at, now_utc, language)),
        )
        for q in (*snapshot.indexes, *snapshot.crypto)
    ]
    for field, name in _EXTRAS.items():
        extra = getattr(snapshot, field)
        if extra is not None:
            rows.append(
                (
                    Cell(tr.gettext(name)),
                    Cell(extra.source),
                    Cell(session_label(extra.session_date, language)),
                    Cell(tr.gettext(NOT_RECORDED)),
                )
            )
    headers = (N_("Figure"), N_("Source"), N_("Session"), N_("Fetched"))
    quotes = Table(
        tuple(tr.gettext(h) for h in headers), tuple(rows), title=tr.gettext(N_("Quotes"))
    )
    status = Table(
        tuple(tr.gettext(h) for h in (N_("Source"), N_("Status"), N_("Fetched"))),
        tuple(
            (
                Cell(s.name),
                Cell(_status(s.ok, s.reason, tr)),
                Cell(freshness(s.fetched_at, now_utc, language)),
            )
            for s in snapshot.sources
        ),
        title=tr.gettext(N_("Sources")),
    )
    blocks: list = [quotes]
    if snapshot.providers:
        blocks.append(providers_table(snapshot.providers, now_utc, language))
    elif snapshot.sources:
        blocks.append(status)
    if snapshot.generated_at is not None:
        built = freshness(snapshot.generated_at, now_utc, language)
        blocks.append(Paragraph(tr.gettext(N_("Snapshot built %(age)s."), age=built)))
    title = tr.gettext(N_("Sources and freshness"))
    return Report(
        report_date=snapshot.report_date,
        title=tr.gettext(N_("Sources — %(date)s"), date=snapshot.report_date.isoformat()),
        sections=(Section("sources", title, tuple(blocks)),),
        sources=tuple(dict.fromkeys(s.name for s in snapshot.sources)),
        demo_note=tr.gettext(snapshot.demo_note) if snapshot.demo_note else None,
        language=language,
    )


def _latency(ms: float | None, tr: Translator) -> str:
    return tr.gettext(NOT_RECORDED) if ms is None else f"{ms:,.0f} ms"


def _state(s: ProviderStatus, now_utc: datetime, tr: Translator) -> str:
    state = _status(s.ok, s.reason, tr)
    if not s.ok and s.last_good_at is not None:
        age = freshness(s.last_good_at, now_utc, tr.language)
        state += tr.gettext(N_(" (serving its last good figures, %(age)s)"), age=age)
    return state


_PROVIDER_COLUMNS = (
    N_("Source"),
    N_("Market"),
    N_("Covers"),
    N_("Status"),
    N_("Last success"),
    N_("Latency"),
    N_("Supplied"),
    N_("Breaker"),
)


def providers_table(
    statuses: Iterable[ProviderStatus], now_utc: datetime, language: Language = DEFAULT_LANGUAGE
) -> Table:
    """Return one row per provider: status, last success, latency, supplied, breaker."""
    tr = translator(language)
    never, nothing = tr.gettext(N_("never")), tr.gettext(N_("nothing"))
    rows = tuple(
        (
            Cell(s.source),
            Cell(s.market or ""),
            Cell(s.covers),
            Cell(_state(s, now_utc, tr)),
            Cell(freshness(s.last_success, now_utc, language) if s.last_success else never),
            Cell(_latency(s.latency_ms, tr)),
            Cell(", ".join(s.supplied) or nothing),
            Cell(s.breaker),
        )
        for s in statuses
    )
    columns = tuple(tr.gettext(c) for c in _PROVIDER_COLUMNS)
    return Table(columns, rows, title=tr.gettext(N_("Sources")))


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

"""Assemble the full Report from a snapshot: facts once, then every section builder in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.analysis.digest import build_digest
from core.analysis.facts import Facts, compute_facts
from core.analysis.history_stats import SpreadHistory
from core.analysis.overview import market_sessions, spreads
from core.analysis.sections.actions import build_actions
from core.analysis.sections.crypto import build_crypto
from core.analysis.sections.disclaimer import build_disclaimer
from core.analysis.sections.divergences import build_divergences
from core.analysis.sections.flows import build_flows
from core.analysis.sections.insight import build_insight
from core.analysis.sections.markets import build_cn, build_hk, build_us
from core.analysis.sections.risks import build_risks
from core.analysis.sections.transmission import build_transmission
from core.analysis.wording import day, legend
from core.i18n import Language, translator
from core.instruments import InstrumentRegistry, default_registry, round_the_clock
from core.localize import REPORT_TITLE
from core.phrase import Phrase, listing, say, verbatim
from core.report import Report, ReportWarning, Section, WarningKind
from core.settings import AnalysisSettings, default_analysis_settings
from core.snapshot import MarketSnapshot, NoteKind, SnapshotNote, SourceStatus

BUILDERS: dict[str, Callable[[Facts], Section]] = {
    "insight": build_insight,
    "transmission": build_transmission,
    "crypto": build_crypto,
    "us": build_us,
    "hk": build_hk,
    "cn": build_cn,
    "divergences": build_divergences,
    "flows": build_flows,
    "risks": build_risks,
    "actions": build_actions,
    "disclaimer": build_disclaimer,
}

_NOTE_TO_WARNING = {
    NoteKind.CLOSED: WarningKind.CLOSED,
    NoteKind.STALE: WarningKind.STALE,
    NoteKind.SOURCE_FAILED: WarningKind.SOURCE_FAILED,
    NoteKind.DISAGREEMENT: WarningKind.DISAGREEMENT,
    NoteKind.DATA_QUALITY: WarningKind.DATA_QUALITY,
    NoteKind.INFO: WarningKind.INFO,
}

# Saturday and Sunday: no exchange of the report trades; calendars add holidays upstream.
_WEEKEND = (5, 6)


def _already_noted(status: SourceStatus, notes: tuple[SnapshotNote, ...]) -> bool:
    """Return True when a failure note already tells what this failed source cost."""
    # Failure notes read "<source> failed (<reason>)" and also name the figures lost.
    said = f"{status.name.split(' ')[0]} failed ({status.reason})"
    return any(n.kind is NoteKind.SOURCE_FAILED and said in n.message for n in notes)


def _reason(reason: str | None) -> Phrase:
    # A reason made by marketbot is a Phrase, re-said per language; plain text is a source's.
    if isinstance(reason, Phrase):
        return reason
    return verbatim(reason) if reason else say("no answer")


def _warnings(facts: Facts) -> tuple[ReportWarning, ...]:
    snap = facts.snapshot
    out: list[ReportWarning] = []
    if snap.demo_note:
        out.append(ReportWarning(WarningKind.DEMO, snap.demo_note))
    out.extend(ReportWarning(_NOTE_TO_WARNING[n.kind], n.message, n.market) for n in snap.notes)
    out.extend(
        ReportWarning(
            WarningKind.SOURCE_FAILED,
            say(
                "%(source)s unavailable: %(reason)s",
                source=verbatim(s.name),
                reason=_reason(s.reason),
            ),
        )
        for s in snap.sources
        if not s.ok and not _already_noted(s, snap.notes)
    )
    noted_closed = {n.market for n in snap.notes if n.kind is NoteKind.CLOSED}
    for move in facts.markets.values():
        if not move.known_moves:
            out.append(
                ReportWarning(
                    WarningKind.MISSING,
                    say("%(market)s: no figures in this snapshot.", market=move.name),
                    move.market,
                )
            )
            continue
        if move.missing:
            out.append(
                ReportWarning(
                    WarningKind.MISSING,
                    say(
                        "%(market)s: no figure for %(names)s.",
                        market=move.name,
                        names=listing(move.missing),
                    ),
                    move.market,
                )
            )
        if (
            not round_the_clock(move.market)
            and move.market not in noted_closed
            and snap.report_date.weekday() in _WEEKEND
            and move.session_date is not None
            and move.session_date < snap.report_date
        ):
            out.append(
                ReportWarning(
                    WarningKind.CLOSED,
                    say(
                        "%(market)s closed on %(today)s: figures are from the last session, "
                        "%(last)s, not new moves.",
                        market=move.name,
                        today=day(snap.report_date),
                        last=day(move.session_date),
                    ),
                    move.market,
                )
            )
        if len(move.session_dates) > 1:
            dates = listing(day(d) for d in move.session_dates)
            out.append(
                ReportWarning(
                    WarningKind.STALE,
                    say(
                        "%(market)s: quotes come from different sessions (%(dates)s).",
                        market=move.name,
                        dates=dates,
                    ),
                    move.market,
                )
            )
    return tuple(out)


def _sources(facts: Facts) -> tuple[str, ...]:
    snap = facts.snapshot
    names = [s.name for s in snap.sources if s.ok]
    for move in facts.markets.values():
        names.extend(move.sources)
    return tuple(dict.fromkeys(names))


def reader_instant(
    snapshot: MarketSnapshot, at: datetime | None, settings: AnalysisSettings
) -> datetime | None:
    """Return the report instant: ``at``, else the snapshot's build time in the default zone."""
    if at is not None:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"need a timezone-aware report instant, got {at.isoformat()}")
        return at
    if snapshot.generated_at is None:
        return None
    return snapshot.generated_at.astimezone(ZoneInfo(settings.timeline.reader_timezone))


def build_report(
    snapshot: MarketSnapshot,
    registry: InstrumentRegistry | None = None,
    settings: AnalysisSettings | None = None,
    sections: tuple[str, ...] | None = None,
    history: SpreadHistory | None = None,
    at: datetime | None = None,
) -> Report:
    """Compute the report of a snapshot; ``sections`` limits it to some keys (+ disclaimer).

    ``history`` carries spread statistics from stored closes (computed by the caller). ``at``
    is the instant the report is made for, in the reader's time zone (default: the snapshot's
    build time in the configured time zone); its date there is the report's date.
    """
    settings = settings or default_analysis_settings()
    at = reader_instant(snapshot, at, settings)
    if at is not None and at.date() != snapshot.report_date:
        snapshot = snapshot.with_changes(report_date=at.date())
    facts = compute_facts(snapshot, registry or default_registry(), settings, history, at)
    wanted = BUILDERS if sections is None else {*sections, "disclaimer"}
    built = tuple(builder(facts) for key, builder in BUILDERS.items() if key in wanted)
    return Report(
        report_date=snapshot.report_date,
        title=translator(Language.EN).gettext(REPORT_TITLE, date=snapshot.report_date.isoformat()),
        sections=built,
        sessions=market_sessions(facts),
        spreads=spreads(facts),
        sources=_sources(facts),
        warnings=_warnings(facts),
        demo_note=snapshot.demo_note,
        report_at=at,
        digest=build_digest(facts),
        legend=legend(settings, history=not facts.history.unavailable),
    )

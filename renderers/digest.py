"""The digest's pieces as plain text, shared by the chat renderers: each fact said once.

A digest is the report in one message: the key insight, the chain in time order, the top
divergences, the one-line risk and stance, one line of what is missing, one line of sessions
and sources. Each platform marks these pieces up its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.formatting import bps, session_label, signed_pct
from core.i18n import N_, Language, translator
from core.instruments import round_the_clock
from core.phrase import listing, sentences
from core.report import Report, Spread, Tone, WarningKind
from renderers.walk import WARNING_LABELS, missing_items, ordered_warnings

TOP_SPREADS = 3
# Marks every phone font has (colour emoji are missing from some).
TONE_MARK = {Tone.UP: "▲", Tone.DOWN: "▼", Tone.NEUTRAL: "■"}
CROSS_SESSION_MARK = "*"
# The digest's own words, in the report's language (catalog: core/locale).
CROSS_SESSION_NOTE = N_("* legs from different sessions: a lead-lag gap, not a same-session spread")
CHAIN_HEADING = N_("Chain, by session close")
SPREADS_HEADING = N_("Top divergences (A − B)")
INSIGHT_HEADING = N_("Key insight")
DISCLAIMER = N_("For information only; not investment advice.")
NO_FIGURES = N_("no figures")


@dataclass(frozen=True)
class ChainRow:
    """One market in the chain: its name, mean change, signal and tone."""

    name: str
    change: str
    signal: str
    tone: Tone
    older: bool = False
    language: Language = Language.EN

    def line(self) -> str:
        """Return ``🔴 Hong Kong -1.93% strong risk-off``."""
        older = " " + translator(self.language).gettext(N_("(older session)"))
        older = older if self.older else ""
        return f"{TONE_MARK[self.tone]} {self.name} {self.change} {self.signal}{older}".rstrip()


def chain_rows(report: Report) -> list[ChainRow]:
    """Return the markets in the order their sessions closed, with their reading."""
    no_figures = translator(report.language).gettext(NO_FIGURES)
    return [
        ChainRow(
            s.name,
            signed_pct(s.mean_change_pct),
            (s.signal or "").lower() if s.mean_change_pct is not None else no_figures,
            s.signal_tone,
            s.older,
            report.language,
        )
        for s in report.sessions
    ]


def top_spreads(report: Report, count: int = TOP_SPREADS) -> list[Spread]:
    """Return the widest spreads with a figure, widest first."""
    known = [s for s in report.spreads if s.spread_bps is not None]
    return sorted(known, key=lambda s: -abs(s.spread_bps or 0.0))[:count]


def spread_line(spread: Spread, language: Language = Language.EN) -> tuple[str, str, str]:
    """Return the pair, its spread in bps and its level (marked when the legs' sessions differ)."""
    level = spread.level if spread.same_session else spread.level + CROSS_SESSION_MARK
    return f"{spread.label_a} − {spread.label_b}", bps(spread.spread_bps, lang=language), level


def first_sentence(note: str) -> str:
    """Return a note's first sentence (the sample-data banner's headline)."""
    head, _, _ = note.partition(". ")
    return head.rstrip(".")


def sessions_line(report: Report) -> str:
    """Return each session once, markets sharing one together: ``US equities Thu …``."""
    groups: dict[str, list[str]] = {}
    tr, language = translator(report.language), report.language
    for s in report.sessions:
        if s.session_date is None:
            label = tr.gettext(NO_FIGURES)
        elif round_the_clock(s.market):
            day = session_label(s.session_date, language)
            label = tr.gettext(N_("24 h to %(day)s"), day=day)
        else:
            label = session_label(s.session_date, language)
        groups.setdefault(label, []).append(s.name)
    return " · ".join(f"{listing(names).said(tr)} {label}" for label, names in groups.items())


def missing_line(report: Report) -> str | None:
    """Return every figure a section lacked, once, in reading order (``A-share breadth; …``)."""
    items = missing_items(report)
    return listing(items, "semicolon").said(translator(report.language)) if items else None


def notes(report: Report) -> list[str]:
    """Return the report's warnings (not the sample-data note) as ``Label: message``."""
    tr = translator(report.language)
    return [
        tr.gettext(
            N_("%(label)s: %(text)s"), label=tr.gettext(WARNING_LABELS[w.kind]), text=w.message
        )
        for w in ordered_warnings(report)
        if w.kind is not WarningKind.DEMO
    ]


@dataclass(frozen=True)
class Markup:
    """How a platform marks the digest up: escaping, bold, italics and folded detail."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    fold: Callable[[list[str]], str]


def digest_blocks(report: Report, m: Markup) -> list[str]:
    """Return the digest's blocks after the title, marked up: each fact once."""
    digest = report.digest
    blocks: list[str] = []
    say = translator(report.language).gettext

    def block(heading: str, lines: list[str]) -> None:
        if lines:
            blocks.append("\n".join([m.bold(m.escape(say(heading))), *lines]))

    if digest is not None:
        insight = sentences(*digest.insight).said(translator(report.language))
        block(INSIGHT_HEADING, [m.escape(insight)] if digest.insight else [])
    chain = [m.escape(row.line()) for row in chain_rows(report)]
    if digest is not None and digest.chain:
        chain.append(m.italic(m.escape(digest.chain)))
    block(CHAIN_HEADING, chain)
    spreads = top_spreads(report)
    lines = [
        f"• {m.escape(pair)} {m.bold(m.escape(value))} {m.escape(level)}"
        for pair, value, level in (spread_line(s, report.language) for s in spreads)
    ]
    if any(not s.same_session for s in spreads):
        lines.append(m.italic(m.escape(say(CROSS_SESSION_NOTE))))
    block(SPREADS_HEADING, lines)
    for label, sentence in (
        (say(N_("Top risk:")), digest.risk if digest else None),
        (say(N_("Stance:")), digest.stance if digest else None),
    ):
        if sentence:
            blocks.append(f"{m.bold(label)} {m.escape(sentence)}")
    detail = notes(report)
    missing = missing_line(report)
    if missing:
        detail.append(say(N_("Missing: %(items)s"), items=missing))
    if detail:
        blocks.append(m.fold(detail))
    sessions_label, sources_label = say(N_("Sessions:")), say(N_("Sources:"))
    tail = [f"{m.bold(sessions_label)} {m.escape(sessions_line(report))}"]
    if report.sources:
        sources = listing(report.sources).said(translator(report.language))
        tail.append(f"{m.bold(sources_label)} {m.escape(sources)}")
    tail.append(m.escape(say(DISCLAIMER)))
    blocks.append(m.italic("\n".join(tail)))
    return blocks

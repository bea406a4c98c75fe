"""Disclaimer: not advice, where the figures come from and which session each market's are."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.wording import when
from core.formatting import session_label
from core.report import Paragraph, Section
from core.sections import section_info


def _sources_text(facts: Facts) -> str:
    names = [s.name for s in facts.snapshot.sources if s.ok]
    for move in facts.markets.values():
        names.extend(move.sources)
    names = list(dict.fromkeys(names))
    sessions = "; ".join(
        f"{m.name}: {when(m, facts.report_date)}" if m.known_moves else f"{m.name}: no figures"
        for m in facts.markets.values()
    )
    listed = ", ".join(names) if names else "no source answered"
    text = f"Figures are computed from: {listed}. Sessions used — {sessions}."
    failed = [s for s in facts.snapshot.sources if not s.ok]
    if failed:
        text += " Unavailable: " + "; ".join(
            f"{s.name} ({s.reason or 'no answer'})" for s in failed
        )
        text += "."
    return text


def build_disclaimer(facts: Facts) -> Section:
    """Return the disclaimer section, present in every report."""
    info = section_info("disclaimer")
    blocks = []
    if facts.snapshot.demo_note:
        blocks.append(
            Paragraph(
                f"SAMPLE data from {session_label(facts.report_date)}, not live market data. "
                f"Sample note: {facts.snapshot.demo_note}"
            )
        )
    blocks.append(
        Paragraph(
            "Not financial advice: this report is computed automatically from market data for "
            "information only. Check the figures before any decision; markets move after the "
            "sessions quoted here."
        )
    )
    blocks.append(Paragraph(_sources_text(facts)))
    return Section(info.key, info.title, tuple(blocks))

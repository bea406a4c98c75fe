"""One pair's divergence as a report of its own: what ``/divergence`` and the CLI both show."""

from __future__ import annotations

from dataclasses import replace

from core.analysis.facts import Facts
from core.analysis.sections.divergences import build_pair_divergence
from core.instruments import Instrument
from core.report import Report
from core.sections import select_sections


def build_pair_report(report: Report, facts: Facts, a: Instrument, b: Instrument) -> Report:
    """Return the pair's spread inside the day's report frame (sessions, warnings, sources).

    ``facts`` rank the pair (their history window decides its z-score); the day's ``report``
    lends its sessions, warnings, sources, demo note and disclaimer.
    """
    section = build_pair_divergence(facts, a.key, b.key)
    base = select_sections(report, ("disclaimer",))
    title = f"Divergence {a.display_name} vs {b.display_name} — {report.report_date.isoformat()}"
    return replace(base, title=title, sections=(section, *base.sections))

"""Disclaimer: always present, names sources and sessions, and flags sample data plainly."""

from __future__ import annotations

from datetime import date

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.disclaimer import build_disclaimer
from core.analysis.wording import session_tag, window_tag
from core.instruments import default_registry
from core.settings import default_analysis_settings
from core.snapshot import MarketSnapshot, SourceStatus

from ._outlook import FRI, UNFILLED, make, snapshots, strings
from ._read import FRIDAY, THURSDAY


def _text(section) -> str:
    return "\n".join(b.text for b in section.blocks)


def test_demo_is_flagged_as_sample(demo, facts_of):
    section = build_disclaimer(facts_of(demo))
    first = section.blocks[0].text
    assert first.startswith("SAMPLE data from Fri 2026-03-20, not live market data.")
    assert demo.demo_note in first
    assert "Not financial advice" in _text(section)


def test_sessions_and_sources_are_listed(demo, facts_of):
    text = _text(build_disclaimer(facts_of(demo)))
    assert "reference report 2026-03-20 (sample)" in text
    assert f"US equities: {session_tag(THURSDAY, FRIDAY)}" in text
    assert f"Hong Kong: {session_tag(FRIDAY, FRIDAY)}" in text
    assert f"Crypto: {window_tag(FRIDAY)}" in text


def test_failed_sources_are_named(facts_of):
    snapshot = make(SPX=0.5).with_changes(
        sources=(SourceStatus("yahoo", True), SourceStatus("eastmoney", False, "HTTP 503"))
    )
    text = _text(build_disclaimer(facts_of(snapshot)))
    assert "Figures are computed from: yahoo, hand-built test snapshot." in text
    assert "Unavailable: eastmoney (HTTP 503)." in text
    assert "China A-shares: no figures" in text


@pytest.mark.parametrize(
    "snapshot",
    [
        MarketSnapshot(report_date=FRI),
        MarketSnapshot(report_date=date(2026, 3, 22)),
        make(SPX=0.5),
    ],
)
def test_always_present_and_never_sample_without_a_note(facts_of, snapshot):
    section = build_disclaimer(facts_of(snapshot))
    assert section.key == "disclaimer" and section.available
    text = _text(section)
    assert text.startswith("Not financial advice")
    assert "SAMPLE" not in text


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    section = build_disclaimer(
        compute_facts(snapshot, default_registry(), default_analysis_settings())
    )
    assert section.key == "disclaimer" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

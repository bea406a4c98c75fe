"""Disclaimer: always present, says it is not advice, and repeats nothing the header says."""

from __future__ import annotations

from datetime import date

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.disclaimer import NOT_ADVICE, build_disclaimer
from core.formatting import session_label
from core.instruments import default_registry
from core.settings import default_analysis_settings
from core.snapshot import MarketSnapshot

from ._outlook import FRI, UNFILLED, make, snapshots, strings


def _text(section) -> str:
    return "\n".join(b.text for b in section.blocks)


def test_demo_disclaimer_does_not_repeat_the_sample_note_sources_or_sessions(demo, facts_of):
    facts = facts_of(demo)
    text = _text(build_disclaimer(facts))
    assert text == NOT_ADVICE
    assert demo.demo_note not in text and "SAMPLE" not in text
    assert not any(session_label(m.session_date) in text for m in facts.markets.values())


@pytest.mark.parametrize(
    "snapshot",
    [
        MarketSnapshot(report_date=FRI),
        MarketSnapshot(report_date=date(2026, 3, 22)),
        make(SPX=0.5),
    ],
)
def test_always_present(facts_of, snapshot):
    section = build_disclaimer(facts_of(snapshot))
    assert section.key == "disclaimer" and section.available
    assert _text(section).startswith("Not financial advice")


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    section = build_disclaimer(
        compute_facts(snapshot, default_registry(), default_analysis_settings())
    )
    assert section.key == "disclaimer" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

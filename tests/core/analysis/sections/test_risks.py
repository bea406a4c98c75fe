"""Risk matrix: rules score evidence, probability buckets come from config, triggers from data."""

from __future__ import annotations

import re

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.risks import COLUMNS, assess, build_risks, probability
from core.instruments import default_registry
from core.report import Paragraph, Table
from core.settings import RiskSettings, default_analysis_settings
from core.snapshot import MarketSnapshot

from ._outlook import FRI, UNFILLED, make, snapshots, strings

FIGURE = re.compile(r"[+-]?\d+(\.\d+)?(%| bps)")


def _table(section) -> Table:
    (table,) = section.blocks
    assert isinstance(table, Table)
    assert table.columns == COLUMNS
    return table


def _rows(section) -> dict[str, tuple]:
    return {row[1].value: row for row in _table(section).rows}


def test_demo_matrix_is_ranked_and_sourced(demo, facts_of):
    facts = facts_of(demo)
    risks = assess(facts)
    assert [r.score for r in risks] == sorted((r.score for r in risks), reverse=True)
    table = _table(build_risks(facts))
    assert [row[0].value for row in table.rows] == list(range(1, len(risks) + 1))
    for risk, row in zip(risks, table.rows, strict=True):
        assert row[2].value == probability(risk.score, facts)
        assert FIGURE.search(row[4].value), row[4].value  # trigger quotes a figure
        assert FIGURE.search(risk.evidence), risk.evidence  # so does the evidence


def test_china_drawdown_trigger_uses_the_worst_index(facts_of):
    snapshot = make(breadth=(200, 1800), HSI=-1.2, HSTECH=-2.19, SSE=-0.8)
    row = _rows(build_risks(facts_of(snapshot)))[
        "Drawdown continues in Hong Kong and China A-shares"
    ]
    assert row[4].value.startswith("HSTECH extends beyond -2.19%;")  # its session: in the header
    assert "advance rate stays at or below 25%" in row[4].value
    # HK risk-off, HK strong risk-off, CN risk-off, weak breadth
    assert row[2].value == "High" and row[3].value == "High"


@pytest.mark.parametrize(
    ("snapshot", "expected", "absent"),
    [
        (make(BTC=-4.0, ETH=-5.0, stable_net=-1e9), "Crypto liquidation cascade", "Reversal"),
        (make(BTC=4.0, ETH=5.0), "Reversal after a strong rally in Crypto", "Crypto liquidation"),
        (
            make(SPX=0.9, HSI=-0.9),
            "Transmission stays broken (US equities → Hong Kong)",
            "Reversal",
        ),
        (make(breadth=(100, 1900)), "A-share breadth capitulation", "Drawdown"),
        (
            make(CHINEXT=1.3, SSE=-1.24),
            "Mean reversion of the 创业板指 (ChiNext) − 上证指数 (SSE) gap fails",
            "Crypto",
        ),
    ],
)
def test_rules_fire_on_their_evidence(facts_of, snapshot, expected, absent):
    names = list(_rows(build_risks(facts_of(snapshot))))
    assert expected in names
    assert not any(n.startswith(absent) for n in names)


@pytest.mark.parametrize(
    ("score", "expected"), [(0, "Low"), (1, "Low"), (2, "Medium"), (3, "High"), (7, "High")]
)
def test_probability_buckets_follow_settings(demo, registry, settings, score, expected):
    facts = compute_facts(demo, registry, settings)
    assert probability(score, facts) == expected


def test_show_threshold_hides_weak_rows(demo, registry, settings):
    strict = settings.model_copy(update={"risk": RiskSettings(show_min_score=100)})
    section = build_risks(compute_facts(demo, registry, strict))
    (para,) = section.blocks
    assert isinstance(para, Paragraph)
    assert para.text.startswith("No risk rule reached the show score of 100")
    assert "the rules that fired scored below it" in para.text


def test_quiet_day_says_nothing_qualifies(facts_of):
    section = build_risks(facts_of(make(SPX=0.1, HSI=0.05, SSE=-0.1, BTC=0.3)))
    (para,) = section.blocks
    assert para.text.startswith("No risk rule reached the show score of 1")
    assert "US equities +0.10% (neutral)" in para.text


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.with_changes(breadth=None), "A-share breadth"),
        (lambda s: s.with_changes(stablecoins=None), "Stablecoin supply"),
        (lambda s: s.with_changes(crypto=()), "Crypto figures"),
        (lambda s: s.with_changes(northbound=None), "Northbound flow"),
    ],
)
def test_missing_input_is_named(demo, facts_of, change, named):
    section = build_risks(facts_of(change(demo)))
    assert any(m.startswith(named) for m in section.missing)
    assert section.blocks


def test_empty_snapshot(facts_of):
    section = build_risks(facts_of(MarketSnapshot(report_date=FRI)))
    (para,) = section.blocks
    assert para.text.startswith("No risk can be assessed")
    assert section.key == "risks" and section.missing


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    facts = compute_facts(snapshot, default_registry(), default_analysis_settings())
    section = build_risks(facts)
    assert section.key == "risks" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

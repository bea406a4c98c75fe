"""Key insight: the strongest signal wins whatever its kind; missing data is named, not guessed."""

from __future__ import annotations

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.insight import build_insight, candidates
from core.instruments import default_registry
from core.report import Paragraph
from core.settings import default_analysis_settings
from core.snapshot import Breadth, MarketSnapshot

from ._outlook import FRI, UNFILLED, US_KEYS, make, snapshots, strings
from ._read import FRIDAY, THURSDAY, day, figures

# Each day is built so that one signal clearly passes its threshold by the widest margin.
WINNER_CASES = [
    pytest.param(
        # US Thursday closed before crypto's 24 h began: a chain link too, but a weaker one.
        make(BTC=3.5, SPX=-0.3),
        "BTC minus S&P 500 divergence",
        "+380 bps",
        id="crypto-equity-400bps",
    ),
    pytest.param(
        make(NASDAQ=1.2, DJIA=0.0, SPX=0.0, HSTECH=-2.8, HSI=-0.3, HSCEI=-0.3),
        "Nasdaq minus HSTECH divergence",
        "+400 bps",
        id="equity-400bps",
    ),
    pytest.param(make(breadth=(100, 1900), SSE=-0.5), "A-share breadth", "5.0%", id="breadth-5pct"),
    pytest.param(make(BTC=-9.0, ETH=-12.0), "crypto move", "-10.50%", id="crypto-crash"),
    pytest.param(
        make(stable_net=-2e9, BTC=-0.5, ETH=-0.5),
        "stablecoin flow",
        "-$2.00B",
        id="stablecoin-outflow",
    ),
    pytest.param(
        make(DJIA=0.9, NASDAQ=0.9, SPX=0.9, HSI=-0.9, HSCEI=-0.9, HSTECH=-0.9),
        "US equities → Hong Kong transmission break",
        "+0.90%",
        id="chain-break",
    ),
    pytest.param(
        make(HSI=-3.0, HSCEI=-3.0, HSTECH=-3.0, DJIA=-2.5, NASDAQ=-2.5, SPX=-2.5),
        "Hong Kong move",
        "-3.00%",
        id="hk-selloff",
    ),
]


def _text(section) -> str:
    (para,) = section.blocks
    assert isinstance(para, Paragraph)
    return para.text


@pytest.mark.parametrize(("snapshot", "winner", "figure"), WINNER_CASES)
def test_strongest_signal_wins(facts_of, snapshot, winner, figure):
    facts = facts_of(snapshot)
    ranked = candidates(facts)
    assert winner in ranked[0].label
    assert ranked[0].score >= 1
    text = _text(build_insight(facts))
    assert text.startswith("Strongest: ")
    assert f"{winner}, " in text.split(". ")[0] and "× its threshold." in text
    assert figure in text


def test_winners_differ_across_days(facts_of):
    winners = {candidates(facts_of(case.values[0]))[0].label for case in WINNER_CASES}
    assert len(winners) == len(WINNER_CASES)


def test_ranking_is_by_multiple_of_threshold(demo, facts_of):
    scores = [c.score for c in candidates(facts_of(demo))]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) >= 5  # divergence, break, breadth, crypto, stablecoins, equity markets


def test_runners_up_support_the_winner(demo, facts_of):
    facts = facts_of(demo)
    ranked = candidates(facts)
    text = _text(build_insight(facts))
    quoted = [c for c in ranked[1:] if c.support in text]
    assert 1 <= len(quoted) <= 2
    assert all(c.score >= 1 for c in quoted)
    assert quoted == [c for c in ranked[1:] if c.score >= 1][: len(quoted)]


def test_figures_are_quoted_without_their_markets_sessions(facts_of):
    # Each market's session is in the report's header; the insight does not repeat it.
    facts = facts_of(make(DJIA=0.9, NASDAQ=0.9, SPX=0.9, HSI=-0.9, HSCEI=-0.9, HSTECH=-0.9))
    text = _text(build_insight(facts))
    assert "US equities +0.90%" in text and "Hong Kong -0.90%" in text
    assert not {day(THURSDAY), day(FRIDAY)} & figures(text)
    assert "today" not in text.lower()


def test_quiet_day_says_no_threshold_was_reached(facts_of):
    text = _text(build_insight(facts_of(make(SPX=0.1, HSI=-0.1, BTC=0.2))))
    assert text.startswith("A quiet day: no signal reached its configured threshold")
    assert "Strongest" not in text


def test_empty_snapshot_says_there_is_not_enough_data(facts_of):
    section = build_insight(facts_of(MarketSnapshot(report_date=FRI)))
    assert section.key == "insight"
    assert _text(section).startswith("Not enough data for a key insight on Fri 2026-03-20")
    assert len(section.missing) == 6  # four markets, breadth, stablecoins


def _without(snapshot: MarketSnapshot, keys: tuple[str, ...]) -> MarketSnapshot:
    return snapshot.with_changes(
        indexes=tuple(q for q in snapshot.indexes if q.instrument not in keys)
    )


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: _without(s, US_KEYS), "US equities figures"),
        (lambda s: _without(s, ("HSI", "HSCEI", "HSTECH")), "Hong Kong figures"),
        (lambda s: _without(s, ("SSE", "SZSE", "CHINEXT")), "China A-shares figures"),
        (lambda s: _without(s, ("HSCEI",)), "HSCEI"),
        (lambda s: s.with_changes(crypto=()), "Crypto figures"),
        (lambda s: s.with_changes(breadth=None), "A-share breadth"),
        (lambda s: s.with_changes(breadth=Breadth(FRI, "t", up=10)), "A-share breadth"),
        (lambda s: s.with_changes(stablecoins=None), "Stablecoin supply"),
    ],
)
def test_missing_input_is_named(demo, facts_of, change, named):
    section = build_insight(facts_of(change(demo)))
    assert any(m.startswith(named) for m in section.missing)
    assert _text(section).startswith(("Strongest: ", "A quiet day"))


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    section = build_insight(
        compute_facts(snapshot, default_registry(), default_analysis_settings())
    )
    assert section.key == "insight" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

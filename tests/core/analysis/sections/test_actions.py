"""Action plan: stances follow the regime; pair ideas only for notable spreads, and conditional."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.actions import COLUMNS, PROFILES, build_actions
from core.instruments import default_registry
from core.report import Paragraph, Table
from core.settings import default_analysis_settings
from core.snapshot import MarketSnapshot

from ._outlook import FRI, UNFILLED, make, snapshots, strings
from ._read import THURSDAY, day, figures

PAIR = re.compile(r"long (.+?) / short (.+?)(?: \(|\.|$)")


def _parts(section) -> tuple[str, dict[str, tuple[str, str]]]:
    intro, table = section.blocks
    assert isinstance(intro, Paragraph) and isinstance(table, Table)
    assert table.columns == COLUMNS
    rows = {row[0].value: (row[1].value, row[2].value) for row in table.rows}
    assert tuple(rows) == PROFILES
    return intro.text, rows


@pytest.mark.parametrize(
    ("snapshot", "stances", "lean"),
    [
        (
            make(SPX=-1.2, HSI=-1.5, SSE=-0.9, BTC=2.0),
            ("Capital preservation", "Selective hedging", "Contrarian, on confirmation only"),
            "Defensive lean",
        ),
        (
            make(SPX=1.2, HSI=1.5, SSE=-0.9),
            ("Stay invested, no chasing", "Measured risk-on", "Follow momentum"),
            "Constructive lean",
        ),
        (
            make(SPX=1.2, HSI=-1.5),
            ("Balanced", "Relative value", "Pair trades on confirmation"),
            "No clear lean",
        ),
    ],
)
def test_stance_follows_regime(facts_of, snapshot, stances, lean):
    intro, rows = _parts(build_actions(facts_of(snapshot)))
    assert tuple(rows[p][0] for p in PROFILES) == stances
    assert intro.startswith(f"{lean} (")


def test_demo_regime_counts_without_repeating_figures(demo, facts_of):
    facts = facts_of(demo)
    intro, rows = _parts(build_actions(facts))
    on = sum(m.signal.sign == 1 for m in facts.markets.values())
    off = sum(m.signal.sign == -1 for m in facts.markets.values())
    assert f"{off} risk-off, {on} risk-on" in intro
    # Each market's mean and session are in its own section and the header.
    assert "%" not in intro and day(THURSDAY) not in figures(intro)
    assert "Reduce exposure to the risk-off markets: Hong Kong, " in rows["Conservative"][1]


@pytest.mark.parametrize(
    ("hsi", "sse", "has_pair"),
    [(0.3, -0.2, False), (0.5, -0.8, True), (0.44, -2.19, True)],
)
def test_pair_idea_only_when_notable(facts_of, hsi, sse, has_pair):
    # Hong Kong and Shanghai sessions run side by side, so the legs can be traded together.
    snapshot = make(HSI=hsi, SSE=sse)
    _, rows = _parts(build_actions(facts_of(snapshot)))
    text = " ".join(actions for _, actions in rows.values())
    assert bool(PAIR.search(text)) is has_pair
    if has_pair:
        assert "If the" in rows["Moderate"][1]  # conditional, never an order
        assert "long 上证指数 (SSE) / short HSI" in rows["Moderate"][1]  # reversion of the gap
        assert "long HSI / short 上证指数 (SSE)" in rows["Aggressive"][1]  # continuation


def test_pair_legs_are_registry_instruments(registry, facts_of):
    # Names such as "上证指数 (SSE)" end at the pattern's " (": compare their first word.
    names = {n for i in registry for n in (i.display_name, i.display_name.split(" (")[0])}
    _, rows = _parts(build_actions(facts_of(make(HSI=0.5, SSE=-0.8))))
    pairs = [p for _, actions in rows.values() for p in PAIR.findall(actions)]
    assert pairs
    assert all(leg in names for pair in pairs for leg in pair)


def test_no_pair_trade_on_lead_lag_legs(demo, facts_of):
    # Thu's US session closed before Friday's Hong Kong session opened: never traded together.
    facts = facts_of(demo)
    assert facts.timeline.relation("US", "HK") == "a_first"
    _, rows = _parts(build_actions(facts))
    assert "No pair trade on the " in rows["Moderate"][1]
    assert not PAIR.search(rows["Moderate"][1]) and not PAIR.search(rows["Aggressive"][1])


def test_no_pair_trade_on_friday_against_sundays_24_h(demo, facts_of):
    # Friday's Hong Kong close against Sunday's crypto 24 h: neither overlap nor follow.
    at = datetime(2026, 3, 22, 9, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    snap = demo.with_changes(
        indexes=tuple(q for q in demo.indexes if q.instrument in ("HSI", "HSCEI", "HSTECH")),
        crypto=tuple(
            replace(q, session_date=date(2026, 3, 22), change_24h_pct=-6.0) for q in demo.crypto
        ),
    )
    base = default_analysis_settings()
    settings = base.model_copy(
        update={"divergence": base.divergence.model_copy(update={"pairs": (("BTC", "HSI"),)})}
    )
    facts = compute_facts(snap, default_registry(), settings, at=at)
    assert facts.timeline.relation("HK", "CRYPTO") == "a_first"
    assert facts.strongest_divergence().level.value == "major"
    _, rows = _parts(build_actions(facts))
    assert not PAIR.search(rows["Moderate"][1]) and not PAIR.search(rows["Aggressive"][1])


def test_pair_trade_on_concurrent_legs(facts_of):
    # Hong Kong and Shanghai trade at the same hours.
    _, rows = _parts(build_actions(facts_of(make(HSI=1.0, SSE=-2.0))))
    assert PAIR.search(rows["Moderate"][1]).groups() == ("上证指数 (SSE)", "HSI")


@pytest.mark.parametrize(
    ("net_usd", "profile", "phrase"),
    [
        (
            -1.5e9,
            "Conservative",
            "No crypto dip-buying while stablecoin supply shrinks (net -$1.50B",
        ),
        (-1.5e9, "Aggressive", "only after stablecoin supply turns to net growth above $500.00M"),
        (1.5e9, "Moderate", "Stablecoin supply grew by a net $1.50B"),
    ],
)
def test_stablecoin_flow_shapes_actions(facts_of, net_usd, profile, phrase):
    _, rows = _parts(build_actions(facts_of(make(stable_net=net_usd, BTC=-1.5))))
    assert phrase in rows[profile][1]


def test_small_stablecoin_flow_is_not_acted_on(facts_of):
    _, rows = _parts(build_actions(facts_of(make(stable_net=1e8, BTC=-1.5))))
    assert not any("stablecoin" in actions.lower() for _, actions in rows.values())


def test_weak_breadth_gates_a_share_entries(facts_of):
    _, rows = _parts(build_actions(facts_of(make(breadth=(100, 1900), SSE=-1.5))))
    assert "recovers above 25% (now 5.0%)" in rows["Moderate"][1]
    assert "rebounds above 25% from 5.0%" in rows["Aggressive"][1]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.with_changes(breadth=None), "A-share breadth"),
        (lambda s: s.with_changes(stablecoins=None), "Stablecoin supply"),
        (lambda s: s.with_changes(indexes=()), "US equities figures"),
    ],
)
def test_missing_input_is_named(demo, facts_of, change, named):
    section = build_actions(facts_of(change(demo)))
    assert any(m.startswith(named) for m in section.missing)
    _parts(section)


def test_empty_snapshot(facts_of):
    section = build_actions(facts_of(MarketSnapshot(report_date=FRI)))
    intro, rows = _parts(section)
    assert intro.startswith("Regime: no market has figures")
    assert all(stance == "No view" for stance, _ in rows.values())
    assert section.key == "actions" and section.missing


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    section = build_actions(
        compute_facts(snapshot, default_registry(), default_analysis_settings())
    )
    assert section.key == "actions" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

"""Capital-flow map: directions follow the figures, unknowns say why, edges say what transmitted."""

from __future__ import annotations

import hypothesis
import pytest

from core.analysis.facts import compute_facts
from core.analysis.sections.flows import NORTHBOUND, STABLECOINS, build_flows
from core.formatting import signed_pct
from core.instruments import default_registry
from core.report import Direction, FlowMap
from core.settings import default_analysis_settings
from core.snapshot import MarketSnapshot, Northbound, ProtocolTvl

from ._outlook import FRI, UNFILLED, make, snapshots, strings
from ._read import FRIDAY, THURSDAY, day, figures


def _map(section) -> FlowMap:
    (flow_map,) = section.blocks
    assert isinstance(flow_map, FlowMap)
    return flow_map


def _edge(flow_map: FlowMap, source: str, target: str):
    return next(e for e in flow_map.edges if (e.source, e.target) == (source, target))


@pytest.mark.parametrize(
    ("change", "expected"),
    [(0.8, Direction.INFLOW), (-0.8, Direction.OUTFLOW), (0.1, Direction.FLAT)],
)
def test_market_node_direction_and_detail(facts_of, change, expected):
    flow_map = _map(build_flows(facts_of(make(HSI=change, HSCEI=change, HSTECH=change))))
    node = flow_map.node("Hong Kong")
    assert node.direction is expected
    # Moves, mean and session are in the chain table, the section and the header.
    assert node.detail == ""  # the direction mark says it
    assert "HSTECH" not in node.detail and day(FRIDAY) not in figures(node.detail)


def test_demo_nodes_follow_market_signals(demo, facts_of):
    facts = facts_of(demo)
    flow_map = _map(build_flows(facts))
    by_sign = {1: Direction.INFLOW, -1: Direction.OUTFLOW, 0: Direction.FLAT}
    for move in facts.markets.values():
        node = flow_map.node(move.name)
        assert node.direction is by_sign[move.signal.sign]
    assert day(THURSDAY) not in figures(flow_map.node("US equities").detail)
    assert "11.0%" in figures(flow_map.node("China A-shares").detail)  # the advance rate


@pytest.mark.parametrize(
    ("net_usd", "expected"),
    [(2e9, Direction.INFLOW), (-2e9, Direction.OUTFLOW), (1e8, Direction.FLAT)],
)
def test_stablecoin_node_against_flow_threshold(facts_of, net_usd, expected):
    flow_map = _map(build_flows(facts_of(make(stable_net=net_usd))))
    node = flow_map.node(STABLECOINS)
    assert node.direction is expected
    assert node.detail.startswith("net ")
    assert (expected is Direction.FLAT) == ("below the $500.00M threshold" in node.detail)


def test_chain_links_are_left_to_the_transmission_section(facts_of):
    # US Thursday closed before Friday's Asian sessions opened: a chain link, said once there.
    moves = {"SPX": 0.9, "HSI": -0.9, "SSE": 0.9}
    flow_map = _map(build_flows(facts_of(make(**moves))))
    markets = {"US equities", "Hong Kong", "China A-shares"}
    assert not [e for e in flow_map.edges if {e.source, e.target} <= markets]


def test_a_market_without_figures_has_no_edge(facts_of):
    flow_map = _map(build_flows(facts_of(make(SPX=0.9))))
    assert not [e for e in flow_map.edges if "Hong Kong" in (e.source, e.target)]


def test_northbound_unknown_says_why(demo, facts_of):
    note = "daily net buy no longer published since 2024-08-19"
    snapshot = demo.with_changes(northbound=Northbound(FRI, "t", note=note))
    section = build_flows(facts_of(snapshot))
    node = _map(section).node(NORTHBOUND)
    assert node.direction is Direction.UNKNOWN
    assert "no figures" in node.detail and note in node.detail
    assert any(m.startswith("Northbound flow") for m in section.missing)


def test_northbound_turnover_is_shown_without_a_direction(demo, facts_of):
    nb = Northbound(FRI, "sse+szse", turnover_cny=2963.58e8, note="net buy not published")
    section = build_flows(facts_of(demo.with_changes(northbound=nb)))
    node = _map(section).node(NORTHBOUND)
    assert node.direction is Direction.UNKNOWN
    assert node.detail.startswith("net buying not published; turnover ¥296.36B (")
    assert node.detail.endswith(", sse+szse)")
    assert any(m.startswith("Northbound net buying") for m in section.missing)


def test_northbound_figure_sets_direction(facts_of):
    section = build_flows(facts_of(make(northbound_cny=-5.2e9, SSE=-1.0)))
    flow_map = _map(section)
    assert flow_map.node(NORTHBOUND).direction is Direction.OUTFLOW
    assert "-¥5.20B" in flow_map.node(NORTHBOUND).detail
    assert _edge(flow_map, NORTHBOUND, "China A-shares").label == "net buy -¥5.20B"
    assert not any(m.startswith("Northbound flow") for m in section.missing)


def test_defi_categories_when_tvl_is_known(facts_of):
    protocols = (
        ProtocolTvl("Aave", "t", "Lending", tvl_usd=20e9, change_1d_pct=-3.0),
        ProtocolTvl("Ondo", "t", "RWA", tvl_usd=1e9, change_1d_pct=5.0),
    )
    flow_map = _map(build_flows(facts_of(make(protocols=protocols, BTC=-1.0))))
    assert flow_map.node("DeFi: Lending").direction is Direction.OUTFLOW
    assert flow_map.node("DeFi: RWA").direction is Direction.INFLOW
    assert _edge(flow_map, "Crypto", "DeFi: RWA").label == "TVL +5.00%"


def test_defi_protocols_when_tvl_levels_are_missing(demo, facts_of):
    facts = facts_of(demo)
    flow_map = _map(build_flows(facts))
    for p in (*facts.defi.winners, *facts.defi.losers):
        node = flow_map.node(f"DeFi: {p.name}")
        assert node.direction is (Direction.INFLOW if p.change_1d_pct > 0 else Direction.OUTFLOW)
        assert signed_pct(p.change_1d_pct) in node.detail


def test_summary_names_where_money_went(demo, facts_of):
    summary = _map(build_flows(facts_of(demo))).summary
    assert "Money left Hong Kong;" in summary  # the markets' means are in the chain table
    assert "Money went to US equities" in summary
    assert "stablecoin supply both fell" in summary
    assert "Directions are price moves" in summary


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.with_changes(crypto=()), "Crypto figures"),
        (lambda s: s.with_changes(stablecoins=None), "Stablecoin supply"),
        (lambda s: s.with_changes(protocols=None), "DeFi TVL"),
        (lambda s: s.with_changes(northbound=None), "Northbound flow"),
        (lambda s: s.with_changes(indexes=()), "Hong Kong figures"),
    ],
)
def test_missing_input_is_named_and_unknown(demo, facts_of, change, named):
    section = build_flows(facts_of(change(demo)))
    assert any(m.startswith(named) for m in section.missing)
    unknown = [n for n in _map(section).nodes if n.direction is Direction.UNKNOWN]
    # A node with no figures is marked (?) and named once, in the missing line.
    assert unknown and all(n.direction.value == "?" for n in unknown)


def test_empty_snapshot(facts_of):
    section = build_flows(facts_of(MarketSnapshot(report_date=FRI)))
    flow_map = _map(section)
    assert all(n.direction is Direction.UNKNOWN for n in flow_map.nodes)
    assert flow_map.summary.startswith("No direction can be given")
    assert section.key == "flows" and len(section.missing) == 7


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(snapshot=snapshots())
def test_any_mix_of_figures_yields_a_section(snapshot):
    facts = compute_facts(snapshot, default_registry(), default_analysis_settings())
    section = build_flows(facts)
    assert section.key == "flows" and section.blocks
    assert not any(UNFILLED.search(s) for s in strings(section))

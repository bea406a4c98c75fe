"""Derived figures: breadth, DeFi movers, stablecoin net change, DEX movers, chain links."""

from datetime import date

import pytest

from core.analysis.facts import compute_facts, defi_facts, stablecoin_facts
from core.settings import DefiSettings
from core.snapshot import Breadth, MarketSnapshot, ProtocolTvl, StablecoinSupply

D = date(2026, 3, 20)


def test_reference_advance_rate(demo, registry, settings):
    facts = compute_facts(demo, registry, settings)
    assert facts.breadth is not None
    assert round(facts.breadth.advance_rate_pct) == 11  # 257 up / 2,075 down


def test_flat_counts_in_advance_rate(registry, settings):
    snap = MarketSnapshot(report_date=D, breadth=Breadth(D, "t", up=100, down=50, flat=50))
    assert compute_facts(snap, registry, settings).breadth.advance_rate_pct == pytest.approx(50)


@pytest.mark.parametrize("breadth", [None, Breadth(D, "t", up=10), Breadth(D, "t", up=0, down=0)])
def test_breadth_missing_or_empty(registry, settings, breadth):
    snap = MarketSnapshot(report_date=D, breadth=breadth)
    assert compute_facts(snap, registry, settings).breadth is None


def test_demo_chain_runs_by_session_close(demo, registry, settings):
    # Demo instant Fri 17:00 HKT: US Thursday closed before Friday's Asian sessions opened;
    # Hong Kong and Shanghai traded side by side; crypto's 24 h overlaps all of them.
    facts = compute_facts(demo, registry, settings)
    assert facts.timeline.order == ("US", "CN", "HK", "CRYPTO")
    assert [(x.source, x.target, x.status) for x in facts.chain] == [
        ("US", "CN", "breaks"),
        ("US", "HK", "breaks"),
    ]
    assert facts.first_break().target == "CN"


def test_tvl_floor_keeps_tiny_protocols_out():
    cfg = DefiSettings(tvl_floor_usd=10e6, category_tvl_floor_usd=0, movers_per_side=2)
    protocols = (
        ProtocolTvl("Tiny", "t", "Dexes", tvl_usd=50_000, change_1d_pct=900),
        ProtocolTvl("Big", "t", "Dexes", tvl_usd=2e9, change_1d_pct=5),
        ProtocolTvl("Mid", "t", "Lending", tvl_usd=100e6, change_1d_pct=-10),
        ProtocolTvl("NoChange", "t", "Lending", tvl_usd=100e6),
    )
    facts = defi_facts(MarketSnapshot(report_date=D, protocols=protocols), cfg)
    assert [p.name for p in facts.winners] == ["Big"]
    assert [p.name for p in facts.losers] == ["Mid"]
    assert facts.below_floor == 1
    cats = {c.category: c for c in (*facts.categories_up, *facts.categories_down)}
    assert cats["Dexes"].change_pct == pytest.approx(5)
    assert cats["Lending"].change_usd == pytest.approx(100e6 - 100e6 / 0.9)


def test_category_change_is_tvl_weighted():
    cfg = DefiSettings(tvl_floor_usd=0, category_tvl_floor_usd=0)
    protocols = (
        ProtocolTvl("A", "t", "CDP", tvl_usd=120, change_1d_pct=20),  # was 100
        ProtocolTvl("B", "t", "CDP", tvl_usd=45, change_1d_pct=-10),  # was 50
    )
    facts = defi_facts(MarketSnapshot(report_date=D, protocols=protocols), cfg)
    (cdp,) = facts.categories_up
    assert cdp.tvl_usd == pytest.approx(165)
    assert cdp.change_pct == pytest.approx(10)  # 165 / 150, not the mean of +20 and -10


def test_stablecoin_net_change_from_levels_or_percent():
    coins = (
        StablecoinSupply("USDT", "t", circulating_usd=101e9, prev_day_usd=100e9),
        StablecoinSupply("USDC", "t", circulating_usd=79.26e9, change_pct=-0.46),
        StablecoinSupply("DAI", "t", change_pct=0.28),
    )
    facts = stablecoin_facts(MarketSnapshot(report_date=D, stablecoins=coins))
    assert facts.counted == ("USDT", "USDC")
    assert facts.net_change_usd == pytest.approx(1e9 - 366.28e6, rel=1e-3)


def test_demo_stablecoin_net_matches_reference(demo):
    # The reference report quotes "-$1.2B combined USDT/USDC".
    assert round(stablecoin_facts(demo).net_change_usd / 1e9, 1) == -1.2

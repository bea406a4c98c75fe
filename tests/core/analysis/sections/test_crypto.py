"""Crypto & DeFi section: prices, TVL movers, categories, stablecoins, DEX, missing inputs."""

from datetime import date

import pytest

from core.analysis.sections.crypto import build_crypto
from core.analysis.sections.evidence import stablecoin_direction
from core.analysis.sections.transmission import build_transmission
from core.analysis.signals import Signal
from core.report import Table
from core.snapshot import ProtocolTvl

from ._read import figures, says_missing


def _tables(section) -> dict[str, Table]:
    return {b.title: b for b in section.blocks if isinstance(b, Table)}


def _first_column(table: Table) -> list:
    return [row[0].value for row in table.rows]


def test_demo_prices(demo, facts_of, prose):
    section = build_crypto(facts_of(demo))
    prices = _tables(section)["Prices"]
    assert [(r[0].value, r[2].value) for r in prices.rows] == [("BTC", -1.71), ("ETH", -2.76)]
    assert "105 bps" in figures(prose(section))  # ETH's lag; the falls are in the table
    # The demo has no prices: listed (in the report's one missing line), not invented.
    assert {"BTC price", "ETH price"} <= set(section.missing)


def test_sunday_prices(sunday, facts_of, prose):
    section = build_crypto(facts_of(sunday))
    assert [r[1].value for r in _tables(section)["Prices"].rows] == [68_813, 2_078]
    assert "-3.02%" in figures(prose(section))  # the mean; prices and changes in the table
    assert facts_of(sunday).markets["CRYPTO"].signal is Signal.STRONG_RISK_OFF
    assert "BTC price" not in section.missing


def test_demo_tvl_movers_by_protocol(demo, facts_of, prose):
    facts = facts_of(demo)
    section = build_crypto(facts)
    tables = _tables(section)
    assert _first_column(tables["TVL winners (1 day)"]) == ["Wildcat", "CoinEx", "Superstate USTB"]
    assert _first_column(tables["TVL losers (1 day)"]) == ["Frankencoin", "cBridge", "Gearbox"]
    assert (facts.defi.below_floor, facts.defi.unknown_tvl) == (0, 6)
    assert {"0", "6", "$10.00M"} <= figures(prose(section))  # both counts and the floor


def test_demo_categories_cannot_be_computed_without_tvl(demo, facts_of, prose):
    section = build_crypto(facts_of(demo))
    assert "DeFi TVL by category" in section.missing
    assert "6" in figures(prose(section))  # protocols without a TVL level
    assert not any(t.startswith("TVL by category") for t in _tables(section))


def test_sunday_categories_are_tvl_weighted(sunday, facts_of):
    section = build_crypto(facts_of(sunday))
    gainers = _tables(section)["TVL by category, gainers (TVL-weighted)"]
    rows = {r[0].value: r for r in gainers.rows}
    cdp = [p for p in sunday.protocols if p.category == "CDP"]
    now = sum(p.tvl_usd for p in cdp)
    before = sum(p.tvl_usd / (1 + p.change_1d_pct / 100) for p in cdp)
    assert rows["CDP"][3].value == pytest.approx((now / before - 1) * 100)
    assert rows["CDP"][2].value == pytest.approx(now - before)
    # RWA (one $40M protocol) stays under the $50M category floor.
    assert "RWA" not in rows
    assert "DeFi TVL by category" not in section.missing


def test_sunday_tvl_floor_count(sunday, facts_of, prose):
    section = build_crypto(facts_of(sunday))
    assert facts_of(sunday).defi.below_floor == 1
    assert {"1", "$10.00M"} <= figures(prose(section))
    assert "Tiny" not in _first_column(_tables(section)["TVL winners (1 day)"])


def test_no_category_over_the_category_floor(demo, facts_of, prose):
    protocols = (
        ProtocolTvl("A", "t", "Dexes", tvl_usd=20e6, change_1d_pct=5.0),
        ProtocolTvl("B", "t", "Lending", tvl_usd=30e6, change_1d_pct=-4.0),
    )
    section = build_crypto(facts_of(demo.with_changes(protocols=protocols)))
    assert not any(t.startswith("TVL by category") for t in _tables(section))
    assert "$50.00M" in figures(prose(section))  # the category floor none reached


def test_demo_stablecoins(demo, facts_of, prose):
    section = build_crypto(facts_of(demo))
    table = _tables(section)["Stablecoin supply"]
    assert _first_column(table) == ["USDT", "USDC", "DAI"]
    usdt = demo.stablecoins[0]
    assert table.rows[0][2].value == pytest.approx(
        usdt.circulating_usd - usdt.circulating_usd / (1 + usdt.change_pct / 100)
    )
    facts = facts_of(demo)
    # The reference quotes "-$1.2B combined USDT/USDC".
    assert facts.stablecoins.counted == ("USDT", "USDC")
    assert stablecoin_direction(facts) == -1
    assert "-$1.18B" in figures(prose(section))
    assert "DAI supply change in USD" in section.missing


def test_sunday_stablecoins_within_threshold(sunday, facts_of, prose):
    facts = facts_of(sunday)
    assert stablecoin_direction(facts) == 0  # +48M − 209M, inside the threshold
    assert {"-$161.00M", "$500.00M"} <= figures(prose(build_crypto(facts)))


def test_demo_dex_movers(demo, facts_of, prose):
    section = build_crypto(facts_of(demo))
    table = _tables(section)["DEX volume movers"]
    assert _first_column(table) == ["PumpSwap", "Fluid", "Uniswap V3"]
    assert facts_of(demo).dex.total_volume_usd == pytest.approx(1.70e9, rel=1e-2)
    assert {"1", "3", "$1.70B"} <= figures(prose(section))


@pytest.mark.parametrize(("fixture", "spread"), [("demo", "-230 bps"), ("sunday", "-322 bps")])
def test_crypto_versus_us(request, facts_of, prose, fixture, spread):
    facts = facts_of(request.getfixturevalue(fixture))
    crypto, us = facts.markets["CRYPTO"], facts.markets["US"]
    assert crypto.signal.sign * us.signal.sign == -1  # they moved against each other
    assert spread in figures(prose(build_crypto(facts)))  # BTC − S&P 500


def test_crypto_against_equities_is_said_once_in_the_chain(demo, facts_of, prose):
    crypto = tuple(
        type(q)(q.instrument, q.session_date, q.source, change_24h_pct=2.0) for q in demo.crypto
    )
    facts = facts_of(demo.with_changes(crypto=crypto))
    chain, section = prose(build_transmission(facts)), prose(build_crypto(facts))
    assert "Crypto averaged +2.00%" in chain  # the chain compares crypto with equities
    assert not any(word in section for word in ("amplif", "dampen", "against US equities"))


@pytest.mark.parametrize(
    ("changes", "missing", "said", "still"),
    [
        (
            {"protocols": None},
            ("DeFi TVL",),
            ("DeFi TVL by protocol",),
            "Stablecoin supply",
        ),
        (
            {"stablecoins": None},
            ("Stablecoin supply",),
            ("Stablecoin supply",),
            "TVL winners (1 day)",
        ),
        (
            {"dex_volumes": None},
            ("DEX volumes",),
            ("DEX volumes",),
            "Stablecoin supply",
        ),
        (
            {"crypto": ()},
            ("BTC", "ETH", "crypto vs US equities"),
            ("Crypto versus US equities", "no crypto figures"),
            "DEX volume movers",
        ),
        (
            {"indexes": ()},
            ("crypto vs US equities",),
            ("Crypto versus US equities", "no US equity figures"),
            "ETH lagged BTC",
        ),
    ],
)
def test_missing_inputs(demo, facts_of, section_text, changes, missing, said, still):
    section = build_crypto(facts_of(demo.with_changes(**changes)))
    text = section_text(section)
    assert set(missing) <= set(section.missing)  # said once, in the report's missing line
    assert not says_missing(text, *said)
    assert still in text


def test_stablecoins_with_no_counted_coin(demo, facts_of, prose):
    coins = tuple(type(c)(c.symbol, c.source, change_pct=c.change_pct) for c in demo.stablecoins)
    section = build_crypto(facts_of(demo.with_changes(stablecoins=coins)))
    text = prose(section)
    assert "net stablecoin change" in section.missing
    assert "USDT (no circulating supply level)" in text


def test_one_window_is_dated_in_the_header_not_per_row(demo, facts_of):
    facts = facts_of(demo)
    assert facts.markets["CRYPTO"].session_dates == (date(2026, 3, 20),)
    assert "24 h to" not in _tables(build_crypto(facts))["Prices"].columns

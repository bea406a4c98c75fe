"""DefiLlama parsing: real /protocols and stablecoin bodies; dexs shaped on the official spec."""

from __future__ import annotations

import pytest

from core.providers.defillama import (
    DefiLlamaDexs,
    DefiLlamaProtocols,
    DefiLlamaStablecoins,
)

CASSETTE = "openbb_cassette_protocols_2022-01-29_first10.json"
DUMP = "chainparrot_protocols_first3.json"
TETHER = "chainparrot_stablecoins_tether_trimmed.json"
DEXS = "synthetic_overview_dexs.json"


def _run(fetcher, body, ctx):
    return fetcher.transform(fetcher.build_query(ctx), body, ctx)


def test_protocols_use_top_level_tvl_not_the_chain_tvls_with_synthetic_keys(fixture_json, ctx):
    body = fixture_json("defillama", CASSETTE)
    by_name = {p.name: p for p in _run(DefiLlamaProtocols(), body, ctx)}
    assert len(by_name) == 10
    curve = by_name["Curve"]
    assert (curve.category, curve.tvl_usd) == ("Dexes", 16890071630.01999)
    assert curve.change_1d_pct == pytest.approx(1.8300037499020476)
    raw_curve = next(p for p in body if p["name"] == "Curve")
    # chainTvls holds "staking" and "Ethereum-staking" on top of the chains themselves.
    assert sum(raw_curve["chainTvls"].values()) > curve.tvl_usd
    assert all(p.source == "defillama" and p.as_of == ctx.now for p in by_name.values())


def test_protocols_from_the_dump_keep_category_and_change(fixture_json, ctx):
    [maker, lido, _curve] = _run(DefiLlamaProtocols(), fixture_json("defillama", DUMP), ctx)
    assert (maker.name, maker.category, maker.change_1d_pct) == ("MakerDAO", "CDP", -4.69)
    assert (lido.category, lido.change_1d_pct) == ("Liquid Staking", -9.06)


@pytest.mark.parametrize(
    ("update", "missing"),
    [
        ({"protocol_exclude_categories": ("Dexes",)}, "Curve"),
        ({"protocol_min_tvl_usd": 16_000_000_000}, "MakerDAO"),
    ],
)
def test_protocol_filters_come_from_settings(fixture_json, ctx, update, missing):
    ctx = type(ctx)(ctx.now, ctx.instruments, ctx.settings.model_copy(update=update))
    names = {p.name for p in _run(DefiLlamaProtocols(), fixture_json("defillama", CASSETTE), ctx)}
    assert missing not in names
    assert names


def test_protocol_without_change_keeps_none(fixture_json, ctx):
    body = fixture_json("defillama", DUMP)
    del body[0]["change_1d"]
    body[1]["change_1d"] = None
    maker, lido, _ = _run(DefiLlamaProtocols(), body, ctx)
    assert maker.change_1d_pct is None and lido.change_1d_pct is None


def test_stablecoins_read_circulating_and_previous_day(fixture_json, ctx):
    # The dump is the bare peggedAssets array; the live body wraps it (wrapper added here).
    tether = fixture_json("defillama", TETHER)
    for body in (tether, {"peggedAssets": tether}):
        [usdt] = _run(DefiLlamaStablecoins(), body, ctx)
        assert usdt.symbol == "USDT"
        assert usdt.circulating_usd == 67543810674.76325
        assert usdt.prev_day_usd == 67637693998.530846
        assert usdt.change_usd == pytest.approx(67543810674.76325 - 67637693998.530846)
        assert usdt.change_pct < 0


def test_stablecoins_bare_zero_is_unknown_and_other_pegs_are_left_out(fixture_json, ctx):
    # No real wrapped body exists; these two items are shaped on the README's field notes.
    extra = [
        {
            "symbol": "NEWUSD",
            "pegType": "peggedUSD",
            "circulating": {"peggedUSD": 5e6},
            "circulatingPrevDay": 0,
        },
        {
            "symbol": "EURC",
            "pegType": "peggedEUR",
            "circulating": {"peggedEUR": 9e7},
            "circulatingPrevDay": {"peggedEUR": 8e7},
        },
    ]
    body = {"peggedAssets": fixture_json("defillama", TETHER) + extra}
    coins = {c.symbol: c for c in _run(DefiLlamaStablecoins(), body, ctx)}
    assert set(coins) == {"USDT", "NEWUSD"}
    assert coins["NEWUSD"].prev_day_usd is None
    assert coins["NEWUSD"].change_usd is None


def test_stablecoins_keep_the_largest(fixture_json, ctx):
    extra = [
        {"symbol": f"S{i}", "pegType": "peggedUSD", "circulating": {"peggedUSD": float(i)}}
        for i in range(1, 6)
    ]
    body = {"peggedAssets": fixture_json("defillama", TETHER) + extra}
    ctx = type(ctx)(
        ctx.now, ctx.instruments, ctx.settings.model_copy(update={"stablecoins_top": 3})
    )
    assert [c.symbol for c in _run(DefiLlamaStablecoins(), body, ctx)] == ["USDT", "S5", "S4"]


def test_dexs_sorted_by_volume_with_display_names(fixture_json, ctx):
    # No recorded /overview/dexs body exists: the fixture is synthetic, shaped on the OpenAPI spec.
    dexs = _run(DefiLlamaDexs(), fixture_json("defillama", DEXS), ctx)
    assert [(d.name, d.volume_24h_usd, d.change_1d_pct) for d in dexs] == [
        ("PumpSwap", 1.7e9, 143.0),
        ("Uniswap V3", 1523456789.0, 26.1),
        ("fluid-dex", 456789012.0, -12.5),
    ]


def test_dexs_query_excludes_the_chart_arrays(ctx):
    query = DefiLlamaDexs().build_query(ctx)
    assert query.url.endswith("/overview/dexs")
    assert query.params == {
        "excludeTotalDataChart": "true",
        "excludeTotalDataChartBreakdown": "true",
    }

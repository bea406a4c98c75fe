"""Eastmoney parsing. The literals are real; the clist/ulist/datacenter bodies are synthetic.

No real clist body with f104/f105/f106, index list or northbound body exists (README): the
synthetic_* fixtures are shaped on the field definitions the README documents (akshare).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.errors import MalformedResponse
from core.providers.eastmoney import (
    EastmoneyIndexes,
    EastmoneyMarketStats,
    EastmoneyNorthbound,
    diff_rows,
    number,
    unwrap,
)
from core.snapshot import Breadth, IndexQuote, NoteKind, SnapshotNote, Turnover

CN = ("SSE", "SZSE", "CHINEXT")


def _run(fetcher, body, ctx):
    return fetcher.transform(fetcher.build_query(ctx), body, ctx)


def test_unwrap_strips_jsonp_from_the_real_kline_literal(fixture_text):
    body = json.loads(
        unwrap(fixture_text("eastmoney", "literal_push2his_kline_weekly_105.APP_jsonp.txt"))
    )
    assert body["data"]["code"] == "APP"
    assert body["data"]["klines"][0].startswith("2021-04-16,70.000,61.000")


def test_unwrap_strips_the_sse_frame_and_scaled_integers_divide_back(fixture_text):
    body = json.loads(unwrap(fixture_text("eastmoney", "literal_push2_sse_quote_sh000001_f43.txt")))
    data = body["data"]
    assert (number(data["f43"], 100), number(data["f169"], 100), number(data["f170"], 100)) == (
        3092.98,
        -38.97,
        -1.24,
    )


def test_hk_literal_prices_scale_by_1000_and_percentages_by_100(fixture_json):
    data = fixture_json("eastmoney", "literal_push2_stock_get_116.00700_hk.json")["data"]
    assert number(data["f43"], 1000) == 478.8
    assert number(data["f60"], 1000) == 479.2
    assert number(data["f170"], 100) == -0.08


def test_plain_json_passes_through_unwrap():
    assert unwrap(' {"rc":0} ') == '{"rc":0}'


@pytest.mark.parametrize(
    ("value", "expected"), [("-", None), ("", None), (None, None), ("3.5", 3.5), (7, 7.0)]
)
def test_placeholders_become_none(value, expected):
    assert number(value) == expected


def test_index_board_with_fltt2_gives_decimal_quotes_dated_by_quote_time(fixture_json, ctx):
    fetcher = EastmoneyIndexes(covers="CN", market="CN", instruments=CN)
    records = _run(
        fetcher, fixture_json("eastmoney", "synthetic_clist_index_board_fltt2.json"), ctx
    )
    quotes = {r.instrument: r for r in records if isinstance(r, IndexQuote)}
    # ChiNext carries "-" (no price): left out rather than zero; CSI 300 is not covered.
    assert set(quotes) == {"SSE", "SZSE"}
    sse = quotes["SSE"]
    assert (sse.close, sse.previous_close, sse.change_pct) == (3215.82, 3232.96, -0.53)
    assert sse.session_date == date(2026, 3, 20)
    assert sse.source == "eastmoney"


def test_index_board_without_fltt_divides_scaled_integers(fixture_json, ctx):
    fetcher = EastmoneyIndexes(covers="CN", market="CN", instruments=CN, fltt=None)
    assert "fltt" not in fetcher.build_query(ctx).params
    records = _run(
        fetcher, fixture_json("eastmoney", "synthetic_clist_index_board_scaled.json"), ctx
    )
    quotes = {r.instrument: r for r in records}
    assert (quotes["SSE"].close, quotes["SSE"].change_pct) == (3092.98, -1.24)
    assert quotes["SSE"].previous_close == 3131.95
    assert quotes["SZSE"].close == 10012.34


def test_diff_as_a_dict_is_read_in_key_order(fixture_json):
    body = fixture_json("eastmoney", "synthetic_clist_index_board_fltt2.json")
    rows = body["data"]["diff"]
    body["data"]["diff"] = {str(i): row for i, row in reversed(list(enumerate(rows)))}
    assert diff_rows(body) == rows


def test_missing_quote_time_falls_back_to_the_shanghai_date_with_a_note(fixture_json, ctx):
    body = fixture_json("eastmoney", "synthetic_clist_index_board_fltt2.json")
    for row in body["data"]["diff"]:
        row["f124"] = "-"
    fetcher = EastmoneyIndexes(covers="CN", market="CN", instruments=CN)
    records = _run(fetcher, body, ctx)
    notes = [r for r in records if isinstance(r, SnapshotNote)]
    assert {n.kind for n in notes} == {NoteKind.DATA_QUALITY}
    assert all(r.session_date == date(2026, 3, 20) for r in records if isinstance(r, IndexQuote))


def test_null_data_is_malformed():
    with pytest.raises(MalformedResponse, match="no data"):
        diff_rows({"rc": 100, "data": None})


def test_breadth_and_turnover_sum_both_exchanges(fixture_json, ctx):
    breadth, turnover = _run(
        EastmoneyMarketStats(), fixture_json("eastmoney", "synthetic_ulist_breadth.json"), ctx
    )
    assert breadth == Breadth(date(2026, 3, 20), "eastmoney", up=2511, down=2542, flat=135)
    assert turnover == Turnover(
        date(2026, 3, 20), "eastmoney", turnover_cny=412345678901.0 + 598765432109.0
    )


def test_breadth_with_a_placeholder_is_unknown_not_smaller(fixture_json, ctx):
    body = fixture_json("eastmoney", "synthetic_ulist_breadth.json")
    body["data"]["diff"][1]["f106"] = "-"
    body["data"]["diff"][0]["f6"] = "-"
    breadth, turnover = _run(EastmoneyMarketStats(), body, ctx)
    assert (breadth.up, breadth.flat, turnover.turnover_cny) == (2511, None, None)


def test_breadth_missing_an_exchange_is_malformed(fixture_json, ctx):
    body = fixture_json("eastmoney", "synthetic_ulist_breadth.json")
    body["data"]["diff"].pop()
    with pytest.raises(MalformedResponse, match="breadth: 1 of 2"):
        _run(EastmoneyMarketStats(), body, ctx)


def test_northbound_gives_turnover_and_says_net_flow_is_not_published(fixture_json, ctx):
    [north] = _run(
        EastmoneyNorthbound(),
        fixture_json("eastmoney", "synthetic_datacenter_northbound.json"),
        ctx,
    )
    assert north.session_date == date(2026, 3, 20)
    assert north.net_buy_cny is None
    assert north.turnover_cny == pytest.approx(165432.1 * ctx.settings.northbound_amount_unit_cny)
    assert "no longer" in north.note or "stopped" in north.note


def test_northbound_net_buy_is_kept_when_published(fixture_json, ctx):
    body = fixture_json("eastmoney", "synthetic_datacenter_northbound.json")
    body["result"]["data"][0]["NET_DEAL_AMT"] = -1234.5
    [north] = _run(EastmoneyNorthbound(), body, ctx)
    assert north.net_buy_cny == pytest.approx(-1234.5 * ctx.settings.northbound_amount_unit_cny)
    assert north.note is None


def test_northbound_empty_report_is_malformed(ctx):
    body = {
        "version": None,
        "result": None,
        "success": False,
        "message": "返回数据为空",
        "code": 9201,
    }
    with pytest.raises(MalformedResponse, match="返回数据为空"):
        _run(EastmoneyNorthbound(), body, ctx)


@pytest.mark.parametrize(("market", "decimals"), [(1, 2), (0, 2), (116, 3), (124, 3), (100, None)])
def test_rows_without_a_scale_hint_use_their_markets_scale(fixture_json, ctx, market, decimals):
    # Hong Kong prices are scaled by 1000, SH/SZ by 100; an unknown market is not guessed.
    body = fixture_json("eastmoney", "synthetic_clist_index_board_scaled.json")
    row = body["data"]["diff"][0]
    for hint in ("f1", "f152"):
        del row[hint]
    row["f13"] = market
    fetcher = EastmoneyIndexes(covers="SSE", market="CN", instruments=("SSE",), fltt=None)
    query = fetcher.build_query(ctx)
    query = type(query)(query.url, query.params, None, {f"{market}.000001": "SSE"})
    [record] = fetcher.transform(query, body, ctx)
    if decimals is None:
        assert isinstance(record, SnapshotNote) and "no price scale" in record.message
    else:
        assert isinstance(record, IndexQuote) and record.close == 309298 / 10**decimals

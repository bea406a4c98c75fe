"""Eastmoney parsing. The literal_* bodies are real; the synthetic_* ones are not.

No real clist index board, northbound datacenter body or ulist breadth body with its f12/f13
codes exists (README): the synthetic_* fixtures are shaped on the field definitions the
README documents (akshare). Real ulist bodies are used where they exist: one with the SSE
Composite beside a stock of the same code, one with the f104/f105/f106 counts.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

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
REAL_ULIST_INDEX = "literal_kline_ulist_np_get_5secids_incl_1.000001_2026-09-30.json"
REAL_ULIST_BREADTH = "literal_ulist_np_f104_f105_f106_1.000001_0.399001_2022-12.json"


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


def test_index_is_keyed_by_market_and_code_not_by_code_alone(fixture_json, ctx):
    # A real ulist answer: 上证指数 (1.000001) beside 平安银行 (0.000001), not in request order.
    body = fixture_json("eastmoney", REAL_ULIST_INDEX)
    [sse] = _run(EastmoneyIndexes(instruments=CN), body, ctx)
    assert sse == IndexQuote(
        instrument="SSE",
        session_date=date(2026, 9, 30),
        source="eastmoney",
        close=3842.19,
        previous_close=3830.45,
        change_pct=None,
        fetched_at=ctx.now,
    )


def test_breadth_counts_of_a_real_answer_add_up_over_both_exchanges(fixture_json, ctx):
    # The real counts (SH 1186/913/100, SZ 1818/864/83, no fltt), but that request asked for
    # no f12/f13 codes and no f124 time: they are added here, the codes in request order and
    # the time of the close its .source.txt dates it to (Fri 2022-12-02 15:00 Shanghai).
    body = fixture_json("eastmoney", REAL_ULIST_BREADTH)
    codes = [(1, "000001"), (0, "399001")]
    close = int(datetime(2022, 12, 2, 7, 0, tzinfo=UTC).timestamp())
    for row, (market, code) in zip(body["data"]["diff"], codes, strict=True):
        row |= {"f13": market, "f12": code, "f124": close}
    breadth, turnover = _run(EastmoneyMarketStats(), body, ctx)
    assert breadth.session_date == turnover.session_date == date(2022, 12, 2)
    assert (breadth.up, breadth.down, breadth.flat) == (3004, 1777, 183)
    assert turnover.turnover_cny == pytest.approx(366318678808.3 + 498207072951.0528)


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
    # Shaped on the datacenter's empty-answer envelope (akshare), not recorded.
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

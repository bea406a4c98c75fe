"""Stooq, Binance and CoinGecko parsing on real recorded bodies (see each .source.txt)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import MalformedResponse
from core.providers.binance import BinanceTicker
from core.providers.coingecko import CoinGeckoMarkets
from core.providers.stooq import StooqDaily, parse_daily_csv
from core.snapshot import CryptoQuote

TICKER = "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"
LIVE_TICKER = "doc_cryptoexchange_net_logging_ticker24hr_BTCUSDT_2021-12-17.json"
MARKETS = "dashbrd_coins_markets_usd_2023-07-28_250.json"


def test_stooq_csv_gives_the_last_row_and_the_row_before(fixture_text, ctx):
    spx = StooqDaily(covers="S&P 500", market="US", instruments=("SPX",))
    [quote] = spx.transform(spx.build_query(ctx), fixture_text("stooq", "spx_d_tail500.csv"), ctx)
    assert (quote.session_date, quote.close, quote.previous_close) == (
        date(2025, 4, 7),
        5062.25,
        5074.08,
    )
    assert quote.change_pct == pytest.approx((5062.25 / 5074.08 - 1) * 100)


def test_stooq_rows_are_all_parsed_in_date_order(fixture_text):
    rows = parse_daily_csv(fixture_text("stooq", "spx_d_tail500.csv"))
    assert len(rows) == 500
    assert rows[0] == (date(2023, 4, 11), 4108.94)
    assert [d for d, _ in rows] == sorted(d for d, _ in rows)


def test_stooq_query_asks_for_a_short_window(ctx):
    spx = StooqDaily(covers="S&P 500", market="US", instruments=("SPX",))
    query = spx.build_query(ctx)
    assert query.params["s"] == "^spx"
    assert query.params["d2"] == "20260320"
    assert query.params["d1"] < query.params["d2"]


@pytest.mark.parametrize("body", ["No data", "Exceeded the daily hits limit", ""])
def test_stooq_prose_instead_of_csv_is_malformed(body):
    with pytest.raises(MalformedResponse, match="not a daily CSV"):
        parse_daily_csv(body)


def test_binance_ticker_accepts_string_times(fixture_json, ctx):
    # ccxt's recording stored openTime/closeTime/count as strings.
    body = fixture_json("binance", TICKER)
    btc = BinanceTicker(covers="BTC", market="CRYPTO", instruments=("BTC",))
    [quote] = btc.transform(btc.build_query(ctx), body, ctx)
    assert isinstance(quote, CryptoQuote)
    assert quote.price_usd == 73369.84
    assert quote.change_24h_pct == 1.647
    assert quote.as_of == datetime(2024, 3, 13, 11, 10, 45, 391000, tzinfo=UTC)
    assert quote.session_date == date(2024, 3, 13)


def test_binance_live_body_with_integer_times(fixture_json, ctx):
    # A live body logged by CryptoExchange.Net: the times and counts are JSON integers.
    body = fixture_json("binance", LIVE_TICKER)
    assert isinstance(body["closeTime"], int)
    btc = BinanceTicker(covers="BTC", market="CRYPTO", instruments=("BTC",))
    [quote] = btc.transform(btc.build_query(ctx), body, ctx)
    assert (quote.price_usd, quote.change_24h_pct) == (47174.97, -3.531)
    assert quote.as_of == datetime(2021, 12, 17, 9, 40, 42, 763000, tzinfo=UTC)


def test_binance_query_uses_the_usdt_pair(ctx):
    eth = BinanceTicker(covers="ETH", market="CRYPTO", instruments=("ETH",))
    assert eth.build_query(ctx).params == {"symbol": "ETHUSDT"}


def test_coingecko_markets_keeps_only_the_covered_coins(fixture_json, ctx):
    cg = CoinGeckoMarkets(covers="BTC, ETH", market="CRYPTO", instruments=("BTC", "ETH"))
    body = fixture_json("coingecko", MARKETS)
    assert len(body) == 250
    quotes = {q.instrument: q for q in cg.transform(cg.build_query(ctx), body, ctx)}
    assert set(quotes) == {"BTC", "ETH"}
    assert (quotes["BTC"].price_usd, quotes["BTC"].change_24h_pct) == (29309, 0.49325)
    assert quotes["ETH"].price_usd == 1874.18
    assert quotes["BTC"].as_of == datetime(2023, 7, 28, 20, 3, 29, 93000, tzinfo=UTC)
    assert quotes["BTC"].session_date == date(2023, 7, 28)


def test_coingecko_null_price_is_left_out(fixture_json, ctx):
    cg = CoinGeckoMarkets(covers="BTC, ETH", market="CRYPTO", instruments=("BTC", "ETH"))
    body = fixture_json("coingecko", MARKETS)
    body[0]["current_price"] = None
    assert [q.instrument for q in cg.transform(cg.build_query(ctx), body, ctx)] == ["ETH"]


def test_stooq_repeated_last_row_does_not_become_the_previous_close(fixture_text, ctx):
    # The real CSV with its last row added again (a copy): the previous close is the day before.
    text = fixture_text("stooq", "spx_d_tail500.csv").rstrip("\n")
    body = text + "\n" + text.rsplit("\n", 1)[-1] + "\n"
    spx = StooqDaily(covers="S&P 500", market="US", instruments=("SPX",))
    [quote] = spx.transform(spx.build_query(ctx), body, ctx)
    assert (quote.close, quote.previous_close) == (5062.25, 5074.08)

"""Yahoo chart v8 parsing on real recorded bodies (tests/fixtures/yahoo, see .source.txt)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, date, datetime

import httpx
import pytest

from core.errors import MalformedResponse
from core.providers.registry import default_providers
from core.providers.yahoo import YahooChart, parse_chart
from core.snapshot import CryptoQuote, IndexQuote

GSPC_DAILY = "openbb_chart_GSPC_2023-01-03_to_2024-02-29_daily.json"
GSPC_1D = "openbb_chart_GSPC_range1d.json"
BTC = "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json"
WSU = "ygf2_chart-WSU.DE-2023-08-04-to-2023-08-09.json"
HK_0700 = "literal_hk_quote_chart_0700.HK_1d_5d_2026-08-07.json"


def _spx() -> YahooChart:
    return YahooChart(covers="S&P 500", market="US", instruments=("SPX",))


def test_daily_index_body_gives_last_session_and_previous_bar_close(fixture_json, ctx):
    [quote] = _spx().transform(_spx().build_query(ctx), fixture_json("yahoo", GSPC_DAILY), ctx)
    assert isinstance(quote, IndexQuote)
    # The last bar is the live one (18:46 UTC), still the 29 Feb New York session.
    assert quote.session_date == date(2024, 2, 29)
    assert quote.close == 5085.06
    # Not chartPreviousClose (3839.5, the close before the range) but the bar before.
    assert quote.previous_close == 5069.76
    assert quote.change_pct == pytest.approx((5085.06 / 5069.76 - 1) * 100)
    assert (quote.source, quote.fetched_at) == ("yahoo", ctx.now)


def test_single_bar_body_falls_back_to_chart_previous_close(fixture_json, ctx):
    [quote] = _spx().transform(_spx().build_query(ctx), fixture_json("yahoo", GSPC_1D), ctx)
    assert (quote.session_date, quote.close, quote.previous_close) == (
        date(2024, 2, 29),
        5085.06,
        5069.76,
    )


def test_every_bar_of_a_dst_spanning_range_is_dated_in_new_york(fixture_json):
    series = parse_chart(fixture_json("yahoo", GSPC_DAILY))
    dates = [b.session_date for b in series.bars]
    assert len(dates) == 291
    assert dates[0] == date(2023, 1, 3)
    assert len(set(dates)) == len(dates)
    assert all(d.weekday() < 5 for d in dates)


def test_bar_after_midnight_utc_keeps_the_exchange_date(fixture_json, ctx):
    body = fixture_json("yahoo", GSPC_1D)
    # A late trade at 20:30 New York time is already 1 March in UTC.
    late = int(datetime(2024, 3, 1, 1, 30, tzinfo=UTC).timestamp())
    body["chart"]["result"][0]["timestamp"] = [late]
    [quote] = _spx().transform(_spx().build_query(ctx), body, ctx)
    assert quote.session_date == date(2024, 2, 29)


def test_non_us_exchange_uses_its_time_zone(fixture_json):
    series = parse_chart(fixture_json("yahoo", WSU))
    assert [b.session_date for b in series.bars] == [
        date(2023, 8, 4),
        date(2023, 8, 7),
        date(2023, 8, 8),
    ]
    assert [b.close for b in series.bars] == [34.45, 34.0, 33.2]


def test_hong_kong_bars_are_stamped_at_the_open_and_dated_in_hong_kong(fixture_json, ctx):
    # No real ^HSI chart was recorded: a real .HK equity body (0700.HK, range=5d) stands in.
    body = fixture_json("yahoo", HK_0700)
    series = parse_chart(body)
    assert {b.timestamp.time() for b in series.bars} == {datetime(2026, 8, 3, 1, 30).time()}
    assert [b.session_date.day for b in series.bars] == [3, 4, 5, 6, 7]
    hsi = YahooChart(covers="HSI", market="HK", instruments=("HSI",))
    [quote] = hsi.transform(hsi.build_query(ctx), body, ctx)
    # The bar before, not chartPreviousClose (475.2, the close before the 5-day range).
    assert (quote.session_date, quote.close, quote.previous_close) == (
        date(2026, 8, 7),
        478.8,
        479.2,
    )


def test_null_closes_are_skipped(fixture_json, ctx):
    # None of the recorded bodies has a null; the README says holidays produce them.
    body = copy.deepcopy(fixture_json("yahoo", GSPC_DAILY))
    body["chart"]["result"][0]["indicators"]["quote"][0]["close"][-1] = None
    [quote] = _spx().transform(_spx().build_query(ctx), body, ctx)
    assert (quote.session_date, quote.close, quote.previous_close) == (
        date(2024, 2, 28),
        5069.76,
        5078.18,
    )


def test_crypto_body_gives_a_crypto_quote_dated_in_utc(fixture_json, ctx):
    btc = YahooChart(covers="BTC", market="CRYPTO", instruments=("BTC",))
    [quote] = btc.transform(btc.build_query(ctx), fixture_json("yahoo", BTC), ctx)
    assert isinstance(quote, CryptoQuote)
    assert quote.session_date == date(2020, 1, 3)
    assert quote.price_usd == 7344.88
    # A daily bar's change runs from 00:00 UTC, not over 24 h: only the price is quoted.
    assert quote.change_24h_pct is None
    # regularMarketTime (2025) belongs to a later day than the bar, so the bar dates it.
    assert quote.as_of == datetime(2020, 1, 3, tzinfo=UTC)


def test_query_escapes_the_symbol_and_asks_for_history(ctx):
    query = _spx().build_query(ctx)
    assert query.url.endswith("/v8/finance/chart/%5EGSPC")
    assert query.params == {"interval": "1d", "range": ctx.settings.yahoo_range}


@pytest.mark.asyncio
async def test_unknown_symbol_404_body_becomes_a_typed_error(http, upstream, fixture_text, ctx):
    upstream.add(
        "/v8/finance/chart/",
        httpx.Response(404, text=fixture_text("yahoo", "chart_error_404_not_found.json")),
    )
    with pytest.raises(MalformedResponse, match="HTTP 404: Not Found: No data found, symbol may"):
        await _spx().fetch(http, ctx)


@pytest.mark.parametrize(
    "body",
    [
        {"chart": {"result": [], "error": None}},
        {"chart": {"result": None, "error": {"code": "Not Found", "description": "gone"}}},
        {"chart": {}},
        {"spark": {}},
    ],
)
def test_empty_or_error_bodies_raise_malformed(body):
    # Shaped on the chart envelope, not recorded (the real 404 body is tested above).
    with pytest.raises((MalformedResponse, ValueError)):
        parse_chart(body)


def test_with_history_the_earlier_bars_come_back_as_closes(fixture_json, ctx):
    fetcher = replace(_spx(), history=True)
    *earlier, quote = fetcher.transform(
        fetcher.build_query(ctx), fixture_json("yahoo", GSPC_DAILY), ctx
    )
    bars = parse_chart(fixture_json("yahoo", GSPC_DAILY)).bars
    assert isinstance(quote, IndexQuote) and quote.session_date == bars[-1].session_date
    # Every finished bar, none of them the (live) last one.
    assert [(c.session_date, c.close) for c in earlier] == [
        (b.session_date, b.close) for b in bars[:-1]
    ]
    assert {(c.instrument, c.source) for c in earlier} == {("SPX", "yahoo")}


def test_the_configured_yahoo_fetchers_back_fill(ctx):
    providers = default_providers(ctx.instruments, ctx.settings)
    assert all(f.history for k, f in providers.items() if k.startswith("yahoo:"))


def _with_last_row_twice(body: dict) -> dict:
    """Return a copy of a real chart body whose last bar is repeated, as Yahoo sometimes sends."""
    dup = copy.deepcopy(body)
    result = dup["chart"]["result"][0]
    result["timestamp"].append(result["timestamp"][-1])
    for series in result["indicators"]["quote"][0].values():
        series.append(series[-1])
    return dup


def test_a_repeated_last_bar_does_not_become_the_previous_close(fixture_json, ctx):
    # The real ^GSPC body with its last row added a second time (a copy; the fixture is intact).
    body = _with_last_row_twice(fixture_json("yahoo", GSPC_DAILY))
    fetcher = replace(_spx(), history=True)
    *earlier, quote = fetcher.transform(fetcher.build_query(ctx), body, ctx)
    assert (quote.session_date, quote.close) == (date(2024, 2, 29), 5085.06)
    assert quote.previous_close == 5069.76
    assert round(quote.change_pct, 2) == 0.30
    assert [c.session_date for c in earlier] == sorted({c.session_date for c in earlier})

"""Kraken and OKX tickers, and CoinGecko's optional key, on real recorded bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from core.errors import MalformedResponse
from core.providers.registry import default_providers
from core.settings import ApiKeys

KRAKEN = "literal_mirrorcheck_ticker_XBTUSD_2026-09-25.json"
OKX = "literal_mirrorcheck_market_ticker_BTC-USDT_2026-09-25.json"


def test_kraken_answers_under_its_own_pair_name(providers, ctx, fixture_json):
    fetcher = providers["kraken:BTC"]
    query = fetcher.build_query(ctx)
    body = fixture_json("kraken", KRAKEN)
    assert query.params == {"pair": "XBTUSD"} and list(body["result"]) == ["XXBTZUSD"]
    [quote] = fetcher.transform(query, body, ctx)
    assert (quote.instrument, quote.source, quote.price_usd) == ("BTC", "kraken", 84036.0)
    # "o" is the 00:00 UTC open, not 24 h ago: no 24 h change is claimed. No timestamp either.
    assert quote.change_24h_pct is None
    assert quote.as_of == ctx.now


def test_kraken_error_list_is_malformed(providers, ctx):
    # Shaped on Kraken's documented error list, not recorded.
    fetcher = providers["kraken:ETH"]
    with pytest.raises(MalformedResponse, match="EQuery:Unknown asset pair"):
        fetcher.transform(fetcher.build_query(ctx), {"error": ["EQuery:Unknown asset pair"]}, ctx)


def test_okx_strings_become_numbers_and_a_rolling_change(providers, ctx, fixture_json):
    fetcher = providers["okx:BTC"]
    query = fetcher.build_query(ctx)
    assert query.params == {"instId": "BTC-USDT"}
    [quote] = fetcher.transform(query, fixture_json("okx", OKX), ctx)
    assert quote.price_usd == 84070.9
    assert quote.change_24h_pct == pytest.approx((84070.9 / 84515.8 - 1) * 100)
    assert quote.as_of == datetime(2026, 9, 25, 7, 57, 29, 365000, tzinfo=UTC)
    assert quote.session_date == quote.as_of.date()


@pytest.mark.parametrize(
    "body",
    [
        {"code": "51001", "msg": "Instrument ID does not exist", "data": []},
        {"code": "0", "msg": "", "data": []},
    ],
)
def test_okx_error_or_empty_data_is_malformed(providers, ctx, body):
    # Shaped on OKX's documented envelope, not recorded.
    fetcher = providers["okx:ETH"]
    with pytest.raises(MalformedResponse):
        fetcher.transform(fetcher.build_query(ctx), body, ctx)


@pytest.mark.asyncio
async def test_coingecko_sends_the_demo_key_only_when_set(ctx, http, upstream):
    upstream.add("/coins/markets", httpx.Response(200, text=json.dumps([])))
    keyed = ApiKeys(COINGECKO_DEMO_API_KEY="cg-demo-secret")
    for keys in (ApiKeys(), keyed):
        fetcher = default_providers(ctx.instruments, ctx.settings, keys)["coingecko:markets:CRYPTO"]
        with pytest.raises(MalformedResponse):  # an empty list has no usable record
            await fetcher.fetch(http, ctx)
    without, with_key = upstream.requests
    assert "x-cg-demo-api-key" not in without.headers
    assert with_key.headers["x-cg-demo-api-key"] == "cg-demo-secret"
    assert isinstance(keyed.coingecko_demo, SecretStr) and "cg-demo-secret" not in repr(keyed)

"""Every provider through HTTP: success, 404, 429 + Retry-After, 500 then success, timeout,
truncated body and an empty result — each ends in records or in one typed ProviderError."""

from __future__ import annotations

import json

import httpx
import pytest

from core.errors import MalformedResponse, SourceUnavailable
from core.providers.registry import default_providers
from tests.core.providers.conftest import TEST_KEYS

# provider key → (path fragment, fixture source, fixture file, body of an empty answer).
# The success bodies are the recorded fixtures (synthetic_* where none was recorded, see
# each .source.txt); the empty answers are shaped on each source's envelope, not recorded.
CASES = {
    "yahoo:SPX": (
        "/v8/finance/chart/",
        "yahoo",
        "openbb_chart_GSPC_2023-01-03_to_2024-02-29_daily.json",
        '{"chart":{"result":[],"error":null}}',
    ),
    "yahoo:BTC": (
        "/v8/finance/chart/",
        "yahoo",
        "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json",
        '{"chart":{"result":null,"error":null}}',
    ),
    "stooq:SPX": ("/q/d/l/", "stooq", "spx_d_tail500.csv", "Date,Open,High,Low,Close,Volume\n"),
    "binance:BTC": (
        "/api/v3/ticker/24hr",
        "binance",
        "ccxt_ticker24hr_BTCUSDT_2024-03-13.json",
        "{}",
    ),
    "coingecko:markets:CRYPTO": (
        "/api/v3/coins/markets",
        "coingecko",
        "dashbrd_coins_markets_usd_2023-07-28_250.json",
        "[]",
    ),
    "eastmoney:indexes:CN": (
        "/api/qt/clist/get",
        "eastmoney",
        "synthetic_clist_index_board_fltt2.json",
        '{"rc":0,"data":null}',
    ),
    "eastmoney:breadth": (
        "/api/qt/ulist.np/get",
        "eastmoney",
        "synthetic_ulist_breadth.json",
        '{"rc":0,"data":{"total":0,"diff":[]}}',
    ),
    "eastmoney:northbound": (
        "/api/data/v1/get",
        "eastmoney",
        "synthetic_datacenter_northbound.json",
        '{"result":null,"success":false,"message":"返回数据为空","code":9201}',
    ),
    "tencent:quotes:CN": (
        "/q=",
        "tencent",
        "literal_stox_qt_us_hk_sh_2026-09-30.txt",
        'v_pv_none_match="1";\n',
    ),
    "sina:quotes:HK": (
        "/list=",
        "sina",
        "literal_stock_duifu_gb_dji_gb_ixic_gb_inx_rt_hkHSI_2026-06-26.txt",
        'var hq_str_rt_hkHSI="";\n',
    ),
    "kraken:BTC": (
        "/0/public/Ticker",
        "kraken",
        "literal_mirrorcheck_ticker_XBTUSD_2026-09-25.json",
        '{"error":[],"result":{}}',
    ),
    "okx:BTC": (
        "/api/v5/market/ticker",
        "okx",
        "literal_mirrorcheck_market_ticker_BTC-USDT_2026-09-25.json",
        '{"code":"0","data":[],"msg":""}',
    ),
    "sse:northbound": (
        "/commonSoaQuery.do",
        "stock_connect",
        "yerkure_sse_commonSoaQuery_hgt_daily_2026-08-04.json",
        '{"result":[],"pageHelp":{"data":[]}}',
    ),
    "defillama:protocols": (
        "/protocols",
        "defillama",
        "openbb_cassette_protocols_2022-01-29_first10.json",
        "[]",
    ),
    "defillama:stablecoins": (
        "/stablecoins",
        "defillama",
        "chainparrot_stablecoins_tether_trimmed.json",
        '{"peggedAssets":[]}',
    ),
    "defillama:dexs": (
        "/overview/dexs",
        "defillama",
        "synthetic_overview_dexs.json",
        '{"protocols":[],"allChains":[]}',
    ),
}


@pytest.fixture(params=sorted(CASES))
def case(request, ctx, fixture_text):
    """Return (fetcher, path fragment, success body, empty body) for one provider."""
    fragment, source, name, empty = CASES[request.param]
    body = fixture_text(source, name)
    if request.param == "defillama:stablecoins":
        # The recorded dump is the bare array; the live endpoint wraps it.
        body = json.dumps({"peggedAssets": json.loads(body)})
    fetcher = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)[request.param]
    return fetcher, fragment, body, empty


@pytest.mark.asyncio
async def test_success(case, http, upstream, ctx, clock):
    fetcher, fragment, body, _ = case
    upstream.add(fragment, httpx.Response(200, text=body))
    records = await fetcher.fetch(http, ctx)
    assert records
    assert all(getattr(r, "source", fetcher.source) == fetcher.source for r in records)
    assert clock.waits == []
    sent = upstream.requests[0].headers
    for name, value in ctx.settings.headers_for(fetcher.source).items():
        assert sent[name] == value


@pytest.mark.asyncio
async def test_404(case, http, upstream, ctx):
    fetcher, fragment, _, _ = case
    upstream.add(fragment, httpx.Response(404, text='{"message": "not found"}'))
    with pytest.raises(MalformedResponse, match="HTTP 404"):
        await fetcher.fetch(http, ctx)
    assert upstream.hits(fragment) == 1


@pytest.mark.asyncio
async def test_429_with_retry_after_then_success(case, http, upstream, ctx, clock):
    fetcher, fragment, body, _ = case
    upstream.add(
        fragment,
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(200, text=body),
    )
    assert await fetcher.fetch(http, ctx)
    assert clock.waits == [2.0]


@pytest.mark.asyncio
async def test_500_then_success(case, http, upstream, ctx, clock):
    fetcher, fragment, body, _ = case
    upstream.add(fragment, httpx.Response(500), httpx.Response(200, text=body))
    assert await fetcher.fetch(http, ctx)
    assert clock.waits == [ctx.settings.backoff_base_s]


@pytest.mark.asyncio
async def test_timeout(case, http, upstream, ctx):
    fetcher, fragment, _, _ = case
    upstream.add(fragment, httpx.ReadTimeout("no answer"))
    with pytest.raises(SourceUnavailable, match="timed out"):
        await fetcher.fetch(http, ctx)
    # Eastmoney's push2 asks its fallback host once the first one is spent.
    hosts = 2 if fragment.startswith("/api/qt/") else 1
    assert upstream.hits(fragment) == hosts * (ctx.settings.max_retries + 1)
    if hosts == 2:
        assert upstream.requests[-1].url.host == "82.push2.eastmoney.com"


@pytest.mark.asyncio
async def test_truncated_body(case, http, upstream, ctx):
    fetcher, fragment, body, _ = case
    upstream.add(fragment, httpx.Response(200, text=body[: len(body) // 2]))
    with pytest.raises(MalformedResponse):
        await fetcher.fetch(http, ctx)


@pytest.mark.asyncio
async def test_empty_result(case, http, upstream, ctx):
    fetcher, fragment, _, empty = case
    upstream.add(fragment, httpx.Response(200, text=empty))
    with pytest.raises(MalformedResponse):
        await fetcher.fetch(http, ctx)

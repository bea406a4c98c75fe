"""A provider that refuses us is named as blocking, not as a parse error."""

from __future__ import annotations

import httpx
import pytest

from core.errors import Blocked, RateLimited
from core.providers.http import block_page

# No Stooq bot-check page was recorded (fixtures README): this one is shaped on descriptions.
BOT_CHECK = "synthetic_bot_check_page.html"
BINANCE_451 = "issue_http451_restricted_location_body.json"
YAHOO_429 = "issue_http429_edge_too_many_requests_body.txt"


@pytest.mark.asyncio
async def test_html_page_with_200_is_blocked_not_invalid_json(
    providers, ctx, http, upstream, fixture_text
):
    upstream.add("/q/d/l/", httpx.Response(200, text=fixture_text("stooq", BOT_CHECK)))
    with pytest.raises(Blocked) as caught:
        await providers["stooq:SPX"].fetch(http, ctx)
    assert caught.value.reason == (
        "blocked by the provider (HTTP 200: an HTML page ('checking your browser') instead of data)"
    )
    assert "invalid JSON" not in str(caught.value)
    assert upstream.hits("/q/d/l/") == 1  # a block is not retried


@pytest.mark.asyncio
async def test_binance_restricted_location_is_blocked(providers, ctx, http, upstream, fixture_text):
    upstream.add("/ticker/24hr", httpx.Response(451, text=fixture_text("binance", BINANCE_451)))
    with pytest.raises(Blocked, match=r"HTTP 451: 0: Service unavailable from a restricted"):
        await providers["binance:BTC"].fetch(http, ctx)
    assert upstream.hits("/ticker/24hr") == 1


@pytest.mark.asyncio
async def test_yahoo_403_is_blocked(providers, ctx, http, upstream):
    # A minimal HTML 403, shaped, not recorded: no Yahoo block page was found.
    upstream.add(
        "/v8/finance/chart/", httpx.Response(403, text="<html><body>Forbidden</body></html>")
    )
    with pytest.raises(Blocked, match=r"HTTP 403: an HTML page instead of data"):
        await providers["yahoo:SPX"].fetch(http, ctx)


@pytest.mark.asyncio
async def test_yahoo_edge_429_text_stays_rate_limited(providers, ctx, http, upstream, fixture_text):
    upstream.add("/v8/finance/chart/", httpx.Response(429, text=fixture_text("yahoo", YAHOO_429)))
    with pytest.raises(RateLimited, match="HTTP 429"):
        await providers["yahoo:SPX"].fetch(http, ctx)


@pytest.mark.asyncio
async def test_yahoo_is_sent_browser_like_headers(providers, ctx, http, upstream):
    upstream.add("/v8/finance/chart/", httpx.Response(500))
    with pytest.raises(Exception):  # noqa: B017 - only the request matters here
        await providers["yahoo:SPX"].fetch(http, ctx)
    headers = upstream.requests[0].headers
    assert (
        headers["User-Agent"].startswith("Mozilla/5.0") and "marketbot" not in headers["User-Agent"]
    )
    assert headers["Accept"].startswith("application/json")


@pytest.mark.parametrize(
    ("body", "blocked"),
    [
        ("<!DOCTYPE html><html><title>Just a moment...</title>", True),
        ("\ufeff  <html><head></head>", True),
        ('{"chart": {"result": []}}', False),
        ("Date,Open,High,Low,Close,Volume\n", False),
        ('v_sh000001="1~上证指数~000001";', False),
    ],
)
def test_block_page_detection(body, blocked):
    assert (block_page(body) is not None) is blocked

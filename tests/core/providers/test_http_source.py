"""HttpSource: retries, Retry-After, backoff, and translation of every failure into core.errors."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest

from core.errors import MalformedResponse, RateLimited, SourceUnavailable
from core.providers.http import HttpSource, retry_after_s

URL = "https://example.test/api/data"
# Bounds a hang only: the held requests are released by events, not by time.
HANG_S = 30


@pytest.mark.asyncio
async def test_success_returns_body_and_sends_user_agent(http, upstream, provider_settings):
    upstream.add("/api/data", httpx.Response(200, text='{"ok": true}'))
    assert await http.get_json("src", URL) == {"ok": True}
    assert upstream.requests[0].headers["User-Agent"] == provider_settings.user_agent


@pytest.mark.asyncio
async def test_429_retry_after_is_honoured_on_the_injected_clock(http, upstream, clock):
    upstream.add(
        "/api/data",
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(200, text="[1]"),
    )
    assert await http.get_json("src", URL) == [1]
    assert (clock.waits, clock.monotonic()) == ([3.0], 3.0)
    assert upstream.hits("/api/data") == 2


@pytest.mark.asyncio
async def test_retry_after_as_an_http_date_is_read_against_the_injected_clock(
    http, upstream, clock
):
    # The clock stands at 2026-03-20 08:00 UTC: the date asks for 7 s (under the cap).
    date = "Fri, 20 Mar 2026 08:00:07 GMT"
    upstream.add(
        "/api/data",
        httpx.Response(429, headers={"Retry-After": date}),
        httpx.Response(200, text="[1]"),
    )
    assert await http.get_json("src", URL) == [1]
    assert clock.waits == [7.0]


@pytest.mark.asyncio
async def test_429_asking_longer_than_the_cap_is_not_waited_for(http, upstream, clock):
    upstream.add("/api/data", httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimited) as info:
        await http.get_text("src", URL)
    assert info.value.retry_after_s == 3600
    assert clock.waits == []
    assert upstream.hits("/api/data") == 1


@pytest.mark.asyncio
async def test_429_every_time_raises_rate_limited_after_bounded_retries(
    http, upstream, clock, provider_settings
):
    upstream.add("/api/data", httpx.Response(429))
    with pytest.raises(RateLimited) as info:
        await http.get_text("src", URL)
    assert info.value.retry_after_s is None
    assert upstream.hits("/api/data") == provider_settings.max_retries + 1
    base = provider_settings.backoff_base_s
    assert clock.waits == [base * 2**i for i in range(provider_settings.max_retries)]


@pytest.mark.asyncio
async def test_500_then_success(http, upstream, clock, provider_settings):
    upstream.add("/api/data", httpx.Response(500), httpx.Response(200, text="{}"))
    assert await http.get_json("src", URL) == {}
    assert clock.waits == [provider_settings.backoff_base_s]


@pytest.mark.asyncio
async def test_5xx_every_time_is_source_unavailable(http, upstream, provider_settings):
    upstream.add("/api/data", httpx.Response(503))
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        await http.get_text("src", URL)
    assert upstream.hits("/api/data") == provider_settings.max_retries + 1


@pytest.mark.asyncio
async def test_backoff_is_capped(client, upstream, clock, provider_settings):
    settings = provider_settings.model_copy(
        update={"max_retries": 5, "backoff_base_s": 4.0, "max_retry_wait_s": 10.0}
    )
    upstream.add("/api/data", httpx.Response(502))
    with pytest.raises(SourceUnavailable):
        await HttpSource(client, settings, clock).get_text("src", URL)
    assert clock.waits == [4.0, 8.0, 10.0, 10.0, 10.0]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")]
)
async def test_timeouts_become_source_unavailable_with_the_cause_kept(http, upstream, error):
    upstream.add("/api/data", error)
    with pytest.raises(SourceUnavailable, match="timed out") as info:
        await http.get_text("src", URL)
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


@pytest.mark.asyncio
async def test_timeout_then_success(http, upstream):
    upstream.add("/api/data", httpx.ReadTimeout("slow"), httpx.Response(200, text="ok"))
    assert await http.get_text("src", URL) == "ok"


@pytest.mark.asyncio
async def test_network_error_is_source_unavailable(http, upstream):
    upstream.add("/api/data", httpx.ConnectError("refused"))
    with pytest.raises(SourceUnavailable, match="ConnectError") as info:
        await http.get_text("src", URL)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.asyncio
async def test_4xx_is_malformed_at_once_with_the_body_detail(http, upstream, clock):
    body = {"error": {"description": "symbol may be delisted"}}
    upstream.add("/api/data", httpx.Response(404, json=body))
    with pytest.raises(MalformedResponse, match="HTTP 404: symbol may be delisted"):
        await http.get_text("src", URL, error_detail=lambda p: p["error"]["description"])
    assert upstream.hits("/api/data") == 1
    assert clock.waits == []


@pytest.mark.asyncio
async def test_4xx_with_an_unexpected_body_falls_back_to_an_excerpt(http, upstream):
    upstream.add("/api/data", httpx.Response(410, text="<p>Gone   for good, sorry"))
    with pytest.raises(MalformedResponse, match="HTTP 410: <p>Gone for good"):
        await http.get_text("src", URL, error_detail=lambda p: p["missing"])


@pytest.mark.asyncio
@pytest.mark.parametrize("body", ["", "   \n"])
async def test_empty_body_is_malformed(http, upstream, body):
    upstream.add("/api/data", httpx.Response(200, text=body))
    with pytest.raises(MalformedResponse, match="empty body"):
        await http.get_json("src", URL)


@pytest.mark.asyncio
async def test_truncated_json_is_malformed_with_the_decode_error_as_cause(http, upstream):
    upstream.add("/api/data", httpx.Response(200, text='{"chart": {"result": [{"meta": '))
    with pytest.raises(MalformedResponse, match="invalid JSON") as info:
        await http.get_json("src", URL)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


@pytest.mark.asyncio
async def test_requests_to_one_source_are_bounded(client, provider_settings, clock):
    in_flight = peak = 0
    full = asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        # Each request stays in flight until the bound is reached, then lets others try.
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight == 2:
            full.set()
        await full.wait()
        await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, text="ok")

    settings = provider_settings.model_copy(update={"per_source_concurrency": 2})
    async with httpx.AsyncClient(transport=httpx.MockTransport(held)) as c:
        http = HttpSource(c, settings, clock)
        async with asyncio.timeout(HANG_S):
            await asyncio.gather(*(http.get_text("src", URL) for _ in range(6)))
    assert peak == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Fri, 20 Mar 2026 08:00:30 GMT", 30.0),
        ("Fri, 20 Mar 2026 07:59:00 GMT", 0.0),
        ("soon", None),
    ],
)
def test_retry_after_parses_seconds_and_http_dates(header, expected):
    response = httpx.Response(429, headers={"Retry-After": header})
    assert retry_after_s(response, now=datetime(2026, 3, 20, 8, 0, tzinfo=UTC)) == expected


def test_retry_after_absent():
    assert retry_after_s(httpx.Response(429), now=datetime(2026, 3, 20, tzinfo=UTC)) is None

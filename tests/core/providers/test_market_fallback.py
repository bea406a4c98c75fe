"""Take each market's first source away: the report still shows the market from the next one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from core.analysis.build import build_report
from core.providers.assemble import build_snapshot

# 08:00 in Hong Kong on Thu 2026-10-01: every market's latest session is Wed 2026-09-30,
# which is the session of the recorded Tencent answer.
NOW = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
TENCENT = ("/q=", "tencent", "literal_stox_qt_us_hk_sh_2026-09-30.txt")
OKX = ("/api/v5/market/ticker", "okx", "literal_mirrorcheck_market_ticker_BTC-USDT_2026-09-25.json")
BINANCE = ("/ticker/24hr", "binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json")

# market → (first source's path, next source's route, instrument, next source, session)
CASES = {
    "US": ("/v8/finance/chart/", TENCENT, "SPX", "tencent", date(2026, 9, 30)),
    "HK": ("/v8/finance/chart/", TENCENT, "HSI", "tencent", date(2026, 9, 30)),
    "CN": ("/api/qt/", TENCENT, "SSE", "tencent", date(2026, 9, 30)),
    "CRYPTO": ("/v8/finance/chart/", BINANCE, "BTC", "binance", date(2024, 3, 13)),
}


def offline(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)


@pytest.mark.asyncio
@pytest.mark.parametrize("market", sorted(CASES))
async def test_next_source_takes_over(
    market, client, ctx, providers, upstream, clock, fixture_text
):
    first_path, (path, source, name), key, expected, session = CASES[market]
    order = ctx.settings.order_for(market)
    assert order[1] == expected  # the configured next source is the one served here
    upstream.add(first_path, offline)
    body = fixture_text(source, name)
    content = body.encode("gb18030") if source == "tencent" else body.encode()
    upstream.add(path, httpx.Response(200, content=content))
    snap = await build_snapshot(
        client, NOW, providers, instruments=ctx.instruments, settings=ctx.settings, clock=clock
    )
    quote = snap.index(key) or snap.crypto_quote(key)
    assert (quote.source, quote.session_date) == (expected, session)
    report = build_report(snap, ctx.instruments)
    [shown] = [s for s in report.sessions if s.market == market]
    assert shown.session_date == session
    first = [
        p
        for p in snap.providers
        if p.source == order[0] and p.market == market and providers[p.key].instruments
    ]
    assert first and not any(p.ok for p in first)
    assert all("ConnectError" in p.reason for p in first)

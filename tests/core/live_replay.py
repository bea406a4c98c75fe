"""Replays of recorded upstream bodies for live-path tests (service and CLI).

No real Yahoo chart body exists for the report's indexes or for 2026, so the Yahoo replies are
*shaped* from the one real multi-month index body (^GSPC, 2023-01-03 → 2024-02-29): its closes
are kept, and its timestamps are moved onto the target market's sessions ending at the session
the test asks for (and the symbol and exchange time zone set to the requested ones). Each
instrument starts at its own offset into the recorded closes, so the series differ. The real
Binance 24 h ticker can have its window moved to end at the report instant (``replay_at``). The
other sources answer with their recorded (or documented synthetic) bodies from tests/fixtures/.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import httpx

from core.calendars import latest_completed_session, sessions_between
from core.instruments import default_registry
from tests.core.providers.conftest import FIXTURES, Upstream

GSPC_DAILY = "openbb_chart_GSPC_2023-01-03_to_2024-02-29_daily.json"
BTC_DAILY = "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json"
# Session open and close in exchange time, where the shaped bars are stamped.
_HOURS = {"US": (time(9, 30), time(16, 0)), "HK": (time(9, 30), time(16, 8))}
_HOURS_CN = (time(9, 30), time(15, 0))


@cache
def _body(name: str) -> dict:
    return json.loads((FIXTURES / "yahoo" / name).read_text(encoding="utf-8"))


def shaped_chart(symbol: str, last_session: date, bars: int = 125, offset: int = 0) -> dict:
    """Return the real ^GSPC body with ``bars`` closes moved onto the symbol's market sessions."""
    inst = next(i for i in default_registry() if i.symbol_for("yahoo") == symbol)
    market = default_registry().markets[inst.market]
    zone = ZoneInfo(market.timezone)
    body = copy.deepcopy(_body(GSPC_DAILY))
    result = body["chart"]["result"][0]
    start = last_session - timedelta(days=bars * 2)
    sessions = sessions_between(inst.market, start, last_session)[-bars:]
    quote = result["indicators"]["quote"][0]
    closes = quote["close"][offset : offset + len(sessions)]
    opens, closes_at = _HOURS.get(inst.market, _HOURS_CN)
    result["timestamp"] = [int(datetime.combine(day, opens, zone).timestamp()) for day in sessions]
    quote["close"] = closes
    meta = result["meta"]
    meta |= {
        "symbol": symbol,
        "exchangeTimezoneName": market.timezone,
        "regularMarketTime": int(datetime.combine(sessions[-1], closes_at, zone).timestamp()),
        "regularMarketPrice": closes[-1],
    }
    return body


def shaped_crypto(symbol: str, last_day: date) -> dict:
    """Return the real BTC-USD body (3 daily bars) moved to the UTC days ending ``last_day``."""
    body = copy.deepcopy(_body(BTC_DAILY))
    result = body["chart"]["result"][0]
    n = len(result["timestamp"])
    days = [last_day - timedelta(days=n - 1 - k) for k in range(n)]
    result["timestamp"] = [int(datetime.combine(d, time(0), UTC).timestamp()) for d in days]
    result["meta"] |= {"symbol": symbol, "regularMarketTime": result["timestamp"][-1] + 3600}
    return body


def shaped_ticker(at: datetime) -> str:
    """Return the real Binance 24 h ticker body with its window moved to end at ``at``.

    Prices and counts are the recorded ones; only ``openTime``/``closeTime`` move, and they stay
    strings as in the recording.
    """
    body = json.loads(_text("binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"))
    close_ms = int(at.timestamp() * 1000)
    body["closeTime"], body["openTime"] = str(close_ms), str(close_ms - 86_400_000)
    return json.dumps(body)


def yahoo_reply(last_session: date | dict[str, date], crypto_day: date):
    """Return a MockTransport callback answering any chart request with a shaped body.

    ``last_session`` is one date for every market, or each market's own latest session.
    """
    symbols = [i.symbol_for("yahoo") for i in default_registry() if i.symbol_for("yahoo")]

    def reply(request: httpx.Request) -> httpx.Response:
        symbol = unquote(request.url.path.rsplit("/", 1)[-1])
        inst = next(i for i in default_registry() if i.symbol_for("yahoo") == symbol)
        if inst.kind == "crypto":
            return httpx.Response(200, json=shaped_crypto(symbol, crypto_day))
        last = last_session if isinstance(last_session, date) else last_session[inst.market]
        return httpx.Response(
            200, json=shaped_chart(symbol, last, offset=5 * symbols.index(symbol))
        )

    return reply


def _text(source: str, name: str) -> str:
    return (FIXTURES / source / name).read_text(encoding="utf-8")


def replay_at(at: datetime) -> Upstream:
    """Return a fake upstream as it would answer at ``at``: every market's latest session.

    Each index chart ends at its market's latest completed session by the calendars, the
    crypto daily bars at ``at``'s UTC day, and the Binance 24 h ticker's window at ``at``.
    """
    sessions = {
        m: latest_completed_session(m, at)
        for m, market in default_registry().markets.items()
        if not market.round_the_clock
    }
    return replay_upstream(sessions, at.astimezone(UTC).date(), ticker_at=at)


def replay_upstream(
    last_session: date | dict[str, date], crypto_day: date, ticker_at: datetime | None = None
) -> Upstream:
    """Return a fake upstream answering every configured provider from recorded bodies."""
    up = Upstream()
    up.add("/v8/finance/chart/", yahoo_reply(last_session, crypto_day))
    up.add("/q/d/l/", httpx.Response(200, text=_text("stooq", "spx_d_tail500.csv")))
    ticker = (
        shaped_ticker(ticker_at)
        if ticker_at is not None
        else _text("binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json")
    )
    up.add("/ticker/24hr", httpx.Response(200, text=ticker))
    up.add(
        "/coins/markets",
        httpx.Response(
            200, text=_text("coingecko", "dashbrd_coins_markets_usd_2023-07-28_250.json")
        ),
    )
    up.add(
        "/clist/get",
        httpx.Response(200, text=_text("eastmoney", "synthetic_clist_index_board_fltt2.json")),
    )
    up.add(
        "/ulist.np/get",
        httpx.Response(200, text=_text("eastmoney", "synthetic_ulist_breadth.json")),
    )
    up.add(
        "/api/data/v1/get",
        httpx.Response(200, text=_text("eastmoney", "synthetic_datacenter_northbound.json")),
    )
    tether = json.loads(_text("defillama", "chainparrot_stablecoins_tether_trimmed.json"))
    up.add("/stablecoins", httpx.Response(200, json={"peggedAssets": tether}))
    up.add(
        "/protocols",
        httpx.Response(
            200, text=_text("defillama", "openbb_cassette_protocols_2022-01-29_first10.json")
        ),
    )
    up.add(
        "/overview/dexs",
        httpx.Response(200, text=_text("defillama", "synthetic_overview_dexs.json")),
    )
    return up


def offline(request: httpx.Request) -> httpx.Response:
    """Raise ConnectError for every request, as with no network at all."""
    raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

"""Kraken public ticker: a further source for BTC and ETH against USD.

``/0/public/Ticker?pair=XBTUSD`` answers under Kraken's own pair name (``XXBTZUSD``), with
prices as strings and no timestamp. ``o`` is the open at 00:00 UTC, not 24 hours ago, so
Kraken gives the price only: a change since midnight is not a 24 h change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import MalformedResponse
from core.providers.base import FetchContext, InstrumentQuery
from core.providers.tickers import RollingTicker, TickerReading


def kraken_error(payload: Any) -> str | None:
    """Return Kraken's error list as one message (``["EQuery:Unknown asset pair"]``)."""
    errors = payload.get("error") or []
    return "; ".join(map(str, errors)) or None


@dataclass(frozen=True)
class KrakenTicker(RollingTicker):
    """Last trade price of one crypto asset in USD (no 24 h change: see the module)."""

    source = "kraken"
    dataset = "ticker"
    path = "/0/public/Ticker"
    symbol_param = "pair"
    error_detail = staticmethod(kraken_error)

    def read(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> TickerReading:
        """Return the last trade; the answer has no time, so it is as of the fetch."""
        error = kraken_error(raw)
        if error:
            raise MalformedResponse(self.source, error)
        result = raw["result"]
        if len(result) != 1:
            # One pair asked, one answered, under a name of Kraken's choosing (XXBTZUSD).
            raise MalformedResponse(self.source, f"expected one pair, got {sorted(result)}")
        [ticker] = result.values()
        return TickerReading(float(ticker["c"][0]), None, ctx.now)

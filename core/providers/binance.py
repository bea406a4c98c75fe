"""Binance spot 24 h ticker: the second source for BTC and ETH (USDT pairs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.providers.base import FetchContext, InstrumentQuery
from core.providers.tickers import RollingTicker, TickerReading


class Ticker24h(BaseModel):
    """``/api/v3/ticker/24hr`` for one symbol; prices are strings, times ints (or strings)."""

    model_config = ConfigDict(extra="ignore")

    symbol: str
    lastPrice: float
    priceChangePercent: float | None = None
    closeTime: int


def binance_error(payload: Any) -> str | None:
    """Return the message of a Binance error body (``{"code": -1121, "msg": …}``)."""
    return f"{payload['code']}: {payload['msg']}" if "msg" in payload else None


@dataclass(frozen=True)
class BinanceTicker(RollingTicker):
    """Last price and rolling 24 h change of one crypto asset against USDT."""

    source = "binance"
    dataset = "ticker24hr"
    path = "/api/v3/ticker/24hr"
    symbol_param = "symbol"
    error_detail = staticmethod(binance_error)

    def read(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> TickerReading:
        """Return the ticker; the window is rolling, so its time is the window's end."""
        ticker = Ticker24h.model_validate(raw)
        as_of = datetime.fromtimestamp(ticker.closeTime / 1000, UTC)
        return TickerReading(ticker.lastPrice, ticker.priceChangePercent, as_of)

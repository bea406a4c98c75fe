"""OKX spot ticker: a further source for BTC and ETH (USDT pairs).

``/api/v5/market/ticker?instId=BTC-USDT`` answers ``{"code": "0", "data": [{…}], "msg": ""}``:
the code is a string, and every number in ``data`` (``ts`` in ms included) is a string.
``open24h`` is the price 24 hours before ``ts``, so the change is a rolling 24 h one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.errors import MalformedResponse
from core.providers.base import FetchContext, InstrumentQuery
from core.providers.tickers import RollingTicker, TickerReading
from core.snapshot import pct_change


class _Ticker(BaseModel):
    """One item of ``data``; pydantic turns the numeric strings into numbers."""

    model_config = ConfigDict(extra="ignore")

    instId: str
    last: float
    open24h: float | None = None
    ts: int


def okx_error(payload: Any) -> str | None:
    """Return the message of an OKX error body (``{"code": "51001", "msg": …}``)."""
    return f"{payload['code']}: {payload.get('msg')}" if str(payload.get("code")) != "0" else None


@dataclass(frozen=True)
class OkxTicker(RollingTicker):
    """Last price and rolling 24 h change of one crypto asset against USDT."""

    source = "okx"
    dataset = "ticker"
    path = "/api/v5/market/ticker"
    symbol_param = "instId"
    error_detail = staticmethod(okx_error)

    def read(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> TickerReading:
        """Return the ticker as of its own time; an error code or no data is malformed."""
        error = okx_error(raw)
        if error:
            raise MalformedResponse(self.source, error)
        if not raw.get("data"):
            raise MalformedResponse(self.source, f"{query.params['instId']}: no ticker in data")
        ticker = _Ticker.model_validate(raw["data"][0])
        as_of = datetime.fromtimestamp(ticker.ts / 1000, UTC)
        return TickerReading(ticker.last, pct_change(ticker.last, ticker.open24h), as_of)

"""Binance spot 24 h ticker: the second source for BTC and ETH (USDT pairs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.providers.base import FetchContext, Fetcher, HttpSource, InstrumentQuery, Record
from core.snapshot import CryptoQuote


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
class BinanceTicker(Fetcher[InstrumentQuery]):
    """Last price and rolling 24 h change of one crypto asset against USDT."""

    source = "binance"
    dataset = "ticker24hr"

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the ticker request for this fetcher's instrument."""
        inst, symbol = self.own_symbol(ctx)
        url = f"{ctx.settings.base_url('binance')}/api/v3/ticker/24hr"
        return InstrumentQuery(inst.key, url, {"symbol": symbol})

    async def extract(self, http: HttpSource, query: InstrumentQuery) -> Any:
        """Return the decoded ticker body."""
        return await http.get_json(self.source, query.url, query.params, binance_error)

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one CryptoQuote; the window is rolling, so the date is the window's end (UTC)."""
        ticker = Ticker24h.model_validate(raw)
        as_of = datetime.fromtimestamp(ticker.closeTime / 1000, UTC)
        return [
            CryptoQuote(
                instrument=query.instrument,
                session_date=as_of.date(),
                source=self.source,
                # USDT is taken at par with USD; the disagreement check catches a de-peg.
                price_usd=ticker.lastPrice,
                change_24h_pct=ticker.priceChangePercent,
                as_of=as_of,
                fetched_at=ctx.now,
            )
        ]

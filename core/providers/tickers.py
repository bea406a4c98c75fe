"""Exchange tickers: one crypto asset's last price and rolling 24 h change per request.

Binance, OKX and Kraken differ only in the path, the symbol parameter, the error body and
how a ticker is read (``read``); the request and the CryptoQuote are the same for all.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, NamedTuple

from core.providers.base import FetchContext, InstrumentQuery, JsonFetcher, Record
from core.snapshot import CryptoQuote


class TickerReading(NamedTuple):
    """What a ticker says: last price (USD or a stablecoin at par), 24 h change, its time."""

    price: float
    change_24h_pct: float | None
    as_of: datetime


@dataclass(frozen=True)
class RollingTicker(JsonFetcher[InstrumentQuery]):
    """Last price and rolling 24 h change of one crypto asset from an exchange ticker."""

    path: ClassVar[str]
    symbol_param: ClassVar[str]

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the ticker request for this fetcher's instrument."""
        inst, symbol = self.own_symbol(ctx)
        url = f"{ctx.settings.base_url(self.source)}{self.path}"
        return InstrumentQuery(inst.key, url, {self.symbol_param: symbol})

    @abstractmethod
    def read(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> TickerReading:
        """Return what the ticker body says."""

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one CryptoQuote, dated by the ticker's own time (UTC)."""
        reading = self.read(query, raw, ctx)
        return [
            CryptoQuote(
                instrument=query.instrument,
                session_date=reading.as_of.date(),
                source=self.source,
                # USDT is taken at par with USD; the cross-check catches a de-peg.
                price_usd=reading.price,
                change_24h_pct=reading.change_24h_pct,
                as_of=reading.as_of,
                fetched_at=ctx.now,
            )
        ]

"""Kraken public ticker: a further source for BTC and ETH against USD.

``/0/public/Ticker?pair=XBTUSD`` answers under Kraken's own pair name (``XXBTZUSD``), with
prices as strings and no timestamp. ``o`` is the open at 00:00 UTC, not 24 hours ago, so
Kraken gives the price only: a change since midnight is not a 24 h change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import MalformedResponse
from core.providers.base import FetchContext, Fetcher, HttpSource, InstrumentQuery, Record
from core.snapshot import CryptoQuote


def kraken_error(payload: Any) -> str | None:
    """Return Kraken's error list as one message (``["EQuery:Unknown asset pair"]``)."""
    errors = payload.get("error") or []
    return "; ".join(map(str, errors)) or None


@dataclass(frozen=True)
class KrakenTicker(Fetcher[InstrumentQuery]):
    """Last trade price of one crypto asset in USD."""

    source = "kraken"
    dataset = "ticker"

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the ticker request for this fetcher's pair."""
        inst, pair = self.own_symbol(ctx)
        url = f"{ctx.settings.base_url('kraken')}/0/public/Ticker"
        return InstrumentQuery(inst.key, url, {"pair": pair})

    async def extract(self, http: HttpSource, query: InstrumentQuery) -> Any:
        """Return the decoded ticker body."""
        return await http.get_json(self.source, query.url, query.params, kraken_error)

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one CryptoQuote; the answer has no time, so it is as of the fetch."""
        error = kraken_error(raw)
        if error:
            raise MalformedResponse(self.source, error)
        result = raw["result"]
        if len(result) != 1:
            # One pair asked, one answered, under a name of Kraken's choosing (XXBTZUSD).
            raise MalformedResponse(self.source, f"expected one pair, got {sorted(result)}")
        [ticker] = result.values()
        return [
            CryptoQuote(
                instrument=query.instrument,
                session_date=ctx.now.date(),
                source=self.source,
                price_usd=float(ticker["c"][0]),
                change_24h_pct=None,
                as_of=ctx.now,
                fetched_at=ctx.now,
            )
        ]

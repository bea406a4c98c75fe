"""CoinGecko ``/coins/markets``: a third source for BTC and ETH."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from core.errors import MalformedResponse
from core.providers.base import FetchContext, Fetcher, HttpSource, Record
from core.providers.codelist import codes_for
from core.snapshot import CryptoQuote


class MarketRow(BaseModel):
    """One coin of ``/coins/markets``; most figures are nullable."""

    model_config = ConfigDict(extra="ignore")

    id: str
    current_price: float | None = None
    price_change_percentage_24h: float | None = None
    last_updated: datetime | None = None


def coingecko_error(payload: Any) -> str | None:
    """Return the message of a CoinGecko error body."""
    status = payload.get("status") or {}
    return payload.get("error") or status.get("error_message")


@dataclass(frozen=True)
class MarketsQuery:
    """One request for every covered coin, keyed back to instrument keys."""

    url: str
    params: dict[str, str]
    ids: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CoinGeckoMarkets(Fetcher[MarketsQuery]):
    """Price and 24 h change of the covered coins in one request."""

    source = "coingecko"
    dataset = "markets"
    # An optional demo key (COINGECKO_DEMO_API_KEY) lifts the keyless rate limit.
    api_key: SecretStr | None = None

    def build_query(self, ctx: FetchContext) -> MarketsQuery:
        """Return the markets request for all of this fetcher's instruments."""
        ids = codes_for(self, ctx)
        params = {"vs_currency": "usd", "ids": ",".join(ids), "price_change_percentage": "24h"}
        headers = {}
        if self.api_key is not None:
            headers["x-cg-demo-api-key"] = self.api_key.get_secret_value()
        url = f"{ctx.settings.base_url('coingecko')}/api/v3/coins/markets"
        return MarketsQuery(url, params, ids, headers)

    async def extract(self, http: HttpSource, query: MarketsQuery) -> Any:
        """Return the decoded list of coins."""
        return await http.get_json(
            self.source, query.url, query.params, coingecko_error, headers=query.headers
        )

    def transform(self, query: MarketsQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return a CryptoQuote per requested coin found with a price; others are left out."""
        if not isinstance(raw, list):
            raise MalformedResponse(
                "coingecko", f"expected a list of coins, got {type(raw).__name__}"
            )
        out: list[Record] = []
        for item in raw:
            row = MarketRow.model_validate(item)
            key = query.ids.get(row.id)
            if key is None or row.current_price is None:
                continue
            as_of = row.last_updated or ctx.now
            out.append(
                CryptoQuote(
                    instrument=key,
                    session_date=as_of.date(),
                    source=self.source,
                    price_usd=row.current_price,
                    change_24h_pct=row.price_change_percentage_24h,
                    as_of=as_of,
                    fetched_at=ctx.now,
                )
            )
        return out

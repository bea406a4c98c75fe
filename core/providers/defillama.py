"""DefiLlama: protocol TVL, stablecoin supply and DEX volumes (no API key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from core.errors import MalformedResponse
from core.providers.base import FetchContext, Fetcher, HttpSource, Record, UrlQuery
from core.snapshot import DexVolume, ProtocolTvl, StablecoinSupply


def llama_error(payload: Any) -> str | None:
    """Return the message of a DefiLlama error body."""
    return payload.get("message") or payload.get("error") if isinstance(payload, dict) else None


class ProtocolRow(BaseModel):
    """One item of ``/protocols``. ``tvl`` already leaves out staking/pool2/borrowed."""

    model_config = ConfigDict(extra="ignore")

    name: str
    category: str | None = None
    tvl: float | None = None
    change_1d: float | None = None


class _Pegged(BaseModel):
    model_config = ConfigDict(extra="ignore")

    peggedUSD: float | None = None


def _pegged_or_none(value: Any) -> Any:
    # DefiLlama writes a bare 0 instead of {"peggedUSD": …} for periods it has no figure for.
    return None if isinstance(value, int | float) else value


class StablecoinRow(BaseModel):
    """One item of ``peggedAssets``; the period fields may be objects or a bare 0."""

    model_config = ConfigDict(extra="ignore")

    symbol: str
    pegType: str | None = None
    circulating: _Pegged | None = None
    circulatingPrevDay: _Pegged | None = None

    @field_validator("circulating", "circulatingPrevDay", mode="before")
    @classmethod
    def bare_zero_is_unknown(cls, value: Any) -> Any:
        """Return None for DefiLlama's bare-0 placeholder."""
        return _pegged_or_none(value)


class DexRow(BaseModel):
    """One item of ``/overview/dexs`` ``protocols``."""

    model_config = ConfigDict(extra="ignore")

    name: str
    displayName: str | None = None
    total24h: float | None = None
    change_1d: float | None = None


def _rows(raw: Any, key: str | None) -> list[Any]:
    rows = raw.get(key) if key is not None and isinstance(raw, dict) else raw
    if not isinstance(rows, list):
        raise MalformedResponse("defillama", f"expected a list{f' under {key!r}' if key else ''}")
    return rows


@dataclass(frozen=True)
class DefiLlamaProtocols(Fetcher[UrlQuery]):
    """TVL and 1-day change of every protocol above the configured floor."""

    source = "defillama"
    dataset = "protocols"

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the ``/protocols`` request."""
        return UrlQuery(f"{ctx.settings.base_url('defillama')}/protocols", {})

    async def extract(self, http: HttpSource, query: UrlQuery) -> Any:
        """Return the decoded protocol list."""
        return await http.get_json(self.source, query.url, query.params, llama_error)

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return ProtocolTvl records; chainTvls (with its synthetic keys) is not used."""
        s = ctx.settings
        out: list[Record] = []
        for item in _rows(raw, None):
            row = ProtocolRow.model_validate(item)
            if row.category in s.protocol_exclude_categories:
                continue
            if row.tvl is None or row.tvl < s.protocol_min_tvl_usd:
                continue
            out.append(
                ProtocolTvl(
                    name=row.name,
                    source=self.source,
                    category=row.category,
                    tvl_usd=row.tvl,
                    change_1d_pct=row.change_1d,
                    as_of=ctx.now,
                )
            )
        return out


@dataclass(frozen=True)
class DefiLlamaStablecoins(Fetcher[UrlQuery]):
    """Circulating supply now and a day before of the largest USD stablecoins."""

    source = "defillama"
    dataset = "stablecoins"

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the ``/stablecoins`` request."""
        url = f"{ctx.settings.base_url('defillama_stablecoins')}/stablecoins"
        return UrlQuery(url, {"includePrices": "true"})

    async def extract(self, http: HttpSource, query: UrlQuery) -> Any:
        """Return the decoded body (``{"peggedAssets": […]}``)."""
        return await http.get_json(self.source, query.url, query.params, llama_error)

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return StablecoinSupply records for the top USD-pegged coins by supply."""
        rows = _rows(raw, "peggedAssets") if isinstance(raw, dict) else _rows(raw, None)
        supplies = []
        for item in rows:
            row = StablecoinRow.model_validate(item)
            if row.pegType not in (None, "peggedUSD"):
                continue
            now = row.circulating.peggedUSD if row.circulating else None
            before = row.circulatingPrevDay.peggedUSD if row.circulatingPrevDay else None
            if now is None:
                continue
            supplies.append(
                StablecoinSupply(
                    symbol=row.symbol,
                    source=self.source,
                    circulating_usd=now,
                    prev_day_usd=before,
                    as_of=ctx.now,
                )
            )
        supplies.sort(key=lambda s: s.circulating_usd or 0.0, reverse=True)
        return list(supplies[: ctx.settings.stablecoins_top])


@dataclass(frozen=True)
class DefiLlamaDexs(Fetcher[UrlQuery]):
    """24 h volume and its change of the busiest DEXs."""

    source = "defillama"
    dataset = "dexs"

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the ``/overview/dexs`` request without the (large) chart arrays."""
        params = {"excludeTotalDataChart": "true", "excludeTotalDataChartBreakdown": "true"}
        return UrlQuery(f"{ctx.settings.base_url('defillama')}/overview/dexs", params)

    async def extract(self, http: HttpSource, query: UrlQuery) -> Any:
        """Return the decoded overview body."""
        return await http.get_json(self.source, query.url, query.params, llama_error)

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return DexVolume records for the top DEXs by 24 h volume."""
        volumes = []
        for item in _rows(raw, "protocols"):
            row = DexRow.model_validate(item)
            if row.total24h is None:
                continue
            volumes.append(
                DexVolume(
                    name=row.displayName or row.name,
                    source=self.source,
                    volume_24h_usd=row.total24h,
                    change_1d_pct=row.change_1d,
                    as_of=ctx.now,
                )
            )
        volumes.sort(key=lambda v: v.volume_24h_usd or 0.0, reverse=True)
        return list(volumes[: ctx.settings.dex_top])

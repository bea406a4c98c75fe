"""DefiLlama: protocol TVL, stablecoin supply and DEX volumes (no API key)."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, field_validator

from core.errors import MalformedResponse
from core.providers.base import FetchContext, JsonFetcher, Record, UrlQuery
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
class DefiLlamaList(JsonFetcher[UrlQuery]):
    """One DefiLlama list (a bare list, or one under ``list_key``): a record per usable item."""

    source = "defillama"
    error_detail = staticmethod(llama_error)
    host: ClassVar[str] = "defillama"  # the base_urls entry
    path: ClassVar[str]
    params: ClassVar[tuple[tuple[str, str], ...]] = ()
    list_key: ClassVar[str | None] = None

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the list request."""
        return UrlQuery(f"{ctx.settings.base_url(self.host)}{self.path}", dict(self.params))

    @abstractmethod
    def record(self, item: Any, ctx: FetchContext) -> Record | None:
        """Return the record of one item, or None when it is left out."""

    def keep(self, records: list[Record], ctx: FetchContext) -> list[Record]:
        """Return the records to report (all of them unless a subclass keeps the top ones)."""
        return records

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return the records of the list's usable items."""
        records = [self.record(item, ctx) for item in _rows(raw, self.list_key)]
        return self.keep([r for r in records if r is not None], ctx)


@dataclass(frozen=True)
class DefiLlamaProtocols(DefiLlamaList):
    """TVL and 1-day change of every protocol above the configured floor."""

    dataset = "protocols"
    path = "/protocols"

    def record(self, item: Any, ctx: FetchContext) -> Record | None:
        """Return a ProtocolTvl; chainTvls (with its synthetic keys) is not used."""
        s = ctx.settings
        row = ProtocolRow.model_validate(item)
        if row.category in s.protocol_exclude_categories:
            return None
        if row.tvl is None or row.tvl < s.protocol_min_tvl_usd:
            return None
        return ProtocolTvl(
            name=row.name,
            source=self.source,
            category=row.category,
            tvl_usd=row.tvl,
            change_1d_pct=row.change_1d,
            as_of=ctx.now,
        )


@dataclass(frozen=True)
class DefiLlamaStablecoins(DefiLlamaList):
    """Circulating supply now and a day before of the largest USD stablecoins."""

    dataset = "stablecoins"
    host = "defillama_stablecoins"
    path = "/stablecoins"
    params = (("includePrices", "true"),)
    list_key = "peggedAssets"

    def record(self, item: Any, ctx: FetchContext) -> Record | None:
        """Return a USD-pegged coin's StablecoinSupply, or None without a circulating figure."""
        row = StablecoinRow.model_validate(item)
        if row.pegType not in (None, "peggedUSD"):
            return None
        now = row.circulating.peggedUSD if row.circulating else None
        before = row.circulatingPrevDay.peggedUSD if row.circulatingPrevDay else None
        if now is None:
            return None
        return StablecoinSupply(
            symbol=row.symbol,
            source=self.source,
            circulating_usd=now,
            prev_day_usd=before,
            as_of=ctx.now,
        )

    def keep(self, records: list[Record], ctx: FetchContext) -> list[Record]:
        """Return the top coins by supply."""
        supplies = cast(list[StablecoinSupply], records)
        supplies.sort(key=lambda s: s.circulating_usd or 0.0, reverse=True)
        return list(supplies[: ctx.settings.stablecoins_top])


@dataclass(frozen=True)
class DefiLlamaDexs(DefiLlamaList):
    """24 h volume and its change of the busiest DEXs."""

    dataset = "dexs"
    path = "/overview/dexs"
    # Without the (large) chart arrays.
    params = (("excludeTotalDataChart", "true"), ("excludeTotalDataChartBreakdown", "true"))
    list_key = "protocols"

    def record(self, item: Any, ctx: FetchContext) -> Record | None:
        """Return a DEX's DexVolume, or None without a 24 h volume."""
        row = DexRow.model_validate(item)
        if row.total24h is None:
            return None
        return DexVolume(
            name=row.displayName or row.name,
            source=self.source,
            volume_24h_usd=row.total24h,
            change_1d_pct=row.change_1d,
            as_of=ctx.now,
        )

    def keep(self, records: list[Record], ctx: FetchContext) -> list[Record]:
        """Return the top DEXs by 24 h volume."""
        volumes = cast(list[DexVolume], records)
        volumes.sort(key=lambda v: v.volume_24h_usd or 0.0, reverse=True)
        return list(volumes[: ctx.settings.dex_top])

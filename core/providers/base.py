"""The fetcher contract every provider follows, and the records it may return.

Every provider is a :class:`Fetcher` in the style of OpenBB's fetchers: ``build_query``
(what to ask) → ``extract`` (raw JSON or text, through :class:`HttpSource`) → ``transform``
(typed snapshot records carrying their source and session date). HTTP, retries and error
translation live in :mod:`core.providers.http`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import ValidationError

from core.errors import MalformedResponse, ProviderError
from core.history.records import DailyClose
from core.instruments import Instrument, InstrumentRegistry
from core.providers.http import ErrorDetail, HttpSource, Params, parse_json
from core.settings import ProviderSettings
from core.snapshot import (
    Breadth,
    CryptoQuote,
    DexVolume,
    IndexQuote,
    Northbound,
    ProtocolTvl,
    SnapshotNote,
    StablecoinSupply,
    Turnover,
)

# The HTTP layer's names stay importable from here, where every provider already looks.
__all__ = [
    "ErrorDetail",
    "FetchContext",
    "Fetcher",
    "HttpSource",
    "InstrumentQuery",
    "JsonFetcher",
    "Params",
    "Record",
    "UrlQuery",
    "parse_json",
]

Record = (
    IndexQuote
    | CryptoQuote
    | Breadth
    | Turnover
    | Northbound
    | ProtocolTvl
    | StablecoinSupply
    | DexVolume
    | SnapshotNote
    | DailyClose
)


@dataclass(frozen=True)
class FetchContext:
    """What every fetcher may read: the clock, the instruments and the provider settings."""

    now: datetime
    instruments: InstrumentRegistry
    settings: ProviderSettings


@dataclass(frozen=True)
class UrlQuery:
    """A GET request: URL and query parameters."""

    url: str
    params: dict[str, str]


@dataclass(frozen=True)
class InstrumentQuery:
    """A GET request for one instrument's data."""

    instrument: str
    url: str
    params: dict[str, str]


Q = TypeVar("Q")


@dataclass(frozen=True)
class Fetcher(ABC, Generic[Q]):
    """One source and dataset: build the query, extract the raw body, transform it to records.

    ``covers`` names what the reader loses when it fails; ``instruments`` lists the
    instrument keys it quotes (for primary/secondary resolution); ``market`` ties its
    failure note to a market of the report.
    """

    source: ClassVar[str]
    dataset: ClassVar[str]
    covers: str = ""
    market: str | None = None
    instruments: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        """Return the provider's name in source statuses: source, dataset and scope."""
        scope = ",".join(self.instruments)
        return f"{self.source} {self.dataset}" + (f" {scope}" if scope else "")

    def own_symbol(self, ctx: FetchContext) -> tuple[Instrument, str]:
        """Return this fetcher's single instrument and its symbol at this source."""
        inst = ctx.instruments.get(self.instruments[0])
        symbol = inst.symbol_for(self.source)
        if symbol is None:
            raise MalformedResponse(self.source, f"{inst.key} has no {self.source} symbol")
        return inst, symbol

    @abstractmethod
    def build_query(self, ctx: FetchContext) -> Q:
        """Return the source-specific query for this run."""

    @abstractmethod
    async def extract(self, http: HttpSource, query: Q) -> Any:
        """Return the raw (decoded, untransformed) body or bodies."""

    @abstractmethod
    def transform(self, query: Q, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return validated snapshot records built from the raw body."""

    async def fetch(self, http: HttpSource, ctx: FetchContext) -> list[Record]:
        """Run query → extract → transform; a body of the wrong shape raises MalformedResponse."""
        query = self.build_query(ctx)
        raw = await self.extract(http, query)
        try:
            records = self.transform(query, raw, ctx)
        except ProviderError:
            raise
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise MalformedResponse(self.source, f"unexpected body: {loc}: {first['msg']}") from exc
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise MalformedResponse(
                self.source, f"unexpected body: {type(exc).__name__}: {exc}"
            ) from exc
        if not records:
            raise MalformedResponse(self.source, "the body holds no usable records")
        return records


class GetQuery(Protocol):
    """A query that is one GET: a URL and its parameters."""

    url: str
    params: dict[str, str]


G = TypeVar("G", bound=GetQuery)


@dataclass(frozen=True)
class JsonFetcher(Fetcher[G]):
    """A fetcher whose raw body is one JSON GET of its query's URL and parameters.

    ``error_detail`` reads the source's own error body (a staticmethod in subclasses), so a
    4xx is reported with the source's message rather than an excerpt.
    """

    error_detail: ClassVar[ErrorDetail | None] = None

    async def extract(self, http: HttpSource, query: G) -> Any:
        """Return the decoded JSON body."""
        return await http.get_json(self.source, query.url, query.params, self.error_detail)

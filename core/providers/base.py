"""Shared fetch machinery: one HTTP client, bounded retries, and errors translated once.

Every provider is a :class:`Fetcher` in the style of OpenBB's fetchers: ``build_query``
(what to ask) → ``extract`` (raw JSON or text, through :class:`HttpSource`) → ``transform``
(typed snapshot records carrying their source and session date). Upstream failures of any
kind leave this module only as :mod:`core.errors` provider errors.
"""

from __future__ import annotations

import asyncio
import json
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from pydantic import ValidationError

from core.errors import MalformedResponse, ProviderError, RateLimited, SourceUnavailable
from core.history.records import DailyClose
from core.instruments import Instrument, InstrumentRegistry
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

Sleep = Callable[[float], Awaitable[None]]
ErrorDetail = Callable[[Any], str | None]
Params = Mapping[str, str | int | float]

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

_EXCERPT_CHARS = 160


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


def retry_after_s(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Return the wait a response asks for in ``Retry-After`` (seconds or HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpSource:
    """GET bodies through one shared ``httpx.AsyncClient`` with retries and error translation."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: ProviderSettings,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings
        self.sleep = sleep
        self._gates: dict[str, asyncio.Semaphore] = {}

    def _gate(self, source: str) -> asyncio.Semaphore:
        gate = self._gates.get(source)
        if gate is None:
            gate = self._gates[source] = asyncio.Semaphore(self.settings.per_source_concurrency)
        return gate

    def _backoff_s(self, attempt: int) -> float:
        return min(self.settings.backoff_base_s * 2**attempt, self.settings.max_retry_wait_s)

    async def get_text(
        self,
        source: str,
        url: str,
        params: Params | None = None,
        error_detail: ErrorDetail | None = None,
    ) -> str:
        """Return the body of a successful GET; raise a ProviderError once retries are spent."""
        s = self.settings
        attempts = s.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                async with self._gate(source):
                    response = await self.client.get(
                        url,
                        params=params,
                        headers={"User-Agent": s.user_agent},
                        timeout=s.timeout_s,
                        follow_redirects=True,
                    )
            except httpx.TimeoutException as exc:
                if last:
                    raise SourceUnavailable(
                        source, f"timed out after {s.timeout_s:g} s ({attempts} attempts)"
                    ) from exc
                await self.sleep(self._backoff_s(attempt))
                continue
            except httpx.HTTPError as exc:
                if last:
                    raise SourceUnavailable(
                        source, f"{type(exc).__name__}: {exc} ({attempts} attempts)"
                    ) from exc
                await self.sleep(self._backoff_s(attempt))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                await self._wait_or_raise(source, response, attempt, last)
                continue
            if status >= 400:
                raise MalformedResponse(
                    source, f"HTTP {status}: {self._detail(response, error_detail)}"
                )
            text = response.text
            if not text.strip():
                raise MalformedResponse(source, f"empty body (HTTP {status})")
            return text
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _wait_or_raise(
        self, source: str, response: httpx.Response, attempt: int, last: bool
    ) -> None:
        status = response.status_code
        asked = retry_after_s(response)
        cap = self.settings.max_retry_wait_s
        if status == 429:
            # A wait longer than the cap cannot be honoured, so retrying early is pointless.
            if last or (asked is not None and asked > cap):
                raise RateLimited(source, f"HTTP 429 after {attempt + 1} attempt(s)", asked)
        elif last:
            raise SourceUnavailable(source, f"HTTP {status} after {attempt + 1} attempts")
        wait = asked if asked is not None else self._backoff_s(attempt)
        await self.sleep(min(wait, cap))

    @staticmethod
    def _detail(response: httpx.Response, error_detail: ErrorDetail | None) -> str:
        text = response.text
        if error_detail is not None:
            try:
                detail = error_detail(json.loads(text))
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                detail = None
            if detail:
                return detail
        return _excerpt(text) or response.reason_phrase or "no body"

    async def get_json(
        self,
        source: str,
        url: str,
        params: Params | None = None,
        error_detail: ErrorDetail | None = None,
    ) -> Any:
        """Return the decoded JSON body of a successful GET."""
        return parse_json(source, await self.get_text(source, url, params, error_detail))


def parse_json(source: str, text: str) -> Any:
    """Decode a JSON body; a truncated or non-JSON body becomes MalformedResponse."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(
            source, f"invalid JSON at char {exc.pos} of {len(text)}: {exc.msg}"
        ) from exc


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

"""HTTP for every provider: one shared client, bounded retries, block pages, errors translated.

Upstream failures of any kind leave this module only as :mod:`core.errors` provider errors.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import (
    Blocked,
    MalformedResponse,
    RateLimited,
    SourceUnavailable,
)
from core.settings import ProviderSettings

ErrorDetail = Callable[[Any], str | None]
Params = Mapping[str, str | int | float]

_EXCERPT_CHARS = 160


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


# Statuses that mean "not you": a bot wall (403) or a legal block by location (451).
_BLOCK_STATUSES = frozenset({403, 451})


def block_page(text: str) -> str | None:
    """Return a short description when a body is an HTML page (a bot check, a consent page)."""
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if not head.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<!--")):
        return None
    start = head.find("<title>")
    title = head[start + 7 : head.find("</title>", start)].strip() if start != -1 else ""
    return f"an HTML page{f' ({title[:60]!r})' if title else ''} instead of data"


def retry_after_s(response: httpx.Response, now: datetime) -> float | None:
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
    return max(0.0, (when - now).total_seconds())


class HttpSource:
    """GET bodies through one shared ``httpx.AsyncClient`` with retries and error translation."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: ProviderSettings,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.client = client
        self.settings = settings
        self.clock = clock
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
        encoding: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Return the body of a successful GET; raise a ProviderError once retries are spent.

        ``encoding`` overrides the charset the response declares (GBK sources); ``headers``
        are added to the source's configured ones (an API key); a block page
        (403, 451, or HTML where data was expected) raises Blocked at once, without retries.
        """
        s = self.settings
        attempts = s.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                async with self._gate(source):
                    response = await self.client.get(
                        url,
                        params=params,
                        headers=s.headers_for(source) | dict(headers or {}),
                        timeout=s.timeout_s,
                        follow_redirects=True,
                    )
            except httpx.HTTPError as exc:
                if last:
                    reason = (
                        f"timed out after {s.timeout_s:g} s"
                        if isinstance(exc, httpx.TimeoutException)
                        else f"{type(exc).__name__}: {exc}"
                    )
                    raise SourceUnavailable(source, f"{reason} ({attempts} attempts)") from exc
                await self.clock.sleep(self._backoff_s(attempt))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                await self._wait_or_raise(source, response, attempt, last)
                continue
            if status in _BLOCK_STATUSES:
                raise Blocked(
                    source,
                    f"blocked by the provider (HTTP {status}: "
                    f"{block_page(response.text) or self._detail(response, error_detail)})",
                )
            if status >= 400:
                raise MalformedResponse(
                    source, f"HTTP {status}: {self._detail(response, error_detail)}"
                )
            text = response.content.decode(encoding, "replace") if encoding else response.text
            if not text.strip():
                raise MalformedResponse(source, f"empty body (HTTP {status})")
            page = block_page(text)
            if page is not None:
                raise Blocked(source, f"blocked by the provider (HTTP {status}: {page})")
            return text
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _wait_or_raise(
        self, source: str, response: httpx.Response, attempt: int, last: bool
    ) -> None:
        status = response.status_code
        asked = retry_after_s(response, self.clock.now_utc())
        cap = self.settings.max_retry_wait_s
        if status == 429:
            # A wait longer than the cap cannot be honoured, so retrying early is pointless.
            if last or (asked is not None and asked > cap):
                raise RateLimited(source, f"HTTP 429 after {attempt + 1} attempt(s)", asked)
        elif last:
            raise SourceUnavailable(source, f"HTTP {status} after {attempt + 1} attempts")
        wait = asked if asked is not None else self._backoff_s(attempt)
        await self.clock.sleep(min(wait, cap))

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
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Return the decoded JSON body of a successful GET."""
        text = await self.get_text(source, url, params, error_detail, headers=headers)
        return parse_json(source, text)


def parse_json(source: str, text: str) -> Any:
    """Decode a JSON body; a truncated or non-JSON body becomes MalformedResponse."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(
            source, f"invalid JSON at char {exc.pos} of {len(text)}: {exc.msg}"
        ) from exc

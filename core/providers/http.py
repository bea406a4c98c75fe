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
from core.failure import Failure
from core.phrase import Phrase, say, verbatim
from core.settings import ProviderSettings

ErrorDetail = Callable[[Any], str | None]
Params = Mapping[str, str | int | float]

_EXCERPT_CHARS = 160


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"


# Statuses that mean "not you": a bot wall (403) or a legal block by location (451).
_BLOCK_STATUSES = frozenset({403, 451})


def block_page(text: str) -> Phrase | None:
    """Return a short description when a body is an HTML page (a bot check, a consent page)."""
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if not head.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<!--")):
        return None
    start = head.find("<title>")
    title = head[start + 7 : head.find("</title>", start)].strip() if start != -1 else ""
    if not title:
        return say("an HTML page instead of data")
    # The page's title is the provider's own words ('just a moment…'), quoted as they came.
    return say("an HTML page (%(title)s) instead of data", title=verbatim(repr(title[:60])))


def _blocked(source: str, status: int, what: str) -> Blocked:
    # ``what`` is a block page's description or the provider's own words (its error body).
    reason = say(
        "blocked by the provider (HTTP %(status)s: %(what)s)",
        status=status,
        what=what if isinstance(what, Phrase) else verbatim(what),
    )
    return Blocked(source, str(reason), reason=reason)


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


def _unreachable(
    source: str, exc: httpx.HTTPError, timeout_s: float, attempts: int
) -> SourceUnavailable:
    """Return the error of a source that never answered: timed out, or a network error."""
    if isinstance(exc, httpx.TimeoutException):
        reason = say(
            "timed out after %(timeout)s s (%(attempts)s attempts)",
            timeout=f"{timeout_s:g}",
            attempts=attempts,
        )
        return SourceUnavailable(source, str(reason), kind=Failure.TIMEOUT, reason=reason)
    # The reader gets the error's name; its words (a resolver's, a socket's) go to the log.
    name = type(exc).__name__
    reason = say("%(error)s (%(attempts)s attempts)", error=verbatim(name), attempts=attempts)
    return SourceUnavailable(source, f"{name}: {exc} ({attempts} attempts)", reason=reason)


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
                    raise _unreachable(source, exc, s.timeout_s, attempts) from exc
                await self.clock.sleep(self._backoff_s(attempt))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                await self._wait_or_raise(source, response, attempt, last)
                continue
            if status in _BLOCK_STATUSES:
                what = block_page(response.text) or self._detail(response, error_detail)
                raise _blocked(source, status, what)
            if status >= 400:
                # The provider's own words on why it refused (its error body), as they came.
                answer = self._detail(response, error_detail)
                reason = say("HTTP %(status)s: %(answer)s", status=status, answer=verbatim(answer))
                raise MalformedResponse(source, str(reason), kind=Failure.REFUSED, reason=reason)
            text = response.content.decode(encoding, "replace") if encoding else response.text
            if not text.strip():
                reason = say("empty body (HTTP %(status)s)", status=status)
                raise MalformedResponse(source, str(reason), kind=Failure.EMPTY, reason=reason)
            page = block_page(text)
            if page is not None:
                raise _blocked(source, status, page)
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
                reason = say("HTTP 429 after %(attempts)s attempt(s)", attempts=attempt + 1)
                raise RateLimited(source, str(reason), asked, reason=reason)
        elif last:
            reason = say(
                "HTTP %(status)s after %(attempts)s attempts", status=status, attempts=attempt + 1
            )
            raise SourceUnavailable(source, str(reason), kind=Failure.SERVER_ERROR, reason=reason)
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

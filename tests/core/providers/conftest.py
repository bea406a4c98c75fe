"""Fakes for provider tests: an in-process upstream behind httpx.MockTransport, a fake clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from core.instruments import default_registry
from core.providers.base import FetchContext, HttpSource
from core.providers.registry import default_providers
from core.settings import ApiKeys, ProviderSettings, default_provider_settings
from tests.fakeclock import FakeClock

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def _text(source: str, name: str) -> str:
    return (FIXTURES / source / name).read_text(encoding="utf-8")


@pytest.fixture
def fixture_text() -> Callable[[str, str], str]:
    """Return a reader of bodies copied into tests/fixtures/<source>/."""
    return _text


@pytest.fixture
def fixture_json() -> Callable[[str, str], Any]:
    """Return a reader of JSON bodies in tests/fixtures/<source>/, decoded."""
    return lambda source, name: json.loads(_text(source, name))


@pytest.fixture
def fixtures_dir() -> Path:
    """Return tests/fixtures."""
    return FIXTURES


class Upstream:
    """A fake internet: each route (a path fragment) answers from its queue of replies.

    The last reply of a queue repeats, so a single reply serves every retry.
    """

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[httpx.Request] = []

    def add(self, fragment: str, *replies: Reply) -> None:
        """Answer requests whose path contains ``fragment`` with ``replies`` in turn."""
        self.routes[fragment] = list(replies)

    def hits(self, fragment: str) -> int:
        """Return how many requests reached a route."""
        return sum(1 for r in self.requests if fragment in r.url.path)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Serve one request (the MockTransport callback)."""
        self.requests.append(request)
        for fragment, queue in self.routes.items():
            if fragment in request.url.path:
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
                if isinstance(reply, Exception):
                    raise reply
                if callable(reply) and not isinstance(reply, httpx.Response):
                    return reply(request)
                return reply
        return httpx.Response(404, text=f"no fake route for {request.url.path}")


@pytest.fixture
def upstream() -> Upstream:
    """Return an empty fake upstream."""
    return Upstream()


@pytest.fixture
def clock() -> FakeClock:
    """Return a fake clock at NOW: retries wait on it, recorded in ``clock.waits``."""
    return FakeClock(NOW)


@pytest.fixture
def provider_settings() -> ProviderSettings:
    """Return the configured provider settings (real base URLs; the transport is fake)."""
    return default_provider_settings()


@pytest_asyncio.fixture
async def client(upstream: Upstream):
    """Return an AsyncClient whose transport is the fake upstream."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler)) as c:
        yield c


@pytest.fixture
def http(client: httpx.AsyncClient, provider_settings: ProviderSettings, clock: FakeClock):
    """Return an HttpSource on the fake upstream, waiting on the fake clock."""
    return HttpSource(client, provider_settings, clock)


@pytest.fixture
def ctx(provider_settings: ProviderSettings) -> FetchContext:
    """Return a fetch context at a fixed clock."""
    return FetchContext(NOW, default_registry(), provider_settings)


# Stooq is configured only with a key; tests give it a fake one so it is in the registry.
TEST_KEYS = ApiKeys(STOOQ_API_KEY="test-key")


@pytest.fixture
def providers(ctx: FetchContext):
    """Return the configured providers, Stooq included (a test key stands in for the real)."""
    return default_providers(ctx.instruments, ctx.settings, TEST_KEYS)

"""The snapshot's one fetch deadline: a hanging source is named and the report still ships.

The hanging transport never answers, so nothing here races the clock: the quick source answers
on the event loop's first turn, long before the (short) deadline, and the hanging one never does.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from core.providers.assemble import build_snapshot
from core.providers.registry import default_providers
from core.snapshot import NoteKind
from tests.core.providers.conftest import FIXTURES, TEST_KEYS

TICKER = (FIXTURES / "binance" / "ccxt_ticker24hr_BTCUSDT_2024-03-13.json").read_text()


async def _hang_on_charts(request: httpx.Request) -> httpx.Response:
    if "/v8/finance/chart/" in request.url.path:
        await asyncio.Event().wait()  # Yahoo never answers
    return httpx.Response(200, text=TICKER)


@pytest.mark.asyncio
async def test_a_hanging_source_is_named_and_the_snapshot_ships(ctx, clock):
    settings = ctx.settings.model_copy(update={"snapshot_deadline_s": 0.2, "max_retries": 0})
    every = default_providers(ctx.instruments, settings, TEST_KEYS)
    registry = {k: every[k] for k in ("yahoo:SPX", "binance:BTC")}
    transport = httpx.MockTransport(_hang_on_charts)
    async with httpx.AsyncClient(transport=transport) as client:
        snap = await build_snapshot(
            client, ctx.now, registry, instruments=ctx.instruments, settings=settings, clock=clock
        )
    assert snap.crypto_quote("BTC").source == "binance"
    assert snap.index("SPX") is None
    [failed] = [s for s in snap.sources if not s.ok]
    assert failed.reason == "no answer within the 0.2 s snapshot deadline"
    [note] = [n for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert note.market == "US" and "snapshot deadline" in note.message and "SPX" in note.message

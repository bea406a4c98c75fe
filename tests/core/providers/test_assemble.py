"""build_snapshot: all providers at once; a failing one leaves its part missing and is noted."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import httpx
import pytest

from core.providers.assemble import Outcome, assemble, build_snapshot
from core.providers.base import Fetcher
from core.providers.registry import default_providers
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot, NoteKind
from tests.core.providers.conftest import TEST_KEYS

KEYS = (
    "yahoo:SPX",
    "stooq:SPX",
    "yahoo:BTC",
    "binance:BTC",
    "eastmoney:indexes:CN",
    "eastmoney:breadth",
    "eastmoney:northbound",
    "defillama:protocols",
    "defillama:stablecoins",
    "defillama:dexs",
)
# provider key → (path fragment, fixture source, fixture file). Recorded bodies where one
# exists; the synthetic_* ones (Eastmoney's index board, breadth and northbound, DefiLlama's
# DEX overview) are shaped on the documented fields, no recording of them was found.
ROUTES = {
    "yahoo:SPX": ("GSPC", "yahoo", "openbb_chart_GSPC_2023-01-03_to_2024-02-29_daily.json"),
    "yahoo:BTC": ("BTC-USD", "yahoo", "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json"),
    "stooq:SPX": ("/q/d/l/", "stooq", "spx_d_tail500.csv"),
    "binance:BTC": ("/ticker/24hr", "binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"),
    "eastmoney:indexes:CN": ("/clist/get", "eastmoney", "synthetic_clist_index_board_fltt2.json"),
    "eastmoney:breadth": ("/ulist.np/get", "eastmoney", "synthetic_ulist_breadth.json"),
    "eastmoney:northbound": (
        "/api/data/v1/get",
        "eastmoney",
        "synthetic_datacenter_northbound.json",
    ),
    "defillama:protocols": (
        "/protocols",
        "defillama",
        "openbb_cassette_protocols_2022-01-29_first10.json",
    ),
    "defillama:stablecoins": (
        "/stablecoins",
        "defillama",
        "chainparrot_stablecoins_tether_trimmed.json",
    ),
    "defillama:dexs": ("/overview/dexs", "defillama", "synthetic_overview_dexs.json"),
}


@pytest.fixture
def registry(ctx) -> dict[str, Fetcher]:
    """Return a subset of the configured providers covering every kind of part."""
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    return {key: providers[key] for key in KEYS}


@pytest.fixture
def serve_all(upstream, fixture_text):
    """Route every provider of the subset to its recorded body; return a way to break one."""
    for key, (fragment, source, name) in ROUTES.items():
        body = fixture_text(source, name)
        if key == "defillama:stablecoins":
            body = json.dumps({"peggedAssets": json.loads(body)})
        upstream.add(fragment, httpx.Response(200, text=body))

    def down(key: str) -> None:
        upstream.add(ROUTES[key][0], httpx.Response(500))

    return down


async def _build(client, ctx, registry, clock, settings=None) -> MarketSnapshot:
    return await build_snapshot(
        client,
        ctx.now,
        registry,
        instruments=ctx.instruments,
        settings=settings or ctx.settings,
        clock=clock,
    )


@pytest.mark.asyncio
async def test_all_sources_up(client, ctx, registry, serve_all, clock):
    snap = await _build(client, ctx, registry, clock)
    assert snap.report_date == date(2026, 3, 20) and snap.generated_at == ctx.now
    # Stooq's recording (2025-04-07) is newer than Yahoo's (2024-02-29): the latest session wins.
    assert {q.instrument: q.source for q in snap.indexes} == {
        "SPX": "stooq",
        "SSE": "eastmoney",
        "SZSE": "eastmoney",
    }
    # Yahoo's daily bar has no rolling 24 h change; Binance's 24 h ticker has.
    assert snap.crypto_quote("BTC").source == "binance"
    assert (snap.breadth.up, snap.turnover.session_date) == (2511, date(2026, 3, 20))
    assert snap.northbound.net_buy_cny is None and snap.northbound.note
    assert (len(snap.protocols), len(snap.stablecoins), len(snap.dex_volumes)) == (10, 1, 3)
    assert all(s.ok for s in snap.sources)
    assert {s.name for s in snap.sources} == {"yahoo", "stooq", "binance", "eastmoney", "defillama"}
    assert not [n for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert MarketSnapshot.from_json(snap.to_json()) == snap


@pytest.mark.asyncio
async def test_sources_that_disagree_are_noted(client, ctx, registry, serve_all, clock):
    # The recordings are from different days, so both pairs disagree, each in its own way.
    snap = await _build(client, ctx, registry, clock)
    notes = {n.market: n.message for n in snap.notes if n.kind is NoteKind.DISAGREEMENT}
    assert notes["US"] == (
        "S&P 500: stooq has the 2025-04-07 session, yahoo the 2024-02-29 one; using stooq."
    )
    assert "binance 73,369.84 vs yahoo 7,344.88" in notes["CRYPTO"]


EXPECT_MISSING = {
    "yahoo:SPX": lambda s: s.index("SPX").source == "stooq",
    "stooq:SPX": lambda s: s.index("SPX").source == "yahoo",
    "yahoo:BTC": lambda s: s.crypto_quote("BTC").source == "binance",
    "binance:BTC": lambda s: s.crypto_quote("BTC").source == "yahoo",
    "eastmoney:indexes:CN": lambda s: s.index("SSE") is None and s.index("SZSE") is None,
    "eastmoney:breadth": lambda s: s.breadth is None and s.turnover is None,
    "eastmoney:northbound": lambda s: s.northbound is None,
    "defillama:protocols": lambda s: s.protocols is None,
    "defillama:stablecoins": lambda s: s.stablecoins is None,
    "defillama:dexs": lambda s: s.dex_volumes is None,
}


DATA_PARTS = {
    "indexes",
    "crypto",
    "breadth",
    "turnover",
    "northbound",
    "protocols",
    "stablecoins",
    "dex_volumes",
}
AFFECTS = {
    "yahoo:SPX": set(),
    "stooq:SPX": {"indexes"},
    # Binance's rolling 24 h ticker is BTC's primary; Yahoo's daily bar only backs it up.
    "yahoo:BTC": set(),
    "binance:BTC": {"crypto"},
    "eastmoney:indexes:CN": {"indexes"},
    "eastmoney:breadth": {"breadth", "turnover"},
    "eastmoney:northbound": {"northbound"},
    "defillama:protocols": {"protocols"},
    "defillama:stablecoins": {"stablecoins"},
    "defillama:dexs": {"dex_volumes"},
}


@pytest.mark.asyncio
@pytest.mark.parametrize("key", KEYS)
async def test_one_provider_down_still_yields_a_snapshot(
    client, ctx, registry, serve_all, clock, key
):
    full = await _build(client, ctx, registry, clock)
    serve_all(key)
    snap = await _build(client, ctx, registry, clock)
    assert EXPECT_MISSING[key](snap)
    failed = [s for s in snap.sources if not s.ok]
    assert [(s.name, s.reason) for s in failed] == [
        (registry[key].name, f"HTTP 500 after {ctx.settings.max_retries + 1} attempts")
    ]
    [note] = [n for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert note.market == registry[key].market
    assert registry[key].source in note.message and "HTTP 500" in note.message
    # Every other part is exactly what it is with all sources up.
    for part in DATA_PARTS - AFFECTS[key]:
        assert getattr(snap, part) == getattr(full, part), part


@pytest.mark.asyncio
async def test_failed_primary_note_says_where_the_figure_came_from(
    client, ctx, registry, serve_all, clock
):
    serve_all("yahoo:SPX")
    snap = await _build(client, ctx, registry, clock)
    [note] = [n for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert note.message.startswith("S&P 500: yahoo failed (HTTP 500")
    assert note.message.endswith("SPX from stooq.")


@pytest.mark.asyncio
async def test_both_sources_down_leaves_the_instrument_missing(
    client, ctx, registry, serve_all, clock
):
    serve_all("yahoo:SPX")
    serve_all("stooq:SPX")
    snap = await _build(client, ctx, registry, clock)
    assert snap.index("SPX") is None
    messages = [n.message for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert len(messages) == 2 and all("no figure for SPX" in m for m in messages)


@pytest.mark.parametrize(
    ("order", "expected"), [(("yahoo", "stooq"), "yahoo"), (("stooq", "yahoo"), "stooq")]
)
def test_on_the_same_session_the_configured_order_decides(ctx, order, expected):
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    outcomes = [
        Outcome("yahoo:SPX", providers["yahoo:SPX"], (_quote("yahoo", 5000.0),)),
        Outcome("stooq:SPX", providers["stooq:SPX"], (_quote("stooq", 5001.0),)),
    ]
    orders = ctx.settings.source_order | {"US": order}
    settings = ctx.settings.model_copy(update={"source_order": orders})
    snap = assemble(outcomes, type(ctx)(ctx.now, ctx.instruments, settings))
    assert snap.index("SPX").source == expected
    assert not snap.notes


def test_a_lagging_primary_gives_way_to_the_newer_session(ctx):
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    outcomes = [
        Outcome("yahoo:SPX", providers["yahoo:SPX"], (_quote("yahoo", 5000.0, day=18),)),
        Outcome("stooq:SPX", providers["stooq:SPX"], (_quote("stooq", 5050.0, day=19),)),
    ]
    snap = assemble(outcomes, ctx)
    assert (snap.index("SPX").source, snap.index("SPX").session_date) == (
        "stooq",
        date(2026, 3, 19),
    )
    [note] = snap.notes
    assert note.kind is NoteKind.DISAGREEMENT
    assert note.message == (
        "S&P 500: stooq has the 2026-03-19 session, yahoo the 2026-03-18 one; using stooq."
    )


@pytest.mark.asyncio
async def test_a_crashing_provider_is_captured(client, ctx, registry, serve_all, clock):
    class Broken(type(registry["defillama:dexs"])):
        def transform(self, query, raw, ctx):
            raise ZeroDivisionError("bug")

    registry["defillama:dexs"] = Broken(covers="DEX volumes", market="CRYPTO")
    snap = await _build(client, ctx, registry, clock)
    assert snap.dex_volumes is None
    [failed] = [s for s in snap.sources if not s.ok]
    assert failed.reason == "internal error: ZeroDivisionError"


@pytest.mark.asyncio
async def test_providers_run_concurrently(ctx, registry, fixture_text, clock):
    in_flight = peak = 0
    bodies = {}
    for key, (fragment, source, name) in ROUTES.items():
        body = fixture_text(source, name)
        if key == "defillama:stablecoins":
            body = json.dumps({"peggedAssets": json.loads(body)})
        bodies[fragment] = body

    all_in = asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        # No request is answered until every provider has one in flight: run one at a time,
        # they would never get there (the timeout below bounds that hang).
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight == len(registry):
            all_in.set()
        await all_in.wait()
        in_flight -= 1
        body = next(b for f, b in bodies.items() if f in request.url.path)
        return httpx.Response(200, text=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(held)) as c:
        async with asyncio.timeout(30):
            snap = await _build(c, ctx, registry, clock)
    assert peak == len(registry)
    assert all(s.ok for s in snap.sources)


def _quote(source: str, close: float, day: int = 19) -> IndexQuote:
    return IndexQuote("SPX", date(2026, 3, day), source, close=close, previous_close=close)


@pytest.mark.parametrize(
    ("yahoo", "stooq", "noted"),
    [
        (5000.0, 5000.0, False),
        (5000.0, 5020.0, False),  # 0.40 % apart, inside the 0.5 % tolerance
        (5000.0, 5030.0, True),  # 0.60 % apart
        (5000.0, 4970.0, True),
    ],
)
def test_disagreement_follows_the_configured_tolerance(ctx, yahoo, stooq, noted):
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    outcomes = [
        Outcome("yahoo:SPX", providers["yahoo:SPX"], (_quote("yahoo", yahoo),)),
        Outcome("stooq:SPX", providers["stooq:SPX"], (_quote("stooq", stooq),)),
    ]
    snap = assemble(outcomes, ctx)
    assert snap.index("SPX").close == yahoo
    notes = [n for n in snap.notes if n.kind is NoteKind.DISAGREEMENT]
    assert bool(notes) is noted
    if noted:
        assert notes[0].market == "US" and "apart (tolerance 0.5 %)" in notes[0].message


def test_crypto_quotes_on_different_dates_agreeing_on_price_are_not_noted(ctx):
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    a = CryptoQuote("BTC", date(2026, 3, 19), "yahoo", price_usd=70000.0)
    b = CryptoQuote("BTC", date(2026, 3, 20), "binance", price_usd=70100.0)
    outcomes = [
        Outcome("yahoo:BTC", providers["yahoo:BTC"], (a,)),
        Outcome("binance:BTC", providers["binance:BTC"], (b,)),
    ]
    snap = assemble(outcomes, ctx)
    assert snap.crypto == (a,)
    assert not snap.notes


def test_crypto_24_h_change_is_the_rolling_tickers_not_the_daily_bars(ctx, fixture_json):
    # Real bodies: Yahoo's BTC-USD daily bars (+5.15 % since the last 00:00 UTC close) and
    # Binance's 24 h ticker (+1.647 % over the 24 h to closeTime).
    providers = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    yahoo, binance = providers["yahoo:BTC"], providers["binance:BTC"]
    daily = yahoo.transform(
        yahoo.build_query(ctx),
        fixture_json("yahoo", "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json"),
        ctx,
    )
    ticker = binance.transform(
        binance.build_query(ctx),
        fixture_json("binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"),
        ctx,
    )
    snap = assemble(
        [Outcome("yahoo:BTC", yahoo, tuple(daily)), Outcome("binance:BTC", binance, tuple(ticker))],
        ctx,
    )
    btc = snap.crypto_quote("BTC")
    assert (btc.source, btc.change_24h_pct) == ("binance", 1.647)
    assert btc.as_of.timestamp() == 1710328245.391  # the ticker's closeTime

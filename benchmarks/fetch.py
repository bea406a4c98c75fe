"""Benchmark the live providers against a local replay of the recorded bodies.

A server on 127.0.0.1 (its own process, so its memory is not counted) answers every
provider's path with the bodies in tests/fixtures after a fixed delay. The providers are
pointed at it through their settings' base URLs. Printed: the cold snapshot build with all
sources concurrent, the same providers one after another, each source alone, the ratio of
concurrent to the slowest source (target ≤ 1.3), and the peak RSS of this process.

Run: ``.venv/bin/python benchmarks/fetch.py [--delay-ms 200]``. The last line is JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from core.instruments import default_registry
from core.providers.assemble import build_snapshot, run_provider
from core.providers.base import FetchContext, HttpSource
from core.providers.registry import default_providers
from core.settings import default_provider_settings

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"

# path → (fixture source, fixture file); chart bodies are chosen per symbol below.
ROUTES = {
    "/q/d/l/": ("stooq", "spx_d_tail500.csv"),
    "/api/v3/ticker/24hr": ("binance", "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"),
    "/api/v3/coins/markets": ("coingecko", "dashbrd_coins_markets_usd_2023-07-28_250.json"),
    "/api/qt/clist/get": ("eastmoney", "synthetic_clist_index_board_fltt2.json"),
    "/api/qt/ulist.np/get": ("eastmoney", "synthetic_ulist_breadth.json"),
    "/api/data/v1/get": ("eastmoney", "synthetic_datacenter_northbound.json"),
    "/protocols": ("defillama", "openbb_cassette_protocols_2022-01-29_first10.json"),
    "/overview/dexs": ("defillama", "synthetic_overview_dexs.json"),
}
INDEX_CHART = ("yahoo", "openbb_chart_GSPC_2023-01-03_to_2024-02-29_daily.json")
CRYPTO_CHART = ("yahoo", "ygf2_chart-BTC-USD-2020-01-01-to-2020-01-03.json")


def _read(source: str, name: str) -> bytes:
    return (FIXTURES / source / name).read_bytes()


def _bodies() -> dict[str, bytes]:
    bodies = {path: _read(*where) for path, where in ROUTES.items()}
    tether = json.loads(_read("defillama", "chainparrot_stablecoins_tether_trimmed.json"))
    # The recording is the bare array; the live endpoint wraps it.
    bodies["/stablecoins"] = json.dumps({"peggedAssets": tether}).encode()
    return bodies


def _serve(delay_s: float, port_queue: Any) -> None:
    bodies = _bodies()
    index_chart, crypto_chart = _read(*INDEX_CHART), _read(*CRYPTO_CHART)

    async def handle(request: web.Request) -> web.Response:
        await asyncio.sleep(delay_s)
        path = request.path
        if path.startswith("/v8/finance/chart/"):
            body = crypto_chart if path.endswith("-USD") else index_chart
        elif path in bodies:
            body = bodies[path]
        else:
            return web.Response(status=404, text="no replay for " + path)
        return web.Response(body=body, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_queue.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


@dataclass(frozen=True)
class Figures:
    """Wall-clock seconds of one benchmark run."""

    providers: int
    concurrent_s: float
    serial_s: float
    per_source: dict[str, float]


async def _measure(base_url: str) -> Figures:
    settings = default_provider_settings().with_base_urls(base_url)
    instruments = default_registry()
    providers = default_providers(instruments, settings)
    now = datetime.now(UTC)

    async with httpx.AsyncClient() as client:
        start = time.perf_counter()
        snap = await build_snapshot(
            client, now, providers, instruments=instruments, settings=settings
        )
        concurrent_s = time.perf_counter() - start
    failed = [s.name for s in snap.sources if not s.ok]
    if failed:
        raise SystemExit(f"replay failed for {failed}")

    async with httpx.AsyncClient() as client:
        http = HttpSource(client, settings)
        ctx = FetchContext(now, instruments, settings)
        start = time.perf_counter()
        for key, fetcher in providers.items():
            await run_provider(key, fetcher, http, ctx)
        serial_s = time.perf_counter() - start

    per_source: dict[str, float] = {}
    for source in sorted({f.source for f in providers.values()}):
        alone = {k: f for k, f in providers.items() if f.source == source}
        async with httpx.AsyncClient() as client:
            start = time.perf_counter()
            await build_snapshot(client, now, alone, instruments=instruments, settings=settings)
            per_source[source] = time.perf_counter() - start
    return Figures(len(providers), concurrent_s, serial_s, per_source)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; the last line is one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=200.0, help="server delay per request")
    args = parser.parse_args(argv)

    spawn = mp.get_context("spawn")
    ports = spawn.Queue()
    server = spawn.Process(target=_serve, args=(args.delay_ms / 1000, ports), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        figures = asyncio.run(_measure(f"http://127.0.0.1:{port}"))
    finally:
        server.terminate()
        server.join()

    per_source = figures.per_source
    slowest, slowest_s = max(per_source.items(), key=lambda kv: kv[1])
    concurrent_s, serial_s = figures.concurrent_s, figures.serial_s
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_rss_mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    ratio = concurrent_s / slowest_s
    print(f"server delay per request: {args.delay_ms:g} ms, {figures.providers} providers")
    print(f"cold snapshot, all sources concurrent: {concurrent_s:.3f} s")
    print(f"same providers one after another:      {serial_s:.3f} s")
    for source, seconds in sorted(per_source.items(), key=lambda kv: -kv[1]):
        print(f"  {source:<10} alone: {seconds:.3f} s")
    print(f"slowest single source: {slowest} {slowest_s:.3f} s")
    verdict = "ok" if ratio <= 1.3 else "ABOVE TARGET"
    print(f"concurrent / slowest source: {ratio:.2f} (target <= 1.3: {verdict})")
    print(f"peak RSS: {peak_rss_mb:.1f} MB")
    print(
        json.dumps(
            {
                "concurrent_s": round(concurrent_s, 3),
                "serial_s": round(serial_s, 3),
                "slowest_source_s": round(slowest_s, 3),
                "peak_rss_mb": round(peak_rss_mb, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

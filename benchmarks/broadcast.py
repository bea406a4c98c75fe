"""Benchmark the daily broadcast against the fake Bot API with its own flood limit.

The fake server (tests/bot/telegram/fake_api.py, same process) accepts at most ``--rate``
messages in any one-second interval and answers the excess, and a share of chats chosen up
front, with 429 and retry_after. Every chat subscribes to a one-message digest (the key
insight section), the broadcaster delivers through the real PTB Bot with the bot's own
PacedRateLimiter (as ``marketbot run`` builds it, at ``--rate``), and the store is a SQLite
file. Printed: throughput as a fraction of the server's limit (target ≥ 0.95), lost and
duplicate deliveries (target 0 and 0), the median time of a cached /report handler's own work
(parse, rate-limit check, cached render lookup; sends excluded; target ≤ 30 ms), peak RSS.

Run: ``.venv/bin/python benchmarks/broadcast.py --chats 10000`` (≈ 6 min at 30 msg/s; use a
smaller ``--chats`` for a quick run). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.commands import parse_command
from bot.delivery import Broadcaster
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from bot.telegram.app import DEFAULT_MAX_RETRIES, bot_context, build_application
from bot.telegram.pacing import DEFAULT_PACE_FRACTION, PacedRateLimiter
from tests.bot.telegram.fake_api import TOKEN, FakeBotApi, too_many
from tests.fakeclock import FakeClock

SLOT_UTC = datetime(2026, 3, 21, 0, 0, tzinfo=UTC)
SECTIONS = ("insight",)


async def _subscribe_all(db_url: str, chats: int) -> None:
    store = await AsyncStore.open(db_url, clock=FakeClock(SLOT_UTC - timedelta(days=1)))
    for n in range(chats):
        await store.subscribe("telegram", 10_000_000 + n, "08:00", "Asia/Hong_Kong", SECTIONS)
    await store.close()


async def _cached_report_ms(reports: ReportCache, samples: int = 200) -> float:
    limiter = RateLimiter(burst=samples + 1, per_minute=6000)
    await reports.parts("telegram")
    times = []
    for n in range(samples):
        start = time.perf_counter()
        limiter.check(n % 50)
        request = parse_command("report", [], reports.registry)
        await reports.parts("telegram", request.sections)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def main(
    chats: int, rate: float, share_429: float, seed: int, client_fraction: float
) -> dict:
    api = FakeBotApi(max_per_second=rate)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await _subscribe_all(db_url, chats)
        store = await AsyncStore.open(db_url)
        reports = ReportCache(demo_source(), clock=FakeClock(SLOT_UTC))
        limiter = PacedRateLimiter(
            rate, pace_fraction=client_fraction, max_retries=DEFAULT_MAX_RETRIES
        )
        app = build_application(TOKEN, reports, store, base_url=api.base_url, rate_limiter=limiter)
        await app.initialize()
        rng = random.Random(seed)
        ids = [10_000_000 + n for n in range(chats)]
        injected = int(chats * share_429)
        for chat in rng.sample(ids, injected):
            api.fail(chat, too_many(1))
        expected = len(await reports.parts("telegram", SECTIONS))
        broadcaster = Broadcaster(
            store, reports, {"telegram": bot_context(app).sender}, worker_id="bench"
        )
        start = time.perf_counter()
        first = api.requests
        result = await broadcaster.tick(SLOT_UTC + timedelta(minutes=1))
        elapsed = time.perf_counter() - start
        # A chat whose retries ran out is picked up again by a later tick.
        retry = await broadcaster.tick(SLOT_UTC + timedelta(minutes=10))
        per_chat = Counter(s.chat_id for s in api.sent)
        lost = sum(1 for c in ids if per_chat[c] < expected)
        duplicates = sum(1 for c in ids if per_chat[c] > expected)
        throughput = result["sent"] * expected / elapsed
        report_ms = await _cached_report_ms(reports)
        await app.shutdown()
        await store.close()
    await api.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"chats: {chats}, messages per digest: {expected}, server limit: {rate:g} msg/s")
    print(
        f"first tick: {dict(result.outcomes)} in {elapsed:.1f} s; "
        f"retry tick: {dict(retry.outcomes)}"
    )
    print(
        f"requests to the server: {api.requests - first}, 429 answers: {api.too_many_answers} "
        f"({injected} injected)"
    )
    print(f"throughput: {throughput:.2f} msg/s = {throughput / rate:.3f} of the limit")
    print(f"lost: {lost}, duplicates: {duplicates}")
    print(f"cached /report handler work, median: {report_ms:.3f} ms")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return {
        "chats": chats,
        "throughput_fraction": round(throughput / rate, 3),
        "lost": lost,
        "duplicates": duplicates,
        "cached_report_median_ms": round(report_ms, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="the server's msg/s limit")
    parser.add_argument("--share-429", type=float, default=0.01, help="chats answered 429 once")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--client-fraction",
        type=float,
        default=DEFAULT_PACE_FRACTION,
        help="client pace as a share of --rate (the bot's default)",
    )
    args = parser.parse_args()
    summary = asyncio.run(
        main(args.chats, args.rate, args.share_429, args.seed, args.client_fraction)
    )
    print(json.dumps(summary))

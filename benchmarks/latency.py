"""Benchmark how fast the bot first answers /report, /divergence and /market.

The real PTB Application polls the fake Bot API (tests/bot/telegram/fake_api.py, same
process, 127.0.0.1) with the bot's own send pacing (30 msg/s overall, as ``marketbot run``
builds it), the demo report and a SQLite store. A reply's latency is from the moment the
command is queued for getUpdates to the moment the fake API accepts the first message of
the answer.

- Cold: one user sends /report to a bot that has built nothing yet (the worst case: asked
  before the scheduled fetch has built the report), so the text goes first.
- Warm: the report is prebuilt, as the runner does after each fetch; then ``--users`` users
  arrive at random over ``--window-s`` seconds, each sending /report, /divergence (one of a
  few pairs) and /market (one of the markets), about ``--think-s`` apart, each after the
  last answer.

Targets: warm /report p95 <= 100 ms, cold first reply <= 1,500 ms.
The default arrival (50 users over 20 s) offers about half of Telegram's 30 msg/s overall
limit, but arrivals cluster: sends queue in the bot's pacing (one slot apart, 34 ms), where a
reply's first message takes the next slot ahead of other chats' photos (``Priority`` in
bot/telegram/pacing.py). ``--unpaced`` leaves the pacing out, so the figures are the bot's own
work; ``--window-s 10`` brings the sends close to the limit.

Run: ``.venv/bin/python benchmarks/latency.py`` (about 30 s). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from bot.telegram.app import build_application, start_application, stop_application
from bot.telegram.pacing import PacedRateLimiter
from tests.bot.telegram.fake_api import TOKEN, FakeBotApi

PAIRS = ("HSTECH NASDAQ", "HSI SPX", "BTC SPX", '"S&P 500" HSI', "ETH BTC")
MARKETS = ("HK", "US", "CN", "CRYPTO")
QUIET_S = 0.3  # an answer is complete once its chat has heard nothing for this long
ANSWER_TIMEOUT_S = 30.0


class _Stamped(list):
    """The fake API's list of accepted sends, noting when each chat's arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[int, list[float]] = defaultdict(list)
        self.changed = asyncio.Event()

    def append(self, sent) -> None:
        super().append(sent)
        self.arrived[sent.chat_id].append(time.perf_counter())
        self.changed.set()


@dataclass
class Timings:
    """First-reply latencies per command, in milliseconds."""

    by_command: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


async def ask(api: FakeBotApi, sent: _Stamped, chat: int, text: str) -> float:
    """Send one command as ``chat``; return the first reply's latency, once the answer is done."""
    before = len(sent.arrived[chat])
    start = time.perf_counter()
    api.command(chat, text)
    deadline = start + ANSWER_TIMEOUT_S
    while len(sent.arrived[chat]) == before:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no answer to {text!r} in chat {chat}")
        sent.changed.clear()
        await asyncio.wait_for(sent.changed.wait(), ANSWER_TIMEOUT_S)
    first_ms = (sent.arrived[chat][before] - start) * 1000
    while time.perf_counter() - sent.arrived[chat][-1] < QUIET_S:
        await asyncio.sleep(QUIET_S / 3)
    return first_ms


async def user(api, sent, timings: Timings, n: int, delay_s: float, think_s: list[float]) -> None:
    """One user: /report, /divergence, /market, each after the previous answer."""
    await asyncio.sleep(delay_s)
    chat = 5_000 + n
    commands = [
        ("report", "/report"),
        ("divergence", f"/divergence {PAIRS[n % len(PAIRS)]}"),
        ("market", f"/market {MARKETS[n % len(MARKETS)]}"),
    ]
    for (name, text), pause_s in zip(commands, think_s, strict=True):
        timings.by_command[name].append(await ask(api, sent, chat, text))
        await asyncio.sleep(pause_s)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(users: int, window_s: float, think_s: float, seed: int, paced: bool) -> dict:
    logging.basicConfig(level=logging.WARNING)
    api = FakeBotApi()
    sent = _Stamped()
    api.sent = sent
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        store = await AsyncStore.open(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        reports = ReportCache(demo_source())
        # Unpaced, the figures are the bot's own work: no wait for Telegram's flood limits.
        pacing = {} if paced else {"rate_limiter": PacedRateLimiter(10_000, group_max_rate=10_000)}
        app = build_application(TOKEN, reports, store, base_url=api.base_url, **pacing)
        await start_application(app)
        try:
            cold_ms = await ask(api, sent, 4_999, "/report")
            await reports.prebuild(["telegram"])  # what the runner does after each fetch
            timings = Timings()
            # Users arrive at random in the window and pause at random around think_s.
            rng = random.Random(seed)
            plans = [
                (rng.uniform(0, window_s), [rng.uniform(0.5, 1.5) * think_s for _ in range(3)])
                for _ in range(users)
            ]
            sent_before, warm_start = len(sent), time.perf_counter()
            await asyncio.gather(
                *(user(api, sent, timings, n, *plan) for n, plan in enumerate(plans))
            )
            warm_sends = len(sent) - sent_before
            sends_per_s = warm_sends / (time.perf_counter() - warm_start)
        finally:
            await stop_application(app)
            await store.close()
    await api.stop()
    rejected = len(api.rejected)
    report, divergence, market = (timings.by_command[k] for k in ("report", "divergence", "market"))
    print(f"users: {users} arriving at random over {window_s:g} s, ~{think_s:g} s apart")
    print(f"warm phase: {warm_sends} sends, {sends_per_s:.1f} msg/s (the bot paces at most 29.4)")
    print(f"cold /report first reply: {cold_ms:.0f} ms (report built and text rendered on ask)")
    for name, values in timings.by_command.items():
        print(
            f"/{name}: n={len(values)} p50 {statistics.median(values):.1f} ms, "
            f"p95 {_p(values, 0.95):.1f} ms, max {max(values):.1f} ms"
        )
    print(f"rejected sends: {rejected}, builds: {reports.builds}, renders: {reports.renders}")
    return {
        "report_first_reply_p50_ms": round(statistics.median(report), 1),
        "report_first_reply_p95_ms": round(_p(report, 0.95), 1),
        "divergence_p50_ms": round(statistics.median(divergence), 1),
        "market_p50_ms": round(statistics.median(market), 1),
        "cold_first_reply_ms": round(cold_ms, 1),
        "warm_sends_per_s": round(sends_per_s, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--window-s", type=float, default=20.0, help="users arrive over this")
    parser.add_argument("--think-s", type=float, default=1.0, help="between a user's commands")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--unpaced", action="store_true", help="no flood-limit pacing of sends")
    args = parser.parse_args()
    figures = main(args.users, args.window_s, args.think_s, args.seed, not args.unpaced)
    print(json.dumps(asyncio.run(figures)))

"""Benchmark the daily broadcast: the demo digest to N chats through a slow fake Bot API.

The fake Bot API (tests/bot/telegram/fake_api.py) runs in this process on 127.0.0.1 with a
latency per request (``--latency-ms``, default 200), its own flood limit (at most ``--rate``
accepted messages in any one second, 429 beyond) and one 429 injected for a share of the
chats (``--share-429``, default 1 %). Each of ``--instances`` bot instances is a separate
process running the real Broadcaster with the bot's PacedRateLimiter on the shared send
budget, against one database (SQLite for one instance; ``--db`` PostgreSQL for more).
``--kill-at F`` sends SIGKILL to one instance once a fraction F of all parts has arrived;
with one instance a new one is started in its place (a restart). The digest is the demo's
whole digest (every part, photos included); the chats subscribe to the same slot.

Printed: parts delivered per second as a fraction of the server's limit, lost and duplicate
parts (a part is a text or caption a chat got; targets 0 and 0; ``unanswered_parts`` counts
the killed instance's requests that reached the fake and were carried out after it died, as
Telegram does, and that the restart must therefore not resend), the 95th percentile of the
time until a chat had its whole digest, and the peak RSS of the largest instance. The last
line is one JSON object.

Run: ``.venv/bin/python benchmarks/broadcast.py --chats 1000`` (about 70 s at 30 msg/s with
two parts per chat); ``--instances 2 --db postgresql+psycopg://postgres@127.0.0.1:5432/test``;
``--kill-at 0.5``; ``--redis redis://127.0.0.1:6379/15`` keeps the send budget in Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.broadcast_figures import FIRST_CHAT, explain_lost, figures_of, watch_lag
from bot.budgets import RedisSlots
from bot.delivery import Broadcaster
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from bot.store.schema import deliveries, subscriptions
from bot.telegram.app import DEFAULT_MAX_RETRIES, bot_context, build_application
from bot.telegram.pacing import PacedRateLimiter, SharedBudget
from tests.bot.telegram.fake_api import TOKEN, FakeBotApi, part_key, too_many

SLOT_UTC = datetime(2026, 3, 21, 0, 0, tzinfo=UTC)
WAIT_S = 3600  # bounds a hang only
SCHEMA_PREFIX = "bench_broadcast_"


class ShiftedClock:
    """Real time moved so that every instance reads the same instant past the slot."""

    def __init__(self, offset_s: float) -> None:
        self.offset_s = offset_s

    def now_utc(self) -> datetime:
        """Return the shifted wall time."""
        return datetime.now(UTC) + timedelta(seconds=self.offset_s)

    def monotonic(self) -> float:
        """Return ``time.monotonic()``."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Sleep in real time."""
        await asyncio.sleep(seconds)


# -- one instance (a child process) ----------------------------------------------------------
async def _instance(args: argparse.Namespace) -> None:
    clock = ShiftedClock(args.offset_s)
    store = await AsyncStore.open(args.db, schema=args.schema, clock=clock, create=False)
    reports = ReportCache(demo_source(), clock=clock)
    slots = RedisSlots.from_url(args.redis, store) if args.redis else store
    limiter = PacedRateLimiter(
        args.rate,
        max_retries=DEFAULT_MAX_RETRIES,
        clock=clock,
        budget=SharedBudget(slots, f"telegram:bench:{args.offset_s}"),
    )
    app = build_application(TOKEN, reports, store, base_url=args.api, rate_limiter=limiter)
    await app.initialize()
    broadcaster = Broadcaster(
        store, reports, {"telegram": bot_context(app).sender}, worker_id=f"bench-{args.index}"
    )
    day = (SLOT_UTC + timedelta(hours=8)).date()  # the chats' local (Hong Kong) date
    sent = sa.select(sa.func.count()).where(
        deliveries.c.report_date == day, deliveries.c.status == "sent"
    )
    print("ready", flush=True)
    while True:
        await broadcaster.tick()
        async with store.connect() as conn:
            if (await conn.execute(sent)).scalar_one() >= args.chats:
                break
        await asyncio.sleep(1.0)
    await app.shutdown()
    if isinstance(slots, RedisSlots):
        await slots.close()
    await store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": peak_mb}), flush=True)


# -- the parent: database, fake API, instances, figures ---------------------------------------
async def _prepare(db: str, schema: str | None, chats: int) -> None:
    store = await AsyncStore.open(db, schema=schema)
    await store.drop_tables()
    await store.create_tables()
    subscribed = SLOT_UTC - timedelta(days=1)
    rows = [
        {
            "platform": "telegram",
            "chat_id": str(FIRST_CHAT + n),
            "delivery_time": "08:00",
            "timezone": "Asia/Hong_Kong",
            "sections": [],
            "active": True,
            "created_at": subscribed,
            "subscribed_at": subscribed,
        }
        for n in range(chats)
    ]
    async with store.begin() as conn:
        for start in range(0, len(rows), 1000):
            await conn.execute(sa.insert(subscriptions), rows[start : start + 1000])
    await store.close()


async def _spawn(args: argparse.Namespace, index: int, api: FakeBotApi, offset_s: float):
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--instance",
        str(index),
        "--db",
        args.db,
        "--schema",
        args.schema or "",
        "--api",
        api.base_url,
        "--chats",
        str(args.chats),
        "--rate",
        str(args.rate),
        "--offset-s",
        str(offset_s),
        *(["--redis", args.redis] if args.redis else []),
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    assert (await asyncio.wait_for(child.stdout.readline(), WAIT_S)).strip() == b"ready"
    return child


async def _finish(child) -> float | None:
    out, _ = await asyncio.wait_for(child.communicate(), WAIT_S)
    lines = out.decode().strip().splitlines()
    return json.loads(lines[-1])["peak_rss_mb"] if child.returncode == 0 and lines else None


async def main(args: argparse.Namespace) -> dict:
    tmp = tempfile.TemporaryDirectory()
    if args.db is None:
        if args.instances > 1:
            raise SystemExit("several instances need --db (a PostgreSQL URL)")
        args.db = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    elif args.db.startswith("postgresql"):
        args.schema = f"{SCHEMA_PREFIX}{os.getpid()}"
    await _prepare(args.db, args.schema, args.chats)
    reports = ReportCache(demo_source())
    parts = await reports.parts("telegram", zone="Asia/Hong_Kong", now_utc=SLOT_UTC)
    expected = [part_key(p) for p in parts]
    # The fake stands in for Telegram's servers: a collection walking the rendered report
    # (tens of ms) would stall it and bunch the requests it receives into 429s of its own.
    gc.collect()
    gc.freeze()
    api = FakeBotApi(max_per_second=args.rate, latency_s=args.latency_ms / 1000)
    lags_ms: list[float] = []
    watch = asyncio.create_task(watch_lag(lags_ms))
    await api.start()
    rng = random.Random(args.seed)
    ids = list(range(FIRST_CHAT, FIRST_CHAT + args.chats))
    injected = rng.sample(ids, int(args.chats * args.share_429))
    for chat in injected:
        api.fail(chat, too_many(1))
    offset_s = (SLOT_UTC + timedelta(minutes=1) - datetime.now(UTC)).total_seconds()
    children = [await _spawn(args, n, api, offset_s) for n in range(args.instances)]
    rss: list[float] = []
    if args.kill_at is not None:
        total = args.chats * len(parts)
        while len(api.sent) < args.kill_at * total:
            await asyncio.sleep(0.05)
        children[0].send_signal(signal.SIGKILL)
        await children[0].wait()
        print(f"killed instance 0 after {len(api.sent)} of {total} parts", file=sys.stderr)
        children = children[1:] or [await _spawn(args, args.instances, api, offset_s)]
    for child in children:
        peak = await _finish(child)
        if peak is not None:
            rss.append(peak)
    watch.cancel()
    await api.stop()
    figures = figures_of(api, args.chats, expected)
    if figures["lost_chats"]:
        await explain_lost(args.db, args.schema, figures["lost_chats"])
    if args.schema:
        store = await AsyncStore.open(args.db, schema=args.schema, create=False)
        await store.drop_tables()
        await store.close()
    tmp.cleanup()
    throughput = figures["accepted"] / figures["elapsed_s"] if figures["elapsed_s"] else 0.0
    lags_ms.sort()
    print(
        f"{args.chats} chats × {len(parts)} parts, {args.instances} instance(s), latency "
        f"{args.latency_ms} ms, server limit {args.rate:g} msg/s, 429 answers "
        f"{api.too_many_answers} ({len(injected)} injected, the rest from the limit); accepted "
        f"{figures['accepted']} in {figures['elapsed_s']:.1f} s; send budget in "
        f"{'Redis' if args.redis else 'the database'}; the fake's own loop woke late by "
        f"{lags_ms[len(lags_ms) * 99 // 100]:.1f} ms (p99), {lags_ms[-1]:.1f} ms (max)"
    )
    if args.kill_at is not None:
        print(
            f"killed instance: {len(api.unanswered)} parts arrived unanswered (not resent), "
            f"{len(api.refused_unanswered)} refused unanswered (lost: Telegram has no "
            f"idempotency key, so a part in flight is sent at most once)"
        )
    return {
        "chats": args.chats,
        "parts_per_chat": len(parts),
        "latency_ms": args.latency_ms,
        "instances": args.instances,
        "throughput_fraction": round(throughput / args.rate, 3),
        "lost_parts": figures["lost_parts"],
        "duplicate_parts": figures["duplicate_parts"],
        # Parts the killed process had sent but never heard answered: each is delivered once
        # only if the resumed delivery skips it (at most once for a part in flight).
        "unanswered_parts": len(api.unanswered),
        "p95_chat_complete_s": figures["p95_chat_complete_s"],
        "peak_rss_mb": round(max(rss), 1) if rss else None,
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--rate", type=float, default=30.0, help="the server's msg/s limit")
    parser.add_argument("--share-429", type=float, default=0.01, help="chats answered 429 once")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--kill-at", type=float, help="SIGKILL one instance at this fraction")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--redis", metavar="URL", help="keep the send budget in Redis at URL")
    # What the parent passes to each instance:
    parser.add_argument("--instance", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--schema", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--offset-s", type=float, help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    arguments = _parser().parse_args()
    if arguments.instance is not None:
        arguments.index = arguments.instance
        arguments.schema = arguments.schema or None
        asyncio.run(_instance(arguments))
    else:
        print(json.dumps(asyncio.run(main(arguments))))

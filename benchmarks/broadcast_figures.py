"""What the broadcast benchmark measures: lost and duplicate parts, timing, the fake's lag."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter

import sqlalchemy as sa

from bot.store import AsyncStore
from bot.store.schema import deliveries
from tests.bot.telegram.fake_api import FakeBotApi

FIRST_CHAT = 10_000_000


async def watch_lag(lags_ms: list[float]) -> None:
    """Record how late this loop wakes from a 5 ms sleep: the fake API's own delays.

    The fake runs on the benchmark's machine; when it wakes late, requests reach it in bunches
    that Telegram's servers (not on the bot's CPU) would not see, and its window answers 429.
    """
    while True:
        started = time.monotonic()
        await asyncio.sleep(0.005)
        lags_ms.append((time.monotonic() - started - 0.005) * 1000)


def figures_of(api: FakeBotApi, chats: int, expected: list[str]) -> dict:
    """Return what the fake accepted: count, span, lost and duplicate parts, p95, lost chats."""
    per_chat: dict[int, Counter[str]] = {}
    done_at: dict[int, float] = {}
    for sent in api.sent:
        per_chat.setdefault(sent.chat_id, Counter())[sent.part_key] += 1
        done_at[sent.chat_id] = max(done_at.get(sent.chat_id, 0.0), sent.at)
    want = Counter(expected)
    lost = duplicates = 0
    lost_chats: list[int] = []
    for chat in range(FIRST_CHAT, FIRST_CHAT + chats):
        got = per_chat.get(chat, Counter())
        lost += sum((want - got).values())
        duplicates += sum((got - want).values())
        lost_chats += [chat] if want - got else []
    first = min(s.at for s in api.sent)
    last = max(s.at for s in api.sent)
    finish = sorted(at - first for at in done_at.values())
    p95 = finish[max(0, int(len(finish) * 0.95) - 1)] if finish else 0.0
    return {
        "accepted": len(api.sent),
        "elapsed_s": last - first,
        "lost_parts": lost,
        "duplicate_parts": duplicates,
        "p95_chat_complete_s": round(p95, 1),
        "lost_chats": lost_chats,
    }


async def explain_lost(db: str, schema: str | None, chats: list[int]) -> None:
    """Print the delivery rows of chats that lack a part: what their log says happened."""
    store = await AsyncStore.open(db, schema=schema, create=False)
    async with store.connect() as conn:
        rows = await conn.execute(
            sa.select(deliveries).where(deliveries.c.chat_id.in_([str(c) for c in chats]))
        )
        for row in rows:
            print(
                f"lost a part: chat {row.chat_id} {row.status} parts_sent={row.parts_sent} "
                f"worker={row.worker_id} note={row.error!r}",
                file=sys.stderr,
            )
    await store.close()

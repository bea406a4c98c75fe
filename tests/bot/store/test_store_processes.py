"""Real separate processes racing on one database deliver each chat's report once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.store import AsyncStore

REPO = Path(__file__).resolve().parents[3]
PROCESSES = 4
CHATS = 40
DAY = date(2026, 3, 20)

# Each child opens its own store, says it is ready and waits for the parent's go (so all
# of them race from the same moment), then claims every chat, marks what it won as sent, and
# prints the chats it won.
CHILD = """
import asyncio, json, random, sys
from datetime import date
from bot.store import AsyncStore
url, schema, seed, chats = sys.argv[1:]
schema, seed, chats = schema or None, int(seed), int(chats)


async def main():
    store = await AsyncStore.open(url, schema=schema, create=False)
    worker = f"process-{seed}"
    order = [f"chat-{n}" for n in range(chats)]
    random.Random(seed).shuffle(order)
    print("ready", flush=True)
    sys.stdin.readline()
    won = []
    for chat in order:
        if await store.claim("telegram", chat, date(2026, 3, 20), worker):
            won.append(chat)
            assert await store.mark_sent("telegram", chat, date(2026, 3, 20), worker)
    await store.close()
    print(json.dumps(won))


asyncio.run(main())
"""


@pytest.mark.asyncio
async def test_processes_claim_and_send_each_chat_once(database, store: AsyncStore) -> None:
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                database.url,
                database.schema or "",
                str(seed),
                str(CHATS),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(PROCESSES)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    won: Counter[str] = Counter()
    for child in children:
        out, err = child.communicate(timeout=60)  # bounds a hang only
        assert child.returncode == 0, err
        won.update(json.loads(out))
    assert won == Counter({f"chat-{n}": 1 for n in range(CHATS)})
    rows = [await store.delivery("telegram", f"chat-{n}", DAY) for n in range(CHATS)]
    assert all(row is not None and row.status == "sent" and row.attempts == 1 for row in rows)

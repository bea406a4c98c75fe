"""``marketbot run`` as real processes on one database and the fake Bot API.

kill -9 and restart mid-broadcast, SIGTERM mid-broadcast, two instances at once, and a
rejected token. Every wait ends on an event (a count of sends, a log line, a process exit, a
state in the database); the timeouts only bound a hang, and no assertion depends on how much
real time passed: a process that must not lose its claims runs on the real 45 s lease, the
restart after kill -9 on a 1 s one (it is then the only process alive), and the graceful stop
is given a bound as long as the hang bound. SQLite always; PostgreSQL too when
MARKETBOT_TEST_DATABASE_URL is set (the ``database`` fixture).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
import sqlalchemy as sa

from bot.store import AsyncStore
from bot.store.schema import deliveries, send_budgets
from bot.store.zones import zone_of
from bot.telegram.settings import API_ENV, TOKEN_ENV
from core.clock import SYSTEM_CLOCK
from tests.bot.store.conftest import Database, database  # noqa: F401  (fixture)
from tests.bot.telegram.fake_api import TOKEN, FakeBotApi, Sent, part_key
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

HANG_S = 120
CHATS = [8001 + n for n in range(12)]
POLLS = "this instance polls for updates"
STOPPING = "delivery stopping"
# The child process: ``marketbot run --demo`` with the schema of the test's database.
CHILD = """
import asyncio, sys
from bot.runner import run
sys.exit(asyncio.run(run(demo=True)))
"""


def _noon_zone(now: datetime) -> str:
    """Return a fixed-offset zone where it is about noon: a slot a minute ago is today's."""
    hours = 12 - now.hour  # -11 … 12, inside the offsets a zone may have
    return f"UTC{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"


async def _subscribe_due(db: Database, chats: list[int]) -> list[str]:
    """Subscribe the chats to a slot a minute ago; return what the fake records of each part."""
    now = SYSTEM_CLOCK.now_utc()
    zone = _noon_zone(now)
    store = await db.store(clock=FakeClock(now - timedelta(days=1)))
    slot = (now.astimezone(zone_of(zone)) - timedelta(minutes=1)).strftime("%H:%M")
    for chat in chats:
        await store.subscribe("telegram", chat, slot, zone, ("us",))
    from bot.report_cache import ReportCache, demo_source

    parts = await ReportCache(demo_source()).parts("telegram", ("us",), zone=zone)
    return [part_key(part) for part in parts]


def _env(api: FakeBotApi, db: Database, token: str = TOKEN, lease_s: str = "45") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    url = db.url
    env.update(
        {
            TOKEN_ENV: token,
            API_ENV: api.base_url,
            "MARKETBOT_DATABASE_URL": url,
            "MARKETBOT_CLAIM_LEASE_S": lease_s,
            "MARKETBOT_STOP_TIMEOUT_S": str(HANG_S),
            "MARKETBOT_TICK_S": "0.5",
        }
    )
    if db.schema:
        env["MARKETBOT_TEST_SCHEMA"] = db.schema
    return env


class Child:
    """A ``marketbot run`` process whose output is read as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        streams = (process.stdout, process.stderr)
        self._readers = [asyncio.ensure_future(self._read(s)) for s in streams]

    async def _read(self, stream) -> None:
        async for line in stream:
            self.lines.append(line.decode(errors="replace"))

    def said(self, text: str) -> int:
        """Return how many lines so far contain ``text``."""
        return sum(text in line for line in self.lines)

    async def finish(self) -> tuple[int, str]:
        """Wait for the exit; return the code and everything the process printed."""
        async with asyncio.timeout(HANG_S):  # bounds a hang only
            code = await self.process.wait()
            await asyncio.gather(*self._readers)
        return code, "".join(self.lines)


async def _start(env: dict[str, str]) -> Child:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD if "MARKETBOT_TEST_SCHEMA" not in env else _with_schema(),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return Child(process)


def _with_schema() -> str:
    # The store's tables live in the test's own PostgreSQL schema.
    return (
        "import os, core.db as db\n"
        "_make = db.create_async_engine\n"
        "db.create_async_engine = lambda url, schema=None: "
        "_make(url, schema=os.environ['MARKETBOT_TEST_SCHEMA'])\n"
        "import bot.store.store as s; s.create_async_engine = db.create_async_engine\n" + CHILD
    )


async def _wait(predicate, what: str) -> None:
    """Wait until ``predicate()`` (a function or a coroutine function) is true."""
    try:
        async with asyncio.timeout(HANG_S):  # bounds a hang only
            while True:
                done = predicate()
                if asyncio.iscoroutine(done):
                    done = await done
                if done:
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


def _key(sent: Sent) -> tuple[int, str]:
    return sent.chat_id, sent.part_key


class _Log:
    """The delivery log as the test reads it, through one engine of its own."""

    def __init__(self, db: Database) -> None:
        self.store = AsyncStore(db.engine())

    async def rows(self) -> list[sa.Row]:
        """Return every delivery row."""
        async with self.store.connect() as conn:
            return list(await conn.execute(sa.select(deliveries)))

    async def all_sent(self) -> bool:
        """Return whether every chat's digest is marked sent."""
        rows = await self.rows()
        return len(rows) == len(CHATS) and all(r.status == "sent" for r in rows)


@pytest_asyncio.fixture
async def api():
    server = FakeBotApi(latency_s=0.02)
    await server.start()
    yield server
    server.release()
    await server.stop()


async def test_kill_9_mid_broadcast_then_restart_sends_each_part_at_most_once(
    api,
    database,  # noqa: F811
):
    keys = await _subscribe_due(database, CHATS)
    log = _Log(database)
    total = len(keys) * len(CHATS)
    api.hold_at = total // 2
    first = await _start(_env(api, database))
    await _wait(lambda: api.held_alive() > 0, "half the parts, then a send held unanswered")
    first.process.kill()
    await first.finish()
    # Sends held for the dead process see their connections closed; they have arrived and
    # are carried out on release, as Telegram carries out a request whose client died.
    await _wait(lambda: api.held_alive() == 0, "the dead process's connections to close")
    api.release()
    # The restart is the only process alive: its 1 s lease races no one, and the dead
    # process's claims lapse after it.
    second = await _start(_env(api, database, lease_s="1"))
    await _wait(log.all_sent, "every chat's digest marked sent")
    second.process.send_signal(signal.SIGTERM)
    code, output = await second.finish()
    assert code == 0, output
    received = Counter(_key(s) for s in api.sent)
    assert set(received.values()) == {1}, "a part reached a chat twice"
    noted = {(int(r.chat_id), keys[int(n) - 1]) for r in await log.rows() for n in _not_resent(r)}
    assert len(noted) == output.count("not resent")
    # Each part the dead process sent without hearing the answer arrived and was not resent.
    unanswered = {_key(s) for s in api.unanswered}
    assert unanswered and unanswered <= noted
    # A part a chat lacks can only be one marked in flight whose request the kill stopped
    # before it was written: the one window at-most-once leaves (no other part is missing).
    missing = {(chat, key) for chat in CHATS for key in keys} - set(received)
    assert missing <= noted - unanswered


def _not_resent(row: sa.Row) -> list[str]:
    return re.findall(r"part (\d+) not resent", row.error or "")


async def test_sigterm_mid_broadcast_finishes_parts_in_flight_and_hands_over(
    api,
    database,  # noqa: F811
):
    parts = len(await _subscribe_due(database, CHATS))
    log = _Log(database)
    total = parts * len(CHATS)
    api.hold_at = total // 3
    first = await _start(_env(api, database))
    await _wait(lambda: not api._open.is_set(), "a third of the parts")
    first.process.send_signal(signal.SIGTERM)
    await _wait(lambda: first.said(STOPPING), "the stop to begin")
    api.release()  # the parts in flight complete; nothing new is claimed
    code, output = await first.finish()
    assert code == 0, output
    assert len(api.sent) < total
    statuses = {r.status for r in await log.rows()}
    assert "released" in statuses and "claimed" not in statuses
    second = await _start(_env(api, database))
    await _wait(log.all_sent, "every chat's digest marked sent")
    second.process.send_signal(signal.SIGTERM)
    assert (await second.finish())[0] == 0
    assert api.unanswered == []
    assert Counter(_key(s) for s in api.sent) == Counter({_key(s): 1 for s in api.sent})
    assert Counter(s.chat_id for s in api.sent) == dict.fromkeys(CHATS, parts)


async def test_two_instances_one_poller_one_send_budget_each_part_once(api, database):  # noqa: F811
    parts = len(await _subscribe_due(database, CHATS))
    log = _Log(database)
    started_s = datetime.now(UTC).timestamp()
    children = [await _start(_env(api, database)) for _ in range(2)]
    await _wait(log.all_sent, "every chat's digest marked sent")
    api.command(77, "/help")
    await _wait(lambda: api.sent_to(77), "an answer")
    await _wait(lambda: sum(c.said(POLLS) for c in children) >= 1, "the poller's line")
    # Both are alive and renewing: the other cannot have taken the poller lease.
    assert sum(c.said(POLLS) for c in children) == 1
    for child in children:  # at once: neither outlives the other to take the lease over
        child.process.send_signal(signal.SIGTERM)
    for child in children:
        code, output = await child.finish()
        assert code == 0, output
    assert api.conflicts == 0 and len(api.sent_to(77)) == 1
    assert Counter(_key(s) for s in api.sent) == Counter({_key(s): 1 for s in api.sent})
    assert Counter(s.chat_id for s in api.sent if s.chat_id != 77) == dict.fromkeys(CHATS, parts)
    # Both took their send slots from one budget: its slots span every send made.
    async with log.store.connect() as conn:
        (budget,) = (await conn.execute(sa.select(send_budgets))).all()
    interval_s = 1 / (30 * 0.98)
    assert budget.next_slot_s - started_s >= (len(api.sent) - 1) * interval_s


async def test_a_rejected_token_never_shows_and_the_process_exits_non_zero(
    api,
    database,  # noqa: F811
):
    bad = "987654321:AAH-revoked_token_value_0123456789abcdef"
    child = await _start(_env(api, database, token=bad))
    code, output = await child.finish()
    assert code != 0
    assert bad not in output and "987654321" not in output
    assert "Telegram is disabled: the Bot API rejected TELEGRAM_BOT_TOKEN (401" in output
    assert "Traceback" not in output

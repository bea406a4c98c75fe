"""The daily broadcast: due subscriptions, one render per platform, claim → send → mark.

Platform-neutral. A chat adapter supplies a Sender that raises ChatGone (the chat blocked or
removed the bot) or ChatMoved (the chat has a new id) and anything else for a failure that
may pass; the delivery log in the store makes each (chat, report date) go out once, across
restarts and across processes sharing one database.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.report_cache import ReportCache
from bot.store import AsyncStore, DueDelivery, default_worker_id
from core.errors import ChatGone, ChatMoved
from renderers.parts import MessagePart

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=3)
DEFAULT_RETRY = timedelta(minutes=5)
BLOCKED = "blocked"


class Sender(Protocol):
    """Send rendered parts to one chat of one platform, in order."""

    async def send_parts(self, chat_id: str, parts: Sequence[MessagePart]) -> None: ...


@dataclass
class BroadcastResult:
    """What one tick did: counts by outcome."""

    outcomes: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, outcome: str) -> int:
        return self.outcomes[outcome]


def _render_key(due: DueDelivery) -> tuple[str, tuple[str, ...], str]:
    sub = due.subscription
    return sub.platform, sub.sections, sub.timezone


def _slot_utc(due: DueDelivery) -> datetime:
    sub = due.subscription
    local = datetime.combine(due.report_date, sub.delivery_time, tzinfo=sub.zone)
    return local.astimezone(UTC)


TickDone = Callable[[BroadcastResult], object]


class Broadcaster:
    """Deliver every due digest once; one failing chat never stops the others.

    ``on_tick`` hears each finished tick's counts: tests wait for ticks instead of for time.
    """

    def __init__(
        self,
        store: AsyncStore,
        reports: ReportCache,
        senders: Mapping[str, Sender],
        *,
        worker_id: str | None = None,
        concurrency: int = 64,
        grace: timedelta = DEFAULT_GRACE,
        retry_after: timedelta = DEFAULT_RETRY,
        on_tick: TickDone | None = None,
    ) -> None:
        self.store = store
        self.reports = reports
        self.senders = dict(senders)
        self.worker_id = worker_id or default_worker_id()
        self.grace = grace
        self.retry_after = retry_after
        self.on_tick = on_tick
        self._slots = asyncio.Semaphore(concurrency)

    async def tick(self, now_utc: datetime | None = None) -> BroadcastResult:
        """Send everything due at ``now_utc`` (default: the service clock); return the counts."""
        result = await self._send_due(now_utc or self.reports.now())
        if self.on_tick is not None:
            self.on_tick(result)
        return result

    async def _send_due(self, now: datetime) -> BroadcastResult:
        result = BroadcastResult()
        due = [d for d in await self.store.due(now) if d.subscription.platform in self.senders]
        fresh = [d for d in due if now - _slot_utc(d) <= self.grace]
        result.outcomes["too_late"] = len(due) - len(fresh)
        if not fresh:
            return result
        # Render before claiming: a failed build must not leave claimed rows behind.
        # A report is dated in its reader's time zone, so the zone is part of what is rendered.
        parts: dict[tuple[str, tuple[str, ...], str], list[MessagePart]] = {}
        for d in fresh:
            key = _render_key(d)
            if key not in parts:
                parts[key] = await self.reports.parts(key[0], key[1], now_utc=now, zone=key[2])
        await asyncio.gather(*(self._deliver(d, parts[_render_key(d)], result) for d in fresh))
        log.info("broadcast at %s: %s", now.isoformat(), dict(result.outcomes))
        return result

    async def _deliver(
        self, due: DueDelivery, parts: Sequence[MessagePart], result: BroadcastResult
    ) -> None:
        sub, day = due.subscription, due.report_date
        async with self._slots:
            if not await self.store.claim(sub.platform, sub.chat_id, day, self.worker_id):
                result.outcomes["claimed_elsewhere"] += 1
                return
            chat_id = sub.chat_id
            try:
                try:
                    await self.senders[sub.platform].send_parts(chat_id, parts)
                except ChatMoved as moved:
                    chat_id = str(moved.new_chat_id)
                    await self.store.migrate_chat(sub.platform, sub.chat_id, chat_id)
                    result.outcomes["migrated"] += 1
                    await self.senders[sub.platform].send_parts(chat_id, parts)
            except ChatGone as exc:
                await self.store.deactivate(sub.platform, chat_id, f"{BLOCKED}: {exc}")
                await self.store.mark_failed(sub.platform, chat_id, day, self.worker_id, str(exc))
                result.outcomes["deactivated"] += 1
                log.info("%s chat %s is gone; subscription deactivated", sub.platform, chat_id)
                return
            except Exception as exc:  # one chat's failure must not stop the broadcast
                await self.store.mark_failed(
                    sub.platform,
                    chat_id,
                    day,
                    self.worker_id,
                    f"{type(exc).__name__}: {exc}",
                    retry_after=self.retry_after,
                )
                result.outcomes["failed"] += 1
                log.warning("delivery to %s chat %s failed: %r", sub.platform, chat_id, exc)
                return
            await self.store.mark_sent(sub.platform, chat_id, day, self.worker_id)
            result.outcomes["sent"] += 1

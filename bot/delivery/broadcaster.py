"""The daily broadcast: due subscriptions, one render per platform, a claimed chat each."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.delivery.claimed import ClaimedChat, Sender
from bot.delivery.digest import Digest, digest_of
from bot.report_cache import ReportCache
from bot.settings import default_language
from bot.store import AsyncStore, DueDelivery, default_worker_id
from core.clock import SYSTEM_CLOCK, Clock
from core.errors import ChatGone, TokenRejected
from core.i18n import Language

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=3)
DEFAULT_RETRY = timedelta(minutes=5)
# On SIGTERM in-flight parts get this long to finish before their claims are released.
STOP_TIMEOUT_S = 10.0
BLOCKED = "blocked"


@dataclass
class BroadcastResult:
    """What one tick did: counts by outcome."""

    outcomes: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, outcome: str) -> int:
        return self.outcomes[outcome]


def _render_key(due: DueDelivery, default: Language) -> tuple[str, tuple[str, ...], str, Language]:
    sub = due.subscription
    return sub.platform, sub.sections, sub.timezone, sub.language or default


def _slot_utc(due: DueDelivery) -> datetime:
    sub = due.subscription
    local = datetime.combine(due.report_date, sub.delivery_time, tzinfo=sub.zone)
    return local.astimezone(UTC)


TickDone = Callable[[BroadcastResult], object]
TokenLost = Callable[[str], object]


class Broadcaster:
    """Deliver every due digest once, part by part; one failing chat never stops the others.

    ``on_tick`` hears each finished tick's counts (tests wait for ticks instead of for time);
    ``on_token_rejected`` hears a platform whose token stopped working (it is dropped here).
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
        on_token_rejected: TokenLost | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.store = store
        self.reports = reports
        self.senders = dict(senders)
        self.worker_id = worker_id or default_worker_id()
        self.grace = grace
        self.retry_after = retry_after
        self.on_tick = on_tick
        self.on_token_rejected = on_token_rejected
        self._clock = clock  # bounds the graceful stop only
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self.stopping = False

    async def tick(self, now_utc: datetime | None = None) -> BroadcastResult:
        """Send everything due at ``now_utc`` (default: the service clock); return the counts."""
        result = await self._send_due(now_utc or self.reports.now())
        if self.on_tick is not None:
            self.on_tick(result)
        return result

    async def heartbeat(self) -> int:
        """Renew the claims this worker holds, so no other instance takes them; return how many."""
        return await self.store.renew_claims(self.worker_id)

    async def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> int:
        """Stop claiming; let parts in flight finish (bounded), release the rest; return count."""
        self.stopping = True
        pending = {t for t in self._tasks if not t.done()}
        log.info(
            "delivery stopping: nothing new is claimed; %d chats in flight get up to %g s",
            len(pending),
            timeout_s,
        )
        deadline = asyncio.ensure_future(self._clock.sleep(timeout_s))
        while pending and not deadline.done():
            await asyncio.wait({*pending, deadline}, return_when=asyncio.FIRST_COMPLETED)
            pending = {t for t in pending if not t.done()}
        deadline.cancel()
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        released = await self.store.release_claims(self.worker_id)
        if released:
            log.info("delivery stopped: %d claims released for another instance", released)
        return released

    async def _send_due(self, now: datetime) -> BroadcastResult:
        result = BroadcastResult()
        result.outcomes["too_late"] = 0
        # A report is dated in its reader's time zone, so the zone is part of what is rendered.
        # So is its language: one rendering per language, shared by every chat reading it.
        digests: dict[tuple[str, tuple[str, ...], str, Language], Digest] = {}
        language_default = default_language()  # of chats that never chose or subscribed
        chats = _ChatsInHand(self)
        try:
            async for page in self.store.due_pages(now):
                if self.stopping:
                    break
                mine = [d for d in page if d.subscription.platform in self.senders]
                fresh = [d for d in mine if now - _slot_utc(d) <= self.grace]
                for late in (d for d in mine if now - _slot_utc(d) > self.grace):
                    await self._skip_late(late, result)
                # Render before claiming: a failed build must not leave claimed rows behind.
                for d in fresh:
                    key = _render_key(d, language_default)
                    if key not in digests:
                        platform, sections, zone, language = key
                        parts = await self.reports.parts(
                            platform, sections, now_utc=now, zone=zone, language=language
                        )
                        # The whole report's push is the digest, with /report's section menu.
                        digests[key] = digest_of(parts, menu=None if sections else language)
                for d in fresh:
                    # The next chat starts as soon as one finishes, across pages too: sending
                    # never drains to nothing between pages, and at most ``concurrency``
                    # chats are in hand however many are due.
                    digest = digests[_render_key(d, language_default)]
                    if not await chats.start(self._deliver(d, digest, result)):
                        break
            await chats.finish()
        except asyncio.CancelledError:
            chats.cancel()  # kill -9 in tests: the chats in hand stop where they are
            raise
        except Exception:
            await chats.finish()
            raise
        if any(count for count in result.outcomes.values()):
            log.info("broadcast at %s: %s", now.isoformat(), dict(result.outcomes))
        return result

    async def _skip_late(self, due: DueDelivery, result: BroadcastResult) -> None:
        sub, day = due.subscription, due.report_date
        if not await self.store.claim(sub.platform, sub.chat_id, day, self.worker_id):
            return
        slot = _slot_utc(due).strftime("%Y-%m-%d %H:%M UTC")
        reason = f"too late: its slot {slot} passed more than {self.grace} ago"
        await self.store.mark_skipped(sub.platform, sub.chat_id, day, self.worker_id, reason)
        result.outcomes["too_late"] += 1
        log.warning("%s chat %s: digest of %s skipped, %s", sub.platform, sub.chat_id, day, reason)

    async def _deliver(self, due: DueDelivery, digest: Digest, result: BroadcastResult) -> None:
        sub, day = due.subscription, due.report_date
        if self.stopping or sub.platform not in self.senders:
            return
        if not await self.store.claim(sub.platform, sub.chat_id, day, self.worker_id):
            result.outcomes["claimed_elsewhere"] += 1
            return
        delivery = ClaimedChat(self, sub, day, digest, result)
        try:
            outcome = await delivery.run()
        except ChatGone as exc:
            chat_id = delivery.chat_id
            await self.store.deactivate(sub.platform, chat_id, f"{BLOCKED}: {exc}")
            await self.store.mark_failed(sub.platform, chat_id, day, self.worker_id, str(exc))
            outcome = "deactivated"
            log.info("%s chat %s is gone; subscription deactivated", sub.platform, chat_id)
        except TokenRejected as exc:
            await self.store.release(sub.platform, delivery.chat_id, day, self.worker_id)
            outcome = "token_rejected"
            if self.senders.pop(sub.platform, None) is not None:
                log.error("%s: %s; its deliveries stop here", sub.platform, exc)
                if self.on_token_rejected is not None:
                    self.on_token_rejected(sub.platform)
        except Exception as exc:  # one chat's failure must not stop the broadcast
            await self.store.mark_failed(
                sub.platform,
                delivery.chat_id,
                day,
                self.worker_id,
                f"{type(exc).__name__}: {exc}",
                retry_after=self.retry_after,
            )
            outcome = "failed"
            log.warning("delivery to %s chat %s failed: %r", sub.platform, delivery.chat_id, exc)
        result.outcomes[outcome] += 1


class _ChatsInHand:
    """The chats being delivered: a slot each, at most the semaphore's count at once."""

    def __init__(self, owner: Broadcaster) -> None:
        self.owner = owner
        self.slots, self.shared = owner._slots, owner._tasks
        self.tasks: set[asyncio.Task[None]] = set()
        self.errors: list[BaseException] = []

    async def start(self, delivery: Coroutine[Any, Any, None]) -> bool:
        """Run ``delivery`` once a slot is free; False (and nothing run) if stopping by then."""
        await self.slots.acquire()
        if self.owner.stopping:
            self.slots.release()
            delivery.close()
            return False
        task = asyncio.ensure_future(delivery)
        self.tasks.add(task)
        self.shared.add(task)
        task.add_done_callback(self._done)
        return True

    def _done(self, task: asyncio.Task[None]) -> None:
        # Finished chats are forgotten at once, so memory stays flat in the number of chats.
        self.slots.release()
        self.tasks.discard(task)
        self.shared.discard(task)
        # A chat cancelled when the graceful stop's bound ran out is not an error (stop
        # releases its claim): the tick still ends normally.
        if not task.cancelled() and task.exception() is not None:
            self.errors.append(task.exception())

    async def finish(self) -> None:
        """Wait for the chats in hand; raise the first error a delivery raised."""
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.errors:
            raise self.errors[0]

    def cancel(self) -> None:
        """Cancel the chats in hand."""
        for task in self.tasks:
            task.cancel()

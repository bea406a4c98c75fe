"""The daily broadcast: due subscriptions, one render per platform, claim → send part → record.

Platform-neutral. A chat adapter supplies a Sender whose ``send_part`` raises ChatGone (the
chat blocked or removed the bot), ChatMoved (the chat has a new id), PartRejected (this part
is refused for good; its text form is tried once, else it is skipped with the reason logged),
TokenRejected (the platform stopped accepting the token) and anything else for a failure that
may pass. The delivery log makes each (chat, report date) go out once, across restarts and
processes sharing one database, and records every part sent, so a retry, a restart or another
instance resumes at the first part the chat has not received.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.report_cache import ReportCache
from bot.settings import default_language
from bot.store import AsyncStore, DeliveryStatus, DueDelivery, Subscription, default_worker_id
from core.clock import SYSTEM_CLOCK, Clock
from core.errors import ChatGone, ChatMoved, PartRejected, TokenRejected
from core.i18n import Language
from renderers.parts import DiscordMessage, MediaGroupPart, MessagePart, PhotoPart, TextPart

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=3)
DEFAULT_RETRY = timedelta(minutes=5)
# On SIGTERM in-flight parts get this long to finish before their claims are released.
STOP_TIMEOUT_S = 10.0
BLOCKED = "blocked"


class Sender(Protocol):
    """Send one rendered part to one chat of one platform."""

    async def send_part(self, chat_id: str, part: MessagePart) -> None: ...


@dataclass
class BroadcastResult:
    """What one tick did: counts by outcome."""

    outcomes: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, outcome: str) -> int:
        return self.outcomes[outcome]


@dataclass(frozen=True)
class Digest:
    """One rendered digest and its identity (a hash of every part's content)."""

    parts: tuple[MessagePart, ...]
    sha: str


def digest_of(parts: Sequence[MessagePart]) -> Digest:
    """Return the parts with the SHA-256 of their texts, captions, images and embeds."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(type(part).__name__.encode())
        photos = part.photos if isinstance(part, MediaGroupPart) else (part,)
        for piece in photos:
            if isinstance(piece, TextPart):
                sha.update(piece.text.encode())
            elif isinstance(piece, PhotoPart):
                sha.update(piece.caption.encode() + hashlib.sha256(piece.png).digest())
            elif isinstance(piece, DiscordMessage):
                sha.update(piece.content.encode())
                sha.update(json.dumps(piece.embeds, sort_keys=True).encode())
                for attachment in piece.files:
                    sha.update(hashlib.sha256(attachment.data).digest())
    return Digest(tuple(parts), sha.hexdigest())


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
                    digests[key] = digest_of(parts)
            tasks = [
                asyncio.ensure_future(
                    self._deliver(d, digests[_render_key(d, language_default)], result)
                )
                for d in fresh
            ]
            self._tasks.update(tasks)
            try:
                await asyncio.gather(*tasks)
            finally:
                self._tasks.difference_update(tasks)
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
        async with self._slots:
            if self.stopping or sub.platform not in self.senders:
                return
            if not await self.store.claim(sub.platform, sub.chat_id, day, self.worker_id):
                result.outcomes["claimed_elsewhere"] += 1
                return
            delivery = _Delivery(self, sub, day, digest, result)
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
                log.warning(
                    "delivery to %s chat %s failed: %r", sub.platform, delivery.chat_id, exc
                )
            result.outcomes[outcome] += 1


class _Delivery:
    """One claimed chat's digest: resume at its first unsent part, record each part sent."""

    def __init__(
        self,
        owner: Broadcaster,
        sub: Subscription,
        day: date,
        digest: Digest,
        result: BroadcastResult,
    ) -> None:
        self.owner, self.sub, self.day, self.digest = owner, sub, day, digest
        self.result = result
        self.store, self.worker_id = owner.store, owner.worker_id
        self.sender = owner.senders[sub.platform]
        self.chat_id = sub.chat_id
        self.notes: list[str] = []

    async def run(self) -> str:
        """Send the unsent parts; return the outcome ("sent", "released", "migrated" …)."""
        platform, digest = self.sub.platform, self.digest
        row = await self.store.delivery(platform, self.chat_id, self.day)
        start = 0
        if row is not None and row.parts_sent:
            if row.digest_sha == digest.sha:
                start = row.parts_sent
            else:
                log.warning(
                    "%s chat %s: the digest changed after %d parts were sent; sending the new one",
                    platform,
                    self.chat_id,
                    row.parts_sent,
                )
        for index in range(start, len(digest.parts)):
            if self.owner.stopping:
                await self.store.release(platform, self.chat_id, self.day, self.worker_id)
                return "released"
            try:
                await self._send(index)
            except ChatMoved as moved:
                if not await self._follow(str(moved.new_chat_id)):
                    return "migrated"
                await self._send(index)
            if not await self.store.record_parts(
                platform, self.chat_id, self.day, self.worker_id, index + 1, digest.sha
            ):
                log.warning(
                    "%s chat %s: claim lost; another worker continues", platform, self.chat_id
                )
                return "claim_lost"
        note = "; ".join(self.notes) or None
        await self.store.mark_sent(platform, self.chat_id, self.day, self.worker_id, note)
        return "sent"

    async def _send(self, index: int) -> None:
        part = self.digest.parts[index]
        try:
            await self.sender.send_part(self.chat_id, part)
            return
        except PartRejected as exc:
            reason = exc.reason
            fallback = exc.fallback
        if fallback is not None:
            try:
                await self.sender.send_part(self.chat_id, fallback)
                self._note(index, f"sent as text ({reason})")
                return
            except PartRejected as again:
                reason = f"{reason}; its text form: {again.reason}"
        self._note(index, f"skipped ({reason})")

    def _note(self, index: int, what: str) -> None:
        note = f"part {index + 1} {what}"
        self.notes.append(note)
        log.warning("%s chat %s: %s", self.sub.platform, self.chat_id, note)

    async def _follow(self, new_chat_id: str) -> bool:
        """Move the chat to its new id; return whether this worker still delivers there."""
        platform = self.sub.platform
        await self.store.migrate_chat(platform, self.chat_id, new_chat_id)
        row = await self.store.delivery(platform, new_chat_id, self.day)
        log.info("%s chat %s moved to %s", platform, self.chat_id, new_chat_id)
        if row is None or row.worker_id != self.worker_id or row.status != DeliveryStatus.CLAIMED:
            # The new id has its own subscription and delivery: it gets its own digest.
            return False
        self.result.outcomes["migrated"] += 1
        self.chat_id = new_chat_id
        return True

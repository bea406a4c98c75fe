"""One claimed chat's digest: resume at its first unsent part, record each part sent.

Each part is marked in flight right before its request leaves (see ``in_flight``) and
recorded as sent once answered; a part a dead worker left in flight is not sent again, unless
the platform recognises a resend by the part's idempotency key and the mark is recent enough.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.delivery.digest import Digest
from bot.delivery.in_flight import marking
from bot.store import DeliveryStatus, Subscription
from core.errors import ChatMoved, ClaimLost, PartRejected
from core.i18n import Language
from renderers.parts import MessagePart

if TYPE_CHECKING:
    from bot.delivery.broadcaster import Broadcaster, BroadcastResult

log = logging.getLogger(__name__)


class Sender(Protocol):
    """Send one rendered part to one chat of one platform, with the section menu if asked.

    Its transport awaits ``in_flight.before_request()`` right before each request leaves
    (after any pacing wait). A sender that does not is resent after a crash (at least once).
    A sender whose platform deduplicates by ``in_flight.idempotency_key()`` says for how long
    in a ``resend_window`` attribute (a timedelta); without one a part in flight is not resent.
    """

    async def send_part(
        self, chat_id: str, part: MessagePart, *, menu: Language | None = None
    ) -> None: ...


class ClaimedChat:
    """One claimed chat's digest: resume at its first unsent part, record each part sent.

    Each part is marked in flight right before its request leaves (see ``in_flight``) and
    recorded as sent once answered; a part a dead worker left in flight is not sent again.
    """

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
        window = getattr(self.sender, "resend_window", None)
        self.resend_window: timedelta | None = window if isinstance(window, timedelta) else None

    async def run(self) -> str:
        """Send the unsent parts; return the outcome ("sent", "released", "migrated" …)."""
        platform, digest = self.sub.platform, self.digest
        row = await self.store.delivery(platform, self.chat_id, self.day)
        start = 0
        if row is not None and row.digest_sha == digest.sha:
            start = row.parts_sent
            if row.part_in_flight is not None:
                # The previous worker died between its request and the answer: the chat may
                # have the part. Resent under the same idempotency key the platform returns
                # the message it has; without one (Telegram) it is not sent twice.
                if self._may_resend(row.in_flight_at):
                    self._note(start, "resent under its idempotency key (no answer was recorded)")
                else:
                    self._note(start, "not resent: its request left but no answer was recorded")
                    start += 1
        elif row is not None and row.parts_sent:
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
                try:
                    await self._send(index)
                except ChatMoved as moved:
                    if not await self._follow(str(moved.new_chat_id)):
                        return "migrated"
                    await self._send(index)
            except ClaimLost:
                return self._claim_lost()
            if not await self.store.record_parts(
                platform, self.chat_id, self.day, self.worker_id, index + 1, digest.sha
            ):
                return self._claim_lost()
        note = "; ".join(self.notes) or None
        await self.store.mark_sent(platform, self.chat_id, self.day, self.worker_id, note)
        return "sent"

    def _claim_lost(self) -> str:
        log.warning(
            "%s chat %s: claim lost; another worker continues", self.sub.platform, self.chat_id
        )
        return "claim_lost"

    def _may_resend(self, in_flight_at: datetime | None) -> bool:
        window = self.resend_window
        return (
            window is not None
            and in_flight_at is not None
            and (self.store.now() - in_flight_at <= window)
        )

    def _key(self, index: int) -> str:
        """Return the part's idempotency key: one per chat, date, digest and part (25 chars)."""
        name = f"{self.sub.platform}:{self.chat_id}:{self.day}:{self.digest.sha}:{index}"
        return hashlib.sha256(name.encode()).hexdigest()[:25]

    async def _send(self, index: int) -> None:
        with marking(
            lambda: self._mark_in_flight(index),
            lambda: self._mark_in_flight(index, in_flight=False),
            key=self._key(index),
        ):
            await self._send_or_replace(index)

    async def _mark_in_flight(self, index: int, *, in_flight: bool = True) -> None:
        held = await self.store.record_parts(
            self.sub.platform,
            self.chat_id,
            self.day,
            self.worker_id,
            index,
            self.digest.sha,
            next_in_flight=in_flight,
        )
        if not held:
            raise ClaimLost(f"{self.sub.platform} chat {self.chat_id}: claim taken over")

    async def _send_or_replace(self, index: int) -> None:
        part = self.digest.parts[index]
        try:
            if index == self.digest.menu_index:
                await self.sender.send_part(self.chat_id, part, menu=self.digest.menu)
            else:
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

"""Delivery log: the exactly-once coordination point between workers and processes.

One row per (platform, chat, report date). A worker may send only after ``claim`` returned
True; it records each part sent (``record_parts``, which also renews the claim) and then
``mark_sent``, ``mark_failed`` or ``mark_skipped``. A claim whose worker died (not renewed
within the lease) may be claimed again, a released or failed row once its ``retry_at`` has
passed, and a "sent" or "skipped" row never. A new claim keeps ``parts_sent``,
``digest_sha`` and ``part_in_flight``, so the next worker resumes at the first part the chat
has not received, and knows which part a dead worker had sent without hearing the answer.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.store.base import StoreBase
from bot.store.models import Delivery, DeliveryStatus
from bot.store.schema import deliveries
from bot.store.validation import parse_chat_id, parse_platform
from core.db import insert_if_absent

_KEYS = ("platform", "chat_id", "report_date")
_MAX_ERROR_CHARS = 2000


def default_worker_id() -> str:
    """Return an id unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _row_key(platform: str, chat_id: str | int, report_date: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        deliveries.c.platform == parse_platform(platform),
        deliveries.c.chat_id == parse_chat_id(chat_id),
        deliveries.c.report_date == report_date,
    )


def _to_delivery(row: sa.Row[Any]) -> Delivery:
    return Delivery(
        platform=row.platform,
        chat_id=row.chat_id,
        report_date=row.report_date,
        status=DeliveryStatus(row.status),
        worker_id=row.worker_id,
        attempts=row.attempts,
        claimed_at=row.claimed_at,
        finished_at=row.finished_at,
        retry_at=row.retry_at,
        error=row.error,
        parts_sent=row.parts_sent,
        digest_sha=row.digest_sha,
        part_in_flight=row.part_in_flight,
        in_flight_at=row.in_flight_at,
    )


class DeliveryLogMixin(StoreBase):
    """Claim, finish and inspect deliveries."""

    def is_claimable(self, delivery: Delivery | None, now_utc: datetime) -> bool:
        """Return whether a log row (None = no row yet) may be claimed at ``now_utc``."""
        if delivery is None:
            return True
        if delivery.status is DeliveryStatus.CLAIMED:
            return delivery.claimed_at < now_utc - self.lease
        if delivery.status is DeliveryStatus.RELEASED:
            return True
        if delivery.status is DeliveryStatus.FAILED:
            return delivery.retry_at is not None and delivery.retry_at <= now_utc
        return False

    async def claim(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str
    ) -> bool:
        """Take the right to send a chat's report for ``report_date``; return whether granted.

        Atomic across threads and processes sharing the database: of any number of racing
        callers exactly one gets True, and a stale or retryable row goes to exactly one.
        """
        platform, chat_id = parse_platform(platform), parse_chat_id(chat_id)
        now = self.now()
        claim = {
            "status": DeliveryStatus.CLAIMED.value,
            "worker_id": worker_id,
            "claimed_at": now,
            "finished_at": None,
            "retry_at": None,
            "error": None,
        }
        new_row = {
            **claim,
            "platform": platform,
            "chat_id": chat_id,
            "report_date": report_date,
            "attempts": 1,
        }
        if await insert_if_absent(self.begin, deliveries, new_row, _KEYS):
            return True
        # The WHERE clause re-checks the state inside the UPDATE, so of two racing reclaimers
        # the second matches nothing once the first has refreshed claimed_at.
        stale = sa.and_(
            deliveries.c.status == DeliveryStatus.CLAIMED.value,
            deliveries.c.claimed_at < now - self.lease,
        )
        retryable = sa.and_(
            deliveries.c.status == DeliveryStatus.FAILED.value,
            deliveries.c.retry_at.is_not(None),
            deliveries.c.retry_at <= now,
        )
        released = deliveries.c.status == DeliveryStatus.RELEASED.value
        stmt = (
            sa.update(deliveries)
            .where(_row_key(platform, chat_id, report_date), sa.or_(stale, retryable, released))
            .values(**claim, attempts=deliveries.c.attempts + 1)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def _update_held(
        self,
        platform: str,
        chat_id: str | int,
        report_date: date,
        worker_id: str,
        **values: Any,
    ) -> bool:
        """Update one row while ``worker_id`` holds its claim; return whether it did."""
        stmt = (
            sa.update(deliveries)
            .where(
                _row_key(platform, chat_id, report_date),
                deliveries.c.status == DeliveryStatus.CLAIMED.value,
                deliveries.c.worker_id == worker_id,
            )
            .values(**values)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def record_parts(
        self,
        platform: str,
        chat_id: str | int,
        report_date: date,
        worker_id: str,
        parts_sent: int,
        digest_sha: str,
        *,
        next_in_flight: bool = False,
    ) -> bool:
        """Record how many parts of digest ``digest_sha`` the chat has received; renew the claim.

        With ``next_in_flight`` the next part (index ``parts_sent``) is about to leave; without,
        no part is in flight. Return False if ``worker_id`` no longer holds the claim (the
        sender must stop, and send nothing more).
        """
        return await self._update_held(
            platform,
            chat_id,
            report_date,
            worker_id,
            parts_sent=parts_sent,
            part_in_flight=parts_sent if next_in_flight else None,
            in_flight_at=self.now() if next_in_flight else None,
            digest_sha=digest_sha,
            claimed_at=self.now(),
        )

    async def renew_claims(self, worker_id: str) -> int:
        """Renew every claim ``worker_id`` holds (its heartbeat); return how many."""
        return await self._update_claims(worker_id, claimed_at=self.now())

    async def release_claims(self, worker_id: str) -> int:
        """Give back every claim ``worker_id`` holds, progress kept; return how many.

        A released row is claimable at once, so another instance continues without waiting
        for the lease to run out. A part still in flight stays marked: its send was cut off.
        """
        return await self._update_claims(
            worker_id, status=DeliveryStatus.RELEASED.value, finished_at=self.now()
        )

    async def _finish(
        self,
        key: tuple[str, str | int, date],
        worker_id: str,
        status: DeliveryStatus,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> bool:
        # The worker heard how its last send ended, so no part is in flight any more.
        return await self._update_held(
            *key,
            worker_id,
            part_in_flight=None,
            in_flight_at=None,
            finished_at=self.now(),
            status=status.value,
            error=None if error is None else error[:_MAX_ERROR_CHARS],
            retry_at=retry_at,
        )

    async def release(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str
    ) -> bool:
        """Give back one claim, progress kept (see ``release_claims``); False if not held."""
        key = (platform, chat_id, report_date)
        return await self._finish(key, worker_id, DeliveryStatus.RELEASED)

    async def _update_claims(self, worker_id: str, **values: Any) -> int:
        stmt = (
            sa.update(deliveries)
            .where(
                deliveries.c.status == DeliveryStatus.CLAIMED.value,
                deliveries.c.worker_id == worker_id,
            )
            .values(**values)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount

    async def mark_skipped(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str, reason: str
    ) -> bool:
        """Record that the chat will not get this digest (too late, moved); never claimed again."""
        key = (platform, chat_id, report_date)
        return await self._finish(key, worker_id, DeliveryStatus.SKIPPED, reason)

    async def mark_sent(
        self,
        platform: str,
        chat_id: str | int,
        report_date: date,
        worker_id: str,
        note: str | None = None,
    ) -> bool:
        """Record a delivery as sent (``note``: parts replaced or skipped, and why).

        Return False if ``worker_id`` no longer holds the claim.
        """
        return await self._finish(
            (platform, chat_id, report_date), worker_id, DeliveryStatus.SENT, note
        )

    async def mark_failed(
        self,
        platform: str,
        chat_id: str | int,
        report_date: date,
        worker_id: str,
        error: str,
        *,
        retry_after: timedelta | None = None,
    ) -> bool:
        """Record a failed delivery; with ``retry_after`` it may be claimed again after that.

        Return False if ``worker_id`` no longer holds the claim.
        """
        retry_at = None if retry_after is None else self.now() + retry_after
        key = (platform, chat_id, report_date)
        return await self._finish(key, worker_id, DeliveryStatus.FAILED, error, retry_at)

    async def delivery(
        self, platform: str, chat_id: str | int, report_date: date
    ) -> Delivery | None:
        """Return the log row of one chat and date, or None."""
        stmt = sa.select(deliveries).where(_row_key(platform, chat_id, report_date))
        async with self.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else _to_delivery(row)

    async def deliveries_on(
        self, report_dates: Iterable[date], *, chat_ids: Iterable[str] | None = None
    ) -> list[Delivery]:
        """Return every log row for the given report dates (and chats, when given)."""
        dates = sorted(set(report_dates))
        if not dates:
            return []
        stmt = sa.select(deliveries).where(deliveries.c.report_date.in_(dates))
        if chat_ids is not None:
            stmt = stmt.where(deliveries.c.chat_id.in_(sorted(set(chat_ids))))
        async with self.connect() as conn:
            return [_to_delivery(row) for row in await conn.execute(stmt)]

"""Delivery log: the exactly-once coordination point between workers and processes.

One row per (platform, chat, report date). A worker may send only after ``claim`` returned
True; it then records ``mark_sent`` or ``mark_failed``. A claim whose worker died (still
"claimed" after the lease) may be claimed again, a failed row may be retried once its
``retry_at`` has passed, and a "sent" row is never claimed again.
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
    )


class DeliveryLogMixin(StoreBase):
    """Claim, finish and inspect deliveries."""

    def is_claimable(self, delivery: Delivery | None, now_utc: datetime) -> bool:
        """Return whether a log row (None = no row yet) may be claimed at ``now_utc``."""
        if delivery is None:
            return True
        if delivery.status is DeliveryStatus.CLAIMED:
            return delivery.claimed_at < now_utc - self.lease
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
        stmt = (
            sa.update(deliveries)
            .where(_row_key(platform, chat_id, report_date), sa.or_(stale, retryable))
            .values(**claim, attempts=deliveries.c.attempts + 1)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def _finish(
        self,
        platform: str,
        chat_id: str | int,
        report_date: date,
        worker_id: str,
        **values: Any,
    ) -> bool:
        stmt = (
            sa.update(deliveries)
            .where(
                _row_key(platform, chat_id, report_date),
                deliveries.c.status == DeliveryStatus.CLAIMED.value,
                deliveries.c.worker_id == worker_id,
            )
            .values(finished_at=self.now(), **values)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def mark_sent(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str
    ) -> bool:
        """Record a delivery as sent; return False if ``worker_id`` no longer holds the claim."""
        return await self._finish(
            platform, chat_id, report_date, worker_id, status=DeliveryStatus.SENT.value
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
        return await self._finish(
            platform,
            chat_id,
            report_date,
            worker_id,
            status=DeliveryStatus.FAILED.value,
            error=error[:_MAX_ERROR_CHARS],
            retry_at=retry_at,
        )

    async def delivery(
        self, platform: str, chat_id: str | int, report_date: date
    ) -> Delivery | None:
        """Return the log row of one chat and date, or None."""
        stmt = sa.select(deliveries).where(_row_key(platform, chat_id, report_date))
        async with self.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else _to_delivery(row)

    async def deliveries_on(self, report_dates: Iterable[date]) -> list[Delivery]:
        """Return every log row for the given report dates."""
        dates = sorted(set(report_dates))
        if not dates:
            return []
        stmt = sa.select(deliveries).where(deliveries.c.report_date.in_(dates))
        async with self.connect() as conn:
            return [_to_delivery(row) for row in await conn.execute(stmt)]

"""Asyncio facade: the sync store's calls run in worker threads via ``asyncio.to_thread``.

Each call is one short transaction, so a thread per call keeps the event loop free without
an async driver; the same code then serves SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from bot.store.models import Delivery, DueDelivery, Subscription
from bot.store.store import Store


class AsyncStore:
    """Awaitable twin of Store; ``sync`` exposes the wrapped store."""

    def __init__(self, store: Store) -> None:
        self.sync = store

    @classmethod
    async def open(cls, url: str | None = None, **kwargs: object) -> AsyncStore:
        """Open a Store (creating tables) off the event loop."""
        return cls(await asyncio.to_thread(Store, url, **kwargs))  # type: ignore[arg-type]

    async def subscribe(
        self,
        platform: str,
        chat_id: str | int,
        delivery_time: str | time,
        timezone: str,
        sections: Iterable[str] = (),
        *,
        created_by: str | int | None = None,
    ) -> Subscription:
        """See Store.subscribe."""
        return await asyncio.to_thread(
            self.sync.subscribe,
            platform,
            chat_id,
            delivery_time,
            timezone,
            tuple(sections),
            created_by=created_by,
        )

    async def unsubscribe(self, platform: str, chat_id: str | int) -> bool:
        """See Store.unsubscribe."""
        return await asyncio.to_thread(self.sync.unsubscribe, platform, chat_id)

    async def deactivate(self, platform: str, chat_id: str | int, reason: str) -> bool:
        """See Store.deactivate."""
        return await asyncio.to_thread(self.sync.deactivate, platform, chat_id, reason)

    async def subscription(self, platform: str, chat_id: str | int) -> Subscription | None:
        """See Store.subscription."""
        return await asyncio.to_thread(self.sync.subscription, platform, chat_id)

    async def subscriptions(
        self,
        platform: str | None = None,
        chat_id: str | int | None = None,
        *,
        active: bool | None = True,
    ) -> list[Subscription]:
        """See Store.subscriptions."""
        return await asyncio.to_thread(self.sync.subscriptions, platform, chat_id, active=active)

    async def migrate_chat(
        self, platform: str, old_chat_id: str | int, new_chat_id: str | int
    ) -> bool:
        """See Store.migrate_chat."""
        return await asyncio.to_thread(self.sync.migrate_chat, platform, old_chat_id, new_chat_id)

    async def due(self, now_utc: datetime) -> list[DueDelivery]:
        """See Store.due."""
        return await asyncio.to_thread(self.sync.due, now_utc)

    async def claim(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str
    ) -> bool:
        """See Store.claim."""
        return await asyncio.to_thread(self.sync.claim, platform, chat_id, report_date, worker_id)

    async def mark_sent(
        self, platform: str, chat_id: str | int, report_date: date, worker_id: str
    ) -> bool:
        """See Store.mark_sent."""
        return await asyncio.to_thread(
            self.sync.mark_sent, platform, chat_id, report_date, worker_id
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
        """See Store.mark_failed."""
        return await asyncio.to_thread(
            self.sync.mark_failed,
            platform,
            chat_id,
            report_date,
            worker_id,
            error,
            retry_after=retry_after,
        )

    async def delivery(
        self, platform: str, chat_id: str | int, report_date: date
    ) -> Delivery | None:
        """See Store.delivery."""
        return await asyncio.to_thread(self.sync.delivery, platform, chat_id, report_date)

    async def photo_file_id(self, sha256: str, platform: str = "telegram") -> str | None:
        """See Store.photo_file_id."""
        return await asyncio.to_thread(self.sync.photo_file_id, sha256, platform)

    async def remember_photo(self, sha256: str, file_id: str, platform: str = "telegram") -> None:
        """See Store.remember_photo."""
        await asyncio.to_thread(self.sync.remember_photo, sha256, file_id, platform)

    async def forget_photo(self, sha256: str, platform: str = "telegram") -> bool:
        """See Store.forget_photo."""
        return await asyncio.to_thread(self.sync.forget_photo, sha256, platform)

    async def close(self) -> None:
        """See Store.close."""
        await asyncio.to_thread(self.sync.close)

"""The bot's store: subscriptions, delivery log and photo cache over one asyncio engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.deliveries import DeliveryLogMixin
from bot.store.engine import create_tables, drop_tables
from bot.store.leases import LeasesMixin
from bot.store.models import DueDelivery, Subscription
from bot.store.photos import PhotoCacheMixin
from bot.store.subscriptions import SubscriptionsMixin
from core.clock import SYSTEM_CLOCK, Clock
from core.db import create_async_engine
from core.settings import EnvSettings

# A claim not renewed for this long is taken to be a dead worker's: a sending worker renews
# its claims after every part and on a heartbeat, so after kill -9 a chat waits under a minute.
DEFAULT_LEASE = timedelta(seconds=45)
DUE_PAGE = 500


def slot_passed(subscription: Subscription, now_utc: datetime) -> bool:
    """Return whether today's (subscriber-local) delivery time has passed at ``now_utc``.

    Wall-clock comparison keeps DST simple: a time skipped by spring-forward is due at the
    first minute after the gap, and a repeated autumn hour is due once (the log sees to it).
    A subscription made after today's slot starts tomorrow instead of firing at once.
    """
    local = now_utc.astimezone(subscription.zone)
    slot = (local.date(), subscription.delivery_time)
    if local.time() < subscription.delivery_time:
        return False
    subscribed = subscription.subscribed_at.astimezone(subscription.zone)
    return (subscribed.date(), subscribed.time()) <= slot


class AsyncStore(SubscriptionsMixin, DeliveryLogMixin, PhotoCacheMixin, LeasesMixin):
    """The bot's store on SQLAlchemy's asyncio engine; every method is one short transaction."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """Wrap ``engine`` (see ``open``); the tables must exist or be made by create_tables."""
        super().__init__(engine, lease=lease, clock=clock)

    @classmethod
    async def open(
        cls,
        url: str | sa.URL | None = None,
        *,
        schema: str | None = None,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = SYSTEM_CLOCK,
        create: bool = True,
    ) -> AsyncStore:
        """Open ``url`` (default: MARKETBOT_DATABASE_URL), creating the tables unless told not."""
        engine = create_async_engine(url or EnvSettings().database_url, schema=schema)
        store = cls(engine, lease=lease, clock=clock)
        if create:
            await store.create_tables()
        return store

    async def due(self, now_utc: datetime) -> list[DueDelivery]:
        """Return active subscriptions whose local delivery time has passed and not yet delivered.

        Each comes with its subscriber-local date, the key to claim. Rows claimed by a live
        worker, sent, skipped, or failed without a retry time due are left out.
        """
        return [due async for page in self.due_pages(now_utc) for due in page]

    async def due_pages(
        self, now_utc: datetime, page_size: int = DUE_PAGE
    ) -> AsyncIterator[list[DueDelivery]]:
        """Yield ``due`` in pages of at most ``page_size`` subscriptions, in subscription order.

        Memory stays flat however many chats subscribe; each page is read when asked for.
        """
        if now_utc.tzinfo is None:
            raise ValueError("due() needs an aware datetime")
        after_id = 0
        while True:
            page = await self.subscriptions(after_id=after_id, limit=page_size)
            if not page:
                return
            after_id = page[-1].id
            due = await self._due_of(page, now_utc)
            if due:
                yield due

    async def _due_of(self, subs: list[Subscription], now_utc: datetime) -> list[DueDelivery]:
        candidates = [
            DueDelivery(sub, sub.local_date(now_utc)) for sub in subs if slot_passed(sub, now_utc)
        ]
        if not candidates:
            return []
        logged = {
            (row.platform, row.chat_id, row.report_date): row
            for row in await self.deliveries_on(
                (c.report_date for c in candidates),
                chat_ids=[c.subscription.chat_id for c in candidates],
            )
        }
        return [
            c
            for c in candidates
            if self.is_claimable(
                logged.get((c.subscription.platform, c.subscription.chat_id, c.report_date)),
                now_utc,
            )
        ]

    async def create_tables(self) -> None:
        """Create the bot's tables (and schema) if missing; existing data is kept."""
        await create_tables(self.engine)

    async def drop_tables(self) -> None:
        """Drop the bot's tables (tests and teardown only)."""
        await drop_tables(self.engine)

    async def close(self) -> None:
        """Release pooled connections."""
        await self.engine.dispose()

"""Subscriptions: one per chat, upserted on subscribe, deactivated rather than deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

import sqlalchemy as sa

from bot.store.base import StoreBase
from bot.store.models import DeliveryStatus, Subscription
from bot.store.schema import deliveries, subscriptions
from bot.store.validation import (
    format_delivery_time,
    parse_chat_id,
    parse_delivery_time,
    parse_platform,
    parse_sections,
)
from bot.store.zones import parse_timezone
from core.db import insert_if_absent
from core.i18n import Language

UNSUBSCRIBED = "unsubscribed"
LANGUAGE_ONLY = "language only"  # a chat that chose its language but never subscribed
_KEYS = ("platform", "chat_id")


def _chat(platform: str, chat_id: str | int) -> sa.ColumnElement[bool]:
    return sa.and_(
        subscriptions.c.platform == parse_platform(platform),
        subscriptions.c.chat_id == parse_chat_id(chat_id),
    )


def _to_subscription(row: sa.Row[Any]) -> Subscription:
    return Subscription(
        id=row.id,
        platform=row.platform,
        chat_id=row.chat_id,
        delivery_time=time.fromisoformat(row.delivery_time),
        timezone=row.timezone,
        sections=tuple(row.sections),
        active=row.active,
        created_by=row.created_by,
        created_at=row.created_at,
        subscribed_at=row.subscribed_at,
        deactivated_at=row.deactivated_at,
        deactivated_reason=row.deactivated_reason,
        language=_language(row.language),
    )


def _language(code: str | None) -> Language | None:
    try:
        return None if code is None else Language(code)
    except ValueError:  # a language since dropped: fall back to the chat's default
        return None


class SubscriptionsMixin(StoreBase):
    """Subscribe, unsubscribe, look up, deactivate and migrate chats."""

    async def subscribe(
        self,
        platform: str,
        chat_id: str | int,
        delivery_time: str | time,
        timezone: str,
        sections: Iterable[str] = (),
        *,
        created_by: str | int | None = None,
        language: Language | None = None,
    ) -> Subscription:
        """Create or update a chat's subscription and (re)activate it; return the stored row.

        ``language`` None keeps the language the chat chose before. Raise InvalidArgument for
        a bad platform, time or time zone and UnknownSection for a section the catalog does
        not know; nothing is written then.
        """
        platform, chat_id = parse_platform(platform), parse_chat_id(chat_id)
        settings = {
            "delivery_time": format_delivery_time(parse_delivery_time(delivery_time)),
            "timezone": parse_timezone(timezone),
            "sections": list(parse_sections(sections)),
            "active": True,
            "subscribed_at": self.now(),
            "deactivated_at": None,
            "deactivated_reason": None,
        }
        if language is not None:
            settings["language"] = str(language)
        new_row = {
            **settings,
            "platform": platform,
            "chat_id": chat_id,
            "created_by": None if created_by is None else str(created_by),
            "created_at": settings["subscribed_at"],
        }
        update = sa.update(subscriptions).where(_chat(platform, chat_id)).values(settings)
        async with self.begin() as conn:
            updated = (await conn.execute(update)).rowcount
        if not updated and not await insert_if_absent(self.begin, subscriptions, new_row, _KEYS):
            # Another process created the row between our update and insert: update it now.
            async with self.begin() as conn:
                await conn.execute(update)
        found = await self.subscription(platform, chat_id)
        assert found is not None  # just written; rows are never deleted outside migrate_chat
        return found

    async def set_language(
        self, platform: str, chat_id: str | int, language: Language
    ) -> Subscription:
        """Remember a chat's language; a chat that never subscribed gets an inactive row."""
        platform, chat_id = parse_platform(platform), parse_chat_id(chat_id)
        update = (
            sa.update(subscriptions).where(_chat(platform, chat_id)).values(language=str(language))
        )
        async with self.begin() as conn:
            updated = (await conn.execute(update)).rowcount
        if not updated:
            now = self.now()
            new_row = {
                "platform": platform,
                "chat_id": chat_id,
                "delivery_time": format_delivery_time(time(0)),  # set when it subscribes
                "timezone": "UTC",
                "sections": [],
                "active": False,
                "created_by": None,
                "created_at": now,
                "subscribed_at": now,
                "deactivated_at": now,
                "deactivated_reason": LANGUAGE_ONLY,
                "language": str(language),
            }
            if not await insert_if_absent(self.begin, subscriptions, new_row, _KEYS):
                async with self.begin() as conn:  # created meanwhile by another process
                    await conn.execute(update)
        found = await self.subscription(platform, chat_id)
        assert found is not None  # just written
        return found

    async def unsubscribe(self, platform: str, chat_id: str | int) -> bool:
        """Deactivate a chat's subscription at its request; return whether one was active."""
        return await self.deactivate(platform, chat_id, UNSUBSCRIBED)

    async def deactivate(self, platform: str, chat_id: str | int, reason: str) -> bool:
        """Deactivate a chat (e.g. the bot was blocked: 403); return whether it was active."""
        stmt = (
            sa.update(subscriptions)
            .where(_chat(platform, chat_id), subscriptions.c.active.is_(True))
            .values(active=False, deactivated_at=self.now(), deactivated_reason=reason)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def subscription(self, platform: str, chat_id: str | int) -> Subscription | None:
        """Return a chat's subscription (active or not), or None if it never subscribed."""
        stmt = sa.select(subscriptions).where(_chat(platform, chat_id))
        async with self.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else _to_subscription(row)

    async def subscriptions(
        self,
        platform: str | None = None,
        chat_id: str | int | None = None,
        *,
        active: bool | None = True,
        after_id: int = 0,
        limit: int | None = None,
    ) -> list[Subscription]:
        """Return subscriptions filtered by platform, chat and state (None = any), oldest first.

        ``after_id`` and ``limit`` read one page: at most ``limit`` rows with a greater id.
        """
        stmt = sa.select(subscriptions).order_by(subscriptions.c.id).limit(limit)
        if after_id:
            stmt = stmt.where(subscriptions.c.id > after_id)
        if platform is not None:
            stmt = stmt.where(subscriptions.c.platform == parse_platform(platform))
        if chat_id is not None:
            stmt = stmt.where(subscriptions.c.chat_id == parse_chat_id(chat_id))
        if active is not None:
            stmt = stmt.where(subscriptions.c.active.is_(active))
        async with self.connect() as conn:
            return [_to_subscription(row) for row in await conn.execute(stmt)]

    async def migrate_chat(
        self, platform: str, old_chat_id: str | int, new_chat_id: str | int
    ) -> bool:
        """Move a chat's subscription and delivery history to its new id (Telegram supergroup).

        If the new id already has a subscription it wins: the old one is removed and a claimed
        delivery of the old id is marked skipped (the new id gets its own digest). Delivery
        rows already present under the new id are kept. Return whether a subscription moved.
        """
        platform = parse_platform(platform)
        old, new = parse_chat_id(old_chat_id), parse_chat_id(new_chat_id)
        if old == new:
            return False
        async with self.begin() as conn:
            taken = (
                await conn.execute(sa.select(subscriptions.c.id).where(_chat(platform, new)))
            ).first()
            if taken is None:
                moved = (
                    await conn.execute(
                        sa.update(subscriptions).where(_chat(platform, old)).values(chat_id=new)
                    )
                ).rowcount
            else:
                await conn.execute(sa.delete(subscriptions).where(_chat(platform, old)))
                moved = 0
            old_rows = sa.and_(deliveries.c.platform == platform, deliveries.c.chat_id == old)
            if taken is None:
                already = sa.select(deliveries.c.report_date).where(
                    deliveries.c.platform == platform, deliveries.c.chat_id == new
                )
                await conn.execute(
                    sa.update(deliveries)
                    .where(old_rows, deliveries.c.report_date.not_in(already))
                    .values(chat_id=new)
                )
            # Whatever stays under the old id is never sent there: no claim is left hanging.
            await conn.execute(
                sa.update(deliveries)
                .where(old_rows, deliveries.c.status == DeliveryStatus.CLAIMED.value)
                .values(
                    status=DeliveryStatus.SKIPPED.value,
                    finished_at=self.now(),
                    error=f"chat moved to {new}",
                )
            )
        return moved == 1

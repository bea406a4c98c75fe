"""Leased names and the shared send budget: what several instances on one database agree on.

A lease (e.g. "telegram:poller") has one holder until it stops renewing it: the holder renews
``expires_at``, and another instance takes the name once that has passed. Works the same on
SQLite and PostgreSQL (one row per name, an UPDATE that re-checks the holder and expiry).

A send budget is the next free send slot of one bot token, in epoch seconds: every instance
takes its slots from the same row, so together they stay under the token's limit.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.store.base import StoreBase
from bot.store.schema import leases, send_budgets
from core.db import conflict_insert, insert_if_absent


class LeasesMixin(StoreBase):
    """Acquire, renew and release leased names; reserve slots of a shared send budget."""

    async def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew ``name`` for ``ttl``; return whether ``holder`` holds it now."""
        now = self.now()
        row = {"name": name, "holder": holder, "expires_at": now + ttl}
        if await insert_if_absent(self.begin, leases, row, ("name",)):
            return True
        stmt = (
            sa.update(leases)
            .where(
                leases.c.name == name,
                sa.or_(leases.c.holder == holder, leases.c.expires_at < now),
            )
            .values(holder=holder, expires_at=now + ttl)
        )
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def release_lease(self, name: str, holder: str) -> bool:
        """Give ``name`` up at once if ``holder`` holds it; return whether it did."""
        stmt = sa.delete(leases).where(leases.c.name == name, leases.c.holder == holder)
        async with self.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def lease_holder(self, name: str) -> str | None:
        """Return who holds ``name`` now, or None."""
        stmt = sa.select(leases.c.holder).where(
            leases.c.name == name, leases.c.expires_at >= self.now()
        )
        async with self.connect() as conn:
            return (await conn.execute(stmt)).scalar_one_or_none()

    async def reserve_send_slot(self, key: str, interval_s: float, earliest_s: float) -> float:
        """Take the next slot of budget ``key``, no earlier than ``earliest_s``; return it.

        Slots are epoch seconds ``interval_s`` apart, shared by every caller on the database.
        """
        async with self.begin() as conn:
            insert = conflict_insert(conn.dialect, send_budgets)
            if insert is None:  # pragma: no cover - every supported database has upserts
                raise NotImplementedError(f"no upsert on {conn.dialect.name}")
            current = send_budgets.c.next_slot_s
            later = (
                sa.func.greatest(current, earliest_s)
                if conn.dialect.name == "postgresql"
                else sa.func.max(current, earliest_s)
            )
            stmt = (
                insert.values(key=key, next_slot_s=earliest_s + interval_s)
                .on_conflict_do_update(
                    index_elements=["key"], set_={"next_slot_s": later + interval_s}
                )
                .returning(send_budgets.c.next_slot_s)
            )
            next_slot_s = (await conn.execute(stmt)).scalar_one()
        return next_slot_s - interval_s

"""A chat's language: kept on its subscription, chosen before subscribing, added to old tables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.store import AsyncStore
from bot.store.engine import add_missing_columns
from bot.store.schema import subscriptions
from core.db import schema_of
from core.i18n import Language

pytestmark = pytest.mark.asyncio


async def test_language_chosen_before_subscribing_is_kept_by_subscribe(store: AsyncStore) -> None:
    chosen = await store.set_language("telegram", 5, Language.ZH)
    assert (chosen.language, chosen.active) == (Language.ZH, False)
    assert await store.subscriptions() == []  # a language alone is no digest
    sub = await store.subscribe("telegram", 5, "08:00", "Asia/Shanghai")
    assert (sub.language, sub.active) == (Language.ZH, True)


async def test_language_changes_on_an_existing_subscription(store: AsyncStore) -> None:
    sub = await store.subscribe("discord", 9, "08:00", "UTC", language=Language.EN)
    assert sub.language is Language.EN
    changed = await store.set_language("discord", 9, Language.ZH)
    assert changed.language is Language.ZH
    assert (changed.delivery_time, changed.active) == (sub.delivery_time, True)
    resubscribed = await store.subscribe("discord", 9, "09:00", "UTC")
    assert resubscribed.language is Language.ZH  # not given: kept


def _table_before_languages() -> sa.Table:
    return sa.Table(
        subscriptions.name,
        sa.MetaData(),
        *(
            sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
            for c in subscriptions.columns
            if c.name != "language"
        ),
        sa.UniqueConstraint("platform", "chat_id"),
    )


async def test_a_database_made_before_languages_gets_the_column(database, clock) -> None:
    engine, table = database.engine(), _table_before_languages()
    schema = schema_of(engine)
    async with engine.begin() as conn:
        if schema is not None:
            await conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
        await conn.run_sync(table.metadata.create_all)
        await conn.execute(
            sa.insert(table).values(
                platform="telegram",
                chat_id="1",
                delivery_time="08:00",
                timezone="UTC",
                sections=[],
                active=True,
                created_at=clock.now,
                subscribed_at=clock.now,
            )
        )
    old = await database.store()  # create_tables adds the column to the old table
    [sub] = await old.subscriptions()
    assert (sub.chat_id, sub.language) == ("1", None)
    assert (await old.set_language("telegram", 1, Language.ZH)).language is Language.ZH
    async with engine.begin() as conn:
        assert await conn.run_sync(add_missing_columns, schema) == []  # nothing left to add

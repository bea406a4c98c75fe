"""Create and drop the bot's tables (and its schema, when the engine has one)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.schema import metadata
from core.db import schema_of


async def create_tables(engine: AsyncEngine) -> None:
    """Create the bot's tables (and its schema, when one is configured) if missing."""
    schema = schema_of(engine)
    async with engine.begin() as conn:
        if schema is not None:
            await conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
        await conn.run_sync(metadata.create_all)


async def drop_tables(engine: AsyncEngine) -> None:
    """Drop the bot's tables (and its schema, when one is configured)."""
    schema = schema_of(engine)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        if schema is not None:
            await conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))

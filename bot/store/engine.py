"""Create and drop the bot's tables (and its schema, when the engine has one)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.schema import metadata
from core.db import schema_of


def add_missing_columns(conn: sa.Connection, schema: str | None) -> list[str]:
    """Add the columns a table made by an older version lacks; return them.

    ``create_all`` makes missing tables only; a column added since (``language``,
    ``parts_sent``) is added here, empty or with its server default, so an existing database
    keeps working without a migration tool.
    """
    inspector, quote = sa.inspect(conn), conn.dialect.identifier_preparer
    added = []
    for table in metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name, schema=schema)}
        for column in table.columns:
            if column.name in present:
                continue
            default = column.server_default
            if not column.nullable and default is None:
                raise RuntimeError(f"cannot add NOT NULL column {table.name}.{column.name}")
            qualified = quote.quote(table.name)
            if schema is not None:
                qualified = f"{quote.quote_schema(schema)}.{qualified}"
            column_type = column.type.compile(dialect=conn.dialect)
            if default is not None:
                column_type += f" DEFAULT {default.arg}"  # type: ignore[attr-defined]
            if not column.nullable:
                column_type += " NOT NULL"
            conn.execute(
                sa.text(
                    f"ALTER TABLE {qualified} ADD COLUMN {quote.quote(column.name)} {column_type}"
                )
            )
            added.append(f"{table.name}.{column.name}")
    return added


async def create_tables(engine: AsyncEngine) -> None:
    """Create the bot's tables (and its schema, when one is configured) or add new columns."""
    schema = schema_of(engine)
    async with engine.begin() as conn:
        if schema is not None:
            await conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(add_missing_columns, schema)


async def drop_tables(engine: AsyncEngine) -> None:
    """Drop the bot's tables (and its schema, when one is configured)."""
    schema = schema_of(engine)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        if schema is not None:
            await conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))

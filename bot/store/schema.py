"""Tables of the bot's store: subscriptions, the delivery log and cached photo file ids."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Store aware datetimes as UTC and always read them back aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        # SQLite compares the stored text, so every value must share one (naive UTC) format.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Table names carry a "bot_" prefix so they never meet other stores sharing the database.
subscriptions = sa.Table(
    "bot_subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("delivery_time", sa.String(5), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("sections", sa.JSON, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("subscribed_at", UTCDateTime, nullable=False),
    sa.Column("deactivated_at", UTCDateTime, nullable=True),
    sa.Column("deactivated_reason", sa.Text, nullable=True),
    # The chat's language ("en", "zh"); NULL until chosen. Added after the first release:
    # engine.add_missing_columns adds it to older databases, so it must stay nullable.
    sa.Column("language", sa.String(8), nullable=True),
    sa.UniqueConstraint("platform", "chat_id", name="uq_bot_subscriptions_chat"),
)

deliveries = sa.Table(
    "bot_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("report_date", sa.Date, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("worker_id", sa.String(128), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("claimed_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=True),
    sa.Column("retry_at", UTCDateTime, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    # How many parts of the digest identified by digest_sha the chat has received: a retry,
    # a restart or another instance resumes at the first unsent part of the same digest.
    sa.Column("parts_sent", sa.Integer, nullable=False, server_default="0"),
    sa.Column("digest_sha", sa.String(64), nullable=True),
    # The part whose request was about to leave, recorded before it left and cleared once its
    # answer came: set on a row whose worker died, that part may have reached the chat.
    sa.Column("part_in_flight", sa.Integer, nullable=True),
    # When that part was marked: a platform that recognises a resent part by its idempotency
    # key does so only for a few minutes (Discord's nonce), so a resume must know how long ago.
    sa.Column("in_flight_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("platform", "chat_id", "report_date", name="uq_bot_deliveries_chat_date"),
    sa.Index("ix_bot_deliveries_report_date", "report_date"),
)

# Leased names: the one instance polling Telegram for updates ("telegram:poller"). The holder
# renews expires_at; another instance takes the name once it has passed.
leases = sa.Table(
    "bot_leases",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(128), nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

# One send budget per bot token shared by every instance: the next free send slot in epoch
# seconds. "key" is a hash of the token, never the token.
send_budgets = sa.Table(
    "bot_send_budgets",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("next_slot_s", sa.Float, nullable=False),
)

photo_files = sa.Table(
    "bot_photo_files",
    metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("content_sha256", sa.String(64), primary_key=True),
    sa.Column("file_id", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

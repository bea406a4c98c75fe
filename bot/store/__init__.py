"""Persistent state of the bot: subscriptions, the exactly-once delivery log, photo file ids.

SQLAlchemy's asyncio engine underneath (any URL core/db.py accepts; SQLite through aiosqlite
and PostgreSQL through psycopg 3 are tested).
"""

from bot.store.deliveries import default_worker_id
from bot.store.models import Delivery, DeliveryStatus, DueDelivery, Subscription
from bot.store.photos import content_hash
from bot.store.store import DEFAULT_LEASE, AsyncStore, slot_passed
from bot.store.subscriptions import UNSUBSCRIBED
from bot.store.validation import (
    PLATFORMS,
    parse_delivery_time,
    parse_platform,
    parse_sections,
)
from bot.store.zones import parse_timezone, zone_of

__all__ = [
    "DEFAULT_LEASE",
    "PLATFORMS",
    "UNSUBSCRIBED",
    "AsyncStore",
    "Delivery",
    "DeliveryStatus",
    "DueDelivery",
    "Subscription",
    "content_hash",
    "default_worker_id",
    "parse_delivery_time",
    "parse_platform",
    "parse_sections",
    "parse_timezone",
    "slot_passed",
    "zone_of",
]

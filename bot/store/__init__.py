"""Persistent state of the bot: subscriptions, the exactly-once delivery log, photo file ids.

Synchronous SQLAlchemy underneath (any URL; SQLite and PostgreSQL tested); ``AsyncStore``
runs each call in a worker thread for asyncio code.
"""

from bot.store.aio import AsyncStore
from bot.store.deliveries import default_worker_id
from bot.store.engine import make_engine
from bot.store.models import Delivery, DeliveryStatus, DueDelivery, Subscription
from bot.store.photos import content_hash
from bot.store.store import DEFAULT_LEASE, Store, slot_passed
from bot.store.subscriptions import UNSUBSCRIBED
from bot.store.validation import (
    PLATFORMS,
    parse_delivery_time,
    parse_platform,
    parse_sections,
    parse_timezone,
)

__all__ = [
    "DEFAULT_LEASE",
    "PLATFORMS",
    "UNSUBSCRIBED",
    "AsyncStore",
    "Delivery",
    "DeliveryStatus",
    "DueDelivery",
    "Store",
    "Subscription",
    "content_hash",
    "default_worker_id",
    "make_engine",
    "parse_delivery_time",
    "parse_platform",
    "parse_sections",
    "parse_timezone",
    "slot_passed",
]

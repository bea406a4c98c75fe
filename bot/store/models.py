"""Plain records the store hands out: subscriptions, delivery log rows, due deliveries."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from bot.store.zones import zone_of
from core.i18n import Language


class DeliveryStatus(enum.StrEnum):
    """State of one chat's delivery for one report date."""

    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    RELEASED = "released"  # given back on shutdown: claimable at once, progress kept
    SKIPPED = "skipped"  # not sent, for good: too late, or the chat moved to a subscribed id


@dataclass(frozen=True)
class Subscription:
    """A chat's standing order for the daily report.

    ``sections`` holds canonical section keys; empty means the whole report.
    ``subscribed_at`` is when the current settings took effect (creation or last re-subscribe).
    ``language`` is the chat's chosen language, None until it chose or subscribed; a row
    kept only for a language a chat chose before subscribing is inactive.
    """

    id: int
    platform: str
    chat_id: str
    delivery_time: time
    timezone: str
    sections: tuple[str, ...]
    active: bool
    created_by: str | None
    created_at: datetime
    subscribed_at: datetime
    deactivated_at: datetime | None = None
    deactivated_reason: str | None = None
    language: Language | None = None

    @property
    def zone(self) -> tzinfo:
        """Return the subscriber's time zone (an IANA zone or a fixed UTC offset)."""
        return zone_of(self.timezone)

    def local_date(self, now_utc: datetime) -> date:
        """Return the subscriber's calendar date at ``now_utc``."""
        return now_utc.astimezone(self.zone).date()


@dataclass(frozen=True)
class Delivery:
    """One row of the delivery log: a chat's report for one (subscriber-local) date."""

    platform: str
    chat_id: str
    report_date: date
    status: DeliveryStatus
    worker_id: str
    attempts: int
    claimed_at: datetime
    finished_at: datetime | None
    retry_at: datetime | None
    error: str | None
    parts_sent: int = 0
    digest_sha: str | None = None
    part_in_flight: int | None = None
    in_flight_at: datetime | None = None


@dataclass(frozen=True)
class DueDelivery:
    """A subscription whose delivery time has passed on ``report_date`` (its local date)."""

    subscription: Subscription
    report_date: date

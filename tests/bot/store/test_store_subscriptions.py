"""Subscriptions: upsert, unsubscribe, deactivate, listing, validation and chat migration."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from bot.store import UNSUBSCRIBED, Store
from core.errors import InvalidArgument, UnknownSection, UserInputError

# ``clock`` is conftest's FakeClock: ``.now`` and ``.advance(delta)``.


def test_subscribe_stores_canonical_values(store: Store, clock) -> None:
    sub = store.subscribe(
        "Telegram", -1001234567890, "7:30", "asia/hong_kong", ["HK", "a-shares"], created_by=42
    )
    assert (sub.platform, sub.chat_id) == ("telegram", "-1001234567890")
    assert sub.delivery_time == time(7, 30)
    assert sub.timezone == "Asia/Hong_Kong"
    assert sub.sections == ("hk", "cn")
    assert sub.active and sub.created_by == "42"
    assert sub.created_at == sub.subscribed_at == clock.now
    assert store.subscription("telegram", "-1001234567890") == sub


def test_discord_snowflake_round_trips_as_text(store: Store) -> None:
    snowflake = 1_234_567_890_123_456_789_012
    sub = store.subscribe("discord", snowflake, "21:00", "Europe/London")
    assert sub.chat_id == str(snowflake)
    assert store.subscription("discord", str(snowflake)) == sub


def test_resubscribe_updates_and_reactivates(store: Store, clock) -> None:
    first = store.subscribe("telegram", 1, "08:00", "Asia/Hong_Kong", ["hk"], created_by=7)
    assert store.unsubscribe("telegram", 1)
    clock.advance(timedelta(days=2))
    again = store.subscribe("telegram", 1, "21:15", "America/New_York", [], created_by=8)
    assert again.id == first.id
    assert (again.delivery_time, again.timezone, again.sections) == (
        time(21, 15),
        "America/New_York",
        (),
    )
    assert again.active and again.deactivated_reason is None and again.deactivated_at is None
    assert again.created_at == first.created_at and again.created_by == "7"
    assert again.subscribed_at == clock.now
    assert len(store.subscriptions(active=None)) == 1


def test_unsubscribe_deactivates_once(store: Store, clock) -> None:
    store.subscribe("telegram", 1, "08:00", "UTC")
    clock.advance(timedelta(hours=1))
    assert store.unsubscribe("telegram", 1) is True
    assert store.unsubscribe("telegram", 1) is False
    assert store.unsubscribe("telegram", 999) is False
    sub = store.subscription("telegram", 1)
    assert sub is not None and not sub.active
    assert (sub.deactivated_reason, sub.deactivated_at) == (UNSUBSCRIBED, clock.now)
    assert store.subscriptions() == []
    assert store.subscriptions(active=False) == [sub]


def test_deactivate_records_the_reason(store: Store) -> None:
    store.subscribe("telegram", 5, "08:00", "UTC")
    reason = "403 Forbidden: bot was blocked by the user"
    assert store.deactivate("telegram", 5, reason)
    sub = store.subscription("telegram", 5)
    assert sub is not None and not sub.active and sub.deactivated_reason == reason
    assert not store.deactivate("telegram", 5, reason)


def test_listing_filters_by_platform_chat_and_state(store: Store) -> None:
    store.subscribe("telegram", 1, "08:00", "UTC")
    store.subscribe("discord", 1, "09:00", "UTC")
    store.subscribe("telegram", 2, "10:00", "UTC")
    store.unsubscribe("telegram", 2)
    assert [(s.platform, s.chat_id) for s in store.subscriptions()] == [
        ("telegram", "1"),
        ("discord", "1"),
    ]
    assert [s.delivery_time for s in store.subscriptions("discord", 1)] == [time(9, 0)]
    assert [s.chat_id for s in store.subscriptions("telegram", active=None)] == ["1", "2"]
    assert store.subscriptions("telegram", 3) == []
    assert store.subscription("discord", 2) is None


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        (("telegram", 1, "25:00", "UTC"), InvalidArgument, "delivery time '25:00'"),
        (("telegram", 1, "eight", "UTC"), InvalidArgument, "HH:MM"),
        (("telegram", 1, "08:00", "Asia/Hongkong"), InvalidArgument, "Asia/Hong_Kong"),
        (("telegram", 1, "08:00", "GMT+8"), InvalidArgument, "time zone 'GMT+8'"),
        (("telegram", 1, "08:00", "UTC", ["hk", "nasdaqq"]), UnknownSection, "'nasdaqq'"),
        (("whatsapp", 1, "08:00", "UTC"), InvalidArgument, "platform 'whatsapp'"),
    ],
)
def test_bad_input_raises_user_errors_and_writes_nothing(
    store: Store, args: tuple, error: type[UserInputError], fragment: str
) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        store.subscribe(*args)
    assert store.subscriptions(active=None) == []


def test_bad_input_leaves_an_existing_subscription_unchanged(store: Store) -> None:
    before = store.subscribe("telegram", 1, "08:00", "UTC", ["us"])
    with pytest.raises(InvalidArgument):
        store.subscribe("telegram", 1, "08:00", "Nowhere/Land", ["hk"])
    assert store.subscription("telegram", 1) == before


def test_migrate_chat_moves_subscription_and_delivery_history(store: Store) -> None:
    sub = store.subscribe("telegram", -100, "08:00", "UTC", ["crypto"])
    day = date(2026, 3, 2)
    assert store.claim("telegram", -100, day, "w1")
    assert store.mark_sent("telegram", -100, day, "w1")

    assert store.migrate_chat("telegram", -100, -1009999) is True

    assert store.subscription("telegram", -100) is None
    moved = store.subscription("telegram", -1009999)
    assert moved is not None and moved.id == sub.id and moved.sections == ("crypto",)
    assert store.delivery("telegram", -100, day) is None
    history = store.delivery("telegram", -1009999, day)
    assert history is not None and history.status == "sent"
    # The day's report already went to the group; the new id must not get it again.
    assert not store.claim("telegram", -1009999, day, "w2")


def test_migrate_chat_keeps_an_existing_target(store: Store) -> None:
    store.subscribe("telegram", -100, "08:00", "UTC", ["hk"])
    target = store.subscribe("telegram", -200, "09:00", "UTC", ["us"])
    day = date(2026, 3, 2)
    for chat in (-100, -200):
        assert store.claim("telegram", chat, day, f"w{chat}")
    assert store.migrate_chat("telegram", -100, -200) is False
    assert store.subscriptions("telegram", active=None) == [target]
    kept = store.delivery("telegram", -200, day)
    assert kept is not None and kept.worker_id == "w-200"


def test_migrate_chat_without_subscription_or_to_itself(store: Store) -> None:
    assert store.migrate_chat("telegram", 1, 2) is False
    store.subscribe("telegram", 1, "08:00", "UTC")
    assert store.migrate_chat("telegram", 1, 1) is False
    assert store.subscription("telegram", 1) is not None

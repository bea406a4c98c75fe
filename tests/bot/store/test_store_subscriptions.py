"""Subscriptions: upsert, unsubscribe, deactivate, listing, validation and chat migration."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from bot.store import UNSUBSCRIBED, AsyncStore
from core.errors import InvalidArgument, UnknownSection, UserInputError

# ``clock`` is conftest's FakeClock: ``.now`` and ``.advance(delta)``.

pytestmark = pytest.mark.asyncio


async def test_subscribe_stores_canonical_values(store: AsyncStore, clock) -> None:
    sub = await store.subscribe(
        "Telegram", -1001234567890, "7:30", "asia/hong_kong", ["HK", "a-shares"], created_by=42
    )
    assert (sub.platform, sub.chat_id) == ("telegram", "-1001234567890")
    assert sub.delivery_time == time(7, 30)
    assert sub.timezone == "Asia/Hong_Kong"
    assert sub.sections == ("hk", "cn")
    assert sub.active and sub.created_by == "42"
    assert sub.created_at == sub.subscribed_at == clock.now
    assert await store.subscription("telegram", "-1001234567890") == sub


@pytest.mark.parametrize(
    ("typed", "stored", "offset"),
    [("GMT+8", "UTC+08:00", timedelta(hours=8)), ("UTC-5:30", "UTC-05:30", timedelta(hours=-5.5))],
)
async def test_fixed_offsets_round_trip(store: AsyncStore, typed, stored, offset) -> None:
    await store.subscribe("telegram", 5, "8am", typed)
    sub = await store.subscription("telegram", 5)
    assert sub is not None and sub.timezone == stored
    assert sub.delivery_time == time(8) and sub.zone.utcoffset(None) == offset


async def test_discord_snowflake_round_trips_as_text(store: AsyncStore) -> None:
    snowflake = 1_234_567_890_123_456_789_012
    sub = await store.subscribe("discord", snowflake, "21:00", "Europe/London")
    assert sub.chat_id == str(snowflake)
    assert await store.subscription("discord", str(snowflake)) == sub


async def test_resubscribe_updates_and_reactivates(store: AsyncStore, clock) -> None:
    first = await store.subscribe("telegram", 1, "08:00", "Asia/Hong_Kong", ["hk"], created_by=7)
    assert await store.unsubscribe("telegram", 1)
    clock.advance(timedelta(days=2))
    again = await store.subscribe("telegram", 1, "21:15", "America/New_York", [], created_by=8)
    assert again.id == first.id
    assert (again.delivery_time, again.timezone, again.sections) == (
        time(21, 15),
        "America/New_York",
        (),
    )
    assert again.active and again.deactivated_reason is None and again.deactivated_at is None
    assert again.created_at == first.created_at and again.created_by == "7"
    assert again.subscribed_at == clock.now
    assert len(await store.subscriptions(active=None)) == 1


async def test_unsubscribe_deactivates_once(store: AsyncStore, clock) -> None:
    await store.subscribe("telegram", 1, "08:00", "UTC")
    clock.advance(timedelta(hours=1))
    assert await store.unsubscribe("telegram", 1) is True
    assert await store.unsubscribe("telegram", 1) is False
    assert await store.unsubscribe("telegram", 999) is False
    sub = await store.subscription("telegram", 1)
    assert sub is not None and not sub.active
    assert (sub.deactivated_reason, sub.deactivated_at) == (UNSUBSCRIBED, clock.now)
    assert await store.subscriptions() == []
    assert await store.subscriptions(active=False) == [sub]


async def test_deactivate_records_the_reason(store: AsyncStore) -> None:
    await store.subscribe("telegram", 5, "08:00", "UTC")
    reason = "403 Forbidden: bot was blocked by the user"
    assert await store.deactivate("telegram", 5, reason)
    sub = await store.subscription("telegram", 5)
    assert sub is not None and not sub.active and sub.deactivated_reason == reason
    assert not await store.deactivate("telegram", 5, reason)


async def test_listing_filters_by_platform_chat_and_state(store: AsyncStore) -> None:
    await store.subscribe("telegram", 1, "08:00", "UTC")
    await store.subscribe("discord", 1, "09:00", "UTC")
    await store.subscribe("telegram", 2, "10:00", "UTC")
    await store.unsubscribe("telegram", 2)
    assert [(s.platform, s.chat_id) for s in await store.subscriptions()] == [
        ("telegram", "1"),
        ("discord", "1"),
    ]
    assert [s.delivery_time for s in await store.subscriptions("discord", 1)] == [time(9, 0)]
    assert [s.chat_id for s in await store.subscriptions("telegram", active=None)] == ["1", "2"]
    assert await store.subscriptions("telegram", 3) == []
    assert await store.subscription("discord", 2) is None


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        (("telegram", 1, "25:00", "UTC"), InvalidArgument, "delivery time '25:00'"),
        (("telegram", 1, "eight", "UTC"), InvalidArgument, "HH:MM"),
        (("telegram", 1, "08:00", "Asia/Hongkong"), InvalidArgument, "Asia/Hong_Kong"),
        (("telegram", 1, "08:00", "EST"), InvalidArgument, "time zone 'EST': ambiguous"),
        (("telegram", 1, "08:00", "Factory"), InvalidArgument, "time zone 'Factory'"),
        (("telegram", 1, "08:00", "UTC", ["hk", "nasdaqq"]), UnknownSection, "'nasdaqq'"),
        (("whatsapp", 1, "08:00", "UTC"), InvalidArgument, "platform 'whatsapp'"),
    ],
)
async def test_bad_input_raises_user_errors_and_writes_nothing(
    store: AsyncStore, args: tuple, error: type[UserInputError], fragment: str
) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        await store.subscribe(*args)
    assert await store.subscriptions(active=None) == []


async def test_bad_input_leaves_an_existing_subscription_unchanged(store: AsyncStore) -> None:
    before = await store.subscribe("telegram", 1, "08:00", "UTC", ["us"])
    with pytest.raises(InvalidArgument):
        await store.subscribe("telegram", 1, "08:00", "Nowhere/Land", ["hk"])
    assert await store.subscription("telegram", 1) == before


async def test_migrate_chat_moves_subscription_and_delivery_history(store: AsyncStore) -> None:
    sub = await store.subscribe("telegram", -100, "08:00", "UTC", ["crypto"])
    day = date(2026, 3, 2)
    assert await store.claim("telegram", -100, day, "w1")
    assert await store.mark_sent("telegram", -100, day, "w1")

    assert await store.migrate_chat("telegram", -100, -1009999) is True

    assert await store.subscription("telegram", -100) is None
    moved = await store.subscription("telegram", -1009999)
    assert moved is not None and moved.id == sub.id and moved.sections == ("crypto",)
    assert await store.delivery("telegram", -100, day) is None
    history = await store.delivery("telegram", -1009999, day)
    assert history is not None and history.status == "sent"
    # The day's report already went to the group; the new id must not get it again.
    assert not await store.claim("telegram", -1009999, day, "w2")


async def test_migrate_chat_keeps_an_existing_target(store: AsyncStore) -> None:
    await store.subscribe("telegram", -100, "08:00", "UTC", ["hk"])
    target = await store.subscribe("telegram", -200, "09:00", "UTC", ["us"])
    day = date(2026, 3, 2)
    for chat in (-100, -200):
        assert await store.claim("telegram", chat, day, f"w{chat}")
    assert await store.migrate_chat("telegram", -100, -200) is False
    assert await store.subscriptions("telegram", active=None) == [target]
    kept = await store.delivery("telegram", -200, day)
    assert kept is not None and kept.worker_id == "w-200"


async def test_migrate_chat_without_subscription_or_to_itself(store: AsyncStore) -> None:
    assert await store.migrate_chat("telegram", 1, 2) is False
    await store.subscribe("telegram", 1, "08:00", "UTC")
    assert await store.migrate_chat("telegram", 1, 1) is False
    assert await store.subscription("telegram", 1) is not None

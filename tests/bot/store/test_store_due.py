"""due(): local delivery times across zones and DST, and the delivery log's effect on it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.store import AsyncStore

# ``clock`` is conftest's FakeClock (starts 2026-03-01 00:00 UTC); LEASE there is 10 minutes.
SECOND = timedelta(seconds=1)

pytestmark = pytest.mark.asyncio


async def _due_keys(store: AsyncStore, now: datetime) -> list[tuple[str, date]]:
    return [(d.subscription.chat_id, d.report_date) for d in await store.due(now)]


@pytest.mark.parametrize(
    ("zone", "hhmm", "first_due_utc", "local_date"),
    [
        # UTC+8 all year: 08:00 local is midnight UTC of the same date.
        ("Asia/Hong_Kong", "08:00", datetime(2026, 3, 20, 0, 0, tzinfo=UTC), date(2026, 3, 20)),
        # EDT (UTC-4) after the 8 March switch.
        ("America/New_York", "07:30", datetime(2026, 3, 20, 11, 30, tzinfo=UTC), date(2026, 3, 20)),
        # EST (UTC-5) before it.
        ("America/New_York", "07:30", datetime(2026, 3, 6, 12, 30, tzinfo=UTC), date(2026, 3, 6)),
        # UTC+14: the local date is a day ahead of UTC.
        (
            "Pacific/Kiritimati",
            "06:00",
            datetime(2026, 3, 19, 16, 0, tzinfo=UTC),
            date(2026, 3, 20),
        ),
        # UTC-10 late in the local evening: the UTC date is already the next day.
        ("Pacific/Honolulu", "22:00", datetime(2026, 3, 21, 8, 0, tzinfo=UTC), date(2026, 3, 20)),
        # India's half-hour offset (UTC+5:30).
        ("Asia/Kolkata", "09:15", datetime(2026, 3, 20, 3, 45, tzinfo=UTC), date(2026, 3, 20)),
    ],
)
async def test_due_exactly_from_the_local_delivery_time(
    store: AsyncStore, zone: str, hhmm: str, first_due_utc: datetime, local_date: date
) -> None:
    await store.subscribe("telegram", 1, hhmm, zone)
    assert await store.due(first_due_utc - SECOND) == []
    assert await _due_keys(store, first_due_utc) == [("1", local_date)]
    assert await _due_keys(store, first_due_utc + timedelta(hours=1)) == [("1", local_date)]


async def test_due_only_for_subscriptions_whose_time_has_passed(store: AsyncStore) -> None:
    await store.subscribe("telegram", "hk", "08:00", "Asia/Hong_Kong")  # 00:00 UTC
    await store.subscribe("telegram", "ny", "07:30", "America/New_York")  # 11:30 UTC (EDT)
    await store.subscribe(
        "discord", "ldn", "09:00", "Europe/London"
    )  # 09:00 UTC (GMT until 29 March)
    morning = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert sorted(await _due_keys(store, morning)) == [
        ("hk", date(2026, 3, 20)),
        ("ldn", date(2026, 3, 20)),
    ]
    noon = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    assert sorted(c for c, _ in await _due_keys(store, noon)) == ["hk", "ldn", "ny"]


async def test_delivered_date_is_not_due_again_until_the_next_local_day(
    store: AsyncStore, clock
) -> None:
    await store.subscribe("telegram", 1, "08:00", "Asia/Hong_Kong")
    now = clock.now = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    [due] = await store.due(now)
    assert await store.claim("telegram", 1, due.report_date, "w")
    assert await store.due(now) == []  # claimed by a live worker
    assert await store.mark_sent("telegram", 1, due.report_date, "w")
    assert await store.due(now + timedelta(hours=22, minutes=59)) == []  # 07:59 HKT next day
    assert await _due_keys(store, now + timedelta(hours=23)) == [("1", date(2026, 3, 21))]


async def test_stale_claim_is_due_again_after_the_lease(store: AsyncStore, clock) -> None:
    await store.subscribe("telegram", 1, "08:00", "UTC")
    clock.now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    assert await store.claim("telegram", 1, date(2026, 3, 20), "crashed-worker")
    assert await store.due(clock.now + store.lease - SECOND) == []
    assert await _due_keys(store, clock.now + store.lease + SECOND) == [("1", date(2026, 3, 20))]


async def test_failed_delivery_is_due_only_when_a_retry_was_asked_for(
    store: AsyncStore, clock
) -> None:
    await store.subscribe("telegram", 1, "08:00", "UTC")
    await store.subscribe("telegram", 2, "08:00", "UTC")
    clock.now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    day = date(2026, 3, 20)
    for chat in (1, 2):
        assert await store.claim("telegram", chat, day, "w")
    await store.mark_failed("telegram", 1, day, "w", "400 Bad Request: chat not found")
    await store.mark_failed(
        "telegram", 2, day, "w", "502 Bad Gateway", retry_after=timedelta(minutes=5)
    )
    later = clock.now + timedelta(minutes=5)
    assert await store.due(later - SECOND) == []
    assert await _due_keys(store, later) == [("2", day)]
    assert await _due_keys(store, later + timedelta(days=1)) == [
        ("1", day + timedelta(days=1)),
        ("2", day + timedelta(days=1)),
    ]


async def test_inactive_subscriptions_are_never_due(store: AsyncStore) -> None:
    await store.subscribe("telegram", 1, "08:00", "UTC")
    await store.subscribe("telegram", 2, "08:00", "UTC")
    await store.unsubscribe("telegram", 1)
    await store.deactivate("telegram", 2, "403 Forbidden: bot was blocked by the user")
    assert await store.due(datetime(2026, 3, 20, 12, 0, tzinfo=UTC)) == []


async def test_subscribing_after_todays_slot_starts_tomorrow(store: AsyncStore, clock) -> None:
    clock.now = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)  # 18:00 HKT
    await store.subscribe("telegram", 1, "08:00", "Asia/Hong_Kong")
    await store.subscribe("telegram", 2, "20:00", "Asia/Hong_Kong")
    assert await store.due(clock.now) == []
    assert await _due_keys(store, datetime(2026, 3, 20, 12, 0, tzinfo=UTC)) == [
        ("2", date(2026, 3, 20))
    ]
    assert await _due_keys(store, datetime(2026, 3, 21, 0, 0, tzinfo=UTC)) == [
        ("1", date(2026, 3, 21))
    ]
    tomorrow_evening = datetime(2026, 3, 21, 12, 0, tzinfo=UTC)
    assert [c for c, _ in await _due_keys(store, tomorrow_evening)] == ["1", "2"]


async def test_resubscribing_with_a_later_time_the_same_day_is_due_today(
    store: AsyncStore, clock
) -> None:
    clock.now = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
    await store.subscribe("telegram", 1, "06:00", "UTC")
    assert await store.due(clock.now) == []
    await store.subscribe("telegram", 1, "07:30", "UTC")
    assert await _due_keys(store, datetime(2026, 3, 20, 7, 30, tzinfo=UTC)) == [
        ("1", date(2026, 3, 20))
    ]


async def test_spring_forward_gap_is_due_at_the_first_minute_after_it(store: AsyncStore) -> None:
    # 2026-03-08 02:00 EST jumps to 03:00 EDT, so 02:30 never happens on the wall clock.
    await store.subscribe("telegram", 1, "02:30", "America/New_York")
    assert await store.due(datetime(2026, 3, 8, 6, 59, tzinfo=UTC)) == []  # 01:59 EST
    assert await _due_keys(store, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)) == [
        ("1", date(2026, 3, 8))
    ]


async def test_repeated_autumn_hour_delivers_once(store: AsyncStore) -> None:
    # 2026-11-01 01:00-02:00 happens twice in New York (EDT, then EST).
    await store.subscribe("telegram", 1, "01:30", "America/New_York")
    assert await store.due(datetime(2026, 11, 1, 5, 29, tzinfo=UTC)) == []
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    [due] = await store.due(first)
    assert await store.claim("telegram", 1, due.report_date, "w")
    assert await store.mark_sent("telegram", 1, due.report_date, "w")
    assert await store.due(datetime(2026, 11, 1, 6, 30, tzinfo=UTC)) == []  # 01:30 EST


async def test_due_rejects_naive_datetimes(store: AsyncStore) -> None:
    with pytest.raises(ValueError, match="aware"):
        await store.due(datetime(2026, 3, 20, 0, 0))

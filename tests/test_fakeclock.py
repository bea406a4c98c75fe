"""The fake clock itself: sleepers wake in order at exact virtual times."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakeclock import DEFAULT_START, FakeClock

pytestmark = pytest.mark.asyncio


async def test_gather_wakes_sleepers_in_wake_order_at_their_exact_times() -> None:
    clock = FakeClock()
    woke: list[tuple[str, float]] = []

    async def nap(name: str, seconds: float) -> str:
        await clock.sleep(seconds)
        woke.append((name, clock.monotonic()))
        return name

    names = await clock.gather(nap("late", 3.0), nap("early", 0.5), nap("tie", 0.5))
    assert names == ["late", "early", "tie"]
    assert woke == [("early", 0.5), ("tie", 0.5), ("late", 3.0)]
    assert clock.now_utc() == DEFAULT_START + timedelta(seconds=3)


async def test_undriven_sleeps_move_time_one_after_another() -> None:
    clock = FakeClock()
    await clock.sleep(1.5)
    await clock.sleep(0)
    await clock.sleep(2.0)
    assert (clock.waits, clock.monotonic()) == ([1.5, 0, 2.0], 3.5)


def test_setting_the_wall_time_keeps_monotonic_time() -> None:
    clock = FakeClock()
    clock.advance(5.0)
    clock.now = DEFAULT_START + timedelta(days=1)
    assert clock.monotonic() == 5.0
    assert clock.now_utc() == DEFAULT_START + timedelta(days=1)

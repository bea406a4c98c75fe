"""The fake clock itself: sleepers wake in order at exact virtual times."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.fakeclock import DEFAULT_START, FakeClock

pytestmark = pytest.mark.asyncio


async def test_run_wakes_sleepers_in_wake_order_at_their_exact_times() -> None:
    clock = FakeClock()
    woke: list[tuple[str, float]] = []

    async def nap(name: str, seconds: float) -> str:
        await clock.sleep(seconds)
        woke.append((name, clock.monotonic()))
        return name

    assert await clock.run(nap("late", 3.0), nap("early", 0.5), nap("tie", 0.5)) == [
        "late",
        "early",
        "tie",
    ]
    assert woke == [("early", 0.5), ("tie", 0.5), ("late", 3.0)]
    assert clock.now_utc() == DEFAULT_START + timedelta(seconds=3)


async def test_advance_wakes_only_the_sleepers_due() -> None:
    clock = FakeClock()
    short = asyncio.ensure_future(clock.sleep(1.0))
    long = asyncio.ensure_future(clock.sleep(10.0))
    await asyncio.sleep(0)
    clock.advance(timedelta(seconds=2))
    await short
    assert not long.done() and clock.sleeping == 1
    long.cancel()
    with pytest.raises(asyncio.CancelledError):
        await long
    assert clock.sleeping == 0


def test_setting_the_wall_time_keeps_monotonic_time() -> None:
    clock = FakeClock()
    clock.advance(5.0)
    clock.now = DEFAULT_START + timedelta(days=1)
    assert clock.monotonic() == 5.0
    assert clock.now_utc() == DEFAULT_START + timedelta(days=1)

"""Stopping the Discord client: the stop waits for the gateway task and can itself be cancelled."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord.app import RunningDiscord, stop_discord

pytestmark = pytest.mark.asyncio


class _Bot:
    closed = False

    async def close(self) -> None:
        self.closed = True


async def test_a_stop_waiting_for_a_slow_gateway_task_can_be_cancelled() -> None:
    ended = asyncio.Event()

    async def gateway() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await ended.wait()  # a connection slow to close

    running = RunningDiscord(_Bot(), asyncio.create_task(gateway()))  # type: ignore[arg-type]
    stopping = asyncio.create_task(stop_discord(running))
    async with asyncio.timeout(30):  # bounds a hang only
        while not running.task.cancelling():
            await asyncio.sleep(0)
    stopping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(stopping), 30)  # bounds a hang only
    ended.set()
    await asyncio.wait({running.task})
    assert running.bot.closed


async def test_a_stop_returns_once_the_gateway_task_ended_however_it_ended() -> None:
    async def gateway() -> None:
        raise RuntimeError("the gateway closed: 4004 authentication failed")

    task = asyncio.create_task(gateway())
    await asyncio.wait({task})
    task.exception()  # heard (the runner's callback logs it)
    running = RunningDiscord(_Bot(), task)  # type: ignore[arg-type]
    await asyncio.wait_for(stop_discord(running), 30)
    assert running.bot.closed

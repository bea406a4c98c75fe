"""A sender that holds one part at a gate: a slow send in flight, for stop and lease tests."""

from __future__ import annotations

import asyncio


class GatedSender:
    """Pass parts through; the ``hold``-th part waits at a gate (a slow send in flight)."""

    def __init__(self, inner, hold: int) -> None:
        self.inner, self.hold, self.count = inner, hold, 0
        self.holding, self.gate = asyncio.Event(), asyncio.Event()

    async def send_part(self, chat_id, part, **menu) -> None:
        """Send the part (with the sender's menu options), first waiting at the gate if held."""
        self.count += 1
        if self.count == self.hold:
            self.holding.set()
            await self.gate.wait()
        await self.inner.send_part(chat_id, part, **menu)

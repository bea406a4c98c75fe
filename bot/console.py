"""``marketbot console``: a terminal chat with the bot's commands, no token needed.

The same command parsing, report cache, rate limiter, store and wording as the Telegram
bot; answers are printed as plain text. Subscriptions go to an in-memory store.
"""

from __future__ import annotations

import asyncio
import html
import re
import shlex
from collections.abc import Iterable
from typing import TextIO

from bot.commands import (
    DivergenceRequest,
    ReportRequest,
    SubscribeRequest,
    parse_command,
)
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, SnapshotSource, demo_source
from bot.store import AsyncStore, Store
from bot.telegram import messages
from core.errors import ReportError, UserInputError
from renderers.parts import TextPart
from renderers.text import render_text

PLATFORM = "telegram"  # subscriptions made here behave like a private Telegram chat's
CHAT_ID = "console"
PROMPT = "you> "
_TAG = re.compile(r"</?[a-z-]+[^>]*>")


def plain(text: str) -> str:
    """Return Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


def _text_renderer(report, *, with_images: bool = True, charts=()):
    return [TextPart(render_text(report))]


class Console:
    """Answer one typed line at a time, as the bot would in a private chat."""

    def __init__(self, source: SnapshotSource, store: AsyncStore) -> None:
        self.reports = ReportCache(source, renderers={"text": _text_renderer})
        self.store = store
        self.limiter = RateLimiter()

    async def answer(self, line: str) -> str:
        """Return the reply to one line (a /command with arguments)."""
        line = line.strip()
        if not line:
            return ""
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        command = words[0].removeprefix("/").split("@")[0].casefold()
        try:
            self.limiter.check(CHAT_ID)
            try:
                request = parse_command(command, words[1:], self.reports.registry)
            except KeyError:
                return f"unknown command {words[0]!r}; try /help"
            return await self._run(command, request)
        except UserInputError as exc:
            return plain(messages.user_error(exc))
        except ReportError as exc:
            return plain(messages.report_failed(exc))

    async def _run(self, command: str, request) -> str:
        if command == "start":
            return plain(messages.start())
        if command == "help":
            return plain(messages.help_text())
        if isinstance(request, ReportRequest):
            return await self._text(self.reports.parts("text", request.sections))
        if isinstance(request, DivergenceRequest):
            return await self._text(self.reports.divergence_parts("text", request))
        if command == "sources":
            return await self._text(self.reports.sources_parts("text"))
        if isinstance(request, SubscribeRequest):
            sub = await self.store.subscribe(
                PLATFORM,
                CHAT_ID,
                request.delivery_time,
                request.timezone,
                request.sections,
                created_by=CHAT_ID,
            )
            return plain(messages.subscribed(sub))
        if command == "unsubscribe":
            return plain(messages.unsubscribed(await self.store.unsubscribe(PLATFORM, CHAT_ID)))
        sub = await self.store.subscription(PLATFORM, CHAT_ID)
        return plain(messages.subscription_status(sub))

    @staticmethod
    async def _text(parts) -> str:
        return "\n".join(p.text for p in await parts if isinstance(p, TextPart)).rstrip()


async def chat(lines: Iterable[str], out: TextIO, *, source: SnapshotSource) -> None:
    """Answer every line of ``lines`` on ``out``."""
    store = AsyncStore(Store("sqlite://"))
    console = Console(source, store)
    try:
        for line in lines:
            reply = await console.answer(line)
            if reply:
                out.write(reply + "\n")
                out.flush()
    finally:
        await store.close()


def _prompted(stdin: TextIO, out: TextIO, interactive: bool) -> Iterable[str]:
    while True:
        if interactive:
            out.write(PROMPT)
            out.flush()
        line = stdin.readline()
        if not line:
            return
        yield line


def run_console(stdin: TextIO, out: TextIO, *, demo: bool, interactive: bool) -> int:
    """Run the console until end of input; return the exit code."""
    if demo:
        source = demo_source()
    else:
        from bot.runner import live_source

        source = live_source()
    if interactive:
        out.write("marketbot console — type /help, Ctrl-D to leave.\n")
    asyncio.run(chat(_prompted(stdin, out, interactive), out, source=source))
    return 0

"""``marketbot console``: a terminal chat with the bot's commands, no token needed.

The third adapter of the command layer (after Telegram and Discord): the same commands,
report cache, rate limiter and wording, printed as plain text. Subscriptions go to an
in-memory store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TextIO

from bot.commands import CommandContext, Reply, Services, run_command
from bot.commands.parse import split_args
from bot.commands.style import Style
from bot.report_cache import ReportCache, SnapshotSource, demo_source
from bot.store import AsyncStore
from core.demo import demo_history_store
from core.history import HistoryStore
from renderers.parts import TextPart
from renderers.text import render_text

PLATFORM = "telegram"  # subscriptions made here behave like a private Telegram chat's
CHAT_ID = "console"
PROMPT = "you> "
PLAIN = Style()  # the sentences with no markup at all


def _text_renderer(report, *, with_images: bool = True, charts=(), digest: bool = False):
    return [TextPart(render_text(report))]


def command_words(line: str) -> tuple[str, list[str]]:
    """Return the command name of a typed line (``/name@bot`` or ``name``) and its words."""
    words = split_args(line)
    return words[0].removeprefix("/").split("@")[0].casefold(), words[1:]


def as_text(reply: Reply) -> str:
    """Return a reply as terminal text: the report parts' texts, then the answer's."""
    texts = [p.text for p in reply.parts if isinstance(p, TextPart)]
    return "\n".join([*texts, reply.text] if reply.text else texts).rstrip()


class Console:
    """Answer one typed line at a time, as the bot would in a private chat."""

    def __init__(
        self, source: SnapshotSource, store: AsyncStore, history: HistoryStore | None = None
    ) -> None:
        reports = ReportCache(source, history=history, renderers={"text": _text_renderer})
        self.context = CommandContext(
            Services(reports, store), PLATFORM, CHAT_ID, CHAT_ID, PLAIN, render_as="text"
        )

    async def answer(self, line: str) -> str:
        """Return the reply to one line (a /command with arguments)."""
        line = line.strip()
        if not line:
            return ""
        name, words = command_words(line)
        return as_text(await run_command(self.context, name, words))


async def chat(
    lines: Iterable[str],
    out: TextIO,
    *,
    source: SnapshotSource,
    history: HistoryStore | None = None,
) -> None:
    """Answer every line of ``lines`` on ``out``; ``history`` ranks spreads and draws charts."""
    store = await AsyncStore.open("sqlite://")
    console = Console(source, store, history)
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
    history = None
    if demo:
        source, history = demo_source(), demo_history_store()
    else:
        from bot.runner import live_source

        source = live_source()
    if interactive:
        out.write("marketbot console — type /help, Ctrl-D to leave.\n")
    asyncio.run(chat(_prompted(stdin, out, interactive), out, source=source, history=history))
    return 0

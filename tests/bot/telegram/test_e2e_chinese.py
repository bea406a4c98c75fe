"""A chat set to Chinese gets every reply in Chinese: no English sentence, whatever it typed."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from bot.commands import DivergenceRequest
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache
from bot.telegram.app import bot_context
from core.i18n import Language
from tests.bot.telegram.conftest import START
from tests.english import english_runs
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

CHAT = 3003


def plain(text: str) -> str:
    """Return a Telegram HTML text as the reader sees it."""
    return html.unescape(re.sub(r"</?[a-z]+[^>]*>", "", text))


COMMANDS = [
    "/start",
    "/help",
    "/section flwos",
    "/market JP",
    "/divergence HSTECH HSTECH",
    "/divergence HSTEC NASDAQ",
    "/divergence HSI",
    "/divergence HSI SPX 4",
    "/subscribe 08:00 Mars/Olympus",
    "/subscribe 08:00 EST",
    "/subscribe 25:00",
    "/subscribe 8am 9am",
    "/subscribe 08:00 Asia/Hong_Kong hk",
    "/subscriptions",
    "/unsubscribe",
    "/sources now",
    "/divergence HSTECH",
    "/language",
    "/language fr",
    "/frobnicate",
]


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_chinese_chat_gets_no_english_sentence(bot, command: str) -> None:
    await bot.store.set_language("telegram", CHAT, Language.ZH)
    bot.api.command(CHAT, command)
    await bot.api.wait_for(lambda: bot.api.sent_to(CHAT))
    texts = [plain(t) for t in bot.api.texts_to(CHAT)]
    assert texts and any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert [run for t in texts for run in english_runs(t)] == []


# Report content, whose words come from the analysis and the renderers (table images' titles
# and footers included): no English run is left in any answer.
CONTENT = ("/report", "/section hk", "/market crypto", "/sources", "/divergence HSTECH NASDAQ")


async def _parts(reports: ReportCache, command: str) -> list:
    name, *words = command.removeprefix("/").split()
    if name == "sources":
        return await reports.sources_parts("telegram", language=Language.ZH)
    if name == "divergence":
        request = DivergenceRequest(*words)
        return await reports.divergence_parts("telegram", request, language=Language.ZH)
    return await reports.parts("telegram", tuple(words), language=Language.ZH)


@pytest.mark.parametrize("command", CONTENT)
async def test_a_chinese_chats_report_has_no_english_run(bot, command) -> None:
    await bot.store.set_language("telegram", CHAT, Language.ZH)
    expected = len(await _parts(bot.reports, command))
    bot.api.command(CHAT, command)
    await bot.api.wait_for(lambda: len(bot.api.sent_to(CHAT)) == expected)
    texts = [plain(t) for t in bot.api.texts_to(CHAT)]
    assert [run for t in texts for run in english_runs(t)] == []


async def test_a_rate_limited_chinese_chat_is_told_in_chinese(bot) -> None:
    await bot.store.set_language("telegram", CHAT, Language.ZH)
    context = bot_context(bot.app)
    # A budget of one unit that never refills (a still clock), spent before the command.
    limiter = RateLimiter(burst=1, per_minute=1, clock=FakeClock(START))
    context.services = replace(context.services, limiter=limiter)
    limiter.charge(CHAT, CHAT, 1)
    bot.api.command(CHAT, "/sources")  # charged on every ask: its freshness is live
    await bot.api.wait_for(lambda: bot.api.sent_to(CHAT))
    (reply,) = bot.api.texts_to(CHAT)
    assert reply.startswith("⏳ 命令发送过于频繁") and english_runs(plain(reply)) == []


async def test_an_expired_button_is_answered_in_the_chats_language(bot) -> None:
    await bot.store.set_language("telegram", CHAT, Language.ZH)
    bot.api.press(CHAT, CHAT, "frobnicate:1")
    await bot.api.wait_for(lambda: bot.api.toasts)
    assert bot.api.toasts == ["该按钮已失效，请发送 /report 获取新的按钮。"]


async def test_a_chinese_client_in_a_private_chat_is_answered_in_chinese(bot) -> None:
    bot.api.command(CHAT, "/divergence HSTEC NASDAQ", language_code="zh-hans")
    await bot.api.wait_for(lambda: bot.api.sent_to(CHAT))
    (reply,) = bot.api.texts_to(CHAT)
    assert "未知标的 'HSTEC'" in reply and "用法" in reply

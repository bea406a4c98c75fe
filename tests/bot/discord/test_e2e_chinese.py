"""A channel set to Chinese gets every reply in Chinese: no English sentence, whatever it sent."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from discord import Permissions

from bot.discord.app import stop_discord
from bot.ratelimit import RateLimiter
from core.i18n import Language
from tests.bot.discord.conftest import (
    CHANNEL_ID,
    MANAGER,
    MEMBER_ID,
    START,
    interaction,
    open_bot,
)
from tests.english import english_runs
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio


def plain(content: str) -> str:
    """Return Discord Markdown as the reader sees it."""
    return re.sub(r"[`*_\\]", "", content)


REPLIES: list[tuple[str, dict[str, Any], Permissions | None]] = [
    ("help", {}, None),
    ("report", {"section": "flwos"}, None),
    ("market", {"market": "JP"}, None),  # not one of the choices: refused before the layer
    ("divergence", {"a": "HSTECH", "b": "hstech"}, None),
    ("divergence", {"a": "HSTEC", "b": "NASDAQ"}, None),
    ("subscribe", {"timezone": "Mars/Olympus"}, MANAGER),
    ("subscribe", {"time": "08:00", "timezone": "EST"}, MANAGER),
    ("subscribe", {"time": "25:00"}, MANAGER),
    ("subscribe", {"sections": "hk nope"}, MANAGER),
    ("subscribe", {"time": "08:00", "timezone": "Asia/Hong_Kong", "sections": "hk"}, MANAGER),
    ("subscribe", {}, None),  # a member without Manage Channels
    ("subscriptions", {}, None),
    ("unsubscribe", {}, MANAGER),
    ("language", {}, None),
    ("language", {"language": "fr"}, MANAGER),  # not one of the choices
    ("frobnicate", {}, None),  # a command deleted since the client synced
]


async def _reply(bot, name: str, options: dict, permissions: Permissions | None) -> str:
    payload = interaction(name, options, permissions=permissions or Permissions.none())
    await bot.api.interact(payload)
    await bot.api.wait_for(
        lambda: bot.api.callback(payload["id"]) or bot.api.answers(payload["token"])
    )
    callback = bot.api.callback(payload["id"]) or {}
    if callback.get("type") == 4:
        return callback["data"]["content"]
    await bot.api.wait_for(lambda: bot.api.answers(payload["token"]))
    return "\n".join(m.body.get("content") or "" for m in bot.api.answers(payload["token"]))


@pytest.mark.parametrize(
    ("name", "options", "permissions"), REPLIES, ids=[f"{n}-{o}" for n, o, _ in REPLIES]
)
async def test_a_chinese_channel_gets_no_english_sentence(bot, name, options, permissions) -> None:
    await bot.store.set_language("discord", CHANNEL_ID, Language.ZH)
    text = plain(await _reply(bot, name, options, permissions))
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert english_runs(text) == []


async def test_a_rate_limited_member_is_told_in_chinese(bot) -> None:
    await bot.store.set_language("discord", CHANNEL_ID, Language.ZH)
    # A budget of one unit that never refills (a still clock), spent before the command.
    limiter = RateLimiter(burst=1, per_minute=1, clock=FakeClock(START))
    bot.client.services = replace(bot.client.services, limiter=limiter)
    limiter.charge(MEMBER_ID, CHANNEL_ID, 1)
    text = await _reply(bot, "sources", {}, None)  # charged on every ask: freshness is live
    assert text.startswith("⏳ 命令发送过于频繁") and english_runs(plain(text)) == []


async def test_a_chinese_clients_choices_are_in_chinese(bot) -> None:
    payload = interaction("report", {"section": "hk"}, focused="section")
    payload["locale"] = "zh-CN"  # menus follow the member's client, like the commands' names
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.callback(payload["id"]))
    choices = bot.api.callback(payload["id"])["data"]["choices"]
    assert choices[0] == {"name": "hk — 港股", "value": "hk"}


async def test_a_bug_is_told_in_the_channels_language(api, db_url) -> None:
    async def failing(now_utc):
        raise ZeroDivisionError("a bug, not a ReportError")

    bot = await open_bot(api, db_url, source=failing)
    try:
        await bot.store.set_language("discord", CHANNEL_ID, Language.ZH)
        text = await _reply(bot, "report", {}, None)
    finally:
        await stop_discord(bot.running)
        await bot.store.close()
    assert text == "系统内部出错，请稍后再试。"


async def test_the_channel_is_named_inside_the_chinese_sentence(bot) -> None:
    await bot.store.set_language("discord", CHANNEL_ID, Language.ZH)
    options = {"time": "08:00", "timezone": "Asia/Hong_Kong"}
    text = await _reply(bot, "subscribe", options, MANAGER)
    assert text.startswith(f"✅ 每日简报（<#{CHANNEL_ID}>）已设定：08:00")

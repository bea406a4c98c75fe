"""Slash commands end to end: gateway INTERACTION_CREATE → the real tree and cogs → fake REST."""

from __future__ import annotations

import pytest

from bot.commands import UnknownCommand
from bot.commands.style import Style
from bot.commands.wording import unknown_command
from bot.discord.style import DISCORD_STYLE
from tests.bot.discord.conftest import MANAGER, interaction

pytestmark = pytest.mark.asyncio


async def test_divergence_answers_with_an_embed_and_a_chart(bot) -> None:
    api = bot.api
    payload = interaction("divergence", {"a": "HSTECH", "b": "NASDAQ"})
    await api.interact(payload)
    await api.wait_for(lambda: any(m.files for m in api.answers(payload["token"])))
    assert api.callback(payload["id"])["type"] == 5  # deferred first
    answers = api.answers(payload["token"])
    embeds = [e for m in answers for e in m.embeds]
    assert any("HSTECH" in e.get("title", "") and "Nasdaq" in e["title"] for e in embeds)
    files = {name: data for m in answers for name, data in m.files.items()}
    assert any(data.startswith(b"\x89PNG") for data in files.values())
    referenced = {e["image"]["url"].removeprefix("attachment://") for e in embeds if "image" in e}
    assert referenced and referenced <= set(files)


async def test_report_section_is_deferred_then_followed_up(bot) -> None:
    api = bot.api
    payload = interaction("report", {"section": "港股"})
    await api.interact(payload)
    await api.wait_for(lambda: api.answers(payload["token"]))
    titles = [e.get("title", "") for m in api.answers(payload["token"]) for e in m.embeds]
    assert any("Hong Kong Market" in t for t in titles)
    assert not any("US Market" in t for t in titles)


async def test_unknown_instrument_is_an_ephemeral_error_with_suggestions(bot) -> None:
    api = bot.api
    payload = interaction("divergence", {"a": "HSTEC", "b": "NASDAQ"})
    await api.interact(payload)
    await api.wait_for(lambda: api.callback(payload["id"]))
    answer = api.callback(payload["id"])
    assert answer["type"] == 4 and answer["data"]["flags"] & 64
    assert "HSTECH" in answer["data"]["content"]
    assert not api.answers(payload["token"])


async def test_autocomplete_matches_chinese_aliases(bot) -> None:
    api = bot.api
    payload = interaction("divergence", {"a": "恒生", "b": ""}, focused="a")
    await api.interact(payload)
    await api.wait_for(lambda: api.callback(payload["id"]))
    answer = api.callback(payload["id"])
    assert answer["type"] == 8
    values = [c["value"] for c in answer["data"]["choices"]]
    assert {"HSI", "HSTECH"} <= set(values) and len(values) <= 25


async def test_member_without_manage_channels_is_refused(bot) -> None:
    api = bot.api
    payload = interaction("subscribe", {"time": "08:00", "timezone": "Asia/Hong_Kong"})
    await api.interact(payload)
    await api.wait_for(lambda: api.callback(payload["id"]))
    answer = api.callback(payload["id"])
    assert answer["data"]["flags"] & 64
    assert "Manage Channels" in answer["data"]["content"]
    assert await bot.store.subscriptions("discord") == []


async def test_manager_subscribes_the_channel(bot) -> None:
    api = bot.api
    payload = interaction(
        "subscribe",
        {"time": "08:00", "timezone": "asia/hong_kong", "sections": "hk cn"},
        permissions=MANAGER,
    )
    await api.interact(payload)
    await api.wait_for(lambda: api.callback(payload["id"]))
    assert "08:00 `Asia/Hong_Kong`" in api.callback(payload["id"])["data"]["content"]
    (sub,) = await bot.store.subscriptions("discord")
    assert (sub.chat_id, sub.timezone, sub.sections) == (
        payload["channel_id"],
        "Asia/Hong_Kong",
        ("hk", "cn"),
    )


async def test_report_is_one_message_the_digest_and_its_dashboard(bot) -> None:
    api = bot.api
    expected = await bot.reports.parts("discord")
    payload = interaction("report")
    await api.interact(payload)
    await api.wait_for(lambda: len(api.answers(payload["token"])) == len(expected))
    answers = api.answers(payload["token"])
    assert len(expected) == 1 and {f.filename for f in expected[0].files} == {"dashboard.png"}
    got = [[e.get("title") for e in m.embeds] for m in answers]
    assert got == [[e.get("title") for e in p.embeds] for p in expected]
    assert [set(m.files) for m in answers] == [{f.filename for f in p.files} for p in expected]
    assert all(len(m.embeds) <= 10 and len(m.files) <= 10 for m in answers)


async def _reply(bot, name: str, **kwargs) -> dict:
    payload = interaction(name, **kwargs)
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.callback(payload["id"]))
    return bot.api.callback(payload["id"])


async def test_subscriptions_unsubscribe_help_and_sources(bot) -> None:
    assert "no daily digest" in (await _reply(bot, "subscriptions"))["data"]["content"]
    await _reply(bot, "subscribe", options={"time": "21:30"}, permissions=MANAGER)
    status = (await _reply(bot, "subscriptions"))["data"]
    assert status["flags"] & 64 and "21:30 `UTC`" in status["content"]
    refused = (await _reply(bot, "unsubscribe"))["data"]
    assert refused["flags"] & 64 and (await bot.store.subscriptions("discord"))
    stopped = (await _reply(bot, "unsubscribe", permissions=MANAGER))["data"]
    assert "stopped" in stopped["content"] and not await bot.store.subscriptions("discord")
    help_text = (await _reply(bot, "help"))["data"]
    assert help_text["flags"] & 64 and "/divergence a b" in help_text["content"]
    payload = interaction("sources")
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.answers(payload["token"]))
    assert bot.api.answers(payload["token"])[0].embeds


async def test_a_stale_command_gets_the_same_unknown_command_answer(bot) -> None:
    # Discord only sends registered commands; one deleted since a client synced can still come.
    reply = await _reply(bot, "frobnicate")
    assert reply["type"] == 4 and reply["data"]["flags"] & 64
    plain = reply["data"]["content"].replace("`", "").replace("\\", "")
    style = Style(commands=DISCORD_STYLE.commands)
    assert plain == unknown_command(UnknownCommand("frobnicate"), style)

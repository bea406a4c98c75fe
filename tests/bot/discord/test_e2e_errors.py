"""Failures reach only the user who asked, as ephemeral messages, whatever the stage."""

from __future__ import annotations

import pytest

from bot.discord.app import stop_discord
from core.errors import SourceUnavailable
from core.i18n import Language
from tests.bot.discord.conftest import CHANNEL_ID, MANAGER, interaction, open_bot

pytestmark = pytest.mark.asyncio


async def test_a_report_failing_after_the_defer_is_told_ephemerally(api, db_url) -> None:
    async def failing(now_utc):
        raise SourceUnavailable("yahoo", "HTTP 503")

    bot = await open_bot(api, db_url, source=failing)
    try:
        payload = interaction("report")
        await api.interact(payload)
        await api.wait_for(lambda: api.answers(payload["token"]))
    finally:
        await stop_discord(bot.running)
        await bot.store.close()
    assert api.callback(payload["id"])["type"] == 5
    # The public "thinking…" message is removed so the error is not shown to the channel.
    assert api.deleted_originals == [payload["token"]]
    (answer,) = api.answers(payload["token"])
    assert answer.ephemeral and "not available" in answer.body["content"]
    assert "503" in answer.body["content"]


@pytest.mark.parametrize(
    ("language", "right"), [(Language.EN, "**Attach Files**"), (Language.ZH, "**附加文件**")]
)
async def test_bot_without_attach_files_says_what_is_missing(bot, language, right) -> None:
    from discord import Permissions

    # Named as the channel's readers see it in their Discord settings.
    await bot.store.set_language("discord", CHANNEL_ID, language)
    payload = interaction(
        "subscribe",
        permissions=MANAGER,
        app_permissions=Permissions(view_channel=True, send_messages=True, embed_links=True),
    )
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.callback(payload["id"]))
    answer = bot.api.callback(payload["id"])["data"]
    assert answer["flags"] & 64 and right in answer["content"]
    assert "Send Messages" not in answer["content"]
    assert await bot.store.subscriptions("discord") == []


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"a": "HSTECH", "b": "FOO"}, "unknown instrument 'FOO'"),
        ({"time": "25:00"}, "hours run 00-23"),
        ({"timezone": "Asia/Hongkong_x"}, "Asia/Hong_Kong"),
        ({"sections": "hk nope"}, "unknown section 'nope'"),
    ],
)
async def test_bad_options_get_the_reason_and_usage(bot, options, expected) -> None:
    name = "divergence" if "a" in options else "subscribe"
    payload = interaction(name, options, permissions=MANAGER)
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.callback(payload["id"]))
    answer = bot.api.callback(payload["id"])["data"]
    assert answer["flags"] & 64
    assert expected in answer["content"].replace("\\", "")
    assert f"Usage: `/{name}" in answer["content"]


async def test_commands_are_synced_globally_and_to_the_test_guild(bot) -> None:
    names = {
        "report",
        "market",
        "divergence",
        "subscribe",
        "unsubscribe",
        "subscriptions",
        "language",
    }
    names |= {"sources", "help"}
    for scope in ("global", str(bot.client.guild_id)):
        synced = {c["name"]: c for c in bot.api.synced[scope]}
        assert set(synced) == names
        options = {o["name"]: o for o in synced["divergence"]["options"]}
        assert options["a"]["autocomplete"] and options["b"]["autocomplete"]
        assert (options["days"]["min_value"], options["days"]["max_value"]) == (5, 250)
        assert all(len(c["description"]) <= 100 for c in synced.values())
        # zh-CN clients see every command and option described in Chinese, names too.
        assert synced["report"]["name_localizations"] == {"zh-CN": "日报"}
        assert all(c["description_localizations"]["zh-CN"] for c in synced.values())
        assert all(
            len(d) <= 100 for c in synced.values() for d in c["description_localizations"].values()
        )
        assert all(o["description_localizations"]["zh-CN"] for o in options.values())

"""Scheduled digests to channels by id: once each, 429s ridden out, gone channels deactivated."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.commands import wording
from bot.delivery import BLOCKED
from bot.discord.menu import MENU_ID
from bot.store import DeliveryStatus
from core.errors import PartRejected
from core.i18n import Language
from renderers.parts import DiscordMessage
from tests.bot.discord.conftest import choice

pytestmark = pytest.mark.asyncio

A, B, C = "1600000000000000001", "1600000000000000002", "1600000000000000003"


async def _subscribe(bot, *channels: str, sections=("hk",)) -> None:
    for channel in channels:
        await bot.store.subscribe("discord", channel, "08:00", "Asia/Hong_Kong", sections)


async def test_digest_reaches_two_channels_once_each_in_order(bot) -> None:
    await _subscribe(bot, A, B, sections=())
    expected = await bot.reports.parts("discord")
    assert len(expected) == 1  # the digest: one message with its dashboard
    broadcaster = bot.broadcaster()
    assert (await broadcaster.tick())["sent"] == 0  # 07:00 in Hong Kong: not yet
    bot.clock.advance(timedelta(hours=1, minutes=1))
    assert (await broadcaster.tick())["sent"] == 2
    assert (await bot.broadcaster("worker-2").tick())["sent"] == 0  # a second process
    bot.clock.advance(timedelta(minutes=30))
    assert (await broadcaster.tick())["sent"] == 0
    for channel in (A, B):
        sent = bot.api.sent_to(channel)
        assert len(sent) == len(expected)
        for message, part in zip(sent, expected, strict=True):
            assert len(message.embeds) == len(part.embeds)
            for got, want in zip(message.embeds, part.embeds, strict=True):
                # discord.py's Embed adds defaults (type, flags); every rendered field is kept.
                assert {k: got.get(k) for k in want} == want
        assert [set(m.files) for m in sent] == [{f.filename for f in p.files} for p in expected]
        assert all(m.body["allowed_mentions"] == {"parse": []} for m in sent)


async def test_a_429_with_via_and_retry_after_is_retried_by_discord_py(bot, caplog) -> None:
    await _subscribe(bot, A)
    bot.api.rate_limits[A] = 2
    bot.clock.advance(timedelta(hours=1, minutes=1))
    caplog.set_level(logging.WARNING, logger="discord.http")
    result = await bot.broadcaster().tick()
    assert result["sent"] == 1 and result["failed"] == 0
    assert bot.api.rate_limited[A] == 2
    assert len(bot.api.sent_to(A)) == len(await bot.reports.parts("discord", ("hk",)))
    assert "rate limited" in caplog.text


@pytest.mark.parametrize("gone", ["deleted_channels", "forbidden_channels"])
async def test_deleted_or_closed_channel_deactivates_only_its_subscription(bot, gone) -> None:
    await _subscribe(bot, A, C)
    getattr(bot.api, gone).add(C)
    bot.clock.advance(timedelta(hours=1, minutes=1))
    result = await bot.broadcaster().tick()
    assert (result["sent"], result["deactivated"]) == (1, 1)
    assert bot.api.sent_to(A) and not bot.api.sent_to(C)
    sub = await bot.store.subscription("discord", C)
    assert not sub.active and sub.deactivated_reason.startswith(BLOCKED)
    assert ("404" if gone == "deleted_channels" else "403") in sub.deactivated_reason
    delivery = await bot.store.delivery("discord", C, bot.clock.now.date())
    assert delivery.status == DeliveryStatus.FAILED
    assert (await bot.broadcaster().tick())["deactivated"] == 0


async def test_a_message_over_discords_limits_is_refused_and_its_text_form_fits(bot) -> None:
    sender = bot.broadcaster().senders["discord"]
    with pytest.raises(PartRejected) as refused:
        await sender.send_part(A, DiscordMessage(content="x" * 2001))
    assert refused.value.fallback is None
    big = DiscordMessage(embeds=({"title": "Table", "description": "y" * 6001},))
    with pytest.raises(PartRejected) as refused:
        await sender.send_part(A, big)
    fallback = refused.value.fallback
    assert isinstance(fallback, DiscordMessage) and len(fallback.content) == 2000
    await sender.send_part(A, fallback)
    fields = [{"name": f"f{n}", "value": "v"} for n in range(26)]
    with pytest.raises(PartRejected):
        await sender.send_part(A, DiscordMessage(embeds=({"title": "T", "fields": fields},)))
    assert [len(m.body.get("content", "")) for m in bot.api.sent_to(A)] == [2000]


async def test_a_scheduled_digest_carries_the_section_menu_and_a_choice_answers(bot) -> None:
    await bot.store.subscribe("discord", A, "08:00", "Asia/Hong_Kong", language=Language.ZH)
    await _subscribe(bot, B)  # a push of chosen sections: those sections, no menu
    # What the runner does after each fetch: every section in every language, ahead.
    await bot.reports.prebuild(["discord"], languages=tuple(Language))
    bot.clock.advance(timedelta(hours=1, minutes=1))
    assert (await bot.broadcaster().tick())["sent"] == 2
    (digest,) = bot.api.sent_to(A)
    (select,) = digest.selects
    assert select["custom_id"] == MENU_ID
    options = [(o["value"], o["label"]) for o in select["options"]]
    assert options == wording.section_labels(Language.ZH)  # in the channel's language
    assert all(not m.selects for m in bot.api.sent_to(B))

    renders = bot.reports.renders
    payload = choice(MENU_ID, ["hk"], digest.message, channel_id=int(A))
    await bot.api.interact(payload)
    await bot.api.wait_for(lambda: bot.api.answers(payload["token"]))
    titles = [e.get("title", "") for m in bot.api.answers(payload["token"]) for e in m.embeds]
    assert any("港股" in t for t in titles)
    assert bot.reports.renders == renders  # answered from the cache

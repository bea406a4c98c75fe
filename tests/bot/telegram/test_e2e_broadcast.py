"""The daily broadcast end to end: subscribe by command, advance the clock, count deliveries."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.commands import wording
from bot.delivery import BLOCKED
from bot.store import DeliveryStatus
from bot.telegram.app import bot_context
from bot.telegram.keyboard import SECTION_PREFIX
from core.i18n import Language
from renderers.parts import MediaGroupPart, PhotoPart
from tests.bot.store.conftest import clock, database  # noqa: F401  (fixtures)
from tests.bot.telegram.conftest import START, open_bot
from tests.bot.telegram.fake_api import too_many

pytestmark = pytest.mark.asyncio

GROUP, ADMIN, MEMBER = -100500, 2001, 2002
OTHER_GROUP = -100600
PRIVATE, SLOW, BLOCKED_CHAT = 3001, 3002, 3003
OLD_GROUP, NEW_GROUP = -4004, -1004004
BEFORE_SLOT = START  # 07:00 in Hong Kong on the 21st
AFTER_SLOT = START + timedelta(hours=1, minutes=1)  # 08:01 in Hong Kong


def _photo_count(parts) -> int:
    return sum(
        1 if isinstance(p, PhotoPart) else len(p.photos) if isinstance(p, MediaGroupPart) else 0
        for p in parts
    )


async def _subscribe_by_command(bot, chat_id: int, user_id: int, text: str) -> None:
    before = len(bot.api.sent_to(chat_id))
    bot.api.command(chat_id, text, user_id=user_id)
    await bot.api.wait_for(lambda: len(bot.api.sent_to(chat_id)) > before)


async def test_each_subscribed_chat_gets_the_digest_exactly_once(bot) -> None:
    api = bot.api
    api.chat(GROUP, "supergroup")
    api.chat(OTHER_GROUP, "supergroup")
    api.chat(OLD_GROUP, "group")
    for chat in (GROUP, OLD_GROUP):
        api.set_member(chat, ADMIN, "administrator")
    await _subscribe_by_command(bot, GROUP, ADMIN, "/subscribe 08:00 Asia/Hong_Kong")
    await _subscribe_by_command(bot, OTHER_GROUP, MEMBER, "/subscribe 08:00 Asia/Hong_Kong")
    await _subscribe_by_command(bot, OLD_GROUP, ADMIN, "/subscribe 08:00 Asia/Hong_Kong hk")
    for chat in (PRIVATE, SLOW, BLOCKED_CHAT):
        await _subscribe_by_command(bot, chat, chat, "/subscribe 08:00 Asia/Hong_Kong")
    api.sent.clear()

    api.block(BLOCKED_CHAT)
    api.fail(SLOW, too_many(1), too_many(1))
    api.migrate(OLD_GROUP, NEW_GROUP)
    broadcaster = bot.broadcaster()

    assert (await broadcaster.tick(BEFORE_SLOT))["sent"] == 0
    assert api.sent == []

    result = await broadcaster.tick(AFTER_SLOT)
    assert (result["sent"], result["deactivated"], result["migrated"]) == (4, 1, 1)

    full = await bot.reports.parts("telegram")
    hk = await bot.reports.parts("telegram", ("hk",))
    for chat in (GROUP, PRIVATE, SLOW):
        assert len(api.sent_to(chat)) == len(full), chat
        assert api.sent_to(chat)[0].text.startswith("⚠️ <b>SAMPLE DATA")
    assert len(api.sent_to(NEW_GROUP)) == len(hk)
    assert api.sent_to(OLD_GROUP) == api.sent_to(OTHER_GROUP) == api.sent_to(BLOCKED_CHAT) == []
    assert api.rejected.count(("sendMessage", SLOW, "Too Many Requests: retry after 1")) == 2
    assert api.rejected == [r for r in api.rejected if r[1] in (SLOW, BLOCKED_CHAT, OLD_GROUP)]

    # Every distinct image was uploaded once; every other send reused its file_id.
    distinct = {p.png for p in (*full, *hk) if isinstance(p, PhotoPart)} | {
        ph.png for p in (*full, *hk) if isinstance(p, MediaGroupPart) for ph in p.photos
    }
    assert sum(s.uploads for s in api.sent) == len(distinct)
    assert sum(len(s.file_ids) for s in api.sent) == 3 * _photo_count(full) + _photo_count(hk)

    blocked = await bot.store.subscription("telegram", BLOCKED_CHAT)
    assert not blocked.active and blocked.deactivated_reason.startswith(BLOCKED)
    assert (await bot.store.subscription("telegram", NEW_GROUP)).sections == ("hk",)
    assert await bot.store.subscription("telegram", OLD_GROUP) is None
    day = AFTER_SLOT.date()
    for chat in (GROUP, PRIVATE, SLOW, NEW_GROUP):
        assert (await bot.store.delivery("telegram", chat, day)).status is DeliveryStatus.SENT

    # Later ticks the same day send nothing more.
    count = len(api.sent)
    for minutes in (1, 30, 600):
        later = await broadcaster.tick(AFTER_SLOT + timedelta(minutes=minutes))
        assert later["sent"] == 0
    assert len(api.sent) == count


class _CrashingSender:
    """Pass sends through, but hang on one chat so the process can 'crash' mid-broadcast."""

    def __init__(self, inner, hang_on: int) -> None:
        self.inner, self.hang_on = inner, str(hang_on)
        self.hanging = asyncio.Event()

    async def send_part(self, chat_id, part, **menu) -> None:
        if str(chat_id) == self.hang_on:
            self.hanging.set()
            await asyncio.Event().wait()
        await self.inner.send_part(chat_id, part, **menu)


async def test_a_restart_mid_broadcast_delivers_the_rest_once(bot) -> None:
    chats = [5001, 5002, 5003, 5004]
    for chat in chats:
        await bot.store.subscribe("telegram", chat, "08:00", "Asia/Hong_Kong", ("us",))
    bot.api.sent.clear()
    sender = _CrashingSender(bot_context(bot.app).sender, hang_on=5003)
    first = bot.broadcaster("before-crash", concurrency=1)
    first.senders["telegram"] = sender
    task = asyncio.create_task(first.tick(AFTER_SLOT))
    await asyncio.wait_for(sender.hanging.wait(), 30)  # bounds a hang only
    task.cancel()  # the process dies holding 5003's claim
    with pytest.raises(asyncio.CancelledError):
        await task
    delivered = {s.chat_id for s in bot.api.sent}
    assert delivered == {5001, 5002}

    restarted = bot.broadcaster("after-restart")
    soon = await restarted.tick(AFTER_SLOT + timedelta(minutes=2))
    # 5004 goes out at once; 5003 waits until the dead worker's claim lease runs out.
    assert soon["sent"] == 1
    assert bot.api.sent_to(5003) == []
    bot.clock.advance(timedelta(minutes=11))
    late = await restarted.tick(AFTER_SLOT + timedelta(minutes=12))
    assert late["sent"] == 1
    per_chat = Counter(s.chat_id for s in bot.api.sent)
    parts = len(await bot.reports.parts("telegram", ("us",)))
    assert per_chat == dict.fromkeys(chats, parts)


async def test_two_processes_on_one_database_deliver_each_chat_once(
    api,
    database,  # noqa: F811
    clock,  # noqa: F811
) -> None:
    clock.now = START
    one = await open_bot(api, "sqlite://", clock)
    try:
        stores = [await database.store(clock=clock) for _ in range(2)]
        chats = list(range(7001, 7021))
        for chat in chats:
            await stores[0].subscribe("telegram", chat, "08:00", "Asia/Hong_Kong", ("hk",))
        workers = []
        for n, store in enumerate(stores):
            worker = one.broadcaster(f"process-{n}")
            worker.store = store
            workers.append(worker)
        results = await asyncio.gather(*(w.tick(AFTER_SLOT) for w in workers))
        assert sum(r["sent"] for r in results) == len(chats)
        assert sum(r["claimed_elsewhere"] for r in results) == len(chats)
        parts = len(await one.reports.parts("telegram", ("hk",)))
        assert Counter(s.chat_id for s in api.sent) == dict.fromkeys(chats, parts)
    finally:
        from bot.telegram.app import stop_application

        await stop_application(one.app)
        await one.store.close()


async def test_a_scheduled_digest_carries_the_section_buttons_and_a_press_answers(bot) -> None:
    zh_chat, en_chat, hk_only = 3101, 3102, 3103
    await bot.store.subscribe("telegram", zh_chat, "08:00", "Asia/Hong_Kong", language=Language.ZH)
    await bot.store.subscribe("telegram", en_chat, "08:00", "Asia/Hong_Kong")
    await bot.store.subscribe("telegram", hk_only, "08:00", "Asia/Hong_Kong", ("hk",))
    # What the runner does after each fetch: every section in every language, ahead.
    await bot.reports.prebuild(["telegram"], languages=tuple(Language))
    assert (await bot.broadcaster().tick(AFTER_SLOT))["sent"] == 3

    def buttons(chat: int) -> list[tuple[str, str]]:
        markups = [s.reply_markup for s in bot.api.sent_to(chat) if s.reply_markup]
        rows = [row for markup in markups for row in markup["inline_keyboard"]]
        return [(b["callback_data"], b["text"]) for row in rows for b in row]

    # The digest's text carries one button per section, labelled in the chat's language.
    for chat, language in ((zh_chat, Language.ZH), (en_chat, Language.EN)):
        text, photo = bot.api.sent_to(chat)
        assert text.reply_markup and not photo.reply_markup
        labels = wording.section_labels(language)
        assert buttons(chat) == [(f"{SECTION_PREFIX}{key}", label) for key, label in labels]
    assert buttons(hk_only) == []  # chosen sections, not the digest: no buttons

    renders = bot.reports.renders
    before = len(bot.api.sent_to(zh_chat))
    bot.api.press(zh_chat, zh_chat, f"{SECTION_PREFIX}hk")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(zh_chat)) > before)
    await bot.api.wait_for(lambda: bot.api.callback_answers)
    answer = "\n".join(bot.api.texts_to(zh_chat)[before:])
    assert "港股</u>" in answer and "美股</u>" not in answer  # that section's heading only
    assert bot.reports.renders == renders  # answered from the cache

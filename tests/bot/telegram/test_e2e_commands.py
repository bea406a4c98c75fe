"""Users' commands end to end: the real PTB Application against the fake Bot API."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from bot.commands import USAGE, UnknownCommand
from bot.commands.style import Style
from bot.commands.wording import describe, unknown_command
from bot.telegram.app import stop_application
from bot.telegram.pacing import PacedRateLimiter, Priority
from bot.telegram.style import TELEGRAM_STYLE
from core.i18n import Language
from tests.bot.telegram.conftest import START, open_bot
from tests.bot.telegram.fake_api import BOT_ID
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio

USER = 1001


async def test_start_registers_the_command_menu(bot) -> None:
    assert [c["command"] for c in bot.api.commands] == list(USAGE)
    # Chinese-language users get the same menu described from the Chinese catalog.
    chinese = TELEGRAM_STYLE.in_language(Language.ZH)
    assert bot.api.menus["zh"] == [
        {"command": name, "description": describe(name, chinese)} for name in USAGE
    ]


async def test_report_is_the_digest_with_its_buttons_and_the_dashboard(bot) -> None:
    bot.api.command(USER, "/report")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 2)
    text, photo = bot.api.sent_to(USER)
    assert [text.method, photo.method] == ["sendMessage", "sendPhoto"]
    assert text.text.startswith("⚠️ <b>SAMPLE DATA")
    buttons = [b["callback_data"] for row in text.reply_markup["inline_keyboard"] for b in row]
    assert "section:hk" in buttons
    assert bot.api.rejected == []


async def test_a_chinese_user_gets_the_chinese_digest_and_buttons(bot) -> None:
    bot.api.command(USER, "/report", language_code="zh-hans")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 2)
    text, _ = bot.api.sent_to(USER)
    assert "<b>跨市场情报日报 — 2026-03-23 (周一)</b>" in text.text
    labels = [b["text"] for row in text.reply_markup["inline_keyboard"] for b in row]
    assert "港股" in labels and "全球市场联动" in labels
    bot.api.command(USER, "/language en", language_code="zh-hans")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 3)
    assert "English" in bot.api.sent_to(USER)[-1].text  # the chat's choice beats the client's


async def test_a_prebuilt_report_is_answered_without_rendering(bot) -> None:
    await bot.reports.prebuild(["telegram"])
    renders = bot.reports.renders
    bot.api.command(USER, "/report")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 2)
    assert [s.method for s in bot.api.sent_to(USER)] == ["sendMessage", "sendPhoto"]
    assert bot.reports.renders == renders


async def test_section_button_sends_that_section(bot) -> None:
    bot.api.press(USER, USER, "section:hk")
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    await bot.api.wait_for(lambda: bot.api.callback_answers)
    text = "\n".join(bot.api.texts_to(USER))
    assert "Hong Kong Market" in text
    assert "US Market" not in text


async def test_divergence_pair_answers_with_spread_in_bps(bot) -> None:
    bot.api.command(USER, "/divergence HSTECH NASDAQ")
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    text = "\n".join(bot.api.texts_to(USER))
    assert "HSTECH vs Nasdaq" in text
    assert "-47 bps" in text


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        ('/divergence "S&P 500" HSTECH', "S&amp;P 500 vs HSTECH"),
        ("/divergence hang_seng S&P-500 30", "HSI vs S&amp;P 500"),
        ("/subscribe 8:30pm UTC+8 hk", "20:30 UTC+08:00, hk"),
        ("/subscribe 08:00 EST", "invalid time zone 'EST': ambiguous, use one of America/New_York"),
    ],
)
async def test_arguments_are_read_as_typed(bot, command, fragment) -> None:
    bot.api.command(USER, command)
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    assert fragment in "\n".join(bot.api.texts_to(USER))


async def test_divergence_unknown_names_get_usage_and_suggestions(bot) -> None:
    bot.api.command(USER, "/divergence HSTEC NASDAQ")
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    (reply,) = bot.api.texts_to(USER)
    assert "unknown instrument 'HSTEC'" in reply
    assert "<code>HSTECH</code>" in reply
    assert "Usage: <code>/divergence A B [DAYS]" in reply


async def test_divergence_foo_bar_says_unknown_with_usage(bot) -> None:
    bot.api.command(USER, "/divergence FOO BAR")
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    (reply,) = bot.api.texts_to(USER)
    assert "unknown instrument 'FOO'" in reply
    assert "Usage:" in reply


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/section hongkong", "Hong Kong Market"),
        ("/market crypto", "Crypto &amp; DeFi"),
        ("/section flwos", "Did you mean: <code>flows</code>"),
        ("/market JP", "unknown market 'JP'"),
        ("/sources", "Sources and freshness"),
        ("/help", "/subscribe [TIME] [TIMEZONE] [SECTION…]"),
        ("/subscribe 25:00", "invalid delivery time '25:00'"),
    ],
)
async def test_commands_answer(bot, command: str, expected: str) -> None:
    bot.api.command(USER, command)
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    assert expected in "\n".join(bot.api.texts_to(USER))
    assert bot.api.rejected == []


GROUP, ADMIN, MEMBER = -100500, 2001, 2002


async def test_group_admin_subscribes_and_non_admin_is_refused(bot) -> None:
    bot.api.chat(GROUP, "supergroup")
    bot.api.set_member(GROUP, ADMIN, "administrator")
    bot.api.command(GROUP, "/subscribe 08:00 Asia/Hong_Kong", user_id=MEMBER)
    await bot.api.wait_for(lambda: bot.api.sent_to(GROUP))
    assert "Only administrators can change this chat's" in bot.api.texts_to(GROUP)[0]
    assert await bot.store.subscription("telegram", GROUP) is None

    bot.api.command(GROUP, "/subscribe 08:00 Asia/Hong_Kong", user_id=ADMIN)
    await bot.api.wait_for(lambda: len(bot.api.sent_to(GROUP)) == 2)
    assert "08:00 Asia/Hong_Kong" in bot.api.texts_to(GROUP)[1]
    sub = await bot.store.subscription("telegram", GROUP)
    assert (sub.timezone, sub.created_by, sub.active) == ("Asia/Hong_Kong", str(ADMIN), True)
    assert (GROUP, MEMBER) in bot.api.member_queries


CHANNEL = -100900


@pytest.mark.parametrize(("bot_status", "subscribed"), [("administrator", True), ("member", False)])
async def test_channel_needs_the_bot_to_be_admin(bot, bot_status: str, subscribed: bool) -> None:
    bot.api.chat(CHANNEL, "channel")
    bot.api.set_member(CHANNEL, BOT_ID, bot_status)
    bot.api.command(CHANNEL, "/subscribe 07:30 Europe/London")
    await bot.api.wait_for(lambda: bot.api.sent_to(CHANNEL))
    reply = bot.api.texts_to(CHANNEL)[0]
    assert ("✅ Daily digest: 07:30 Europe/London" in reply) is subscribed
    assert ("missing <b>administrator rights" in reply) is not subscribed
    assert (await bot.store.subscription("telegram", CHANNEL) is not None) is subscribed


async def test_unsubscribe_and_subscriptions(bot) -> None:
    bot.api.command(USER, "/subscribe 21:30 America/New_York hk us")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 1)
    bot.api.command(USER, "/subscriptions")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 2)
    assert "21:30 America/New_York: hk, us" in bot.api.texts_to(USER)[1]
    bot.api.command(USER, "/unsubscribe")
    await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 3)
    assert "Daily digest stopped" in bot.api.texts_to(USER)[2]
    assert not (await bot.store.subscription("telegram", USER)).active


async def test_unknown_command_gets_the_same_answer_as_everywhere(bot) -> None:
    bot.api.command(USER, "/frobnicate now")
    bot.api.command(USER, "/report@some_other_bot")  # not ours: left alone
    await bot.api.wait_for(lambda: bot.api.sent_to(USER))
    (reply,) = bot.api.texts_to(USER)
    plain = html.unescape(re.sub(r"</?[a-z]+>", "", reply))
    assert plain == unknown_command(UnknownCommand("frobnicate"), Style())
    assert "<code>" not in reply and "/help" in reply


async def test_a_button_with_an_unknown_payload_is_acknowledged(bot) -> None:
    bot.api.press(USER, USER, "frobnicate:1")
    await bot.api.wait_for(lambda: bot.api.callback_answers)
    assert len(bot.api.callback_answers) == 1
    assert bot.api.sent_to(USER) == []


class _RecordingLimiter(PacedRateLimiter):
    """The bot's pacer on a clock of its own, noting the priority each send asked with."""

    def __init__(self) -> None:
        super().__init__(1000, group_max_rate=1000, group_time_period=1, clock=FakeClock())
        self.asked: list[tuple[str, object, Priority | None]] = []

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        self.asked.append((endpoint, data.get("chat_id"), rate_limit_args))
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


async def test_a_reply_asks_the_pacer_for_the_head_of_the_line_and_a_digest_does_not(
    api, db_url
) -> None:
    limiter = _RecordingLimiter()
    bot = await open_bot(api, db_url, FakeClock(START), rate_limiter=limiter)
    try:
        await bot.store.subscribe("telegram", 5001, "08:00", "Asia/Hong_Kong", ())
        bot.api.command(USER, "/report")
        await bot.api.wait_for(lambda: len(bot.api.sent_to(USER)) == 2)
        await bot.broadcaster().tick(START + timedelta(hours=1, minutes=1))
        sends = [(e, p) for e, chat, p in limiter.asked if e.startswith("send")]
        to_user = [(e, p) for e, chat, p in limiter.asked if chat == USER]
        to_subscriber = {p for e, chat, p in limiter.asked if chat == 5001}
    finally:
        await stop_application(bot.app)
        await bot.store.close()
    # The text the user waits for goes first in line; its picture follows in turn.
    assert to_user == [("sendMessage", Priority.REPLY), ("sendPhoto", Priority.FOLLOW_UP)]
    assert to_subscriber == {Priority.BROADCAST}
    assert len(sends) == 4

"""The command layer on its own: every command's reply kind, errors with their usage line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import pytest_asyncio

from bot.commands import USAGE, CommandContext, Reply, Services, run_command, wording
from bot.commands.style import Style
from bot.ratelimit import RateLimiter
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from core.errors import NotChatManager, SourceUnavailable
from core.i18n import Language
from renderers.parts import TextPart
from renderers.text import render_text
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
PLAIN = Style()


def _text(report, *, with_images: bool = True, charts=(), digest: bool = False):
    return [TextPart(render_text(report))]


@pytest_asyncio.fixture
async def services() -> AsyncIterator[Services]:
    """Yield the demo report cache (plain text renderer) and an in-memory store."""
    store = await AsyncStore.open("sqlite://")
    reports = ReportCache(demo_source(), renderers={"text": _text})
    yield Services(reports, store, RateLimiter(burst=100, per_minute=600))
    await store.close()


def context(services: Services, **kwargs) -> CommandContext:
    """Return a private chat's context on the "telegram" platform, rendered as text."""
    return CommandContext(services, "telegram", 42, 42, PLAIN, render_as="text", **kwargs)


@pytest.mark.parametrize(
    ("name", "words", "parts", "text", "ephemeral"),
    [
        ("start", [], False, "/report", False),
        ("help", [], False, "/divergence A B [DAYS]", True),
        ("report", [], True, "", False),
        ("report", ["hk"], True, "", False),
        ("section", ["flows"], True, "", False),
        ("market", ["CN"], True, "", False),
        ("divergence", ["HSTECH", "NASDAQ"], True, "", False),
        ("sources", [], True, "", False),
        ("subscribe", ["08:00", "Asia/Hong_Kong"], False, "08:00 Asia/Hong_Kong", False),
        ("unsubscribe", [], False, "no daily digest", False),
        ("subscriptions", [], False, "no daily digest", True),
    ],
)
async def test_each_command_replies_with_its_kind(
    services, name, words, parts, text, ephemeral
) -> None:
    reply = await run_command(context(services), name, words)
    assert not reply.error
    assert bool(reply.parts) is parts
    assert text in reply.text
    assert reply.ephemeral is ephemeral


@pytest.mark.parametrize(
    ("name", "args", "reason"),
    [
        ("section", [], "name one section"),
        ("market", ["JP"], "unknown market 'JP'"),
        ("divergence", ["HSTEC", "NASDAQ"], "unknown instrument 'HSTEC'"),
        ("divergence", {"a": "HSTECH", "b": "FOO"}, "unknown instrument 'FOO'"),
        ("subscribe", ["25:00"], "invalid delivery time '25:00'"),
        ("subscribe", {"time": "8 o'clock"}, 'invalid delivery time "8 o\'clock"'),
        ("subscribe", {"timezone": "EST"}, "invalid time zone 'EST': ambiguous"),
        ("subscribe", {"sections": "hk, nope"}, "unknown section 'nope'"),
        ("sources", ["now"], "takes no arguments"),
    ],
)
async def test_bad_arguments_reply_with_the_reason_and_usage(services, name, args, reason):
    reply = await run_command(context(services), name, args)
    assert reply == Reply(text=reply.text, error=True, ephemeral=True)
    first, usage = reply.text.split("\n")[0], reply.text.split("\n")[-1]
    assert reason in first
    assert usage == f"Usage: {Style().usage_line(name)}"


async def test_named_options_give_the_same_answer_as_words(services) -> None:
    by_words = await run_command(context(services), "subscribe", ["07:30", "UTC", "hk", "cn"])
    by_options = await run_command(
        context(services), "subscribe", {"time": "07:30", "timezone": "UTC", "sections": "hk cn"}
    )
    assert by_words == by_options and not by_words.error


async def test_an_unknown_command_lists_the_commands_and_suggests_one(services) -> None:
    reply = await run_command(context(services), "reprot", ["x"])
    assert reply.error and reply.ephemeral
    assert "unknown command '/reprot'; try /help" in reply.text
    assert "Did you mean: /report?" in reply.text
    assert all(f"/{name}" in reply.text for name in USAGE)


async def test_report_offers_section_buttons_only_where_there_are_buttons(services) -> None:
    plain = await run_command(context(services), "report", [])
    buttons = await run_command(context(services, buttons=True), "report", [])
    some = await run_command(context(services, buttons=True), "report", ["hk"])
    assert not plain.keyboard and plain.text == ""
    # The buttons ride on the digest's own text: no extra message to carry them.
    assert buttons.keyboard and buttons.parts == plain.parts and buttons.text == ""
    assert not some.keyboard


async def test_managing_commands_ask_the_adapter_and_slow_ones_defer(services) -> None:
    asked, deferred = [], []

    async def refuse(name: str) -> None:
        asked.append(name)
        raise NotChatManager()

    async def defer() -> None:
        deferred.append(True)

    ctx = context(services, may_manage=refuse, defer=defer)
    reply = await run_command(ctx, "subscribe", [])
    assert reply.error and "Only administrators can change this chat's" in reply.text
    assert await services.store.subscription("telegram", 42) is None
    assert (await run_command(ctx, "subscriptions", [])).error is False
    assert (asked, deferred) == (["subscribe"], [])
    await run_command(ctx, "market", ["HK"])
    assert deferred == [True]


async def test_a_report_that_cannot_be_built_is_an_error_reply(services) -> None:
    async def failing(now_utc):
        raise SourceUnavailable("yahoo", "HTTP 503")

    broken = Services(ReportCache(failing, renderers={"text": _text}), services.store)
    reply = await run_command(context(broken), "report", [])
    assert reply.error and "not available" in reply.text and "503" in reply.text


async def test_a_chat_that_chose_chinese_is_answered_in_chinese(services) -> None:
    chinese = PLAIN.in_language(Language.ZH)
    reply = await run_command(context(services), "language", ["zh"])
    assert reply.text == wording.language_set(chinese)
    assert (await services.store.subscription("telegram", 42)).language is Language.ZH
    status = await run_command(context(services), "subscriptions", [])
    assert status.text == wording.not_subscribed(chinese)
    sub = await services.store.subscription("telegram", 42)
    assert not sub.active  # choosing a language subscribes nothing
    await run_command(context(services), "subscribe", ["09:00"])
    assert (await services.store.subscription("telegram", 42)).language is Language.ZH


@pytest.mark.parametrize(
    ("locale", "default", "language"),
    [
        ("zh-hans", Language.EN, Language.ZH),  # a private chat follows its user's client
        ("en", Language.ZH, Language.EN),
        (None, Language.ZH, Language.ZH),  # groups and channels: the configured default
        (None, Language.EN, Language.EN),
    ],
)
async def test_a_chat_without_a_choice_reads_its_users_or_the_default_language(
    services, locale, default, language
) -> None:
    configured = replace(services, default_language=default)
    reply = await run_command(context(configured, locale=locale), "language", [])
    assert reply.text == wording.language_status(PLAIN.in_language(language))


async def test_only_managers_change_the_language_but_anyone_may_ask(services) -> None:
    asked = []

    async def refuse(name: str) -> None:
        asked.append(name)
        raise NotChatManager()

    ctx = context(services, may_manage=refuse)
    assert (await run_command(ctx, "language", [])).error is False
    refused = await run_command(ctx, "language", ["zh"])
    assert refused.error and asked == ["language"]
    assert await services.store.subscription("telegram", 42) is None
    bad = await run_command(context(services), "language", ["fr"])
    assert bad.error and Style().usage_line("language") in bad.text


async def test_only_work_is_charged(services) -> None:
    one = Services(
        services.reports, services.store, RateLimiter(burst=1, per_minute=1, clock=FakeClock())
    )
    ctx = context(one)
    assert not (await run_command(ctx, "report", [])).error  # built and rendered: charged
    assert not (await run_command(ctx, "report", [])).error  # cached: free
    for name, words in [("help", []), ("start", []), ("divergence", ["HSI", "HSI"])]:
        assert not (await run_command(ctx, name, words)).text.startswith("⏳")
    assert not (await run_command(ctx, "subscriptions", [])).error
    limited = await run_command(ctx, "divergence", ["HSI", "SPX"])  # a new chart: work
    assert limited.error and limited.text == "⏳ Too many commands. Try again in 60 s."


async def test_a_new_users_first_ten_commands_at_one_per_second_pass(services) -> None:
    clock = FakeClock()
    fresh = Services(services.reports, services.store, RateLimiter(clock=clock))
    commands = [
        ("start", []),
        ("help", []),
        ("report", []),
        ("divergence", ["HSTECH", "NASDAQ"]),
        ("market", ["HK"]),
        ("divergence", ["HSI", "SPX", "20"]),
        ("section", ["flows"]),
        ("divergence", ["DJIA", "NASDAQ"]),
        ("report", ["us", "cn"]),
        ("divergence", ["HSCEI", "HSI", "30"]),
    ]
    for name, words in commands:
        reply = await run_command(context(fresh), name, words)
        assert not reply.error, (name, reply.text)
        clock.advance(1.0)


async def test_a_busy_chat_is_limited_as_a_whole(services) -> None:
    tight = RateLimiter(burst=2, per_minute=1, chat_burst=3, chat_per_minute=1, clock=FakeClock())
    group = Services(services.reports, services.store, tight)

    def member(user_id: int) -> CommandContext:
        return CommandContext(group, "telegram", -100, user_id, PLAIN, render_as="text")

    pairs = [["HSI", "SPX"], ["DJIA", "SPX"], ["HSTECH", "SPX"], ["NASDAQ", "SPX"]]
    replies = [
        await run_command(member(u), "divergence", p)
        for u, p in zip([1, 1, 2, 2], pairs, strict=True)
    ]
    assert [r.error for r in replies] == [False, False, False, True]

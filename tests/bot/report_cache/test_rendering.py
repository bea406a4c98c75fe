"""Rendered parts: one render per key and language, prebuilt ahead, a cold ask text first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import DivergenceRequest, ReportRequest
from bot.delivery import Broadcaster
from bot.report_cache import ReportCache, demo_source
from bot.store import AsyncStore
from core.errors import SourceUnavailable
from core.i18n import Language
from core.sections import SECTIONS
from renderers.parts import TextPart
from renderers.text import render_text
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
NOW = datetime(2026, 3, 21, 1, 0, tzinfo=UTC)


async def test_report_is_built_once_and_rendered_once_per_key() -> None:
    calls = []
    source = demo_source()

    async def counting(now):
        calls.append(now)
        return await source(now)

    reports = ReportCache(counting, clock=FakeClock(NOW))
    results = await asyncio.gather(*(reports.parts("telegram") for _ in range(5)))
    assert all(r is results[0] for r in results)
    assert (reports.builds, reports.renders, len(calls)) == (1, 1, 1)
    await reports.parts("telegram", ("hk",))
    assert reports.renders == 2


async def test_prebuild_renders_ahead_so_the_first_ask_is_cached() -> None:
    reports = ReportCache(demo_source(), renderers={"text": _text_parts}, clock=FakeClock(NOW))
    assert not reports.is_cached("text", ReportRequest())
    await reports.prebuild(["text"])
    renders = reports.renders
    assert reports.is_cached("text", ReportRequest())
    assert reports.is_cached("text", ReportRequest(("hk",)))  # /market HK, the HK button
    assert not reports.is_cached("text", ReportRequest(("hk", "us")))
    assert not reports.is_cached("text", DivergenceRequest("HSI", "SPX"))
    parts, later = await reports.parts_text_first("text")
    assert later is None and parts == await reports.parts("text")
    assert reports.renders == renders == len(SECTIONS)  # the digest and each section but one


async def test_a_cold_ask_gets_the_text_first_and_the_photos_after() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    text, later = await reports.parts_text_first("telegram", ("hk",))
    assert text and all(isinstance(p, TextPart) for p in text)
    assert later is not None
    photos = await later
    assert photos and not any(isinstance(p, TextPart) for p in photos)
    assert reports.is_cached("telegram", ReportRequest(("hk",)))


async def test_a_failing_prebuild_is_logged_not_raised(caplog) -> None:
    async def failing(now):
        raise SourceUnavailable("yahoo", "HTTP 503")

    await ReportCache(failing, clock=FakeClock(NOW)).prebuild(["telegram"])
    assert "prebuild failed" in caplog.text


def _text_parts(report, *, with_images: bool = True, charts=(), digest: bool = False):
    return [TextPart(render_text(report))]


async def test_each_language_is_rendered_once_and_shared() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    english = await reports.parts("telegram")
    chinese = [await reports.parts("telegram", language=Language.ZH) for _ in range(3)]
    assert all(c is chinese[0] for c in chinese)
    assert (reports.builds, reports.renders) == (1, 2)  # one build; one render per language
    assert chinese[0] != english


async def test_the_daily_digest_is_rendered_once_per_language(tmp_path) -> None:
    store = await AsyncStore.open(
        f"sqlite:///{tmp_path / 'bot.sqlite3'}", clock=FakeClock(NOW - timedelta(days=1))
    )
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    sent: dict[str, list] = {}
    menus: dict[str, list] = {}

    class Recorder:
        async def send_part(self, chat_id, part, *, menu=None) -> None:
            sent.setdefault(chat_id, []).append(part)
            if menu is not None:
                menus.setdefault(chat_id, []).append((len(sent[chat_id]) - 1, menu))

    languages = {"1": Language.ZH, "2": Language.ZH, "3": Language.EN, "4": None}
    for chat, language in languages.items():
        await store.subscribe("telegram", chat, "00:30", "UTC", language=language)
    try:
        result = await Broadcaster(store, reports, {"telegram": Recorder()}).tick(NOW)
    finally:
        await store.close()
    assert result["sent"] == 4 and reports.renders == 2  # zh once, en once (4: the default)
    assert sent["1"] == sent["2"] == await reports.parts("telegram", language=Language.ZH)
    assert sent["3"] == sent["4"] == await reports.parts("telegram")
    # Each digest's text carries the section buttons once, in the chat's language.
    assert menus == {"1": [(0, Language.ZH)], "2": [(0, Language.ZH)]} | {
        chat: [(0, Language.EN)] for chat in ("3", "4")
    }

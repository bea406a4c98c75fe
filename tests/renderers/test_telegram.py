"""Telegram messages of a report: order, limits, escaping, photos and albums."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from hypothesis import given, settings

from core.formatting import format_cell
from core.i18n import Language
from core.localize import localize
from core.report import Paragraph, Table
from renderers.chat import FALLBACK_DISCLAIMER
from renderers.images.cache import ImageCache
from renderers.parts import MediaGroupPart, PhotoPart, TextPart, utf16_len
from renderers.telegram import render_telegram, render_telegram_async, telegram_html
from tests.renderers.chat_fixtures import chat_report, divergence_history, random_reports
from tests.renderers.conftest import DEMO_NOTE
from tests.renderers.telegram_checker import check_telegram_html


def _visible(parts) -> str:
    return "".join(check_telegram_html(p.text) for p in parts if isinstance(p, TextPart))


def test_demo_note_comes_first_and_disclaimer_last():
    parts = render_telegram(chat_report(), with_images=False)
    text = _visible(parts)
    assert text.startswith(f"⚠️ {DEMO_NOTE}")
    assert text.index("Disclaimer") > text.index("Risk Matrix")
    assert "Not financial advice." in text


def test_a_report_without_disclaimer_still_gets_one():
    report = chat_report()
    bare = replace(report, sections=(report.section("us"),))
    assert all(s.key != "disclaimer" for s in bare.sections)
    assert FALLBACK_DISCLAIMER in _visible(render_telegram(bare, with_images=False))


def test_unavailable_section_says_why():
    text = _visible(render_telegram(chat_report(), with_images=False))
    assert "Crypto & DeFi" in text
    assert "Not available: coingecko: timeout after 10 s" in text
    assert "Missing: northbound flow" in text


def test_the_missing_line_and_the_added_disclaimer_are_in_the_reports_language():
    report = localize(chat_report(), Language.ZH)
    text = _visible(render_telegram(report, with_images=False))
    assert re.search(r"暂无数据\W+coingecko", text) and re.search(r"缺失数据\W+北向资金", text)
    bare = replace(report, sections=(report.section("us"),))
    assert "本内容仅供参考，不构成投资建议" in _visible(render_telegram(bare, with_images=False))


def test_every_table_value_and_name_is_shown_escaped():
    report = chat_report()
    parts = render_telegram(report, with_images=False)
    raw = "".join(p.text for p in parts)
    text = _visible(parts)
    assert "S&amp;P 500 &lt;SPX&gt;" in raw
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        assert format_cell(cell) in text
            if isinstance(block, Paragraph):
                assert block.text in text


def test_market_tables_are_one_album_after_the_market_sections():
    cache = ImageCache()
    parts = render_telegram(chat_report(), cache=cache)
    albums = [p for p in parts if isinstance(p, MediaGroupPart)]
    assert len(albums) == 1
    assert [p.filename for p in albums[0].photos] == ["us.png", "hk.png", "cn.png"]
    index = parts.index(albums[0])
    before = _visible(parts[:index])
    assert "A-Share Market" in before and "Risk Matrix" not in before
    photos = [p for p in parts if isinstance(p, PhotoPart)]
    assert [p.filename for p in photos] == ["risks.png"]
    for photo in [*photos, *albums[0].photos]:
        assert photo.png.startswith(b"\x89PNG")
        assert utf16_len(photo.caption) <= 1024
        check_telegram_html(photo.caption)


def test_images_render_once_per_content():
    cache = ImageCache()
    render_telegram(chat_report(), cache=cache)
    first = cache.renders
    render_telegram(chat_report(), cache=cache)
    assert cache.renders == first == 4
    assert cache.hits >= 4


def test_divergence_chart_follows_the_divergences_section():
    history = divergence_history()
    parts = render_telegram(chat_report(), charts=(history,), cache=ImageCache())
    photos = [p for p in parts if isinstance(p, PhotoPart)]
    chart = next(p for p in photos if p.filename.startswith("divergence-"))
    assert chart.filename == "divergence-s-p-500-hsi.png"
    assert "S&amp;P 500 vs HSI" in chart.caption and "as of Fri 2026-03-20" in chart.caption


def test_more_than_ten_images_make_even_albums():
    report = chat_report()
    us = report.section("us")
    table = us.blocks[0]
    tables = tuple(
        Table(table.columns, table.rows, title=f"copy {n}", footer=None) for n in range(13)
    )
    many = replace(report, sections=(replace(us, blocks=tables),))
    albums = [p for p in render_telegram(many, cache=ImageCache()) if isinstance(p, MediaGroupPart)]
    assert [len(a.photos) for a in albums] == [7, 6]


def test_async_wrapper_returns_the_same_parts():
    report = chat_report()
    assert asyncio.run(render_telegram_async(report, with_images=False)) == render_telegram(
        report, with_images=False
    )


@given(report=random_reports())
@settings(max_examples=40, deadline=None)
def test_random_reports_stay_within_limits_parse_and_lose_nothing(report):
    parts = render_telegram(report, with_images=False)
    assert parts and all(isinstance(p, TextPart) for p in parts)
    for part in parts:
        assert 0 < utf16_len(part.text) <= 4096
        assert part.text.strip()
    assert _visible(parts).rstrip() == check_telegram_html(telegram_html(report)).rstrip()

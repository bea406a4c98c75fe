"""Discord messages of a report: embeds, limits, attachments, escaping."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formatting import format_cell
from core.report import BulletList, Paragraph, Table
from renderers.discord import (
    SECTION_COLOURS,
    UNAVAILABLE_COLOUR,
    embed_chars,
    render_discord,
    render_discord_async,
)
from renderers.discord_markdown import FENCE, code_block, escape_md, split_markdown, unescape_md
from renderers.images.cache import ImageCache
from renderers.parts import DiscordMessage, utf16_len
from renderers.telegram import render_telegram
from tests.renderers.chat_fixtures import (
    chat_report,
    divergence_history,
    long_text,
    random_reports,
)
from tests.renderers.conftest import DEMO_NOTE
from tests.renderers.telegram_checker import check_telegram_html

LIMITS = {"title": 256, "description": 4096}


def assert_within_limits(messages: list[DiscordMessage]) -> None:
    """Fail if any message breaks one of Discord's documented limits."""
    for message in messages:
        assert utf16_len(message.content) <= 2000
        assert len(message.embeds) <= 10 and len(message.files) <= 10
        assert sum(embed_chars(e) for e in message.embeds) <= 6000
        names = [f.filename for f in message.files]
        assert len(names) == len(set(names))
        for embed in message.embeds:
            for key, limit in LIMITS.items():
                assert utf16_len(embed.get(key, "")) <= limit
            assert utf16_len(embed.get("footer", {}).get("text", "")) <= 2048
            fields = embed.get("fields", [])
            assert len(fields) <= 25
            for item in fields:
                assert utf16_len(item["name"]) <= 256 and utf16_len(item["value"]) <= 1024
            if "image" in embed:
                assert embed["image"]["url"].removeprefix("attachment://") in names


def _visible(messages: list[DiscordMessage]) -> str:
    texts = []
    for message in messages:
        texts.append(message.content)
        for embed in message.embeds:
            texts += [embed.get("title", ""), embed.get("description", "")]
            texts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
            texts.append(embed.get("footer", {}).get("text", ""))
    return unescape_md("\n".join(texts))


def test_header_carries_demo_note_sessions_and_warnings():
    first = render_discord(chat_report(), with_images=False)[0]
    assert unescape_md(first.content) == f"⚠️ **{DEMO_NOTE}**"
    header = first.embeds[0]
    assert header["title"] == "Market Intelligence Report — 2026-03-20"
    assert [f["name"] for f in header["fields"]] == ["US equities", "Hong Kong", "Crypto"]
    assert "Source failed: coingecko unavailable: timeout" in header["description"]
    assert header["footer"]["text"] == "Sources: stooq, yahoo"


def test_sections_are_coloured_embeds_and_unavailable_ones_say_why():
    embeds = [e for m in render_discord(chat_report(), with_images=False) for e in m.embeds]
    by_title = {e["title"]: e for e in embeds}
    assert by_title["1. US Market"]["color"] == SECTION_COLOURS["us"]
    crypto = by_title["4. Crypto & DeFi"]
    assert crypto["color"] == UNAVAILABLE_COLOUR
    assert "Not available:** coingecko: timeout after 10 s" in crypto["description"]
    assert by_title["1. US Market"]["footer"]["text"] == "as of Thu 2026-03-19 · source: stooq"
    assert embeds[-1]["title"] == "7. Disclaimer"


def _facts(report) -> list[str]:
    facts = [report.title, *report.sources, *(w.message for w in report.warnings)]
    for section in report.sections:
        facts += [section.title, *section.missing]
        for block in section.blocks:
            if isinstance(block, Table):
                facts += [format_cell(c) for row in block.rows for c in row]
            elif isinstance(block, Paragraph):
                facts.append(block.text)
            elif isinstance(block, BulletList):
                facts += block.items
    return facts


def test_same_facts_as_telegram():
    report = chat_report()
    discord = _visible(render_discord(report, with_images=False))
    telegram = "".join(
        check_telegram_html(p.text) for p in render_telegram(report, with_images=False)
    )
    for fact in _facts(report):
        assert fact in discord
        assert fact in telegram


def test_images_are_attachments_referenced_by_their_embeds():
    messages = render_discord(chat_report(), charts=(divergence_history(),), cache=ImageCache())
    assert_within_limits(messages)
    files = [f.filename for m in messages for f in m.files]
    assert files == ["us.png", "hk.png", "cn.png", "risks.png", "divergence-s-p-500-hsi.png"]
    for message in messages:
        urls = [e["image"]["url"] for e in message.embeds if "image" in e]
        assert urls == [f"attachment://{f.filename}" for f in message.files]
        assert message.payload()["allowed_mentions"] == {"parse": []}


def test_long_sections_continue_and_messages_split_at_limits():
    report = chat_report()
    long = replace(
        report.section("us"),
        blocks=tuple(Paragraph(f"Paragraph {n}: " + "figures " * 600) for n in range(6)),
    )
    many = replace(report, sections=(long, *report.sections))
    messages = render_discord(many, with_images=False)
    assert_within_limits(messages)
    titles = [e["title"] for m in messages for e in m.embeds]
    assert "1. US Market (cont.)" in titles
    assert len(messages) > 2


def test_escaping_neutralises_markdown_and_mentions():
    raw = "*bold* _it_ `code` ~~s~~ |sp| > quote # h [l](u) <@123> \\"
    assert unescape_md(escape_md(raw)) == raw
    assert not re.search(r"(?<!\\)[*_`~|>#\[\]<]", escape_md(raw).replace("\\\\", ""))
    assert escape_md("- item\n12. point") == "\\- item\n12\\. point"


@given(text=long_text, limit=st.integers(min_value=60, max_value=4096), fenced=st.booleans())
@settings(max_examples=100, deadline=None)
def test_split_markdown_keeps_limits_fences_and_text(text, limit, fenced):
    body = escape_md(text) + ("\n" + code_block(text) if fenced else "")
    chunks = split_markdown(body, limit)
    assert all(utf16_len(c) <= limit for c in chunks)
    assert all(c.count(FENCE) % 2 == 0 for c in chunks)

    def strip(s: str) -> str:
        return s.replace(FENCE, "").replace("\n", "")

    assert "".join(strip(c) for c in chunks) == strip(body)


@given(report=random_reports())
@settings(max_examples=40, deadline=None)
def test_random_reports_stay_within_limits(report):
    messages = render_discord(report, with_images=False)
    assert_within_limits(messages)
    descriptions = "".join(e.get("description", "") for m in messages for e in m.embeds)
    flat = descriptions.replace("\n", "").replace(FENCE, "")
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert escape_md(block.text).replace("\n", "") in flat


def test_async_wrapper_returns_the_same_messages():
    report = chat_report()
    assert asyncio.run(render_discord_async(report, with_images=False)) == render_discord(
        report, with_images=False
    )


@pytest.mark.parametrize("key", ["cn", "crypto", "risks"])
def test_one_section_renders_on_both_platforms_with_note_and_disclaimer(key):
    report = chat_report().only(key)
    discord = _visible(render_discord(report, with_images=False))
    telegram = "".join(
        check_telegram_html(p.text) for p in render_telegram(report, with_images=False)
    )
    for text in (discord, telegram):
        assert DEMO_NOTE in text
        assert "Not financial advice." in text
        assert report.section(key).title in text
    for fact in _facts(report):
        assert fact in discord and fact in telegram

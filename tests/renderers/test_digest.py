"""The digest in chat: one text plus the dashboard on Telegram, one message on Discord."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings

from core.analysis.build import build_report
from core.formatting import session_label
from renderers.chat import PHONE_PRE_WIDTH
from renderers.digest import sessions_line, top_spreads
from renderers.discord import (
    EMBED_CHARS_LIMIT,
    digest_markdown,
    embed_chars,
    render_discord,
)
from renderers.parts import PhotoPart, TextPart, utf16_len
from renderers.telegram import digest_html, render_telegram
from renderers.telegram_html import MESSAGE_LIMIT
from renderers.text import display_width
from tests.renderers.chat_fixtures import random_reports
from tests.renderers.telegram_checker import check_telegram_html


@pytest.fixture
def report(demo, registry, settings):
    return build_report(demo, registry, settings)


def test_telegram_digest_is_one_text_then_the_dashboard(report):
    text, photo = render_telegram(report, digest=True)
    assert isinstance(text, TextPart) and isinstance(photo, PhotoPart)
    assert photo.filename == "dashboard.png" and photo.png.startswith(b"\x89PNG")
    assert utf16_len(text.text) <= MESSAGE_LIMIT
    check_telegram_html(text.text)


def test_digest_names_each_market_session_once_in_one_line(report):
    visible = check_telegram_html(digest_html(report))
    (line,) = [x for x in visible.splitlines() if x.startswith("Sessions:")]
    assert line == f"Sessions: {sessions_line(report)}"
    for session in report.sessions:
        assert line.count(session.name) == 1
        assert session_label(session.session_date) in line
    # Markets sharing a session share its date: US Thu, HK and CN Fri, crypto 24 h to Fri.
    assert line.count("2026-03-20") == 2 and line.count("2026-03-19") == 1


def test_digest_holds_the_chain_in_close_order_and_the_widest_spreads(report):
    visible = check_telegram_html(digest_html(report))
    chain = visible[visible.index("Chain, by session close") :]
    positions = [chain.index(f" {s.name} ") for s in report.sessions]
    assert positions == sorted(positions)
    widest = top_spreads(report)
    assert [abs(s.spread_bps) for s in widest] == sorted(
        (abs(s.spread_bps) for s in widest), reverse=True
    )
    for spread in widest:
        assert f"{spread.label_a} − {spread.label_b} {round(spread.spread_bps):+d} bps" in visible


def test_digest_folds_the_notes_and_says_missing_once(report):
    html = digest_html(report)
    assert html.count("<blockquote expandable>") == 1
    assert len(re.findall(r"Missing:", html)) == 1
    assert "<pre>" not in html and "<table" not in html


def test_discord_digest_is_one_message_with_the_dashboard(report):
    (message,) = render_discord(report, digest=True)
    assert [f.filename for f in message.files] == ["dashboard.png"]
    assert message.embeds[-1]["image"]["url"] == "attachment://dashboard.png"
    assert sum(embed_chars(e) for e in message.embeds) <= EMBED_CHARS_LIMIT
    assert "Key insight" in digest_markdown(report)


@given(report=random_reports())
@settings(max_examples=40, deadline=None)
def test_random_digests_stay_within_limits_and_parse(report):
    parts = render_telegram(report, with_images=False, digest=True)
    assert parts and all(isinstance(p, TextPart) for p in parts)
    for part in parts:
        assert 0 < utf16_len(part.text) <= MESSAGE_LIMIT
        check_telegram_html(part.text)
    messages = render_discord(report, with_images=False, digest=True)
    assert len(messages) == 1
    assert sum(embed_chars(e) for e in messages[0].embeds) <= EMBED_CHARS_LIMIT


@given(report=random_reports())
@settings(max_examples=40, deadline=None)
def test_every_pre_block_fits_a_phone_bubble(report):
    for part in render_telegram(report, with_images=False):
        for block in re.findall(r"<pre>(.*?)</pre>", part.text, flags=re.S):
            lines = html.unescape(block).splitlines()
            assert max(display_width(line) for line in lines) <= PHONE_PRE_WIDTH, block

"""Splitting Telegram HTML: limits, balanced tags, nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers.parts import utf16_len
from renderers.telegram_html import escape, fit_caption, pack_html, split_html
from tests.renderers.chat_fixtures import long_text, nasty_text
from tests.renderers.telegram_checker import TelegramHtmlError, check_telegram_html


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Return escaped random texts wrapped in Telegram tags, as the renderers build them."""
    pieces = []
    for raw in draw(st.lists(long_text, min_size=1, max_size=6)):
        body = escape(raw)
        style = draw(st.sampled_from(["", "b", "i", "pre", "bi", "a"]))
        if style == "bi":
            body = f"<b>bold <i>{body}</i></b>"
        elif style == "a":
            body = f'<a href="https://example.org/?a=1&amp;b=2">{body}</a>'
        elif style:
            body = f"<{style}>{body}</{style}>"
        pieces.append(body)
    return draw(st.sampled_from(["\n", "\n\n", " ", ""])).join(pieces)


@given(doc=html_documents(), limit=st.integers(min_value=120, max_value=4096))
@settings(max_examples=150, deadline=None)
def test_split_respects_limit_balances_tags_and_keeps_every_character(doc, limit):
    chunks = split_html(doc, limit)
    visible = [check_telegram_html(c) for c in chunks]
    assert all(utf16_len(c) <= limit for c in chunks)
    assert "".join(visible) == check_telegram_html(doc)


@given(segments=st.lists(html_documents(), min_size=1, max_size=5))
@settings(max_examples=60, deadline=None)
def test_pack_keeps_segments_whole_when_they_fit(segments):
    texts = [s + "\n\n" for s in segments]
    messages = pack_html(texts)
    assert all(utf16_len(m) <= 4096 for m in messages)
    joined = "".join(check_telegram_html(m) for m in messages)
    assert joined.rstrip() == check_telegram_html("".join(texts)).rstrip()
    for text in texts:
        if utf16_len(text) <= 4096 and text.strip():
            assert any(text in m for m in messages), "a segment that fits was split"


def test_a_long_line_is_split_inside_a_tag_which_is_closed_and_reopened():
    doc = "<b>" + "word " * 300 + "</b>"
    chunks = split_html(doc, 500)
    assert len(chunks) > 2
    assert all(c.startswith("<b>") and c.endswith("</b>") for c in chunks)
    assert all(utf16_len(c) <= 500 for c in chunks)


def test_split_prefers_line_ends_and_never_cuts_an_entity():
    doc = "\n".join(f"line {n} &amp; &lt;tag&gt;" for n in range(200))
    chunks = split_html(doc, 300)
    assert all(c.endswith("\n") for c in chunks[:-1])
    for chunk in chunks:
        check_telegram_html(chunk)


def test_pre_block_split_reopens_pre():
    doc = "<pre>" + "\n".join(f"{n:>6}  {'x' * 30}" for n in range(100)) + "</pre>"
    chunks = split_html(doc, 1000)
    assert len(chunks) > 1
    assert all(c.startswith("<pre>") and c.endswith("</pre>") for c in chunks)


def test_unescaped_text_is_refused():
    with pytest.raises(ValueError, match="stray"):
        split_html("a & b " * 1000, 100)


@given(head=nasty_text, body=long_text)
@settings(max_examples=100, deadline=None)
def test_captions_fit_and_parse(head, body):
    caption = fit_caption(head, body)
    assert utf16_len(caption) <= 1024
    check_telegram_html(caption)


@pytest.mark.parametrize(
    "bad",
    [
        "<b>open",
        "<div>x</div>",
        "a & b",
        "1 < 2",
        "<b><i>x</b></i>",
        "<pre><b>x</b></pre>",
        "&nbsp;",
    ],
)
def test_checker_rejects_what_telegram_rejects(bad):
    with pytest.raises(TelegramHtmlError):
        check_telegram_html(bad)

"""A strict checker of Telegram's HTML parse mode, used by the renderer tests."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from renderers.telegram_html import ALLOWED_TAGS

_ATTRS = {
    "a": {"href"},
    "span": {"class"},
    "code": {"class"},
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_ENTITIES = {"lt", "gt", "amp", "quot"}


class TelegramHtmlError(AssertionError):
    """The text would be rejected (or mis-parsed) by Telegram."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.visible: list[str] = []

    def fail(self, why: str) -> None:
        raise TelegramHtmlError(f"{why} at {self.getpos()}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.fail(f"tag <{tag}> is not supported by Telegram")
        for name, _ in attrs:
            if name not in _ATTRS.get(tag, set()):
                self.fail(f"attribute {name} not allowed on <{tag}>")
        if self.stack and self.stack[-1] == "code":
            self.fail(f"<{tag}> inside <code>")
        if self.stack and self.stack[-1] == "pre" and tag != "code":
            self.fail(f"<{tag}> inside <pre>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.fail(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.fail(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for ch in "<>&":
            if ch in data:
                self.fail(f"unescaped {ch!r} in text")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _ENTITIES:
            self.fail(f"entity &{name}; is not supported")
        self.visible.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.visible.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.fail("comment")

    def handle_decl(self, decl: str) -> None:
        self.fail("declaration")

    def handle_pi(self, data: str) -> None:
        self.fail("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.fail("unknown declaration")


def check_telegram_html(text: str) -> str:
    """Return the visible text of ``text``; raise TelegramHtmlError if Telegram would reject it."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise TelegramHtmlError(f"unclosed tags {checker.stack}")
    return "".join(checker.visible)

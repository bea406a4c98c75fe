"""Telegram HTML: escaping, and splitting long HTML into messages without breaking a tag."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from renderers.parts import utf16_len

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip

_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[^<&]", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][\w-]*)")


def escape(text: str) -> str:
    """Return text with ``<``, ``>`` and ``&`` escaped for Telegram HTML."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class _Tag:
    name: str
    opening: str


def _tag(token: str) -> tuple[str, bool] | None:
    """Return (name, is_closing) for a tag token, None for text or entities."""
    if not token.startswith("<"):
        return None
    match = _TAG_NAME.match(token)
    if match is None:
        raise ValueError(f"not a tag: {token!r}")
    return match.group(1).lower(), token.startswith("</")


def _closing(stack: tuple[_Tag, ...]) -> str:
    return "".join(f"</{t.name}>" for t in reversed(stack))


def _opening(stack: tuple[_Tag, ...]) -> str:
    return "".join(t.opening for t in stack)


def _priority(tokens: Sequence[str], pos: int) -> int:
    """Return how good a split before ``tokens[pos]`` is: line > word > anywhere > tag edge."""
    if pos >= len(tokens):
        return 4
    before, after = tokens[pos - 1], tokens[pos]
    # Splitting right after an opening tag or right before a closing one leaves an empty element.
    if (before.startswith("<") and not before.startswith("</")) or after.startswith("</"):
        return -1
    if before == "\n":
        return 3 if pos >= 2 and tokens[pos - 2] == "\n" else 2
    if before == " ":
        return 1
    return 0


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return balanced HTML chunks of at most ``limit`` UTF-16 units whose text adds up to ``text``.

    Splits prefer a blank line, then a line end, then a space; a tag open at a split is closed
    at the end of one chunk and re-opened at the start of the next.
    """
    if utf16_len(text) <= limit:
        return [text]
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text:
        raise ValueError("text contains a stray '<' or '&' that is not escaped")
    chunks: list[str] = []
    start, stack = 0, ()
    while start < len(tokens):
        prefix = _opening(stack)
        length, current = utf16_len(prefix), stack
        best: tuple[int, int, tuple[_Tag, ...]] | None = None
        for pos in range(start + 1, len(tokens) + 1):
            token = tokens[pos - 1]
            length += utf16_len(token)
            tag = _tag(token)
            if tag is not None:
                name, closing = tag
                if closing:
                    if not current or current[-1].name != name:
                        raise ValueError(f"unbalanced closing tag {token!r}")
                    current = current[:-1]
                else:
                    current = (*current, _Tag(name, token))
            if length + utf16_len(_closing(current)) > limit:
                break
            rank = _priority(tokens, pos)
            if best is None or rank >= best[0]:
                best = (rank, pos, current)
        if best is None:
            raise ValueError(f"limit {limit} is too small for the open tags at token {start}")
        _, end, end_stack = best
        chunks.append(prefix + "".join(tokens[start:end]) + _closing(end_stack))
        start, stack = end, end_stack
    return chunks


def pack_html(segments: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return messages holding whole segments where they fit; a segment too long is split."""
    messages: list[str] = []
    current = ""
    for segment in segments:
        if utf16_len(current + segment) <= limit:
            current += segment
            continue
        if current.strip():
            messages.append(current)
            current = ""
        if utf16_len(current + segment) <= limit:
            current += segment
            continue
        *full, current = split_html(current + segment, limit)
        messages.extend(full)
    if current.strip():
        messages.append(current)
    return messages


def fit_caption(head: str, body: str = "", limit: int = CAPTION_LIMIT) -> str:
    """Return ``<b>head</b>`` and ``body`` (plain texts) as a caption of at most ``limit`` units."""
    caption = f"<b>{escape(head)}</b>" + (f"\n{escape(body)}" if body else "")
    if utf16_len(caption) <= limit:
        return caption
    return split_html(caption, limit - 1)[0].rstrip() + "…"

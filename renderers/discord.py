"""Discord rendering: one coloured embed per section, table images and charts as attachments."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.formatting import session_label
from core.i18n import N_, translator
from core.phrase import listing
from core.report import MarketSession, Report, Section
from renderers import digest as view
from renderers.chat import (
    Image,
    as_of_footer,
    chart_image,
    dashboard_image,
    image_groups,
    pair_answer,
    with_disclaimer,
)
from renderers.discord_markdown import DiscordWriter, escape_md, split_markdown
from renderers.images import DivergenceHistory
from renderers.images.cache import DEFAULT_CACHE, ImageCache
from renderers.parts import DiscordMessage, FileAttachment, utf16_len
from renderers.walk import label, ordered_warnings

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_CHARS_LIMIT = 6000  # summed over every embed of one message
EMBEDS_PER_MESSAGE = 10
FILES_PER_MESSAGE = 10

SECTION_COLOURS = {
    "insight": 0x5865F2,
    "transmission": 0x9B59B6,
    "crypto": 0xF7931A,
    "us": 0x3C78D8,
    "hk": 0xC0392B,
    "cn": 0xE67E22,
    "divergences": 0x16A085,
    "flows": 0x2E86C1,
    "risks": 0xD35400,
    "actions": 0x27AE60,
    "disclaimer": 0x95A5A6,
}
HEADER_COLOUR = 0x34495E
UNAVAILABLE_COLOUR = 0x7F8C8D

WRITER = DiscordWriter()


def truncate(text: str, limit: int) -> str:
    """Return text cut to ``limit`` UTF-16 units, ending with … when cut."""
    if utf16_len(text) <= limit:
        return text
    cut = limit - 1
    while utf16_len(text[:cut]) > limit - 1:
        cut -= 1
    return text[:cut].rstrip() + "…"


def embed_chars(embed: dict[str, Any]) -> int:
    """Return the characters Discord counts toward the 6000 per-message embed limit."""
    total = utf16_len(embed.get("title", "")) + utf16_len(embed.get("description", ""))
    total += utf16_len(embed.get("footer", {}).get("text", ""))
    total += utf16_len(embed.get("author", {}).get("name", ""))
    for item in embed.get("fields", ()):
        total += utf16_len(item["name"]) + utf16_len(item["value"])
    return total


@dataclass(frozen=True)
class _Item:
    embed: dict[str, Any]
    files: tuple[FileAttachment, ...] = ()


def _text_embeds(
    title: str, body: str, colour: int, footer: str | None = None
) -> list[dict[str, Any]]:
    """Return embeds carrying ``body``; a body over 4096 continues in '(cont.)' embeds."""
    chunks = split_markdown(body, DESCRIPTION_LIMIT) if body else [""]
    embeds: list[dict[str, Any]] = []
    for n, chunk in enumerate(chunks):
        shown = title if n == 0 else f"{title} (cont.)"
        embed: dict[str, Any] = {"title": truncate(shown, TITLE_LIMIT), "color": colour}
        if chunk:
            embed["description"] = chunk
        embeds.append(embed)
    if footer:
        embeds[-1]["footer"] = {"text": truncate(footer, FOOTER_LIMIT)}
    return embeds


def _session_field(session: MarketSession) -> dict[str, Any]:
    value = session_label(session.session_date)
    if session.sources:
        value += f"\n{', '.join(session.sources)}"
    return {
        "name": truncate(session.name, FIELD_NAME_LIMIT),
        "value": truncate(escape_md(value), FIELD_VALUE_LIMIT),
        "inline": True,
    }


def _sources(report: Report) -> str | None:
    if not report.sources:
        return None
    sources = label(report, N_("Sources"))
    return f"{sources} {listing(report.sources).said(translator(report.language))}"


def _header(report: Report) -> list[dict[str, Any]]:
    warnings = ordered_warnings(report)
    body = WRITER.warnings(warnings, report.language) if warnings else ""
    sources = _sources(report)
    embeds = _text_embeds(report.title, body, HEADER_COLOUR, sources)
    if report.sessions:
        embeds[0]["fields"] = [_session_field(s) for s in report.sessions[:FIELDS_LIMIT]]
    return embeds


def _section(report: Report, section: Section, number: int) -> list[dict[str, Any]]:
    colour = SECTION_COLOURS.get(section.key, HEADER_COLOUR)
    if not section.available:
        colour = UNAVAILABLE_COLOUR
    body = WRITER.section_body(section, report.language)
    if not body:
        not_available = label(report, N_("Not available"))
        body = f"_{not_available}._"
    footer = None if section.key == "disclaimer" else as_of_footer(report, section.key)
    return _text_embeds(WRITER.heading(section.title, number), body, colour, footer)


def _image_item(image: Image, colour: int) -> _Item:
    embed = {
        "title": truncate(image.title, TITLE_LIMIT),
        "color": colour,
        "image": {"url": f"attachment://{image.filename}"},
        "footer": {"text": truncate(image.footer, FOOTER_LIMIT)},
    }
    return _Item(embed, (FileAttachment(image.filename, image.png),))


def _pack(content: str, items: Sequence[_Item]) -> list[DiscordMessage]:
    """Return messages holding items in order within the embed, file and character limits."""
    messages: list[DiscordMessage] = []
    embeds: list[dict[str, Any]] = []
    files: list[FileAttachment] = []
    chars = 0

    def flush() -> None:
        nonlocal chars, content
        if embeds or content:
            messages.append(DiscordMessage(content, tuple(embeds), tuple(files)))
        embeds.clear()
        files.clear()
        chars, content = 0, ""

    for item in items:
        size = embed_chars(item.embed)
        names = {f.filename for f in files}
        if (
            len(embeds) + 1 > EMBEDS_PER_MESSAGE
            or len(files) + len(item.files) > FILES_PER_MESSAGE
            or chars + size > EMBED_CHARS_LIMIT
            or names & {f.filename for f in item.files}
        ):
            flush()
        embeds.append(item.embed)
        files.extend(item.files)
        chars += size
    flush()
    return messages


def dashboard_message(report: Report, cache: ImageCache = DEFAULT_CACHE) -> DiscordMessage:
    """Return the dashboard image as one message: an embed showing the attached PNG."""
    (message,) = _pack("", [_image_item(dashboard_image(report, cache), HEADER_COLOUR)])
    return message


DIGEST_MARKUP = view.Markup(
    escape=escape_md,
    bold=lambda t: f"**{t}**",
    italic=lambda t: f"_{t}_",
    fold=lambda lines: "\n".join(f"-# {escape_md(line)}" for line in lines),
)


def digest_markdown(report: Report) -> str:
    """Return the digest as one embed description: insight, chain, spreads, risk, stance."""
    return WRITER.join_blocks(view.digest_blocks(report, DIGEST_MARKUP))


def render_discord_digest(
    report: Report, *, with_images: bool = True, cache: ImageCache = DEFAULT_CACHE
) -> list[DiscordMessage]:
    """Return the digest as one message: its embed, then the dashboard image."""
    # The sources are the description's last lines: no footer to say them again.
    embeds = _text_embeds(report.title, digest_markdown(report), HEADER_COLOUR)
    items = [_Item(e) for e in embeds]
    if with_images:
        items.append(_image_item(dashboard_image(report, cache), HEADER_COLOUR))
    note = view.first_sentence(report.demo_note) if report.demo_note else ""
    return _pack(truncate(WRITER.demo_note(note), CONTENT_LIMIT) if note else "", items)


def render_discord(
    report: Report,
    *,
    with_images: bool = True,
    charts: Sequence[DivergenceHistory] = (),
    cache: ImageCache = DEFAULT_CACHE,
    digest: bool = False,
) -> list[DiscordMessage]:
    """Return the messages of a report: a header, an embed per section, images as attachments.

    ``charts`` are divergence histories drawn under the divergences section (images only);
    ``digest`` asks for the one-message digest and the dashboard instead of the sections.
    """
    if digest:
        return render_discord_digest(report, with_images=with_images, cache=cache)
    pair = pair_answer(report, charts) if with_images else None
    if pair is not None:
        # One message: the chart with the spread, z-score, correlation and sessions.
        title, caption = pair
        chart = chart_image(charts[0], cache, report.language)
        item = _image_item(chart, SECTION_COLOURS["divergences"])
        item.embed["title"] = truncate(title, TITLE_LIMIT)
        item.embed["description"] = truncate(escape_md(caption), DESCRIPTION_LIMIT)
        return _pack("", [item])
    report = with_disclaimer(report)
    groups = {g.after: g for g in image_groups(report, charts, cache)} if with_images else {}
    items = [_Item(e) for e in _header(report)]
    for number, section in enumerate(report.sections, start=1):
        items.extend(_Item(e) for e in _section(report, section, number))
        group = groups.pop(section.key, None)
        if group is not None:
            colour = SECTION_COLOURS.get(section.key, HEADER_COLOUR)
            items.extend(_image_item(i, colour) for i in group.images)
    for group in groups.values():
        items.extend(_image_item(i, HEADER_COLOUR) for i in group.images)
    content = (
        truncate(WRITER.demo_note(report.demo_note), CONTENT_LIMIT) if report.demo_note else ""
    )
    return _pack(content, items)


async def render_discord_async(report: Report, **options) -> list[DiscordMessage]:
    """Return ``render_discord(report, **options)``, computed in a worker thread."""
    return await asyncio.to_thread(render_discord, report, **options)

"""Telegram rendering: HTML-parse-mode messages, with table images and charts as photos."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from core.i18n import Language
from core.report import Report, Section, Table
from renderers import digest as view
from renderers.chat import (
    PHONE_PRE_WIDTH,
    Image,
    ImageGroup,
    aligned,
    chart_image,
    dashboard_image,
    image_groups,
    pair_answer,
    records,
    segments,
    unavailable_label,
    with_disclaimer,
)
from renderers.images import DivergenceHistory
from renderers.images.cache import DEFAULT_CACHE, ImageCache
from renderers.parts import (
    MEDIA_GROUP_MAX,
    MediaGroupPart,
    MessagePart,
    PhotoPart,
    TextPart,
)
from renderers.telegram_html import MESSAGE_LIMIT, escape, fit_caption, pack_html
from renderers.text import display_width, format_table
from renderers.walk import ReportWriter, missing_line


class TelegramWriter(ReportWriter):
    """Write a Report in Telegram's HTML subset; every data string is escaped."""

    def title(self, title: str) -> str:
        """Return the title in bold."""
        return f"<b>{escape(title)}</b>"

    def demo_note(self, note: str) -> str:
        """Return the sample-data note, bold, first thing a reader sees."""
        return f"⚠️ <b>{escape(note)}</b>"

    def heading(self, title: str, number: int | None) -> str:
        """Return ``1. Title`` bold and underlined."""
        text = f"{number}. {title}" if number is not None else title
        return f"<b><u>{escape(text)}</u></b>"

    def subheading(self, title: str) -> str:
        """Return the title in bold."""
        return f"<b>{escape(title)}</b>"

    def paragraph(self, text: str, label: str | None = None) -> str:
        """Return escaped prose, the bold label (``Label:``) in front when given."""
        return f"<b>{escape(label)}</b> {escape(text)}" if label else escape(text)

    def bullets(self, items: Sequence[str]) -> str:
        """Return ``• item`` lines."""
        return "\n".join(f"• {escape(item)}" for item in items)

    def diagram(self, lines: Sequence[str]) -> str:
        """Return the lines as preformatted text when they fit a phone bubble, else as lines."""
        if max((display_width(line) for line in lines), default=0) <= PHONE_PRE_WIDTH:
            return f"<pre>{escape(chr(10).join(lines))}</pre>"
        return escape("\n".join(lines))

    def __init__(self, *, tables_as_images: bool = False) -> None:
        self.tables_as_images = tables_as_images

    def table(self, table: Table) -> str:
        """Return a table; one sent as an image is not written again as text."""
        if self.tables_as_images and table.rows:
            return ""
        return super().table(table)

    def table_body(self, table: Table) -> str:
        """Return aligned columns in <pre>, or one line per row when too wide for a phone."""
        if aligned(table, PHONE_PRE_WIDTH):
            return f"<pre>{escape(format_table(table))}</pre>"
        return "\n".join(
            f"• <b>{escape(first)}</b> — "
            + " · ".join(f"<i>{escape(col)}:</i> {escape(val)}" for col, val in rest)
            for first, rest in records(table)
        )

    def missing_note(self, section: Section, language: Language = Language.EN) -> str:
        """Return what a section lacks in italics; one without content says it is not available."""
        text = missing_line(section.missing, language)
        return f"<i>{self.paragraph(text, label=unavailable_label(section, language))}</i>"


WRITER = TelegramWriter()
# Each table once: with images, a table is its phone-sized image and not text as well.
IMAGE_WRITER = TelegramWriter(tables_as_images=True)


def _photo(image: Image) -> PhotoPart:
    return PhotoPart(image.png, fit_caption(image.title, image.footer), image.filename)


def _photo_parts(group: ImageGroup) -> list[MessagePart]:
    images = list(group.images)
    if len(images) == 1:
        return [_photo(images[0])]
    # Albums of at most ten, sized evenly so none is left with a single photo.
    count = -(-len(images) // MEDIA_GROUP_MAX)
    size = -(-len(images) // count)
    return [
        MediaGroupPart(tuple(_photo(i) for i in images[n : n + size]))
        for n in range(0, len(images), size)
    ]


def dashboard_photo(report: Report, cache: ImageCache = DEFAULT_CACHE) -> PhotoPart:
    """Return the dashboard image as a photo with its caption."""
    return _photo(dashboard_image(report, cache))


DIGEST_MARKUP = view.Markup(
    escape=escape,
    bold=lambda t: f"<b>{t}</b>",
    italic=lambda t: f"<i>{t}</i>",
    fold=lambda lines: f"<blockquote expandable>{escape(chr(10).join(lines))}</blockquote>",
)


def digest_html(report: Report) -> str:
    """Return the digest as one Telegram-HTML message: insight, chain, spreads, risk, stance."""
    head = [WRITER.title(report.title)]
    if report.demo_note:
        head.insert(0, WRITER.demo_note(view.first_sentence(report.demo_note)))
    return WRITER.join_blocks([*head, *view.digest_blocks(report, DIGEST_MARKUP)])


def render_telegram_digest(
    report: Report, *, with_images: bool = True, cache: ImageCache = DEFAULT_CACHE
) -> list[MessagePart]:
    """Return the digest: one text message, then the dashboard image (two sends)."""
    parts: list[MessagePart] = [
        TextPart(t) for t in pack_html([digest_html(report)], MESSAGE_LIMIT)
    ]
    if with_images:
        # The image carries its own title, date and sources: no caption to repeat them.
        image = dashboard_image(report, cache)
        parts.append(PhotoPart(image.png, "", image.filename))
    return parts


def telegram_html(report: Report) -> str:
    """Return the whole report as one Telegram-HTML string (before splitting into messages)."""
    return "".join(_texts(segments(WRITER, with_disclaimer(report))))


def _texts(segs) -> list[str]:
    texts = [s.text for s in segs]
    return [t + "\n\n" for t in texts[:-1]] + texts[-1:]


def render_telegram(
    report: Report,
    *,
    with_images: bool = True,
    charts: Sequence[DivergenceHistory] = (),
    cache: ImageCache = DEFAULT_CACHE,
    digest: bool = False,
) -> list[MessagePart]:
    """Return the messages of a report: texts ≤ 4096, photos and albums after their section.

    ``charts`` are divergence histories drawn under the divergences section (images only);
    ``digest`` asks for the one-message digest and the dashboard instead of the sections.
    """
    if digest:
        return render_telegram_digest(report, with_images=with_images, cache=cache)
    pair = pair_answer(report, charts) if with_images else None
    if pair is not None:
        # One photo: the chart, captioned with the spread, z-score, correlation and sessions.
        image = chart_image(charts[0], cache, report.language)
        return [PhotoPart(image.png, fit_caption(*pair), image.filename)]
    report = with_disclaimer(report)
    segs = segments(IMAGE_WRITER if with_images else WRITER, report)
    texts = _texts(segs)
    groups = {g.after: g for g in image_groups(report, charts, cache)} if with_images else {}
    parts: list[MessagePart] = []
    pending: list[str] = []
    for seg, text in zip(segs, texts, strict=True):
        pending.append(text)
        group = groups.pop(seg.key, None) if seg.key is not None else None
        if group is not None:
            parts.extend(TextPart(t) for t in pack_html(pending, MESSAGE_LIMIT))
            parts.extend(_photo_parts(group))
            pending = []
    parts.extend(TextPart(t) for t in pack_html(pending, MESSAGE_LIMIT))
    for group in groups.values():
        parts.extend(_photo_parts(group))
    return parts


async def render_telegram_async(report: Report, **options) -> list[MessagePart]:
    """Return ``render_telegram(report, **options)``, computed in a worker thread."""
    return await asyncio.to_thread(render_telegram, report, **options)

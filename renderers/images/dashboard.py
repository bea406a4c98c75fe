"""The dashboard image: every market's moves, its signal and the main spreads, made for a phone.

Drawn from the plan (renderers/images/dashboard_plan.py) as stacked cards 1,080 px wide with
text at least 28 px high, so it reads on a 390 px phone screen at about 11 px.
"""

from __future__ import annotations

from core.formatting import missing
from core.i18n import Language
from core.report import Report, Tone
from renderers.images.canvas import INK, MUTED, TONE_INKS, Canvas
from renderers.images.dashboard_plan import (
    LAYOUT,
    DashboardLayout,
    DashboardPlan,
    MarketCard,
    Tile,
    plan_dashboard,
)

__all__ = ["LAYOUT", "DashboardLayout", "dashboard_png", "plan_dashboard"]

CARD_FILL = "#f3f5f7"
TILE_FILL = "#ffffff"
BANNER_FILL = "#fff1c2"
BANNER_INK = "#6a4a00"
TONE_FILL = {Tone.UP: "#dafbe1", Tone.DOWN: "#ffebe9", Tone.NEUTRAL: "#e6e9ed"}
# Red up, green down for Chinese readers (红涨绿跌), like canvas.TONE_INKS.
TONE_FILLS = {
    Language.EN: TONE_FILL,
    Language.ZH: {Tone.UP: "#ffebe9", Tone.DOWN: "#dafbe1", Tone.NEUTRAL: "#e6e9ed"},
}
_MISSING = frozenset(missing(language) for language in Language)


class _Painter:
    """Lay the plan out top-down on a canvas, keeping the running y."""

    def __init__(self, layout: DashboardLayout, plan: DashboardPlan) -> None:
        self.l = layout
        self.plan = plan
        self.ink = TONE_INKS[plan.language]
        self.fill = TONE_FILLS[plan.language]
        self.c = Canvas(layout.width_px)
        self.y = float(layout.margin_px)
        self.left = float(layout.margin_px)
        self.inner = layout.width_px - 2 * layout.margin_px

    def lines(self, text: str, size_px: float, color: str, x: float, width: float, **kw) -> None:
        prop = self.c.font(size_px, bold=kw.pop("bold", False))
        for line in self.c.wrap(text, prop, width):
            self.c.text(x, self.y, self.l.line(size_px), line, prop, color)
            self.y += self.l.line(size_px)

    def header(self, plan: DashboardPlan) -> None:
        self.lines(plan.title, self.l.title_px, INK, self.left, self.inner, bold=True)
        self.y += self.l.gap_px / 2
        if plan.banner:
            pad = self.l.card_pad_px / 2
            prop = self.c.font(self.l.small_px, bold=True)
            rows = self.c.wrap(plan.banner, prop, self.inner - 2 * pad)
            h = len(rows) * self.l.line(self.l.small_px) + 2 * pad
            self.c.box(self.left, self.y, self.inner, h, BANNER_FILL, self.l.radius_px / 2)
            self.y += pad
            self.lines(
                plan.banner,
                self.l.small_px,
                BANNER_INK,
                self.left + pad,
                self.inner - 2 * pad,
                bold=True,
            )
            self.y += pad + self.l.gap_px

    def card_header(self, card: MarketCard, x: float, width: float) -> None:
        heading = self.c.font(self.l.heading_px, bold=True)
        pill_prop = self.c.font(self.l.small_px, bold=True)
        pad = self.l.small_px / 2
        pill_w = self.c.width(card.signal, pill_prop) + 2 * pad if card.signal else 0.0
        line_h = self.l.line(self.l.heading_px)
        name_w = self.c.width(card.name, heading)
        if card.signal and name_w + self.l.gap_px + pill_w > width:
            # Too narrow for both: the signal goes on its own line under the name.
            self.c.text(x, self.y, line_h, self.c.fit(card.name, heading, width), heading, INK)
            self.y += line_h
            pill_x = x
        else:
            self.c.text(x, self.y, line_h, card.name, heading, INK)
            pill_x = x + width - pill_w
        if card.signal:
            pill_h = self.l.line(self.l.small_px) + pad / 2
            top = self.y + (line_h - pill_h) / 2
            self.c.box(pill_x, top, pill_w, pill_h, self.fill[card.tone], pill_h / 2, layer=1)
            self.c.text(pill_x + pad, top, pill_h, card.signal, pill_prop, self.ink[card.tone])
        self.y += line_h
        period = card.period
        small = self.c.font(self.l.small_px)
        self.c.text(
            x, self.y, self.l.line(self.l.small_px), self.c.fit(period, small, width), small, MUTED
        )
        self.y += self.l.line(self.l.small_px)

    def tiles(self, tiles: tuple[Tile, ...], x: float, width: float) -> None:
        if not tiles:
            self.lines(self.plan.no_figures, self.l.body_px, MUTED, x, width)
            return
        gap, pad = self.l.gap_px / 2, self.l.card_pad_px / 2
        name_prop = self.c.font(self.l.small_px)
        widest = max(self.c.width(t.name, name_prop) for t in tiles)
        # As many tiles across as fit every name whole; a long name gets a wider tile.
        cols = min(self.l.max_tile_columns, len(tiles))
        while cols > 1 and (width - (cols - 1) * gap) / cols - 2 * pad < widest:
            cols -= 1
        tile_w = (width - (cols - 1) * gap) / cols
        name_h, figure_h = self.l.line(self.l.small_px), self.l.line(self.l.figure_px)
        tile_h = name_h + figure_h + 2 * pad
        figure_prop = self.c.font(self.l.figure_px, bold=True)
        for row in range(0, len(tiles), cols):
            self.y += gap
            for k, tile in enumerate(tiles[row : row + cols]):
                left = x + k * (tile_w + gap)
                self.c.box(left, self.y, tile_w, tile_h, TILE_FILL, self.l.radius_px / 2, layer=1)
                name = self.c.fit(tile.name, name_prop, tile_w - 2 * pad)
                self.c.text(left + pad, self.y + pad, name_h, name, name_prop, MUTED)
                ink = MUTED if tile.change in _MISSING else self.ink[tile.tone]
                self.c.text(
                    left + pad, self.y + pad + name_h, figure_h, tile.change, figure_prop, ink
                )
            self.y += tile_h

    def card(self, draw) -> None:
        """Draw a card: ``draw(x, width)`` lays out its content; the fill goes behind it."""
        top, pad = self.y, self.l.card_pad_px
        self.y += pad
        draw(self.left + pad, self.inner - 2 * pad)
        self.y += pad
        self.c.box(self.left, top, self.inner, self.y - top, CARD_FILL, self.l.radius_px)
        self.y += self.l.gap_px

    def spreads(self, plan: DashboardPlan, x: float, width: float) -> None:
        heading = self.c.font(self.l.heading_px, bold=True)
        line_h = self.l.line(self.l.heading_px)
        self.c.text(x, self.y, line_h, plan.spreads_heading, heading, INK)
        self.y += self.l.line(self.l.heading_px)
        body, value_prop = self.c.font(self.l.body_px), self.c.font(self.l.body_px, bold=True)
        small = self.c.font(self.l.small_px)
        for row in plan.spreads:
            self.y += self.l.gap_px / 3
            value_w = self.c.width(row.value, value_prop)
            note_w = self.c.width(row.note, small)
            pair_w = self.c.width(row.pair, body)
            line_h = self.l.line(self.l.body_px)
            gap = self.l.gap_px
            ink = MUTED if row.value in _MISSING else self.ink[row.tone]
            self.c.text(x + width, self.y, line_h, row.value, value_prop, ink, ha="right")
            if pair_w + note_w + value_w + 2 * gap <= width:
                # Room for the level between the pair and the figure: one line per pair.
                self.c.text(x, self.y, line_h, row.pair, body, INK)
                note_right = x + width - value_w - gap
                self.c.text(note_right, self.y, line_h, row.note, small, MUTED, ha="right")
                self.y += line_h
                continue
            pair = self.c.fit(row.pair, body, width - value_w - gap)
            self.c.text(x, self.y, line_h, pair, body, INK)
            self.y += line_h
            self.c.text(x, self.y, self.l.line(self.l.small_px), row.note, small, MUTED)
            self.y += self.l.line(self.l.small_px)
        if plan.more_text:
            self.y += self.l.gap_px / 3
            self.lines(plan.more_text, self.l.small_px, MUTED, x, width)


def dashboard_png(report: Report, layout: DashboardLayout = LAYOUT) -> bytes:
    """Return the dashboard PNG of ``report``: stacked market cards, then the main spreads."""
    plan = plan_dashboard(report, layout)
    p = _Painter(layout, plan)
    p.header(plan)
    for card in plan.cards:

        def draw(x: float, width: float, card: MarketCard = card) -> None:
            p.card_header(card, x, width)
            p.tiles(card.tiles, x, width)

        p.card(draw)
    if plan.spreads:
        p.card(lambda x, width: p.spreads(plan, x, width))
    if plan.footer:
        p.lines(plan.footer, layout.small_px, MUTED, p.left, p.inner)
    return p.c.png(p.y + layout.margin_px - layout.gap_px)

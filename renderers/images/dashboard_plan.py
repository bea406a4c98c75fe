"""What the dashboard image shows, planned as data from the typed Report before any drawing.

The plan reads the Report's sessions (moves, signal, period) and spreads only, so tests can
check what is shown; renderers/images/dashboard.py draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.formatting import bps, missing, session_label, signed_pct
from core.i18n import N_, Language, translator
from core.phrase import listing
from core.report import MarketSession, Report, Spread, Tone, WarningKind
from renderers.images.canvas import PHONE_WIDTH_PX


@dataclass(frozen=True)
class DashboardLayout:
    """Pixel sizes of the dashboard; text sizes are em heights in output pixels."""

    width_px: int = PHONE_WIDTH_PX
    margin_px: int = 24
    card_pad_px: int = 22
    gap_px: int = 20
    radius_px: int = 26
    title_px: int = 50
    heading_px: int = 42
    body_px: int = 36
    small_px: int = 32
    figure_px: int = 50
    line_factor: float = 1.3
    max_tile_columns: int = 3
    max_spreads: int = 4

    @property
    def min_text_px(self) -> int:
        """Return the smallest text size used."""
        return min(self.title_px, self.heading_px, self.body_px, self.small_px, self.figure_px)

    def line(self, size_px: float) -> float:
        """Return the height of a line of text of this size."""
        return self.line_factor * size_px


LAYOUT = DashboardLayout()


@dataclass(frozen=True)
class Tile:
    """One instrument: its name and change, coloured by direction."""

    name: str
    change: str
    tone: Tone


@dataclass(frozen=True)
class MarketCard:
    """One market: name, what its figures cover, closed or not, its signal and its moves."""

    market: str
    name: str
    period: str
    closed: bool
    signal: str | None
    tone: Tone
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class SpreadRow:
    """One pair's spread in bps and how it ranks."""

    pair: str
    value: str
    tone: Tone
    note: str


@dataclass(frozen=True)
class DashboardPlan:
    """What the dashboard shows, before any pixel is drawn."""

    title: str
    banner: str | None
    cards: tuple[MarketCard, ...]
    spreads: tuple[SpreadRow, ...]
    more_spreads: int
    footer: str | None
    # The words the painter draws besides the report's, in the report's language.
    language: Language = Language.EN
    spreads_heading: str = "Main spreads (A − B)"
    no_figures: str = "No figures in this snapshot"
    more_text: str | None = None


def _tone(value: float | None) -> Tone:
    if value is None or value == 0:
        return Tone.NEUTRAL
    return Tone.UP if value > 0 else Tone.DOWN


def _change(value: float | None, language: Language) -> str:
    return signed_pct(value) if value is not None else missing(language)


def _card(session: MarketSession, closed: set[str], language: Language) -> MarketCard:
    say = translator(language).gettext
    period = session.period or session_label(session.session_date, language)
    if session.market in closed:
        period = say(N_("Closed · %(period)s"), period=period)
    signal = None
    if session.signal is not None:
        signal = session.signal
        if session.mean_change_pct is not None:
            signal = f"{signal} {signed_pct(session.mean_change_pct)}"
    return MarketCard(
        market=session.market,
        name=session.name,
        period=period,
        closed=session.market in closed,
        signal=signal,
        tone=session.signal_tone,
        tiles=tuple(
            Tile(m.name, _change(m.change_pct, language), _tone(m.change_pct))
            for m in session.moves
        ),
    )


def _spread_row(spread: Spread, language: Language) -> SpreadRow:
    say = translator(language).gettext
    note = spread.level if spread.spread_bps is not None else say(N_("no figure"))
    if spread.spread_bps is not None and not spread.same_session:
        note = say(N_("%(level)s · diff. sessions"), level=note)
    return SpreadRow(
        f"{spread.label_a} − {spread.label_b}",
        bps(spread.spread_bps, lang=language),
        _tone(spread.spread_bps),
        note,
    )


def _ranked(spreads: tuple[Spread, ...]) -> list[Spread]:
    # Largest gaps first; pairs without a figure last, in their configured order.
    return sorted(spreads, key=lambda s: -abs(s.spread_bps) if s.spread_bps is not None else 1)


def _first_sentence(note: str) -> str:
    # What the image must say on its own ("SAMPLE DATA, not live"); the message says the rest.
    head = note.partition(". ")[0].partition("：")[0].partition(": ")[0]
    return head.rstrip(".")


def plan_dashboard(report: Report, layout: DashboardLayout = LAYOUT) -> DashboardPlan:
    """Return what the dashboard of ``report`` shows: a card per market, the top spreads."""
    closed = {w.market for w in report.warnings if w.kind is WarningKind.CLOSED and w.market}
    language = report.language
    tr = translator(language)
    ranked = _ranked(report.spreads)
    shown = ranked[: layout.max_spreads]
    more = len(ranked) - len(shown)
    footer = [tr.gettext(N_("Source: %(names)s"), names=listing(report.sources).said(tr))]
    if language is Language.ZH:
        footer.append(tr.gettext(N_("Red: up, green: down")))
    return DashboardPlan(
        title=tr.gettext(N_("Markets · %(day)s"), day=session_label(report.report_date, language)),
        banner=_first_sentence(report.demo_note) if report.demo_note else None,
        cards=tuple(_card(s, closed, language) for s in report.sessions),
        spreads=tuple(_spread_row(s, language) for s in shown),
        more_spreads=more,
        footer=" · ".join(footer) if report.sources else None,
        language=language,
        spreads_heading=tr.gettext(N_("Main spreads (A − B)")),
        no_figures=tr.gettext(N_("No figures in this snapshot")),
        more_text=tr.ngettext(
            "%(n)s more pair in the divergences section",
            "%(n)s more pairs in the divergences section",
            more,
        )
        if more
        else None,
    )

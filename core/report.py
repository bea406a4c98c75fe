"""The Report: ordered sections of typed blocks that renderers turn into text, chat or images.

Table cells keep their numeric value and unit, so a renderer can format and colour them;
nothing here knows about Markdown, HTML or a chat platform.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from core.i18n import DEFAULT_LANGUAGE, Language


class Unit(StrEnum):
    """What a cell's number measures; renderers format by unit."""

    TEXT = "text"
    PCT = "pct"
    BPS = "bps"
    POINTS = "points"
    USD = "usd"
    CNY = "cny"
    COUNT = "count"
    DATE = "date"


class Tone(StrEnum):
    """How a renderer may colour a value: gain, loss or neither."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Cell:
    """One table cell: a number with its unit, a text, or None for missing."""

    value: float | int | str | date | None
    unit: Unit = Unit.TEXT
    signed: bool = False
    decimals: int | None = None
    # The value as another language writes it (core/localize.py); the value stays the number.
    display: str | None = None

    @property
    def missing(self) -> bool:
        """Return True when the cell has no value."""
        return self.value is None

    @property
    def tone(self) -> Tone:
        """Return UP/DOWN for signed numbers, NEUTRAL otherwise."""
        if not self.signed or not isinstance(self.value, int | float):
            return Tone.NEUTRAL
        if self.value > 0:
            return Tone.UP
        if self.value < 0:
            return Tone.DOWN
        return Tone.NEUTRAL


def text(value: str | None) -> Cell:
    """Return a text cell."""
    return Cell(value)


def pct(value: float | None, *, signed: bool = True, decimals: int = 2) -> Cell:
    """Return a percent cell (``1.5`` means 1.5 %)."""
    return Cell(value, Unit.PCT, signed=signed, decimals=decimals)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose built from the figures."""

    text: str


@dataclass(frozen=True)
class BulletList:
    """A list of short statements."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table whose cells keep their values and units."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str | None = None
    footer: str | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row has {len(row)} cells, table has {len(self.columns)} columns")


class Direction(StrEnum):
    """Direction of a node in the capital-flow map."""

    INFLOW = "+"
    OUTFLOW = "-"
    FLAT = "="
    UNKNOWN = "?"


@dataclass(frozen=True)
class FlowNode:
    """A node of the capital-flow map and the figure behind its direction."""

    name: str
    direction: Direction
    detail: str


@dataclass(frozen=True)
class FlowEdge:
    """A directed link between two flow-map nodes with what carries it."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class FlowMap:
    """Capital-flow map: nodes with directions and the links between them."""

    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    summary: str | None = None

    def node(self, name: str) -> FlowNode | None:
        """Return the node with this name, if any."""
        return next((n for n in self.nodes if n.name == name), None)


Block = Paragraph | BulletList | Table | FlowMap


@dataclass(frozen=True)
class Section:
    """One section of the report: a key, a title, blocks, and what data it lacked."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    missing: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        """Return True when the section has any content beyond its missing-data notes."""
        return bool(self.blocks)


class WarningKind(StrEnum):
    """Kinds of report-level warnings."""

    CLOSED = "closed"
    STALE = "stale"
    MISSING = "missing"
    SOURCE_FAILED = "source_failed"
    DISAGREEMENT = "disagreement"
    DATA_QUALITY = "data_quality"
    DEMO = "demo"
    INFO = "info"


@dataclass(frozen=True)
class ReportWarning:
    """Something the reader must know about the data behind the report."""

    kind: WarningKind
    message: str
    market: str | None = None


@dataclass(frozen=True)
class Move:
    """One instrument's change over its market's session; None when it is missing."""

    name: str
    change_pct: float | None


@dataclass(frozen=True)
class MarketSession:
    """Which session a market's figures come from, with its moves and the signal they give.

    ``period`` says what the figures cover (``session Fri 2026-03-20``, ``24 h to …``);
    overviews such as the dashboard image read the market from here instead of its prose.
    """

    market: str
    name: str
    session_date: date | None
    sources: tuple[str, ...] = ()
    moves: tuple[Move, ...] = ()
    mean_change_pct: float | None = None
    signal: str | None = None
    signal_tone: Tone = Tone.NEUTRAL
    period: str | None = None
    open_utc: datetime | None = None
    close_utc: datetime | None = None
    older: bool = False


@dataclass(frozen=True)
class Spread:
    """A configured pair's spread, A minus B in bps, with its level against the thresholds."""

    label_a: str
    label_b: str
    spread_bps: float | None
    level: str
    same_session: bool = True


@dataclass(frozen=True)
class Digest:
    """The report read in a minute: the day's strongest signals, the chain, top risk, stance.

    The chain's markets and the top spreads are the Report's ``sessions`` and ``spreads``;
    these are the sentences that go with them.
    """

    insight: tuple[str, ...] = ()
    chain: str | None = None
    risk: str | None = None
    stance: str | None = None


@dataclass(frozen=True)
class Report:
    """A complete cross-market report for one report date."""

    report_date: date
    title: str
    sections: tuple[Section, ...]
    sessions: tuple[MarketSession, ...] = ()
    sources: tuple[str, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    demo_note: str | None = None
    spreads: tuple[Spread, ...] = ()
    report_at: datetime | None = None
    digest: Digest | None = None
    legend: str | None = None  # every threshold the sections apply, said once
    language: Language = DEFAULT_LANGUAGE  # the words'; renderers format figures for it

    def section(self, key: str) -> Section:
        """Return the section with this key (KeyError if absent)."""
        for sec in self.sections:
            if sec.key == key:
                return sec
        raise KeyError(key)

    def only(self, *keys: str) -> Report:
        """Return a copy holding only the given sections (the disclaimer is always kept)."""
        wanted = {*keys, "disclaimer"}
        return replace(self, sections=tuple(s for s in self.sections if s.key in wanted))

"""The reading order of a report, shared by every text-like renderer.

A Report is always read the same way: title, sample-data note, sessions, warnings, what is
missing (one line), numbered sections, the legend of thresholds, sources. Each is said once.
``ReportWriter`` walks that order once; a format subclasses it and says how each piece looks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from core.formatting import format_cell, session_label
from core.i18n import N_, Language, translator
from core.phrase import listing
from core.report import (
    Block,
    BulletList,
    Cell,
    FlowEdge,
    FlowMap,
    FlowNode,
    MarketSession,
    Paragraph,
    Report,
    ReportWarning,
    Section,
    Table,
    Unit,
    WarningKind,
)

# The reader needs to know first whether figures are new at all, then whether they are complete.
_WARNING_ORDER = (
    WarningKind.DEMO,
    WarningKind.CLOSED,
    WarningKind.STALE,
    WarningKind.MISSING,
    WarningKind.SOURCE_FAILED,
    WarningKind.DISAGREEMENT,
    WarningKind.DATA_QUALITY,
    WarningKind.INFO,
)

WARNING_LABELS = {  # catalog ids: translate with the report's language where shown
    WarningKind.DEMO: N_("Sample data"),
    WarningKind.CLOSED: N_("Market closed"),
    WarningKind.STALE: N_("Stale"),
    WarningKind.MISSING: N_("Missing"),
    WarningKind.SOURCE_FAILED: N_("Source failed"),
    WarningKind.DISAGREEMENT: N_("Sources disagree"),
    WarningKind.DATA_QUALITY: N_("Data quality"),
    WarningKind.INFO: N_("Note"),
}


def ordered_warnings(report: Report) -> tuple[ReportWarning, ...]:
    """Return the warnings to list: demo first, then closed, stale, missing, source failures.

    A demo warning repeating ``report.demo_note`` is dropped: the note is shown on its own.
    """
    kept = [
        w
        for w in report.warnings
        if not (w.kind is WarningKind.DEMO and w.message == report.demo_note)
    ]
    return tuple(sorted(kept, key=lambda w: _WARNING_ORDER.index(w.kind)))


def missing_items(report: Report) -> list[str]:
    """Return every figure the sections lack, each named once, in reading order."""
    seen: dict[str, str] = {}
    for section in report.sections:
        for item in section.missing:
            # Sections word one gap as "X" or "X: not available …": name X once.
            name = item.split(":")[0].strip().rstrip(".")
            key = name.casefold()
            if not any(key.startswith(k + " ") for k in seen):
                seen.setdefault(key, name)
    # "DeFi TVL" covers "DeFi TVL by protocol": keep the broader name where both came.
    return [name for key, name in seen.items() if not any(key.startswith(k + " ") for k in seen)]


def sessions_text(sessions: Sequence[MarketSession], language: Language = Language.EN) -> str:
    """Return each session once: ``US equities: Thu 2026-03-19 · Hong Kong, …: Fri …``."""
    groups: dict[str, list[str]] = {}
    for s in sessions:
        groups.setdefault(session_label(s.session_date, language), []).append(s.name)
    say = translator(language).gettext
    return " · ".join(
        say(N_("%(label)s: %(text)s"), label=listing(names).said(translator(language)), text=day)
        for day, names in groups.items()
    )


def missing_line(items: Sequence[str], language: Language = Language.EN) -> str:
    """Return missing names as one line: ``A; B`` (``A；B`` in Chinese)."""
    return listing(items, "semicolon").said(translator(language))


def labelled(message: str, language: Language = Language.EN) -> str:
    """Return a label with its colon as the language writes it (``Sources:``, ``数据来源：``)."""
    tr = translator(language)
    return tr.gettext(N_("%(label)s:"), label=tr.gettext(message))


def label(report: Report, message: str) -> str:
    """Return a label (``Sessions:``, ``Sources:``) in the report's language, colon included."""
    return labelled(message, report.language)


def node_line(node: FlowNode) -> str:
    """Return ``US equities (+)``, with `` — detail`` when the node has one."""
    head = f"{node.name} ({node.direction.value})"
    return f"{head} — {node.detail}" if node.detail else head


def edge_line(edge: FlowEdge) -> str:
    """Return ``US equities ──► Hong Kong: chain breaks`` for a flow-map link."""
    return f"{edge.source} ──► {edge.target}: {edge.label}"


def numeric_columns(table: Table) -> tuple[bool, ...]:
    """Return, per column, whether every known cell holds a number (renderers right-align)."""
    return tuple(
        any(not row[i].missing for row in table.rows)
        and all(row[i].missing or _is_number(row[i]) for row in table.rows)
        for i in range(len(table.columns))
    )


def _is_number(cell: Cell) -> bool:
    return cell.unit not in (Unit.TEXT, Unit.DATE)


def cell_texts(table: Table) -> list[list[str]]:
    """Return every row of a table as display strings (missing values as ``n/a``)."""
    return [[format_cell(c) for c in row] for row in table.rows]


class ReportWriter(ABC):
    """Walk a Report in reading order; subclasses format each piece and join them."""

    def render(self, report: Report) -> str:
        """Return the whole report as one string ending with a newline."""
        parts = self.header(report)
        missing = missing_items(report)
        if missing:
            line = missing_line(missing, report.language)
            parts.append(self.paragraph(line, label=label(report, N_("Missing"))))
        for n, section in enumerate(report.sections, start=1):
            if section.key == "disclaimer" and report.legend:
                parts.append(self.paragraph(report.legend, label=label(report, N_("Legend"))))
            parts.append(self.section(section, n, missing=False, language=report.language))
        if report.sources:
            sources = listing(report.sources).said(translator(report.language))
            parts.append(self.paragraph(sources, label=label(report, N_("Sources"))))
        return self.join_blocks(parts) + "\n"

    def header(self, report: Report) -> list[str]:
        """Return what precedes the sections: title, sample-data note, sessions, warnings."""
        parts = [self.title(report.title)]
        if report.demo_note:
            parts.append(self.demo_note(report.demo_note))
        if report.sessions:
            sessions = sessions_text(report.sessions, report.language)
            parts.append(self.paragraph(sessions, label=label(report, N_("Sessions"))))
        warnings = ordered_warnings(report)
        if warnings:
            parts.append(self.warnings(warnings, report.language))
        return parts

    def render_section(self, section: Section, number: int | None = None) -> str:
        """Return one section on its own, ending with a newline."""
        return self.section(section, number) + "\n"

    def section(
        self,
        section: Section,
        number: int | None,
        *,
        missing: bool = True,
        language: Language = Language.EN,
    ) -> str:
        """Return a section: heading, blocks, then its missing-data line (unless said above)."""
        parts = [self.heading(section.title, number)]
        parts.extend(self.block(b) for b in section.blocks)
        if missing and section.missing:
            parts.append(self.missing_note(section, language))
        return self.join_blocks(parts)

    def missing_note(self, section: Section, language: Language = Language.EN) -> str:
        """Return the line naming what a section lacks, labelled in the report's language."""
        text = missing_line(section.missing, language)
        return self.paragraph(text, label=labelled(N_("Missing"), language))

    def block(self, block: Block) -> str:
        """Return one block in this format."""
        match block:
            case Paragraph():
                return self.paragraph(block.text)
            case BulletList():
                return self.bullets(block.items)
            case Table():
                return self.table(block)
            case FlowMap():
                return self.flow_map(block)
        raise TypeError(f"cannot render block {type(block).__name__}")

    def flow_map(self, flow: FlowMap) -> str:
        """Return a flow map: node lines and link lines as one diagram, then its summary."""
        lines = [node_line(n) for n in flow.nodes]
        if flow.nodes and flow.edges:
            lines.append("")
        lines.extend(edge_line(e) for e in flow.edges)
        parts = [self.diagram(lines)] if lines else []
        if flow.summary:
            parts.append(self.paragraph(flow.summary))
        return self.join_blocks(parts)

    def warnings(self, warnings: Sequence[ReportWarning], language: Language = Language.EN) -> str:
        """Return the warnings list under its heading."""
        say = translator(language).gettext
        items = tuple(
            say(N_("%(label)s: %(text)s"), label=say(WARNING_LABELS[w.kind]), text=w.message)
            for w in warnings
        )
        return self.join_blocks([self.subheading(say(N_("Warnings"))), self.bullets(items)])

    def table(self, table: Table) -> str:
        """Return a table with its title above and its footer below."""
        parts = [self.subheading(table.title)] if table.title else []
        parts.append(self.table_body(table))
        if table.footer:
            parts.append(self.paragraph(table.footer))
        return self.join_blocks(parts)

    def join_blocks(self, parts: Sequence[str]) -> str:
        """Join pieces with a blank line between them, skipping empty ones."""
        return "\n\n".join(p for p in parts if p)

    @abstractmethod
    def title(self, title: str) -> str:
        """Return the report title."""

    @abstractmethod
    def demo_note(self, note: str) -> str:
        """Return the sample-data note shown right under the title."""

    @abstractmethod
    def heading(self, title: str, number: int | None) -> str:
        """Return a section heading, numbered when ``number`` is given."""

    @abstractmethod
    def subheading(self, title: str) -> str:
        """Return a minor heading (table titles, the warnings list)."""

    @abstractmethod
    def paragraph(self, text: str, label: str | None = None) -> str:
        """Return prose; a ``label`` (its colon included) is shown before it: ``Label: text``."""

    @abstractmethod
    def bullets(self, items: Sequence[str]) -> str:
        """Return a bullet list."""

    @abstractmethod
    def diagram(self, lines: Sequence[str]) -> str:
        """Return lines kept exactly as laid out (monospace where the format has it)."""

    @abstractmethod
    def table_body(self, table: Table) -> str:
        """Return the rows of a table with its column headers."""

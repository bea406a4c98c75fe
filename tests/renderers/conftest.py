"""A hand-built Report using every block kind, shared by the renderer tests."""

from __future__ import annotations

from datetime import date

import pytest

from core.report import (
    BulletList,
    Cell,
    Direction,
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
    pct,
    text,
)

DEMO_NOTE = "SAMPLE DATA — figures from the 2026-03-20 sample, not live market data."


def make_report(**changes: object) -> Report:
    """Return a report with two sections, a disclaimer, sessions, sources and warnings."""
    hk = Section(
        "hk",
        "Hong Kong Market",
        (
            Paragraph("HSI fell 2.02% in the session of Fri 2026-03-20."),
            Table(
                ("Index", "Close", "Change"),
                (
                    (text("HSI"), Cell(25500.58, Unit.POINTS), pct(-2.02)),
                    (text("上证指数 (SSE)"), Cell(None, Unit.POINTS), pct(None)),
                    (text("Tech|Growth"), Cell(4996.28, Unit.POINTS), pct(0.5)),
                ),
                title="Hong Kong indexes",
                footer="Closes in index points.",
            ),
            BulletList(("HSTECH led the fall", "HSCEI fell least")),
        ),
        missing=("HSCEI close", "turnover"),
    )
    flows = Section(
        "flows",
        "Capital Flow Map",
        (
            FlowMap(
                nodes=(
                    FlowNode("US equities", Direction.INFLOW, "mean +0.56%"),
                    FlowNode("Hong Kong", Direction.OUTFLOW, "mean -1.93%"),
                ),
                edges=(FlowEdge("US equities", "Hong Kong", "chain breaks"),),
                summary="Money left Hong Kong while US equities rose.",
            ),
        ),
    )
    disclaimer = Section(
        "disclaimer", "Disclaimer", (Paragraph("Not financial advice. Figures come from data."),)
    )
    fields: dict[str, object] = {
        "report_date": date(2026, 3, 20),
        "title": "Market Intelligence Report — 2026-03-20",
        "sections": (hk, flows, disclaimer),
        "sessions": (
            MarketSession("US", "US equities", date(2026, 3, 19), ("stooq",)),
            MarketSession("HK", "Hong Kong", date(2026, 3, 20), ("yahoo",)),
            MarketSession("CRYPTO", "Crypto", None),
        ),
        "sources": ("stooq", "yahoo"),
        # Deliberately out of reading order: renderers must sort them.
        "warnings": (
            ReportWarning(WarningKind.INFO, "US session date inferred.", "US"),
            ReportWarning(WarningKind.SOURCE_FAILED, "coingecko unavailable: timeout"),
            ReportWarning(WarningKind.MISSING, "Crypto: no figures in this snapshot.", "CRYPTO"),
            ReportWarning(WarningKind.STALE, "Hong Kong: quotes come from two sessions.", "HK"),
            ReportWarning(WarningKind.CLOSED, "US equities closed on Sat 2026-03-21.", "US"),
            ReportWarning(WarningKind.DEMO, DEMO_NOTE),
        ),
        "demo_note": DEMO_NOTE,
    }
    fields.update(changes)
    return Report(**fields)


@pytest.fixture
def sample_report() -> Report:
    """Return the hand-built report."""
    return make_report()

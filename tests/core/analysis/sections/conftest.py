"""Fixtures for the section builders: a snapshot mirroring the 2026-03-22 report, text helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from core.analysis.facts import Facts, compute_facts
from core.formatting import format_cell
from core.report import BulletList, Paragraph, Section, Table
from core.snapshot import (
    Breadth,
    CryptoQuote,
    IndexQuote,
    MarketSnapshot,
    ProtocolTvl,
    StablecoinSupply,
    Turnover,
)

SUNDAY = date(2026, 3, 22)
FRIDAY = date(2026, 3, 20)
SRC = "reference report 2026-03-22 (test mirror)"

# Figures printed in the 2026-03-22 reference report; every session is Fri 2026-03-20.
SUNDAY_INDEXES = {
    "DJIA": 0.65,
    "NASDAQ": 0.44,
    "SPX": 0.59,
    "HSI": -0.88,
    "HSCEI": -1.40,
    "HSTECH": -2.48,
    "SSE": -1.24,
    "SZSE": -0.25,
    "CHINEXT": 1.30,
}


def sunday_snapshot() -> MarketSnapshot:
    """Return a snapshot with the 2026-03-22 reference figures (report date Sun, sessions Fri)."""
    return MarketSnapshot(
        report_date=SUNDAY,
        indexes=tuple(
            IndexQuote(key, FRIDAY, SRC, change_pct=change)
            for key, change in SUNDAY_INDEXES.items()
        ),
        crypto=(
            CryptoQuote("BTC", FRIDAY, SRC, price_usd=68_813, change_24h_pct=-2.63),
            CryptoQuote("ETH", FRIDAY, SRC, price_usd=2_078, change_24h_pct=-3.41),
        ),
        breadth=Breadth(FRIDAY, SRC, up=313, down=2_011),
        turnover=Turnover(FRIDAY, SRC, turnover_cny=1_754e9),
        protocols=(
            ProtocolTvl("BackedFi", SRC, "RWA", tvl_usd=40e6, change_1d_pct=246.0),
            ProtocolTvl("Spark Savings", SRC, "Yield", tvl_usd=900e6, change_1d_pct=12.6),
            ProtocolTvl("Frankencoin", SRC, "CDP", tvl_usd=30e6, change_1d_pct=60.0),
            ProtocolTvl("Reservoir", SRC, "CDP", tvl_usd=60e6, change_1d_pct=18.9),
            ProtocolTvl(
                "DoubleZero SOL", SRC, "Liquid Staking", tvl_usd=200e6, change_1d_pct=-23.93
            ),
            ProtocolTvl("Hyperliquid", SRC, "Derivatives", tvl_usd=2e9, change_1d_pct=-8.89),
            ProtocolTvl("Free Protocol", SRC, "Bridge", tvl_usd=20e6, change_1d_pct=-7.91),
            ProtocolTvl("Tiny", SRC, "Dexes", tvl_usd=1e6, change_1d_pct=500.0),
        ),
        stablecoins=(
            StablecoinSupply("USDT", SRC, circulating_usd=184.048e9, prev_day_usd=184.0e9),
            StablecoinSupply("USDC", SRC, circulating_usd=78.791e9, prev_day_usd=79.0e9),
        ),
        dex_volumes=(),
    )


@pytest.fixture
def sunday() -> MarketSnapshot:
    """Return the snapshot mirroring the 2026-03-22 reference report."""
    return sunday_snapshot()


@pytest.fixture
def facts_of(registry, settings) -> Callable[[MarketSnapshot], Facts]:
    """Return a function computing Facts of a snapshot with the default registry and settings."""
    return lambda snapshot: compute_facts(snapshot, registry, settings)


def _block_text(block: object) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, BulletList):
        return "\n".join(block.items)
    if isinstance(block, Table):
        lines = [block.title or "", " | ".join(block.columns), block.footer or ""]
        lines.extend(" | ".join(format_cell(c) for c in row) for row in block.rows)
        return "\n".join(lines)
    return str(block)


@pytest.fixture
def section_text() -> Callable[[Section], str]:
    """Return a function flattening a section's blocks into plain text, as a renderer would."""
    return lambda section: "\n".join(_block_text(b) for b in section.blocks)


@pytest.fixture
def prose() -> Callable[[Section], str]:
    """Return a function joining a section's paragraphs and bullets (tables left out)."""
    return lambda section: "\n".join(
        _block_text(b) for b in section.blocks if isinstance(b, Paragraph | BulletList)
    )

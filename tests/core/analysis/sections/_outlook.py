"""Hand-built snapshots for the insight, flow, risk and action tests: only what a case needs."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import strategies as st

from core.report import FlowMap, Paragraph, Section, Table
from core.snapshot import (
    Breadth,
    CryptoQuote,
    IndexQuote,
    MarketSnapshot,
    Northbound,
    ProtocolTvl,
    StablecoinSupply,
)

FRI = date(2026, 3, 20)
THU = date(2026, 3, 19)
SRC = "hand-built test snapshot"
CRYPTO_KEYS = ("BTC", "ETH")
# Words that mean a value leaked into prose unformatted.
UNFILLED = re.compile(r"\b(None|nan|inf)\b")
US_KEYS = ("DJIA", "NASDAQ", "SPX")


def stables(net_usd: float) -> tuple[StablecoinSupply, ...]:
    """Return two coins whose supplies sum to a net 1-day change of ``net_usd``."""
    return (
        StablecoinSupply("USDT", SRC, circulating_usd=180e9 + net_usd, prev_day_usd=180e9),
        StablecoinSupply("USDC", SRC, circulating_usd=80e9, prev_day_usd=80e9),
    )


def make(
    *,
    breadth: tuple[int, int] | None = None,
    stable_net: float | None = None,
    northbound_cny: float | None = None,
    protocols: tuple[ProtocolTvl, ...] | None = None,
    us_session: date = THU,
    report_date: date = FRI,
    **changes: float,
) -> MarketSnapshot:
    """Return a snapshot with the given percent changes (US from ``us_session``, others Fri)."""
    return MarketSnapshot(
        report_date=report_date,
        indexes=tuple(
            IndexQuote(k, us_session if k in US_KEYS else FRI, SRC, change_pct=v)
            for k, v in changes.items()
            if k not in CRYPTO_KEYS
        ),
        crypto=tuple(
            CryptoQuote(k, FRI, SRC, change_24h_pct=v)
            for k, v in changes.items()
            if k in CRYPTO_KEYS
        ),
        breadth=None if breadth is None else Breadth(FRI, SRC, up=breadth[0], down=breadth[1]),
        stablecoins=None if stable_net is None else stables(stable_net),
        northbound=None
        if northbound_cny is None
        else Northbound(FRI, SRC, net_buy_cny=northbound_cny),
        protocols=protocols,
    )


_CHANGE = st.one_of(st.none(), st.floats(min_value=-30, max_value=30, allow_nan=False))


@st.composite
def snapshots(draw: st.DrawFn) -> MarketSnapshot:
    """Draw a snapshot with any subset of figures present, of any sign and size."""
    keys = (
        "DJIA",
        "NASDAQ",
        "SPX",
        "HSI",
        "HSCEI",
        "HSTECH",
        "SSE",
        "SZSE",
        "CHINEXT",
        *CRYPTO_KEYS,
    )
    changes = {k: v for k in keys if (v := draw(_CHANGE)) is not None}
    counts = st.integers(min_value=0, max_value=5000)
    protocols = st.lists(
        st.builds(
            ProtocolTvl,
            name=st.sampled_from(("A", "B", "C", "D")),
            source=st.just(SRC),
            category=st.sampled_from(("Lending", "RWA", None)),
            tvl_usd=st.one_of(st.none(), st.floats(min_value=0, max_value=1e11)),
            change_1d_pct=st.one_of(st.none(), st.floats(min_value=-99, max_value=500)),
        ),
        max_size=6,
    )
    return make(
        breadth=draw(st.one_of(st.none(), st.tuples(counts, counts))),
        stable_net=draw(st.one_of(st.none(), st.floats(min_value=-5e9, max_value=5e9))),
        northbound_cny=draw(st.one_of(st.none(), st.floats(min_value=-1e10, max_value=1e10))),
        protocols=draw(st.one_of(st.none(), protocols.map(tuple))),
        us_session=draw(st.sampled_from((THU, FRI))),
        **changes,
    )


def strings(section: Section) -> list[str]:
    """Return every piece of prose in a section: paragraphs, text cells, flow-map texts."""
    out: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend(c.value for row in block.rows for c in row if isinstance(c.value, str))
        elif isinstance(block, FlowMap):
            out.extend(n.detail for n in block.nodes)
            out.extend(e.label for e in block.edges)
            out.append(block.summary or "")
    return out

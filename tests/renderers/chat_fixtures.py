"""Reports for the chat renderer tests: a hand-built one and a hypothesis strategy."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from core.i18n import Language
from core.localize import localize
from core.report import (
    BulletList,
    Cell,
    Paragraph,
    Report,
    Section,
    Table,
    Unit,
    pct,
    text,
)
from renderers.images import DivergenceHistory
from tests.renderers.conftest import make_report

D = date(2026, 3, 20)


def chat_report(**changes: object) -> Report:
    """Return the shared sample report plus market tables, an unavailable and a wide section."""
    base = make_report()
    hk, flows, disclaimer = base.sections
    us = Section(
        "us",
        "US Market",
        (
            Table(
                ("Index", "Close", "Change"),
                (
                    (text("DJIA"), Cell(46021.43, Unit.POINTS), pct(0.65)),
                    (text("S&P 500 <SPX>"), Cell(6606.49, Unit.POINTS), pct(0.59)),
                ),
                title="US equities (last session Thu 2026-03-19)",
            ),
        ),
    )
    cn = Section(
        "cn",
        "A-Share Market",
        (
            Table(
                ("Index", "Close", "Change"),
                (
                    (text("上证指数 (SSE)"), Cell(4006.55, Unit.POINTS), pct(-1.39)),
                    (text("深证成指 (SZSE)"), Cell(13901.57, Unit.POINTS), pct(-2.02)),
                    (text("创业板指 (ChiNext)"), Cell(3309.10, Unit.POINTS), pct(-1.11)),
                ),
            ),
            BulletList(("Turnover ¥1.70T", "Breadth 257 up / 2,075 down")),
        ),
        missing=("northbound flow",),
    )
    crypto = Section("crypto", "Crypto & DeFi", (), missing=("coingecko: timeout after 10 s",))
    risks = Section(
        "risks",
        "Risk Matrix",
        (
            Table(
                ("Rank", "Risk", "Probability", "Trigger to watch"),
                (
                    (
                        Cell(1, Unit.COUNT),
                        text("Drawdown continues in Hong Kong & China A-shares"),
                        text("High"),
                        text("HSTECH extends beyond -2.19% (session Fri 2026-03-20)"),
                    ),
                    (
                        Cell(2, Unit.COUNT),
                        text("Crypto liquidation <cascade>"),
                        text("Medium"),
                        text("stablecoin supply shrinks again (last 1-day change -$1.18B)"),
                    ),
                ),
            ),
        ),
    )
    fields: dict[str, object] = {"sections": (us, hk, cn, crypto, flows, risks, disclaimer)}
    fields.update(changes)
    return make_report(**fields)


def divergence_history(days: int = 30) -> DivergenceHistory:
    """Return a deterministic S&P 500 vs HSI history ending on the report date."""
    dates = [D - timedelta(days=days - 1 - i) for i in range(days)]
    a = tuple((d, 6500.0 + 8.0 * i + (25.0 if i % 3 == 0 else -10.0)) for i, d in enumerate(dates))
    b = tuple(
        (d, 26000.0 - 30.0 * i + (90.0 if i % 4 == 0 else -40.0)) for i, d in enumerate(dates)
    )
    spreads = tuple(
        (d, ((a[i][1] / a[i - 1][1]) - (b[i][1] / b[i - 1][1])) * 10_000.0)
        for i, d in enumerate(dates)
        if i
    )
    return DivergenceHistory("S&P 500", "HSI", a, b, spreads, ("stooq",))


# Texts full of what breaks chat markup: HTML and markdown specials, CJK, emoji, line breaks.
NASTY = st.sampled_from(
    [*"abcdefgh xyz ", "<", ">", "&", "*", "_", "`", "~", "|", "#", "\\", "\n", "上", "证", "指",
     "数", "😀", "&amp;", "<b>", "```", "- ", "1. "]
)  # fmt: skip
nasty_text = st.lists(NASTY, min_size=1, max_size=60).map("".join)
long_text = st.lists(NASTY, min_size=0, max_size=2500).map("".join)


@st.composite
def random_reports(draw: st.DrawFn) -> Report:
    """Return a report of random sections with long, hostile texts and tables, in a language."""
    sections = []
    keys = draw(st.lists(st.sampled_from(["insight", "us", "hk", "cn", "risks"]), max_size=4))
    for n, key in enumerate(keys):
        blocks: list[object] = [Paragraph(t) for t in draw(st.lists(long_text, max_size=3))]
        names = draw(st.lists(nasty_text, min_size=1, max_size=4))
        blocks.append(
            Table(
                ("Name", "Change"),
                tuple((text(name), pct(float(i) - 1.5)) for i, name in enumerate(names)),
                title=draw(st.none() | nasty_text),
            )
        )
        if draw(st.booleans()):
            blocks.append(BulletList(tuple(draw(st.lists(nasty_text, max_size=5)))))
        missing = tuple(draw(st.lists(nasty_text, max_size=2)))
        available = draw(st.booleans())
        sections.append(
            Section(key, f"Section {n} {key}", tuple(blocks) if available else (), missing)
        )
    report = make_report(
        sections=tuple(sections),
        title=draw(nasty_text),
        demo_note=draw(st.none() | nasty_text),
    )
    return localize(report, draw(st.sampled_from(list(Language))))

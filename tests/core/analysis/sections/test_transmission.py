"""Transmission chain: per-market table, where the chain breaks, crypto amplification, sessions."""

from dataclasses import replace
from datetime import date

import pytest

from core.analysis.sections.transmission import build_transmission
from core.report import Table
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot

from ._read import FRIDAY, day, figures, says_missing

D = date(2026, 3, 20)
EQUITY_KEYS = ("DJIA", "NASDAQ", "SPX", "HSI", "HSCEI", "HSTECH", "SSE", "SZSE", "CHINEXT")


def _table(section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


def _market_changes(snapshot, registry, market) -> list[float]:
    out = []
    for inst in registry.in_market(market):
        quote = snapshot.crypto_quote(inst.key) if market == "CRYPTO" else snapshot.index(inst.key)
        if quote is not None:
            out.append(quote.change_24h_pct if market == "CRYPTO" else quote.change_pct)
    return out


def _snap(equity_pct: float, crypto_pct: float) -> MarketSnapshot:
    return MarketSnapshot(
        report_date=D,
        indexes=tuple(IndexQuote(k, D, "t", change_pct=equity_pct) for k in EQUITY_KEYS),
        crypto=tuple(CryptoQuote(k, D, "t", change_24h_pct=crypto_pct) for k in ("BTC", "ETH")),
    )


@pytest.mark.parametrize("fixture", ["demo", "sunday"])
def test_table_rows_follow_the_session_closes_with_computed_means(
    request, registry, facts_of, fixture
):
    snapshot = request.getfixturevalue(fixture)
    facts = facts_of(snapshot)
    order = facts.timeline.order
    closes = [facts.timeline.span(k).close_utc for k in order]
    assert closes == sorted(closes)
    table = _table(build_transmission(facts))
    assert [row[0].value for row in table.rows] == [registry.markets[k].name for k in order]
    for market, row in zip(order, table.rows, strict=True):
        changes = _market_changes(snapshot, registry, market)
        assert row[2].value == pytest.approx(sum(changes) / len(changes))


def test_demo_breaks_where_a_later_session_went_the_other_way(demo, facts_of, prose):
    facts = facts_of(demo)
    assert facts.timeline.order == ("US", "CN", "HK", "CRYPTO")
    text = prose(build_transmission(facts))
    assert "The chain breaks at China A-shares" in text
    assert "read risk-on (mean +0.56%) and closed before China A-shares opened" in text
    assert "US equities → Hong Kong breaks" in text
    # Hong Kong and Shanghai traded side by side: no link between them.
    assert "China A-shares → Hong Kong" not in text and "Hong Kong → China" not in text


def test_closes_are_told_in_time_order_without_repeating_session_dates(demo, facts_of):
    table = _table(build_transmission(facts_of(demo)))
    assert [row[0].value for row in table.rows] == [
        "US equities",
        "China A-shares",
        "Hong Kong",
        "Crypto",
    ]
    assert table.rows[-1][1].value == "24 h to Fri 03-20 09:00 UTC"  # crypto's end: the instant
    assert not any("2026-03" in str(cell.value) for row in table.rows for cell in row)


def test_older_session_is_labelled_and_never_today(demo, facts_of, prose):
    # Hong Kong's last session Thu while the others traded Friday (a holiday there).
    snap = demo.with_changes(
        indexes=tuple(
            replace(q, session_date=date(2026, 3, 19)) if q.instrument.startswith("HS") else q
            for q in demo.indexes
        )
    )
    facts = facts_of(snap)
    assert facts.timeline.older() == ("HK",)
    section = build_transmission(facts)
    rows = {row[0].value: row[1].value for row in _table(section).rows}
    assert rows["Hong Kong"].endswith("(older session)")
    text = prose(section)
    assert "Hong Kong figures are from an older session, Thu 2026-03-19" in text
    assert "today" not in text.lower() and "same-day" not in text.lower()


def test_sunday_report_says_no_equity_traded_on_the_report_date(sunday, facts_of, prose):
    section = build_transmission(facts_of(sunday))
    assert "No equity market has traded since Fri 2026-03-20." in prose(section)
    assert day(FRIDAY) in figures(prose(section))


def test_opposite_equity_moves_give_no_amplification_ratio(demo, facts_of, prose):
    text = prose(build_transmission(facts_of(demo)))
    assert "equity markets moved in opposite directions" in text
    assert "×" not in text


def test_crypto_amplified_equities_moving_one_way(registry, facts_of, prose):
    snap = _snap(-1.0, -3.0)
    text = prose(build_transmission(facts_of(snap)))
    assert "Crypto -3.00% amplified the equity average -1.00%, 3.0× its size." in text


@pytest.mark.parametrize(
    ("equity_pct", "crypto_pct", "expected"),
    [
        (-2.0, -4.0, "Crypto -4.00% amplified the equity average"),
        (-2.0, -1.5, "Crypto -1.50% dampened the equity average"),
        (-2.0, 2.5, "Crypto moved against equities"),
        (0.0, 1.2, "neither amplified nor dampened"),
    ],
)
def test_amplification_cases(facts_of, prose, equity_pct, crypto_pct, expected):
    assert expected in prose(build_transmission(facts_of(_snap(equity_pct, crypto_pct))))


@pytest.mark.parametrize(
    ("equity_pct", "crypto_pct", "expected"),
    [
        (-2.0, -4.0, "The chain holds: every linked market read risk-off"),
        (1.5, 3.5, "The chain holds: every linked market read risk-on"),
        (0.1, 3.5, "Partly confirmed; no link breaks."),
    ],
)
def test_chain_holds_or_is_unconfirmed(facts_of, prose, equity_pct, crypto_pct, expected):
    assert expected in prose(build_transmission(facts_of(_snap(equity_pct, crypto_pct))))


@pytest.mark.parametrize(
    ("market", "name"),
    [("US", "US equities"), ("HK", "Hong Kong"), ("CN", "China A-shares"), ("CRYPTO", "Crypto")],
)
def test_missing_market(demo, registry, facts_of, prose, market, name):
    keys = {i.key for i in registry.in_market(market)}
    snap = demo.with_changes(
        indexes=tuple(q for q in demo.indexes if q.instrument not in keys),
        crypto=tuple(q for q in demo.crypto if q.instrument not in keys),
    )
    facts = facts_of(snap)
    # A market without figures has no session, so no link goes to or from it; it comes last.
    assert facts.timeline.order[-1] == market
    assert all(market not in (x.source, x.target) for x in facts.chain)
    section = build_transmission(facts)
    text = prose(section)
    assert section.missing == (name,)
    assert says_missing(text, f"{name} figures")
    row = next(r for r in _table(section).rows if r[0].value == name)
    assert row[2].missing and row[1].missing
    assert len(_table(section).rows) == 4

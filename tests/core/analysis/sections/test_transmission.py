"""Transmission chain: per-market table, where the chain breaks, crypto amplification, sessions."""

from datetime import date

import pytest

from core.analysis.facts import CHAIN_ORDER
from core.analysis.sections.transmission import build_transmission
from core.report import Table
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot

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
def test_table_rows_follow_the_chain_with_computed_means(request, registry, facts_of, fixture):
    snapshot = request.getfixturevalue(fixture)
    table = _table(build_transmission(facts_of(snapshot)))
    assert [row[0].value for row in table.rows] == [registry.markets[k].name for k in CHAIN_ORDER]
    for market, row in zip(CHAIN_ORDER, table.rows, strict=True):
        changes = _market_changes(snapshot, registry, market)
        assert row[3].value == pytest.approx(sum(changes) / len(changes))


def test_demo_breaks_at_hong_kong(demo, facts_of, prose):
    text = prose(build_transmission(facts_of(demo)))
    assert "The chain breaks at Hong Kong" in text
    assert "read risk-on (mean +0.56%)" in text
    assert "read strong risk-off (mean -1.93%)" in text
    assert "Hong Kong → China A-shares confirms" in text


def test_older_us_session_is_labelled_and_never_today(demo, facts_of, prose):
    section = build_transmission(facts_of(demo))
    rows = {row[0].value: row[1].value for row in _table(section).rows}
    assert rows["US equities"] == "last session Thu 2026-03-19"
    assert rows["Hong Kong"] == "session Fri 2026-03-20"
    assert rows["Crypto"] == "24 h to Fri 2026-03-20"
    text = prose(section)
    assert "US equities figures are from Thu 2026-03-19" in text
    assert "not a same-day move" in text
    assert "today" not in text.lower()


def test_sunday_report_says_no_equity_traded_on_the_report_date(sunday, facts_of, prose):
    section = build_transmission(facts_of(sunday))
    sessions = [row[1].value for row in _table(section).rows[:3]]
    assert sessions == ["last session Fri 2026-03-20"] * 3
    assert "No equity figure is from the report date (Sun 2026-03-22)" in prose(section)


def test_demo_crypto_amplified_equities(demo, registry, facts_of, prose):
    equity = [_market_changes(demo, registry, m) for m in ("US", "HK", "CN")]
    equity_avg = sum(sum(c) / len(c) for c in equity) / 3
    crypto = _market_changes(demo, registry, "CRYPTO")
    ratio = (sum(crypto) / len(crypto)) / equity_avg
    text = prose(build_transmission(facts_of(demo)))
    assert "Crypto amplified the equity move" in text
    assert f"equity average {equity_avg:+.2f}%" in text
    assert f"{ratio:.1f}× its size" in text


@pytest.mark.parametrize(
    ("equity_pct", "crypto_pct", "expected"),
    [
        (-2.0, -4.0, "Crypto amplified the equity move"),
        (-2.0, -1.5, "Crypto dampened the equity move"),
        (-2.0, 2.5, "Crypto moved against equities"),
        (0.0, 1.2, "neither amplified nor dampened"),
    ],
)
def test_amplification_cases(facts_of, prose, equity_pct, crypto_pct, expected):
    assert expected in prose(build_transmission(facts_of(_snap(equity_pct, crypto_pct))))


@pytest.mark.parametrize(
    ("equity_pct", "crypto_pct", "expected"),
    [
        (-2.0, -4.0, "The chain holds: every market read risk-off"),
        (1.5, 3.5, "The chain holds: every market read risk-on"),
        (0.1, 3.5, "No link breaks"),
    ],
)
def test_chain_holds_or_is_unconfirmed(facts_of, prose, equity_pct, crypto_pct, expected):
    assert expected in prose(build_transmission(facts_of(_snap(equity_pct, crypto_pct))))


@pytest.mark.parametrize(
    ("market", "name", "expected"),
    [
        ("US", "US equities", "US equities → Hong Kong cannot be judged"),
        ("HK", "Hong Kong", "Hong Kong → China A-shares cannot be judged"),
        ("CN", "China A-shares", "China A-shares → Crypto cannot be judged"),
        ("CRYPTO", "Crypto", "Crypto versus equities: not available in this snapshot"),
    ],
)
def test_missing_market(demo, registry, facts_of, prose, market, name, expected):
    keys = {i.key for i in registry.in_market(market)}
    snap = demo.with_changes(
        indexes=tuple(q for q in demo.indexes if q.instrument not in keys),
        crypto=tuple(q for q in demo.crypto if q.instrument not in keys),
    )
    section = build_transmission(facts_of(snap))
    text = prose(section)
    assert section.missing == (name,)
    assert f"{name} figures: not available in this snapshot" in text
    assert expected in text
    row = next(r for r in _table(section).rows if r[0].value == name)
    assert row[3].missing and row[1].missing
    assert len(_table(section).rows) == 4

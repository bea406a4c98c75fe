"""US, Hong Kong and A-share sections: tables, leadership spreads, sessions, breadth and flows."""

from datetime import date

import pytest

from core.analysis.sections.markets import build_cn, build_hk, build_us
from core.report import Table, Unit
from core.snapshot import Breadth, Northbound

BUILDERS = {"US": build_us, "HK": build_hk, "CN": build_cn}


def _table(section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_demo_table_carries_each_quote(demo, registry, facts_of, market):
    section = BUILDERS[market](facts_of(demo))
    rows = {row[0].value: row for row in _table(section).rows}
    for inst in registry.in_market(market):
        quote = demo.index(inst.key)
        _, close, change, session = rows[inst.display_name]
        assert (close.value, close.unit) == (quote.close, Unit.POINTS)
        assert (change.value, change.unit, change.signed) == (quote.change_pct, Unit.PCT, True)
        assert (session.value, session.unit) == (quote.session_date, Unit.DATE)


@pytest.mark.parametrize(
    ("market", "fixture", "expected"),
    [
        ("US", "demo", "DJIA led Nasdaq by 21 bps (+0.65% vs +0.44%)"),
        ("HK", "demo", "HSI led HSTECH by 17 bps (-2.02% vs -2.19%)"),
        ("CN", "demo", "创业板指 (ChiNext) led 上证指数 (SSE) by 28 bps (-1.11% vs -1.39%)"),
        ("HK", "sunday", "HSI led HSTECH by 160 bps (-0.88% vs -2.48%)"),
        ("CN", "sunday", "创业板指 (ChiNext) led 上证指数 (SSE) by 254 bps (+1.30% vs -1.24%)"),
    ],
)
def test_leadership_spread(request, facts_of, prose, market, fixture, expected):
    snapshot = request.getfixturevalue(fixture)
    assert expected in prose(BUILDERS[market](facts_of(snapshot)))


@pytest.mark.parametrize(
    ("market", "fixture", "size"),
    [("CN", "sunday", "a major spread"), ("HK", "sunday", "a notable spread"), ("US", "demo", "")],
)
def test_leadership_size_follows_thresholds(request, facts_of, prose, market, fixture, size):
    text = prose(BUILDERS[market](facts_of(request.getfixturevalue(fixture))))
    if size:
        assert size in text
    else:
        assert "notable spread" not in text and "major spread" not in text


@pytest.mark.parametrize(
    ("market", "signal"), [("US", "Risk-on"), ("HK", "Strong risk-off"), ("CN", "Strong risk-off")]
)
def test_demo_signal_and_mean(demo, facts_of, prose, market, signal):
    facts = facts_of(demo)
    changes = [m.change_pct for m in facts.markets[market].moves]
    mean = sum(changes) / len(changes)
    text = prose(BUILDERS[market](facts))
    assert f"Signal: {signal} (mean {mean:+.2f}%" in text


def test_older_session_is_not_called_a_move_of_the_report_date(demo, facts_of, prose):
    facts = facts_of(demo)
    us = prose(build_us(facts))
    assert "last session, Thu 2026-03-19" in us
    assert "not moves made on the report date (Fri 2026-03-20)" in us
    assert "last session" not in prose(build_hk(facts))


@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_sunday_report_labels_friday_sessions(sunday, facts_of, prose, market):
    section = BUILDERS[market](facts_of(sunday))
    assert "(last session Fri 2026-03-20)" in _table(section).title
    assert "report date (Sun 2026-03-22)" in prose(section)


def test_mixed_sessions_inside_a_market_are_flagged(demo, facts_of, prose):
    old = demo.index("HSCEI")
    moved = type(old)(old.instrument, date(2026, 3, 19), old.source, change_pct=old.change_pct)
    snap = demo.with_changes(indexes=tuple(moved if q is old else q for q in demo.indexes))
    assert "different sessions (Thu 2026-03-19, Fri 2026-03-20)" in prose(build_hk(facts_of(snap)))


@pytest.mark.parametrize(
    ("market", "dropped", "missing", "still"),
    [
        ("US", {"DJIA", "NASDAQ", "SPX"}, ("DJIA", "Nasdaq", "S&P 500"), None),
        ("HK", {"HSI", "HSCEI", "HSTECH"}, ("HSI", "HSCEI", "HSTECH"), None),
        (
            "CN",
            {"SSE", "SZSE", "CHINEXT"},
            ("上证指数 (SSE)", "深证成指 (SZSE)", "创业板指 (ChiNext)"),
            "Breadth (Fri 2026-03-20): 257 up / 2,075 down",
        ),
        ("US", {"SPX"}, ("S&P 500",), "DJIA led Nasdaq by 21 bps"),
        ("HK", {"HSTECH"}, ("HSTECH",), "cannot be judged without HSTECH"),
        ("CN", {"SSE"}, ("上证指数 (SSE)",), "Turnover"),
    ],
)
def test_missing_indexes(demo, facts_of, section_text, market, dropped, missing, still):
    snap = demo.with_changes(indexes=tuple(q for q in demo.indexes if q.instrument not in dropped))
    section = BUILDERS[market](facts_of(snap))
    text = section_text(section)
    assert all(name in section.missing for name in missing)
    assert "not available in this snapshot" in text
    assert len(_table(section).rows) == 3  # absent indexes stay as n/a rows
    if still:
        assert still in text


def test_missing_closes_are_listed(demo, facts_of, section_text):
    section = build_us(facts_of(demo))  # the demo gives US changes but no closes
    assert {"DJIA close", "Nasdaq close", "S&P 500 close"} <= set(section.missing)
    assert "Close levels of DJIA, Nasdaq, S&P 500: not available" in section_text(section)


def test_demo_breadth_advance_rate(demo, facts_of, prose):
    text = prose(build_cn(facts_of(demo)))
    assert "257 up / 2,075 down, advance rate 11.0%, weak" in text
    assert "excludes unchanged stocks" in text
    assert "Turnover (Shanghai + Shenzhen, Fri 2026-03-20): ¥1.70T" in text


@pytest.mark.parametrize(
    ("up", "down", "flat", "expected"),
    [
        (600, 300, 100, "advance rate 60.0%, between the weak 25.0% and strong 75.0%"),
        (800, 100, 100, "advance rate 80.0%, strong"),
        (100, 300, 100, "advance rate 20.0%, weak"),
    ],
)
def test_breadth_bounds_from_config(demo, facts_of, prose, up, down, flat, expected):
    breadth = Breadth(demo.report_date, "t", up=up, down=down, flat=flat)
    text = prose(build_cn(facts_of(demo.with_changes(breadth=breadth))))
    assert expected in text
    assert "excludes unchanged stocks" not in text


def test_weak_breadth_under_a_flat_index_mean_is_called_out(sunday, facts_of, prose):
    text = prose(build_cn(facts_of(sunday)))  # CN mean -0.06% (neutral), 313 up / 2,011 down
    assert "advance rate 13.5%, weak" in text
    assert "weaker than the index mean suggests" in text


@pytest.mark.parametrize(
    ("breadth", "reason"),
    [(None, "no source reported it"), ("no-counts", "up/down counts not reported")],
)
def test_breadth_missing(demo, facts_of, prose, breadth, reason):
    if breadth == "no-counts":
        breadth = Breadth(demo.report_date, "t", flat=12)
    section = build_cn(facts_of(demo.with_changes(breadth=breadth)))
    text = prose(section)
    assert "A-share breadth" in section.missing
    assert f"A-share breadth: not available in this snapshot ({reason})" in text
    assert "Turnover" in text and "led 上证指数 (SSE)" in text


def test_turnover_missing(demo, facts_of, prose):
    section = build_cn(facts_of(demo.with_changes(turnover=None)))
    assert "A-share turnover" in section.missing
    assert "A-share turnover: not available" in prose(section)


D = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("northbound", "present", "absent", "missing"),
    [
        (None, ["Northbound flow: not available", "not inferred"], ["net buying"], True),
        (
            Northbound(D, "hkex", net_buy_cny=5.2e9, turnover_cny=120e9, note="daily total only"),
            ["net buy +¥5.20B (net buying)", "turnover ¥120.00B", "Source note: daily total only"],
            ["not available"],
            False,
        ),
        (
            Northbound(D, "hkex", net_buy_cny=-3e9),
            ["net buy -¥3.00B (net selling)"],
            ["Source note"],
            False,
        ),
        (
            Northbound(D, "eastmoney", turnover_cny=98e9, note="net buy no longer published"),
            ["turnover ¥98.00B", "Source note: net buy no longer published"],
            ["net buying", "net selling"],
            False,
        ),
        (
            Northbound(D, "eastmoney", note="net buy no longer published"),
            ["eastmoney gave no figure", "not inferred", "no longer published"],
            ["net buying", "net selling"],
            True,
        ),
    ],
)
def test_northbound(demo, facts_of, prose, northbound, present, absent, missing):
    section = build_cn(facts_of(demo.with_changes(northbound=northbound)))
    text = prose(section)
    assert all(p in text for p in present)
    assert not any(a in text for a in absent)
    assert any(m.startswith("northbound flow") for m in section.missing) is missing

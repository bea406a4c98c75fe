"""US, Hong Kong and A-share sections: tables, leadership spreads, sessions, breadth and flows."""

from datetime import date

import pytest

from core.analysis.sections.evidence import breadth_state
from core.analysis.sections.markets import build_cn, build_hk, build_us
from core.analysis.signals import Signal
from core.report import Table, Unit
from core.snapshot import Breadth, Northbound

from ._read import FRIDAY, SUNDAY, THURSDAY, day, figures

BUILDERS = {"US": build_us, "HK": build_hk, "CN": build_cn}


def _table(section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_demo_table_carries_each_quote(demo, registry, facts_of, market):
    section = BUILDERS[market](facts_of(demo))
    rows = {row[0].value: row for row in _table(section).rows}
    for inst in registry.in_market(market):
        quote = demo.index(inst.key)
        _, close, change = rows[inst.display_name]  # one session: said in the header, not here
        assert (close.value, close.unit) == (quote.close, Unit.POINTS)
        assert (change.value, change.unit, change.signed) == (quote.change_pct, Unit.PCT, True)


@pytest.mark.parametrize(
    ("market", "fixture", "leader", "laggard", "expected"),
    [
        ("US", "demo", "DJIA", "Nasdaq", {"21 bps"}),
        ("HK", "demo", "HSI", "HSTECH", {"17 bps"}),
        ("CN", "demo", "创业板指 (ChiNext)", "上证指数 (SSE)", {"28 bps"}),
        ("HK", "sunday", "HSI", "HSTECH", {"160 bps"}),
        ("CN", "sunday", "创业板指 (ChiNext)", "上证指数 (SSE)", {"254 bps"}),
    ],
)
def test_leadership_spread(request, facts_of, prose, market, fixture, leader, laggard, expected):
    text = prose(BUILDERS[market](facts_of(request.getfixturevalue(fixture))))
    assert expected <= figures(text)
    assert leader in text and laggard in text


@pytest.mark.parametrize(
    ("market", "fixture", "size"),
    [("CN", "sunday", "(major)"), ("HK", "sunday", "(notable)"), ("US", "demo", "")],
)
def test_leadership_size_follows_thresholds(request, facts_of, prose, market, fixture, size):
    text = prose(BUILDERS[market](facts_of(request.getfixturevalue(fixture))))
    if size:
        assert size in text
    else:
        assert "(notable)" not in text and "(major)" not in text


@pytest.mark.parametrize(
    ("market", "signal"),
    [("US", Signal.RISK_ON), ("HK", Signal.STRONG_RISK_OFF), ("CN", Signal.STRONG_RISK_OFF)],
)
def test_demo_signal_and_mean_are_left_to_the_chain_table(demo, facts_of, prose, market, signal):
    facts = facts_of(demo)
    changes = [m.change_pct for m in facts.markets[market].moves]
    mean = sum(changes) / len(changes)
    assert facts.markets[market].signal is signal
    assert facts.markets[market].mean_change_pct == pytest.approx(mean)
    assert f"{mean:+.2f}%" not in figures(prose(BUILDERS[market](facts)))  # said once, there


@pytest.mark.parametrize("fixture", ["demo", "sunday"])
@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_a_market_session_is_not_repeated_in_its_section(request, facts_of, prose, fixture, market):
    # The report's header names each market's session once; its section does not repeat it.
    section = BUILDERS[market](facts_of(request.getfixturevalue(fixture)))
    text = prose(section)
    assert not {day(THURSDAY), day(FRIDAY), day(SUNDAY)} & figures(text)
    assert _table(section).title is None and "Session" not in _table(section).columns


def test_mixed_sessions_inside_a_market_are_flagged(demo, facts_of, prose):
    old = demo.index("HSCEI")
    moved = type(old)(old.instrument, date(2026, 3, 19), old.source, change_pct=old.change_pct)
    snap = demo.with_changes(indexes=tuple(moved if q is old else q for q in demo.indexes))
    assert {day(THURSDAY), day(FRIDAY)} <= figures(prose(build_hk(facts_of(snap))))


@pytest.mark.parametrize(
    ("market", "dropped", "missing", "still"),
    [
        ("US", {"DJIA", "NASDAQ", "SPX"}, ("DJIA", "Nasdaq", "S&P 500"), None),
        ("HK", {"HSI", "HSCEI", "HSTECH"}, ("HSI", "HSCEI", "HSTECH"), None),
        (
            "CN",
            {"SSE", "SZSE", "CHINEXT"},
            ("上证指数 (SSE)", "深证成指 (SZSE)", "创业板指 (ChiNext)"),
            {"257", "2,075"},  # breadth still shown
        ),
        ("US", {"SPX"}, ("S&P 500",), {"21 bps"}),  # DJIA vs Nasdaq still compared
        ("HK", {"HSTECH"}, ("HSTECH",), None),
        ("CN", {"SSE"}, ("上证指数 (SSE)",), {"¥1.70T"}),  # turnover still shown
    ],
)
def test_missing_indexes(demo, facts_of, section_text, market, dropped, missing, still):
    snap = demo.with_changes(indexes=tuple(q for q in demo.indexes if q.instrument not in dropped))
    section = BUILDERS[market](facts_of(snap))
    text = section_text(section)
    assert all(name in section.missing for name in missing)
    assert len(_table(section).rows) == 3  # absent indexes stay as n/a rows
    if still:
        assert still <= figures(text)


def test_missing_closes_are_listed(demo, facts_of, section_text):
    section = build_us(facts_of(demo))  # the demo gives US changes but no closes
    assert {"DJIA close", "Nasdaq close", "S&P 500 close"} <= set(section.missing)
    assert "not available" not in section_text(section)  # said once, in the missing line


def test_demo_breadth_advance_rate(demo, facts_of, prose):
    facts = facts_of(demo)
    text = prose(build_cn(facts))
    assert breadth_state(facts.breadth, facts.settings.breadth) == "weak"
    assert {"257", "2,075", "11.0%", "¥1.70T"} <= figures(text)
    assert day(FRIDAY) not in figures(text)  # breadth is from the market's own session
    assert "excludes unchanged stocks" in text  # the demo gives no flat count


@pytest.mark.parametrize(
    ("up", "down", "flat", "rate", "state"),
    [
        (600, 300, 100, "60.0%", "normal"),
        (800, 100, 100, "80.0%", "strong"),
        (100, 300, 100, "20.0%", "weak"),
    ],
)
def test_breadth_bounds_from_config(demo, facts_of, prose, up, down, flat, rate, state):
    breadth = Breadth(demo.report_date, "t", up=up, down=down, flat=flat)
    facts = facts_of(demo.with_changes(breadth=breadth))
    text = prose(build_cn(facts))
    assert breadth_state(facts.breadth, facts.settings.breadth) == state
    assert rate in figures(text)
    assert "excludes unchanged stocks" not in text


def test_weak_breadth_under_a_flat_index_mean_is_called_out(sunday, facts_of, prose):
    facts = facts_of(sunday)
    text = prose(build_cn(facts))  # CN mean -0.06% (neutral), 313 up / 2,011 down
    assert facts.markets["CN"].signal is Signal.NEUTRAL
    assert breadth_state(facts.breadth, facts.settings.breadth) == "weak"
    assert "13.5%" in figures(text)
    assert "weaker than the index mean suggests" in text


@pytest.mark.parametrize("breadth", [None, "no-counts"])
def test_breadth_missing(demo, facts_of, prose, breadth):
    if breadth == "no-counts":
        breadth = Breadth(demo.report_date, "t", flat=12)
    section = build_cn(facts_of(demo.with_changes(breadth=breadth)))
    text = prose(section)
    assert "A-share breadth" in section.missing
    assert "Breadth" not in text
    assert {"¥1.70T", "28 bps"} <= figures(text)  # turnover and leadership still shown


def test_turnover_missing(demo, facts_of, prose):
    section = build_cn(facts_of(demo.with_changes(turnover=None)))
    assert "A-share turnover" in section.missing
    assert "Turnover" not in prose(section)


D = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("northbound", "present", "absent", "missing"),
    [
        (None, [], ["net buying", "Northbound"], True),
        (
            Northbound(D, "hkex", net_buy_cny=5.2e9, turnover_cny=120e9, note="daily total only"),
            ["net buy +¥5.20B (net buying)", "turnover ¥120.00B", "Source note: daily total only"],
            [": not available"],
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
            [],
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
    assert any(m.casefold().startswith("northbound flow") for m in section.missing) is missing

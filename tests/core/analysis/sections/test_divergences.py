"""Divergence table and bullets for the configured pairs, and the one-pair command."""

from datetime import date

import pytest

from core.analysis.facts import compute_facts
from core.analysis.history_stats import SpreadHistory, SpreadStats
from core.analysis.sections.divergences import build_divergences, build_pair_divergence
from core.analysis.wording import window_tag
from core.errors import UnknownInstrument
from core.report import BulletList, Section, Table, Unit
from core.snapshot import IndexQuote, MarketSnapshot

from ._read import FRIDAY, THURSDAY, day, figures, says_missing


def _table(section) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table))


def _rows(section) -> dict[str, tuple]:
    return {row[0].value: row for row in _table(section).rows}


def _bullets(section) -> tuple[str, ...]:
    return next((b.items for b in section.blocks if isinstance(b, BulletList)), ())


@pytest.mark.parametrize(
    ("pair", "expected_bps", "level"),
    [
        ("S&P 500 vs HSI", 147, "notable"),  # +0.59 vs -0.88
        ("Nasdaq vs HSTECH", 292, "major"),  # +0.44 vs -2.48
        ("BTC vs S&P 500", -322, "major"),  # -2.63 vs +0.59 (A minus B)
        ("创业板指 (ChiNext) vs 上证指数 (SSE)", 254, "major"),  # +1.30 vs -1.24
        ("ETH vs BTC", -78, "ordinary"),
    ],
)
def test_sunday_reference_spreads(sunday, facts_of, pair, expected_bps, level):
    row = _rows(build_divergences(facts_of(sunday)))[pair]
    spread = row[1]  # the legs' changes are in their markets' tables
    assert round(spread.value) == expected_bps
    assert (spread.unit, spread.signed) == (Unit.BPS, True)
    assert row[2].value == level


def test_table_has_every_configured_pair(demo, settings, facts_of):
    rows = _table(build_divergences(facts_of(demo))).rows
    assert len(rows) == len(settings.divergence.pairs)


def test_demo_bullets_only_for_notable_and_major(demo, facts_of):
    section = build_divergences(facts_of(demo))
    rows = _rows(section)
    wide = {name for name, row in rows.items() if row[2].value in ("notable", "major")}
    bullets = _bullets(section)
    assert {b.split(":")[0] for b in bullets} == wide
    spreads = [abs(rows[b.split(":")[0]][1].value) for b in bullets]
    assert spreads == sorted(spreads, reverse=True)


def test_demo_spread_words_and_session_flag(demo, facts_of):
    bullets = {b.split(":")[0]: b for b in _bullets(build_divergences(facts_of(demo)))}
    spx_hsi = bullets["S&P 500 vs HSI"]
    assert "+261 bps (major)" in spx_hsi  # +0.59 vs -2.02
    assert "opposite directions" in spx_hsi
    # Thursday's US session closed before Friday's Hong Kong session opened.
    assert facts_of(demo).timeline.relation("US", "HK") == "a_first"
    assert day(THURSDAY) in figures(spx_hsi)
    assert "lead-lag" in spx_hsi
    eth_btc = bullets["ETH vs BTC"]
    assert "-105 bps (notable)" in eth_btc
    assert "same direction" in eth_btc
    assert "lead-lag" not in eth_btc


def test_sessions_only_where_the_legs_differ(demo, facts_of):
    footer = _table(build_divergences(facts_of(demo))).footer
    assert "S&P 500 vs HSI (Thu 2026-03-19 / Fri 2026-03-20)" in footer
    assert "ETH vs BTC" not in footer  # both legs: the same 24 h


def test_pair_answer_shows_its_legs_and_sessions(demo, facts_of):
    (row,) = _table(build_pair_divergence(facts_of(demo), "ETH", "BTC")).rows
    assert [c.value for c in row[1:3]] == [-2.76, -1.71]
    assert row[5].value == window_tag(FRIDAY)


def test_no_notable_pair(facts_of, prose):
    day = date(2026, 3, 20)
    keys = ("SPX", "HSI", "NASDAQ", "HSTECH", "CHINEXT", "SSE")
    snap = MarketSnapshot(
        report_date=day,
        indexes=tuple(IndexQuote(k, day, "t", change_pct=0.1 * i) for i, k in enumerate(keys)),
    )
    section = build_divergences(facts_of(snap))
    assert _bullets(section) == ()
    assert "No configured pair diverged by 100 bps or more" in prose(section)


@pytest.mark.parametrize(
    ("dropped", "missing"),
    [
        ({"HSI"}, ("S&P 500 vs HSI", "HSI vs 上证指数 (SSE)")),
        ({"BTC", "ETH"}, ("BTC vs S&P 500", "ETH vs BTC")),
        ({"SPX", "NASDAQ"}, ("S&P 500 vs HSI", "Nasdaq vs HSTECH", "BTC vs S&P 500")),
    ],
)
def test_missing_legs(demo, facts_of, section_text, dropped, missing):
    snap = demo.with_changes(
        indexes=tuple(q for q in demo.indexes if q.instrument not in dropped),
        crypto=tuple(q for q in demo.crypto if q.instrument not in dropped),
    )
    section = build_divergences(facts_of(snap))
    assert section.missing == missing
    text = section_text(section)
    assert all(says_missing(text, f"{pair} spread") for pair in missing)
    assert len(_table(section).rows) == 6
    assert all(_rows(section)[pair][1].missing for pair in missing)
    assert _bullets(section)  # the pairs that can be computed are still worded


@pytest.mark.parametrize(
    ("a", "b", "pair", "expected_bps"),
    [
        ("恒生科技", "ixic", "HSTECH vs Nasdaq", -292),
        ("spx", "^HSI", "S&P 500 vs HSI", 147),
        ("bitcoin", "S&P500", "BTC vs S&P 500", -322),
        ("创业板", "沪指", "创业板指 (ChiNext) vs 上证指数 (SSE)", 254),
    ],
)
def test_pair_divergence_accepts_aliases(sunday, facts_of, prose, a, b, pair, expected_bps):
    section = build_pair_divergence(facts_of(sunday), a, b)
    assert section.key == "divergences"
    (row,) = _table(section).rows
    assert row[0].value == pair
    assert round(row[3].value) == expected_bps
    assert f"{expected_bps:+d} bps" in prose(section)


def test_pair_divergence_unknown_name_propagates(demo, facts_of):
    with pytest.raises(UnknownInstrument) as info:
        build_pair_divergence(facts_of(demo), "HSTEK", "SPX")
    assert "HSTECH" in info.value.suggestions


def test_pair_divergence_missing_leg(demo, facts_of, prose):
    snap = demo.with_changes(indexes=tuple(q for q in demo.indexes if q.instrument != "HSI"))
    section = build_pair_divergence(facts_of(snap), "SPX", "HSI")
    assert section.missing == ("HSI",)
    assert says_missing(prose(section), "S&P 500 vs HSI spread", "no figure for HSI")


def test_pair_divergence_flags_different_sessions(demo, facts_of, prose):
    text = prose(build_pair_divergence(facts_of(demo), "HSTECH", "NASDAQ"))
    assert "-263 bps (major)" in text  # -2.19 vs +0.44
    assert day(THURSDAY) in figures(text)


def _stats(zscore, *, aligned=80, correlation=0.4, reason=None, spread=292.0) -> SpreadStats:
    return SpreadStats(
        session_date=date(2026, 3, 20),
        spread_bps=spread,
        zscore=zscore,
        mean_bps=None if zscore is None else 10.0,
        std_bps=None if zscore is None else 100.0,
        correlation=correlation,
        window=60,
        aligned_sessions=aligned,
        reason=reason,
    )


def _with_history(registry, settings, snapshot, pairs) -> Section:
    facts = compute_facts(snapshot, registry, settings, SpreadHistory(pairs))
    return build_divergences(facts)


def test_demo_says_there_is_no_history(demo, facts_of, prose):
    section = build_divergences(facts_of(demo))
    assert "Spreads are not ranked against past sessions: no history in sample data." in prose(
        section
    )
    assert "Correlation" not in _table(section).columns


def test_stored_history_ranks_each_pair(sunday, registry, settings, section_text):
    pairs = {
        ("NASDAQ", "HSTECH"): _stats(2.84),
        ("SPX", "HSI"): _stats(0.7, spread=147.0),
        ("ETH", "BTC"): _stats(-2.3, spread=-78.0, correlation=None),
        ("CHINEXT", "SSE"): _stats(
            None,
            aligned=12,
            correlation=None,
            reason="z-score needs 61 aligned sessions, have 12; "
            "correlation needs 60 aligned sessions, have 12",
        ),
    }
    section = _with_history(registry, settings, sunday, pairs)
    rows = _rows(section)
    assert _table(section).columns[-2:] == ("z (60 sessions)", "Correlation")
    assert (rows["Nasdaq vs HSTECH"][-2].value, rows["Nasdaq vs HSTECH"][-1].value) == (
        "+2.8σ",
        "+0.40",
    )
    assert rows["创业板指 (ChiNext) vs 上证指数 (SSE)"][-2].missing
    bullets = {b.split(":")[0]: b for b in _bullets(section)}
    assert (
        "It is a 2.8σ move against the previous 60 aligned sessions (mean +10 bps"
        in (bullets["Nasdaq vs HSTECH"])
    )
    assert "+147 bps (notable)" in bullets["S&P 500 vs HSI"]
    assert "It is an ordinary day" in bullets["S&P 500 vs HSI"]
    # Ordinary in bps but unusual against its own history: it gets a bullet too.
    assert "-78 bps (ordinary)" in bullets["ETH vs BTC"]
    assert "It is a 2.3σ move" in bullets["ETH vs BTC"]
    assert (
        "History too short to rank it: z-score needs 61 aligned sessions, have 12"
        in bullets["创业板指 (ChiNext) vs 上证指数 (SSE)"]
    )
    assert "not ranked against past sessions" not in section_text(section)


def test_single_pair_gets_its_history(sunday, registry, settings, prose):
    history = SpreadHistory({("HSTECH", "NASDAQ"): _stats(-3.1, spread=-292.0)})
    facts = compute_facts(sunday, registry, settings, history)
    text = prose(build_pair_divergence(facts, "恒生科技", "ixic"))
    assert "-292 bps (major)" in text and "It is a 3.1σ move" in text

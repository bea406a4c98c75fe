"""The typed overview in a Report: each market's moves and signal, and the configured spreads."""

from __future__ import annotations

import pytest

from core.analysis.build import build_report
from core.analysis.wording import session_tag, window_tag
from core.report import Move, Tone
from tests.core.analysis.sections._read import FRIDAY, THURSDAY


@pytest.fixture
def report(demo):
    return build_report(demo)


def test_sessions_carry_each_markets_moves_mean_and_signal(report):
    by_market = {s.market: s for s in report.sessions}
    assert list(by_market) == ["US", "CN", "HK", "CRYPTO"]  # by session close
    assert by_market["US"].close_utc < by_market["CN"].open_utc
    hk = by_market["HK"]
    assert hk.moves == (Move("HSI", -2.02), Move("HSCEI", -1.58), Move("HSTECH", -2.19))
    assert hk.mean_change_pct == pytest.approx(-1.93)
    assert (hk.signal, hk.signal_tone) == ("Strong risk-off", Tone.DOWN)
    assert by_market["US"].period == session_tag(THURSDAY, FRIDAY)
    assert by_market["CRYPTO"].period == window_tag(FRIDAY)


def test_spreads_follow_the_configured_pairs(report, settings):
    pairs = [(s.label_a, s.label_b) for s in report.spreads]
    assert len(pairs) == len(settings.divergence.pairs)
    nasdaq = report.spreads[pairs.index(("Nasdaq", "HSTECH"))]
    assert nasdaq.spread_bps == pytest.approx(263.0)
    assert (nasdaq.level, nasdaq.same_session) == ("major", False)

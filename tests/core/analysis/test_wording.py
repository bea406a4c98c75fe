"""The phrase helpers: the one place a test pins the words, since here the words are the fact."""

from __future__ import annotations

from datetime import date

import pytest

from core.analysis.signals import InstrumentMove, MarketMove, Signal
from core.analysis.wording import (
    leg_session,
    market_label,
    missing_text,
    moves_text,
    session_tag,
    signal_rule,
    signal_word,
    when,
    window_tag,
)
from core.i18n import Language, translator
from core.phrase import said
from core.settings import default_analysis_settings

THU, FRI = date(2026, 3, 19), date(2026, 3, 20)


def _move(key: str, market: str, change: float | None, day: date | None = FRI) -> InstrumentMove:
    return InstrumentMove(key, key, market, change, None, day, "t")


HK = MarketMove(
    "HK",
    "Hong Kong",
    (_move("HSI", "HK", -2.02), _move("HSTECH", "HK", -2.19)),
    -2.105,
    Signal.RISK_OFF,
)
CRYPTO = MarketMove("CRYPTO", "Crypto", (_move("BTC", "CRYPTO", -1.71),), -1.71, Signal.RISK_OFF)


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        (FRI, "session Fri 2026-03-20"),
        (THU, "last session Thu 2026-03-19"),
        (None, "session unknown"),
    ],
)
def test_session_tag(session, expected):
    assert session_tag(session, FRI) == expected


@pytest.mark.parametrize(
    ("day", "expected"), [(FRI, "24 h to Fri 2026-03-20"), (None, "24 h, date unknown")]
)
def test_window_tag(day, expected):
    assert window_tag(day) == expected


def test_session_phrases_of_a_market_and_a_24_7_market():
    assert when(HK, FRI) == "session Fri 2026-03-20"
    assert when(CRYPTO, FRI) == "24 h to Fri 2026-03-20"
    assert market_label(HK, FRI) == "Hong Kong (session Fri 2026-03-20)"
    assert leg_session(_move("HSI", "HK", 1.0, THU)) == "Thu 2026-03-19"
    assert leg_session(_move("BTC", "CRYPTO", 1.0)) == "24 h to Fri 2026-03-20"


def test_move_phrases():
    assert moves_text(HK.moves) == "HSI -2.02%, HSTECH -2.19%"


def test_phrases_are_said_again_in_chinese_with_the_same_figures():
    zh = translator(Language.ZH)
    assert said(market_label(HK, FRI), zh) == "港股（2026-03-20 (周五)）"
    assert said(moves_text(HK.moves), zh) == "恒生指数 -2.02%、恒生科技指数 -2.19%"
    assert said(when(CRYPTO, FRI), zh) == "截至 2026-03-20 (周五) 的24小时"
    assert (
        said(missing_text("DEX volumes", "timeout"), zh)
        == "DEX 交易量：本次数据快照暂无（timeout）。"
    )


def test_signal_word_and_rule():
    thresholds = default_analysis_settings().signal
    assert signal_word(Signal.STRONG_RISK_OFF) == "Strong risk-off"
    on, strong = thresholds.crypto_risk_on_pct, thresholds.crypto_strong_pct
    assert (
        signal_rule("CRYPTO", thresholds)
        == f"risk-on/off from ±{on:.2f}%, strong from ±{strong:.2f}%"
    )


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (None, "DEX volumes: not available in this snapshot."),
        ("timeout", "DEX volumes: not available in this snapshot (timeout)."),
    ],
)
def test_missing_text(reason, expected):
    assert missing_text("DEX volumes", reason) == expected

"""Arithmetic of moves, signals and divergences, checked against the reference reports."""

from datetime import date

import pytest

from core.analysis.signals import DivergenceLevel, Signal, classify, divergence, spread_bps
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot

D = date(2026, 3, 20)


def _snap(**changes: float) -> MarketSnapshot:
    crypto_keys = {"BTC", "ETH"}
    return MarketSnapshot(
        report_date=D,
        indexes=tuple(
            IndexQuote(k, D, "t", change_pct=v) for k, v in changes.items() if k not in crypto_keys
        ),
        crypto=tuple(
            CryptoQuote(k, D, "t", change_24h_pct=v) for k, v in changes.items() if k in crypto_keys
        ),
    )


@pytest.mark.parametrize(
    ("a", "b", "change_a", "change_b", "expected_bps"),
    [
        ("SPX", "HSI", 0.59, -0.88, 147),  # 2026-03-22 reference: S&P vs HSI
        ("NASDAQ", "HSTECH", 0.44, -2.48, 292),  # Nasdaq vs HSTECH
        ("SPX", "BTC", 0.59, -2.63, 322),  # S&P vs BTC
        ("CHINEXT", "SSE", 1.30, -1.24, 254),  # ChiNext vs Shanghai
        ("HSTECH", "NASDAQ", -2.48, 0.44, -292),  # order matters: A minus B
    ],
)
def test_reference_spreads(registry, settings, a, b, change_a, change_b, expected_bps):
    snap = _snap(**{a: change_a, b: change_b})
    div = divergence(snap, registry, a, b, settings.divergence)
    assert round(div.spread_bps) == expected_bps
    assert div.opposite_directions


def test_spread_is_symmetric_in_sign():
    assert spread_bps(0.59, -0.88) == pytest.approx(-spread_bps(-0.88, 0.59))


def test_divergence_accepts_aliases(registry, settings):
    snap = _snap(HSTECH=-2.48, NASDAQ=0.44)
    div = divergence(snap, registry, "恒生科技", "ixic", settings.divergence)
    assert (div.a.key, div.b.key) == ("HSTECH", "NASDAQ")
    assert div.level is DivergenceLevel.MAJOR


def test_divergence_with_missing_leg_is_unknown(registry, settings):
    div = divergence(_snap(HSI=-0.88), registry, "SPX", "HSI", settings.divergence)
    assert div.spread_bps is None
    assert div.level is DivergenceLevel.UNKNOWN


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (None, Signal.UNKNOWN),
        (0.0, Signal.NEUTRAL),
        (0.29, Signal.NEUTRAL),
        (0.30, Signal.RISK_ON),
        (1.5, Signal.STRONG_RISK_ON),
        (-0.5, Signal.RISK_OFF),
        (-2.02, Signal.STRONG_RISK_OFF),
    ],
)
def test_classify(change, expected):
    assert classify(change, 0.30, 1.00) is expected

"""Risk rules: each scores its own evidence and names what to watch, or stays silent."""

from __future__ import annotations

from core.analysis.sections.risk_rules import RULES, Risk

from ._outlook import make


def _risks(facts) -> dict[str, Risk]:
    return {r.name: r for r in (rule(facts) for rule in RULES) if r is not None}


def _scores(facts) -> dict[str, int]:
    return {name: r.score for name, r in _risks(facts).items()}


def test_no_rule_fires_on_a_quiet_day(facts_of):
    assert _scores(facts_of(make(SPX=0.1, HSI=0.1, SSE=0.1, BTC=0.2))) == {}


def test_northbound_selling_adds_evidence(facts_of):
    base = make(SSE=-0.5)
    with_sell = make(SSE=-0.5, northbound_cny=-3e9)
    score, score_sell = _scores(facts_of(base)), _scores(facts_of(with_sell))
    name = "Drawdown continues in China A-shares"
    assert score_sell[name] == score[name] + 1


def test_crypto_liquidation_scores_stablecoin_contraction(facts_of):
    plain = _risks(facts_of(make(BTC=-4.0, ETH=-5.0)))
    drained = _risks(facts_of(make(BTC=-4.0, ETH=-5.0, stable_net=-1e9)))
    key = "Crypto liquidation cascade"
    assert drained[key].score == plain[key].score + 1
    assert "stablecoin supply shrinks again (last 1-day change -$1.00B)" in drained[key].trigger
    assert drained[key].trigger.startswith("ETH extends beyond -5.00%;")


def test_a_lead_lag_divergence_scores_lower_than_a_concurrent_one(facts_of):
    # Hong Kong and Shanghai trade at the same hours; US Thursday closed before Asia's Friday.
    scores = _scores(facts_of(make(HSI=1.0, SSE=-2.0))) | _scores(
        facts_of(make(NASDAQ=1.0, HSTECH=-2.0))
    )
    assert scores["Mean reversion of the HSI − 上证指数 (SSE) gap fails"] == 3
    assert scores["Mean reversion of the Nasdaq − HSTECH gap fails"] == 2

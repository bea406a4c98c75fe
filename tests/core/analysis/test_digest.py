"""The digest's facts: the strongest signals, the chain's links, the top risk and the stance."""

from __future__ import annotations

from dataclasses import replace

from core.analysis.build import build_report
from core.analysis.digest import INSIGHT_SIGNALS, build_digest
from core.analysis.facts import compute_facts
from core.analysis.sections.insight import candidates
from core.analysis.sections.risks import assess


def _facts(demo, registry, settings):
    return compute_facts(demo, registry, settings)


def test_insight_names_the_strongest_signals_first(demo, registry, settings):
    facts = _facts(demo, registry, settings)
    digest = build_digest(facts)
    strong = [c.support for c in candidates(facts) if c.score >= 1]
    assert digest.insight == tuple(strong[:INSIGHT_SIGNALS])
    assert "$1.18B" in digest.insight[0]  # the stablecoin outflow is the day's strongest


def test_chain_names_every_link_once_by_status(demo, registry, settings):
    facts = _facts(demo, registry, settings)
    chain = build_digest(facts).chain
    assert chain is not None and chain.startswith("Broke:")
    for link in facts.chain:
        pair = f"{facts.markets[link.source].name} → {facts.markets[link.target].name}"
        assert chain.count(pair) == 1


def test_risk_is_the_top_ranked_risk_and_stance_counts_markets(demo, registry, settings):
    facts = _facts(demo, registry, settings)
    digest = build_digest(facts)
    assert digest.risk is not None and digest.risk.startswith(assess(facts)[0].name)
    assert digest.stance is not None and "3 of 4 markets risk-off" in digest.stance


def test_no_figures_means_no_risk_no_stance(demo, registry, settings):
    empty = replace(demo, indexes=(), crypto=(), breadth=None, stablecoins=(), protocols=())
    digest = build_digest(_facts(empty, registry, settings))
    assert digest.risk is None and digest.stance is None
    assert len(digest.insight) == 1


def test_the_report_carries_its_digest(demo, registry, settings):
    report = build_report(demo, registry, settings)
    assert report.digest == build_digest(
        compute_facts(demo, registry, settings, at=report.report_at)
    )

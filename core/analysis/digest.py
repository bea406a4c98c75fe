"""The digest: the day's report in a few sentences, each fact once, built from the same facts."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.sections.actions import PROFILES, STANCES
from core.analysis.sections.evidence import regime
from core.analysis.sections.insight import candidates
from core.analysis.sections.risks import assess, probability
from core.report import Digest

# The digest names at most this many signals: the strongest and the one that backs it most.
INSIGHT_SIGNALS = 2
_LINK_WORDS = {
    "confirms": "carried through",
    "breaks": "broke",
    "neutral": "neutral",
    "unknown": "cannot be judged",
}
_LEAN_WORDS = {-1: "Defensive lean", 0: "No clear lean", 1: "Constructive lean"}


def _insight(facts: Facts) -> tuple[str, ...]:
    ranked = candidates(facts)
    strong = [c.support for c in ranked if c.score >= 1][:INSIGHT_SIGNALS]
    if strong:
        return tuple(strong)
    if not ranked:
        return ("No index, crypto, breadth or stablecoin figures to read.",)
    top = ranked[0]
    return (
        f"A quiet day: no signal reached its threshold; the largest, at "
        f"{top.score:.1f}×: {top.support}",
    )


def _chain(facts: Facts) -> str | None:
    if not facts.chain:
        return None
    by_status: dict[str, list[str]] = {}
    for link in facts.chain:
        pair = f"{facts.markets[link.source].name} → {facts.markets[link.target].name}"
        by_status.setdefault(link.status, []).append(pair)
    text = "; ".join(f"{_LINK_WORDS[k]}: {', '.join(v)}" for k, v in by_status.items())
    return f"{text[:1].upper()}{text[1:]}."


def _risk(facts: Facts) -> str | None:
    risks = assess(facts)
    if not risks:
        return None
    top = risks[0]
    return (
        f"{top.name} ({probability(top.score, facts)} probability, {top.impact.lower()} "
        f"impact); watch: {top.trigger}."
    )


def _stance(facts: Facts) -> str | None:
    r = regime(facts)
    if r.known == 0:
        return None
    stances = "; ".join(
        f"{p.lower()}: {s[:1].lower()}{s[1:]}"
        for p, s in zip(PROFILES, STANCES[r.lean], strict=True)
    )
    head = f"{_LEAN_WORDS[r.lean]} ({len(r.off)} of {r.known} markets risk-off)"
    return f"{head}. {stances[:1].upper()}{stances[1:]}."


def build_digest(facts: Facts) -> Digest:
    """Return the digest of the facts: strongest signals, the chain, top risk and the stance."""
    return Digest(_insight(facts), _chain(facts), _risk(facts), _stance(facts))

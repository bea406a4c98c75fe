"""Risk matrix: rules over the facts score their evidence; probability buckets come from config."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.sections.evidence import stablecoin_direction
from core.analysis.sections.risk_rules import RULES, Risk, reading
from core.analysis.wording import (
    missing_breadth,
    missing_markets,
    missing_northbound,
    missing_stablecoins,
)
from core.phrase import Phrase, listing, say
from core.report import Cell, Paragraph, Section, Table, Unit, text
from core.sections import section_info

# Each risk's evidence is figures shown in their own sections; the table names the trigger.
COLUMNS = ("Rank", "Risk", "Probability", "Impact", "Trigger to watch")


def probability(score: int, facts: Facts) -> str:
    """Return Low / Medium / High for an evidence score."""
    cfg = facts.settings.risk
    if score >= cfg.high_score:
        return "High"
    if score >= cfg.medium_score:
        return "Medium"
    return "Low"


def assess(facts: Facts) -> list[Risk]:
    """Return the risks whose score reaches the show threshold, highest score first."""
    found = [r for r in (rule(facts) for rule in RULES) if r is not None]
    shown = [r for r in found if r.score >= facts.settings.risk.show_min_score]
    return sorted(shown, key=lambda r: -r.score)


def _none_text(facts: Facts) -> Phrase:
    known = [m for m in facts.markets.values() if m.known_moves]
    if not known and facts.breadth is None and stablecoin_direction(facts) is None:
        return say(
            "No risk can be assessed: the snapshot has no market, breadth or stablecoin figures."
        )
    readings = listing(reading(m) for m in known) if known else say("no market figures")
    fired = any(rule(facts) is not None for rule in RULES)
    why = (
        say("the rules that fired scored below it")
        if fired
        else say(
            "no market is risk-off or strongly risk-on, the chain has no break, no divergence "
            "is notable and breadth is not weak"
        )
    )
    return say(
        "No risk rule reached the show score of %(score)s with these figures (%(readings)s): "
        "%(why)s.",
        score=facts.settings.risk.show_min_score,
        readings=readings,
        why=why,
    )


def build_risks(facts: Facts) -> Section:
    """Return the risk-matrix section."""
    info = section_info("risks")
    missing = (
        *missing_markets(facts),
        *missing_breadth(facts),
        *missing_stablecoins(facts),
        *missing_northbound(facts),
    )
    risks = assess(facts)
    if not risks:
        return Section(info.key, info.title, (Paragraph(_none_text(facts)),), missing)
    rows = tuple(
        (
            Cell(rank, Unit.COUNT),
            text(r.name),
            text(probability(r.score, facts)),
            text(r.impact),
            text(r.trigger),
        )
        for rank, r in enumerate(risks, start=1)
    )
    return Section(info.key, info.title, (Table(COLUMNS, rows),), missing)

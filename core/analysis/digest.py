"""The digest: the day's report in a few sentences, each fact once, built from the same facts."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.analysis.sections.actions import PROFILES, STANCES
from core.analysis.sections.evidence import regime
from core.analysis.sections.insight import candidates
from core.analysis.sections.risks import assess, probability
from core.i18n import N_
from core.phrase import Phrase, capitalized, listing, lowered, say, sentences
from core.report import Digest

# The digest names at most this many signals: the strongest and the one that backs it most.
INSIGHT_SIGNALS = 2
_LINK_WORDS = {
    "confirms": N_("carried through: %(pairs)s"),
    "breaks": N_("broke: %(pairs)s"),
    "neutral": N_("neutral: %(pairs)s"),
    "unknown": N_("cannot be judged: %(pairs)s"),
}
LEAN_WORDS = {
    -1: N_("Defensive lean (%(off)s of %(known)s markets risk-off)"),
    0: N_("No clear lean (%(off)s of %(known)s markets risk-off)"),
    1: N_("Constructive lean (%(off)s of %(known)s markets risk-off)"),
}


def _insight(facts: Facts) -> tuple[Phrase, ...]:
    ranked = candidates(facts)
    strong = [c.support for c in ranked if c.score >= 1][:INSIGHT_SIGNALS]
    if strong:
        return tuple(strong)
    if not ranked:
        return (say("No index, crypto, breadth or stablecoin figures to read."),)
    top = ranked[0]
    return (
        say(
            "A quiet day: no signal reached its threshold; the largest, at %(score)s×: %(support)s",
            score=f"{top.score:.1f}",
            support=top.support,
        ),
    )


def _chain(facts: Facts) -> Phrase | None:
    if not facts.chain:
        return None
    by_status: dict[str, list[Phrase]] = {}
    for link in facts.chain:
        pair = say(
            "%(source)s → %(target)s",
            source=facts.markets[link.source].name,
            target=facts.markets[link.target].name,
        )
        by_status.setdefault(link.status, []).append(pair)
    text = listing(
        (say(_LINK_WORDS[k], pairs=listing(v)) for k, v in by_status.items()), "semicolon"
    )
    return say("%(text)s.", text=capitalized(text))


def _risk(facts: Facts) -> Phrase | None:
    risks = assess(facts)
    if not risks:
        return None
    top = risks[0]
    return say(
        "%(risk)s (%(probability)s probability, %(impact)s impact); watch: %(trigger)s.",
        risk=top.name,
        probability=probability(top.score, facts),
        impact=lowered(top.impact),
        trigger=lowered(top.trigger),
    )


def _stance(facts: Facts) -> Phrase | None:
    r = regime(facts)
    if r.known == 0:
        return None
    stances = listing(
        (
            say("%(profile)s: %(stance)s", profile=lowered(p), stance=lowered(s))
            for p, s in zip(PROFILES, STANCES[r.lean], strict=True)
        ),
        "semicolon",
    )
    head = say(LEAN_WORDS[r.lean], off=len(r.off), known=r.known)
    return sentences(say("%(head)s.", head=head), say("%(text)s.", text=capitalized(stances)))


def build_digest(facts: Facts) -> Digest:
    """Return the digest of the facts: strongest signals, the chain, top risk and the stance."""
    return Digest(_insight(facts), _chain(facts), _risk(facts), _stance(facts))

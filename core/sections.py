"""The report's sections: keys, titles and the names users may type for them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.errors import UnknownSection
from core.i18n import N_
from core.instruments import default_registry

if TYPE_CHECKING:
    from core.report import Report


@dataclass(frozen=True)
class SectionInfo:
    """A section key, its title, the market it covers (from config, if one) and typed aliases."""

    key: str
    title: str
    market: str | None = None
    aliases: tuple[str, ...] = ()


_CATALOG: tuple[SectionInfo, ...] = (
    SectionInfo("insight", N_("Key Insight"), aliases=("key", "summary", "keyinsight")),
    SectionInfo(
        "transmission",
        N_("Global Risk Sentiment: Transmission Chain"),
        aliases=("chain", "sentiment", "risk-appetite"),
    ),
    SectionInfo("crypto", N_("Crypto & DeFi"), aliases=("defi", "btc", "eth")),
    SectionInfo("us", N_("US Market"), aliases=("usa", "us-equities", "wallstreet")),
    SectionInfo("hk", N_("Hong Kong Market"), aliases=("hongkong", "hong-kong", "港股")),
    SectionInfo(
        "cn", N_("A-Share Market"), aliases=("china", "ashares", "a-shares", "a-share", "a股")
    ),
    SectionInfo("divergences", N_("Cross-Market Divergences"), aliases=("divergence", "spreads")),
    SectionInfo("flows", N_("Capital Flow Map"), aliases=("flow", "capital-flow", "flowmap")),
    SectionInfo("risks", N_("Risk Matrix"), aliases=("risk", "risk-matrix")),
    SectionInfo("actions", N_("Action Plan"), aliases=("action", "plan", "action-plan")),
    SectionInfo("disclaimer", N_("Disclaimer"), aliases=()),
)

_MARKET_OF = {m.section: m.key for m in default_registry().markets.values() if m.section}
SECTIONS: tuple[SectionInfo, ...] = tuple(
    replace(s, market=_MARKET_OF.get(s.key)) for s in _CATALOG
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
_BY_NAME = {name.casefold(): s for s in SECTIONS for name in (s.key, *s.aliases)}
_BY_NAME.update({s.market.casefold(): s for s in SECTIONS if s.market})


def section_info(key: str) -> SectionInfo:
    """Return the catalog entry of a canonical section key."""
    return next(s for s in SECTIONS if s.key == key)


def resolve_section(name: str) -> SectionInfo:
    """Return the section a user means by ``name``; raise UnknownSection with suggestions."""
    found = _BY_NAME.get(name.strip().casefold())
    if found is None:
        close = difflib.get_close_matches(name.strip().casefold(), _BY_NAME, n=6, cutoff=0.5)
        keys = tuple(dict.fromkeys(_BY_NAME[c].key for c in close))[:3]
        raise UnknownSection(name, keys)
    return found


def section_for_market(market: str) -> SectionInfo:
    """Return the section that covers one configured market key (``US``, ``crypto`` …)."""
    return next(s for s in SECTIONS if s.market == market.upper())


def resolve_sections(names: Iterable[str]) -> tuple[str, ...]:
    """Return the canonical keys of typed section names, in order, without repeats or blanks."""
    return tuple(dict.fromkeys(resolve_section(name).key for name in names if name.strip()))


def select_sections(report: Report, keys: Sequence[str]) -> Report:
    """Return the report with only the sections ``keys`` (and the disclaimer); empty = all."""
    if not keys:
        return report
    wanted = {*keys, "disclaimer"}
    return replace(report, sections=tuple(s for s in report.sections if s.key in wanted))

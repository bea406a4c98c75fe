"""Instrument registry: every index and asset the report covers, looked up by name or alias."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.errors import ConfigError, UnknownInstrument
from core.settings import read_toml

# The calendar code of a market that trades without sessions (crypto): moves span 24 h.
ROUND_THE_CLOCK = "24/7"


@dataclass(frozen=True)
class Market:
    """A market of the report: its calendar, time zone, chain position and covering section."""

    key: str
    name: str
    calendar: str
    timezone: str
    order: int
    section: str | None = None

    @property
    def round_the_clock(self) -> bool:
        """Return True for a market without sessions, whose moves cover a rolling 24 h."""
        return self.calendar == ROUND_THE_CLOCK


@dataclass(frozen=True)
class Instrument:
    """One index or crypto asset with its market, currency, provider symbols and aliases."""

    key: str
    display_name: str
    long_name: str
    market: str
    kind: str
    currency: str
    aliases: tuple[str, ...] = ()
    providers: dict[str, str] = field(default_factory=dict)

    def symbol_for(self, provider: str) -> str | None:
        """Return this instrument's symbol at a provider, if it has one."""
        return self.providers.get(provider)


def _fold(name: str) -> str:
    # "HANG-SENG", "S&P_500" and "hang  seng" all name HANG SENG: a space is hard to type
    # inside one command argument, so "_" and "-" stand for it.
    folded = unicodedata.normalize("NFKC", name).casefold().replace("_", " ").replace("-", " ")
    return " ".join(folded.split())


class InstrumentRegistry:
    """Case-insensitive lookup of instruments by key or alias."""

    def __init__(self, markets: dict[str, Market], instruments: dict[str, Instrument]) -> None:
        self.markets = markets
        self._instruments = instruments
        self._by_name: dict[str, str] = {}
        for inst in instruments.values():
            for name in (inst.key, inst.display_name, inst.long_name, *inst.aliases):
                folded = _fold(name)
                owner = self._by_name.setdefault(folded, inst.key)
                if owner != inst.key:
                    raise ConfigError(f"alias {name!r} names both {owner} and {inst.key}")

    def market_keys(self) -> tuple[str, ...]:
        """Return the configured market keys in their configured order."""
        return tuple(sorted(self.markets, key=lambda k: self.markets[k].order))

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self._instruments.values())

    def __len__(self) -> int:
        return len(self._instruments)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _fold(name) in self._by_name

    def get(self, key: str) -> Instrument:
        """Return the instrument with this canonical key (no alias matching)."""
        return self._instruments[key]

    def resolve(self, name: str) -> Instrument:
        """Return the instrument a user means by ``name``; raise UnknownInstrument otherwise."""
        key = self._by_name.get(_fold(name))
        if key is None:
            raise UnknownInstrument(name, self.suggest(name))
        return self._instruments[key]

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Return up to ``limit`` canonical keys whose names are closest to ``name``."""
        folded = _fold(name)
        matches = difflib.get_close_matches(folded, self._by_name, n=limit * 3, cutoff=0.5)
        prefixed = [n for n in self._by_name if folded and (n.startswith(folded) or folded in n)]
        keys: list[str] = []
        for match in [*prefixed, *matches]:
            key = self._by_name[match]
            if key not in keys:
                keys.append(key)
        return tuple(keys[:limit])

    def in_market(self, market: str) -> tuple[Instrument, ...]:
        """Return the instruments of one market in configuration order."""
        return tuple(i for i in self._instruments.values() if i.market == market)


def load_registry(directory: Path | None = None) -> InstrumentRegistry:
    """Build the registry from instruments.toml."""
    raw = read_toml("instruments.toml", directory)
    try:
        markets = {
            key: Market(
                key=key,
                name=m["name"],
                calendar=m["calendar"],
                timezone=m["timezone"],
                order=int(m["order"]),
                section=m.get("section"),
            )
            for key, m in raw["markets"].items()
        }
        instruments = {
            key: Instrument(
                key=key,
                display_name=i.get("display_name", key),
                long_name=i.get("long_name", key),
                market=i["market"],
                kind=i["kind"],
                currency=i["currency"],
                aliases=tuple(i.get("aliases", ())),
                providers=dict(i.get("providers", {})),
            )
            for key, i in raw["instruments"].items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"instruments.toml: missing or invalid field {exc}") from exc
    for inst in instruments.values():
        if inst.market not in markets:
            raise ConfigError(f"instruments.toml: {inst.key} has unknown market {inst.market!r}")
    return InstrumentRegistry(markets, instruments)


@cache
def default_registry() -> InstrumentRegistry:
    """Return (and cache) the registry from the default configuration folder."""
    return load_registry()


def market_keys() -> tuple[str, ...]:
    """Return the markets of config/instruments.toml in order: the one list of markets."""
    return default_registry().market_keys()


def round_the_clock(market: str) -> bool:
    """Return True when a configured market trades 24/7 (its moves are 24 h changes)."""
    found = default_registry().markets.get(market)
    return found is not None and found.round_the_clock

"""Autocomplete choices for instrument, section and time-zone options (at most 25 each).

Pure functions over the registry and catalogs, matched case-insensitively on every name a
user may type (keys, display and long names, aliases including the Chinese ones).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from zoneinfo import available_timezones

import discord
from discord import app_commands

from core.i18n import DEFAULT_LANGUAGE, Language, Translator, parse_language, translator
from core.instruments import Instrument, InstrumentRegistry
from core.sections import SECTIONS, SectionInfo

MAX_CHOICES = 25
NAME_LIMIT = 100
COMMON_ZONES = (
    "UTC",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Zurich",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Australia/Sydney",
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _rank(typed: str, names: Iterable[str]) -> tuple[int, str] | None:
    """Return (0 exact, 1 prefix, 2 substring; the name matched), or None for no match."""
    best: tuple[int, str] | None = None
    for name in names:
        folded = _fold(name)
        if folded == typed:
            rank = 0
        elif folded.startswith(typed):
            rank = 1
        elif typed in folded:
            rank = 2
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, name)
    return best


def _label(text: str) -> str:
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def _instrument_label(inst: Instrument, matched: str | None, tr: Translator) -> str:
    # Its name as the reader's language has it (恒生科技指数), else its long English name.
    local = tr.gettext(inst.display_name)
    described = local if local != inst.display_name else inst.long_name
    label = f"{inst.display_name} — {described}"
    if matched and _fold(matched) not in (_fold(inst.display_name), _fold(described)):
        label += f" ({matched})"
    return _label(label)


def instrument_choices(
    registry: InstrumentRegistry, current: str, language: Language = DEFAULT_LANGUAGE
) -> list[app_commands.Choice[str]]:
    """Return instruments whose key, names or aliases match what was typed, best first."""
    typed, tr = _fold(current), translator(language)
    ranked: list[tuple[int, int, Instrument, str | None]] = []
    for order, inst in enumerate(registry):
        if not typed:
            ranked.append((0, order, inst, None))
            continue
        found = _rank(typed, (inst.key, inst.display_name, inst.long_name, *inst.aliases))
        if found is not None:
            ranked.append((found[0], order, inst, found[1]))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [
        app_commands.Choice(name=_instrument_label(inst, matched, tr), value=inst.key)
        for _, _, inst, matched in ranked[:MAX_CHOICES]
    ]


def _matching_sections(typed: str) -> list[SectionInfo]:
    ranked = []
    for order, info in enumerate(SECTIONS):
        names = (info.key, info.title, *info.aliases, *((info.market,) if info.market else ()))
        found = (0, info.key) if not typed else _rank(typed, names)
        if found is not None:
            ranked.append((found[0], order, info))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [info for _, _, info in ranked]


def section_choices(
    current: str, language: Language = DEFAULT_LANGUAGE
) -> list[app_commands.Choice[str]]:
    """Return sections matching what was typed (key, title, aliases, market), each named
    by its key and its title in ``language``."""
    say = translator(language).gettext
    return [
        app_commands.Choice(name=_label(f"{s.key} — {say(s.title)}"), value=s.key)
        for s in _matching_sections(_fold(current))[:MAX_CHOICES]
    ]


def sections_list_choices(current: str) -> list[app_commands.Choice[str]]:
    """Return completions of the last word of a space-separated section list."""
    words = current.replace(",", " ").split()
    done = words if current.endswith((" ", ",")) else words[:-1]
    last = "" if current.endswith((" ", ",")) or not words else words[-1]
    prefix = " ".join(done)
    choices = []
    for s in _matching_sections(_fold(last)):
        if s.key in done:
            continue
        value = f"{prefix} {s.key}".strip()
        choices.append(app_commands.Choice(name=_label(value), value=value))
    return choices[:MAX_CHOICES]


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def timezone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Return IANA zones matching what was typed ("hong kong" finds Asia/Hong_Kong)."""
    typed = _fold(current).replace(" ", "_")
    if not typed:
        names = list(COMMON_ZONES)
    else:
        ranked = []
        for zone in _zones():
            city = zone.rsplit("/", 1)[-1]
            found = _rank(typed, (zone, city))
            if found is not None:
                ranked.append((found[0], zone not in COMMON_ZONES, zone))
        names = [zone for *_, zone in sorted(ranked)]
    return [app_commands.Choice(name=z, value=z) for z in names[:MAX_CHOICES]]


# Autocomplete callbacks as app_commands.autocomplete(...) takes them: (interaction, current).
def client_language(interaction: discord.Interaction) -> Language:
    """Return the member's client language: choices are menu labels, like the commands'
    names and descriptions, which Discord shows in the client's language too."""
    return parse_language(str(interaction.locale))


async def complete_instrument(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Complete an instrument option from the bot's registry."""
    registry = interaction.client.reports.registry  # type: ignore[attr-defined]
    return instrument_choices(registry, current, client_language(interaction))


async def complete_section(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Complete a section option."""
    return section_choices(current, client_language(interaction))


async def complete_sections(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Complete the last word of a section list option."""
    return sections_list_choices(current)


async def complete_timezone(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Complete a time-zone option."""
    return timezone_choices(current)

"""Parse chat command arguments into typed requests; bad input raises BadCommand.

Pure and platform-neutral: Telegram and the console split a message into a command name and
its words (``parse_command``); Discord hands over named slash-command options
(``parse_options``). Both give the same requests and the same errors.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from bot.store.validation import parse_delivery_time, parse_sections
from bot.store.zones import looks_like_zone, parse_timezone
from core.errors import (
    BadCommand,
    InvalidArgument,
    UnknownCommand,
    UnknownInstrument,
    UnknownSection,
    UserInputError,
)
from core.i18n import Language
from core.instruments import Instrument, InstrumentRegistry
from core.sections import SECTIONS, resolve_section, section_for_market

DEFAULT_DELIVERY_TIME = time(8, 0)
DEFAULT_TIMEZONE = "UTC"
DEFAULT_DIVERGENCE_DAYS = 60
MIN_DIVERGENCE_DAYS = 5
MAX_DIVERGENCE_DAYS = 250
MARKETS = tuple(s.market for s in SECTIONS if s.market)

USAGE: dict[str, str] = {
    "start": "/start",
    "help": "/help",
    "report": "/report [SECTION…]",
    "section": "/section NAME",
    "market": f"/market {'|'.join(MARKETS)}",
    "divergence": (
        f"/divergence A B [DAYS] (DAYS {MIN_DIVERGENCE_DAYS}-{MAX_DIVERGENCE_DAYS}, "
        f"default {DEFAULT_DIVERGENCE_DAYS})"
    ),
    "subscribe": "/subscribe [TIME] [TIMEZONE] [SECTION…]",
    "unsubscribe": "/unsubscribe",
    "subscriptions": "/subscriptions",
    "sources": "/sources",
    "language": "/language zh|en",
}

ECHO_CHARS = 40  # typed input quoted back in a reply is cut to this many characters
_MERIDIEM = {"am", "pm", "a.m.", "p.m."}
# Phones turn typed quotes into curly ones; shlex only knows the straight kind.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def clip(text: object, limit: int = ECHO_CHARS) -> str:
    """Return typed input cut to ``limit`` characters (with "…") for quoting it back."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(text: object) -> str:
    """Return typed input as it is quoted in a reply: clipped, in quotes."""
    return repr(clip(text))


def split_args(text: str) -> list[str]:
    """Return a message's words, keeping "quoted words" together (curly quotes too)."""
    text = text.translate(_QUOTES)
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote (or an apostrophe): the words as typed, unquoted
        return [word for word in (w.strip("\"'") for w in text.split()) if word]


def unknown_command(command: str) -> UnknownCommand:
    """Return the error for a command the bot does not have, with close command names."""
    close = difflib.get_close_matches(command.casefold(), USAGE, n=3, cutoff=0.6)
    return UnknownCommand(clip(command), tuple(f"/{name}" for name in close))


@dataclass(frozen=True)
class NoArgs:
    """A command that takes no arguments."""

    command: str


@dataclass(frozen=True)
class ReportRequest:
    """The whole report, or only some sections (canonical keys; empty = all)."""

    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class DivergenceRequest:
    """One pair's spread: instrument keys and the history window in sessions."""

    a: str
    b: str
    days: int = DEFAULT_DIVERGENCE_DAYS


@dataclass(frozen=True)
class SubscribeRequest:
    """A daily delivery time, its IANA zone and the sections wanted (empty = whole report)."""

    delivery_time: time = DEFAULT_DELIVERY_TIME
    timezone: str = DEFAULT_TIMEZONE
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageRequest:
    """Set the chat's language, or (None) ask which it is."""

    language: Language | None = None


Request = NoArgs | ReportRequest | DivergenceRequest | SubscribeRequest | LanguageRequest


def _reason(exc: UserInputError) -> str:
    if isinstance(exc, UnknownInstrument | UnknownSection):
        return f"unknown {exc.kind} {shown(exc.name)}"
    if isinstance(exc, InvalidArgument):
        return f"invalid {exc.argument} {shown(exc.value)}: {exc.reason}"
    return str(exc)


def _bad(command: str, exc: UserInputError) -> BadCommand:
    return BadCommand(command, _reason(exc), getattr(exc, "suggestions", ()))


def _sections(command: str, words: Sequence[str]) -> tuple[str, ...]:
    try:
        return parse_sections(words)
    except UserInputError as exc:
        raise _bad(command, exc) from exc


def parse_report(words: Sequence[str]) -> ReportRequest:
    """Parse ``/report [SECTION…]``."""
    return ReportRequest(_sections("report", words))


def parse_section(words: Sequence[str]) -> ReportRequest:
    """Parse ``/section NAME``."""
    if len(words) != 1:
        raise BadCommand("section", "name one section", tuple(s.key for s in SECTIONS[:3]))
    try:
        return ReportRequest((resolve_section(words[0]).key,))
    except UserInputError as exc:
        raise _bad("section", exc) from exc


def parse_market(words: Sequence[str]) -> ReportRequest:
    """Parse ``/market US|HK|CN|CRYPTO``."""
    if len(words) != 1:
        raise BadCommand("market", "name one market", MARKETS)
    name = words[0].strip().upper()
    if name not in MARKETS:
        try:
            # A market's section aliases (e.g. "china", "港股") are accepted too.
            info = resolve_section(words[0])
        except UnknownSection:
            info = None
        if info is None or info.market is None:
            raise BadCommand("market", f"unknown market {shown(words[0])}", MARKETS)
        name = info.market
    return ReportRequest((section_for_market(name).key,))


def parse_divergence(words: Sequence[str], registry: InstrumentRegistry) -> DivergenceRequest:
    """Parse ``/divergence A B [DAYS]``; instruments are resolved through the registry.

    A name of several words (``S&P 500``) may be quoted, joined with ``_``/``-``, or typed
    as it is when only one split of the words names two instruments.
    """
    names, days = list(words), DEFAULT_DIVERGENCE_DAYS
    two_and_days = len(names) == 3 and names[0] in registry and names[1] in registry
    if two_and_days or (len(names) > 3 and names[-1].strip().isdigit()):
        days = _days(names.pop())
    if len(names) < 2:
        raise BadCommand("divergence", "give two instruments, e.g. HSTECH NASDAQ")
    try:
        a, b = _pair(names, registry)
    except UserInputError as exc:
        raise _bad("divergence", exc) from exc
    if a.key == b.key:
        raise BadCommand("divergence", f"pick two different instruments; both name {a.key}")
    return DivergenceRequest(a.key, b.key, days)


def _days(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not MIN_DIVERGENCE_DAYS <= int(text) <= MAX_DIVERGENCE_DAYS:
        raise BadCommand(
            "divergence",
            f"DAYS must be a whole number from {MIN_DIVERGENCE_DAYS} to "
            f"{MAX_DIVERGENCE_DAYS}, got {shown(text)}",
        )
    return int(text)


def _pair(names: Sequence[str], registry: InstrumentRegistry) -> tuple[Instrument, Instrument]:
    """Return the two instruments the words name: as two words, else the one split that fits."""
    if len(names) == 2:
        return registry.resolve(names[0]), registry.resolve(names[1])
    splits = [
        (" ".join(names[:i]), " ".join(names[i:]))
        for i in range(1, len(names))
        if " ".join(names[:i]) in registry and " ".join(names[i:]) in registry
    ]
    if len(splits) == 1:
        return registry.resolve(splits[0][0]), registry.resolve(splits[0][1])
    if not splits:
        registry.resolve(next((n for n in names if n not in registry), " ".join(names)))
    raise BadCommand("divergence", "give two instruments; put a name with spaces in quotes")


def parse_subscribe(words: Sequence[str]) -> SubscribeRequest:
    """Parse ``/subscribe [TIME] [TIMEZONE] [SECTION…]``: a word starting with a digit is the
    time, one that names (or looks like) a zone is the zone, the rest are sections."""
    times: list[str] = []
    zones: list[str] = []
    sections: list[str] = []
    for word in _joined_meridiem(words):
        if word[:1].isdigit():
            times.append(word)
        elif looks_like_zone(word):
            zones.append(word)
        else:
            sections.append(word)
    if len(times) > 1 or len(zones) > 1:
        many = "times" if len(times) > 1 else "time zones"
        raise BadCommand("subscribe", f"give one time and one time zone, got two {many}")
    try:
        delivery_time = parse_delivery_time(times[0]) if times else DEFAULT_DELIVERY_TIME
        zone = parse_timezone(zones[0]) if zones else DEFAULT_TIMEZONE
    except UserInputError as exc:
        raise _bad("subscribe", exc) from exc
    return SubscribeRequest(delivery_time, zone, _sections("subscribe", sections))


def _joined_meridiem(words: Sequence[str]) -> list[str]:
    """Return the words with a lone "am"/"pm" joined to the time before it ("8 pm")."""
    joined: list[str] = []
    for word in (w.strip() for w in words):
        if not word:
            continue
        if joined and word.casefold() in _MERIDIEM and joined[-1][:1].isdigit():
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def parse_language_words(words: Sequence[str]) -> LanguageRequest:
    """Parse ``/language [zh|en]``; client codes such as ``zh-CN`` are accepted."""
    if not words:
        return LanguageRequest()
    codes = tuple(str(language) for language in Language)
    if len(words) != 1:
        raise BadCommand("language", "name one language", codes)
    code = words[0].strip().replace("_", "-").split("-", 1)[0].casefold()
    if code not in codes:
        raise BadCommand("language", f"unknown language {shown(words[0])}", codes)
    return LanguageRequest(Language(code))


def parse_no_args(command: str, words: Sequence[str]) -> NoArgs:
    """Parse a command that takes no arguments."""
    if words:
        raise BadCommand(command, f"/{command} takes no arguments")
    return NoArgs(command)


def parse_command(command: str, words: Sequence[str], registry: InstrumentRegistry) -> Request:
    """Parse any known command's words; raise BadCommand for bad ones, UnknownCommand."""
    match command:
        case "report":
            return parse_report(words)
        case "section":
            return parse_section(words)
        case "market":
            return parse_market(words)
        case "divergence":
            return parse_divergence(words, registry)
        case "subscribe":
            return parse_subscribe(words)
        case "language":
            return parse_language_words(words)
        case _ if command in USAGE:
            return parse_no_args(command, words)
    raise unknown_command(command)


Options = Mapping[str, str | int | None]


def _words(*values: str | int | None) -> list[str]:
    return [str(v) for v in values if v is not None and v != ""]


def parse_options(command: str, options: Options, registry: InstrumentRegistry) -> Request:
    """Parse named options (slash commands): each is one value, so none is guessed at."""
    get = options.get
    if command == "divergence":
        days = get("days") or DEFAULT_DIVERGENCE_DAYS
        return parse_divergence(_words(get("a"), get("b"), days), registry)
    if command == "subscribe":
        try:
            time_text, zone = get("time"), get("timezone")
            return SubscribeRequest(
                parse_delivery_time(str(time_text)) if time_text else DEFAULT_DELIVERY_TIME,
                parse_timezone(str(zone)) if zone else DEFAULT_TIMEZONE,
                _sections("subscribe", split_sections(get("sections"))),
            )
        except InvalidArgument as exc:
            raise _bad("subscribe", exc) from exc
    return parse_command(command, _words(*options.values()), registry)


def split_sections(text: str | int | None) -> list[str]:
    """Return the section names of a space- or comma-separated option."""
    return str(text or "").replace(",", " ").split()

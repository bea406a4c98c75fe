"""Parse chat command arguments into typed requests; bad input raises BadCommand.

Pure and platform-neutral: Telegram and the console split a message into a command name and
its words (``parse_command``); Discord hands over named slash-command options
(``parse_options``). Both give the same requests and the same errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from bot.store.validation import parse_delivery_time, parse_sections, parse_timezone
from core.errors import (
    BadCommand,
    InvalidArgument,
    UnknownCommand,
    UnknownInstrument,
    UnknownSection,
    UserInputError,
)
from core.i18n import Language
from core.instruments import InstrumentRegistry
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
    "subscribe": "/subscribe [HH:MM] [TIMEZONE] [SECTION…]",
    "unsubscribe": "/unsubscribe",
    "subscriptions": "/subscriptions",
    "sources": "/sources",
    "language": "/language zh|en",
}

_TIME_LIKE = re.compile(r"\d{1,2}:\d{1,2}")


def unknown_command(command: str) -> UnknownCommand:
    """Return the error for a command the bot does not have, with close command names."""
    close = difflib.get_close_matches(command.casefold(), USAGE, n=3, cutoff=0.6)
    return UnknownCommand(command, tuple(f"/{name}" for name in close))


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
        return f"unknown {exc.kind} {exc.name!r}"
    if isinstance(exc, InvalidArgument):
        return f"invalid {exc.argument} {exc.value!r}: {exc.reason}"
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
            raise BadCommand("market", f"unknown market {words[0]!r}", MARKETS)
        name = info.market
    return ReportRequest((section_for_market(name).key,))


def parse_divergence(words: Sequence[str], registry: InstrumentRegistry) -> DivergenceRequest:
    """Parse ``/divergence A B [DAYS]``; instruments are resolved through the registry."""
    if len(words) not in (2, 3):
        raise BadCommand("divergence", "give two instruments, e.g. HSTECH NASDAQ")
    try:
        a, b = registry.resolve(words[0]), registry.resolve(words[1])
    except UserInputError as exc:
        raise _bad("divergence", exc) from exc
    days = DEFAULT_DIVERGENCE_DAYS
    if len(words) == 3:
        text = words[2].strip()
        if not text.isdigit() or not MIN_DIVERGENCE_DAYS <= int(text) <= MAX_DIVERGENCE_DAYS:
            raise BadCommand(
                "divergence",
                f"DAYS must be a whole number from {MIN_DIVERGENCE_DAYS} to "
                f"{MAX_DIVERGENCE_DAYS}, got {words[2]!r}",
            )
        days = int(text)
    return DivergenceRequest(a.key, b.key, days)


def parse_subscribe(words: Sequence[str]) -> SubscribeRequest:
    """Parse ``/subscribe [HH:MM] [TIMEZONE] [SECTION…]`` (each part optional, in this order)."""
    rest = list(words)
    delivery_time, zone = DEFAULT_DELIVERY_TIME, DEFAULT_TIMEZONE
    try:
        if rest and _TIME_LIKE.fullmatch(rest[0].strip()):
            delivery_time = parse_delivery_time(rest.pop(0))
        if rest and ("/" in rest[0] or _is_zone(rest[0])):
            zone = parse_timezone(rest.pop(0))
    except UserInputError as exc:
        raise _bad("subscribe", exc) from exc
    return SubscribeRequest(delivery_time, zone, _sections("subscribe", rest))


def _is_zone(word: str) -> bool:
    try:
        parse_timezone(word)
    except InvalidArgument:
        return False
    return True


def parse_language_words(words: Sequence[str]) -> LanguageRequest:
    """Parse ``/language [zh|en]``; client codes such as ``zh-CN`` are accepted."""
    if not words:
        return LanguageRequest()
    codes = tuple(str(language) for language in Language)
    if len(words) != 1:
        raise BadCommand("language", "name one language", codes)
    code = words[0].strip().replace("_", "-").split("-", 1)[0].casefold()
    if code not in codes:
        raise BadCommand("language", f"unknown language {words[0]!r}", codes)
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

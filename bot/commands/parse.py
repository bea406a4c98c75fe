"""Parse chat command arguments into typed requests; bad input raises BadCommand.

Pure and platform-neutral: Telegram and the console split a message into a command name and
its words (``parse_command``); Discord hands over named slash-command options
(``parse_options``). Both give the same requests and the same errors.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence

from bot.commands.requests import (
    DEFAULT_DELIVERY_TIME,
    DEFAULT_DIVERGENCE_DAYS,
    DEFAULT_TIMEZONE,
    MARKETS,
    MAX_DIVERGENCE_DAYS,
    MIN_DIVERGENCE_DAYS,
    USAGE,
    DivergenceRequest,
    LanguageRequest,
    NoArgs,
    Options,
    ReportRequest,
    Request,
    SubscribeRequest,
)
from bot.store.validation import parse_delivery_time, parse_sections
from bot.store.zones import looks_like_zone, parse_timezone
from core.errors import (
    BadCommand,
    InvalidArgument,
    UnknownCommand,
    UnknownSection,
    UserInputError,
    clip,
    shown,
)
from core.i18n import N_, Language
from core.instruments import Instrument, InstrumentRegistry
from core.phrase import say, verbatim
from core.sections import SECTIONS, resolve_section, section_for_market

_MERIDIEM = {"am", "pm", "a.m.", "p.m."}
# Phones turn typed quotes into curly ones; shlex only knows the straight kind.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
_TWO_INSTRUMENTS = N_("give two instruments, e.g. HSTECH NASDAQ")


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


def _bad(command: str, exc: UserInputError) -> BadCommand:
    return BadCommand(command, exc.message, exc.suggestions)


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
        raise BadCommand("section", N_("name one section"), tuple(s.key for s in SECTIONS[:3]))
    try:
        return ReportRequest((resolve_section(words[0]).key,))
    except UserInputError as exc:
        raise _bad("section", exc) from exc


def parse_market(words: Sequence[str]) -> ReportRequest:
    """Parse ``/market US|HK|CN|CRYPTO``."""
    if len(words) != 1:
        raise BadCommand("market", N_("name one market"), MARKETS)
    name = words[0].strip().upper()
    if name not in MARKETS:
        try:
            # A market's section aliases (e.g. "china", "港股") are accepted too.
            info = resolve_section(words[0])
        except UnknownSection:
            info = None
        if info is None or info.market is None:
            unknown = say("unknown market %(name)s", name=verbatim(shown(words[0])))
            raise BadCommand("market", unknown, MARKETS)
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
        raise BadCommand("divergence", _TWO_INSTRUMENTS)
    try:
        a, b = _pair(names, registry)
    except UserInputError as exc:
        raise _bad("divergence", exc) from exc
    if a.key == b.key:
        same = say("pick two different instruments; both name %(name)s", name=a.display_name)
        raise BadCommand("divergence", same)
    return DivergenceRequest(a.key, b.key, days)


def _days(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not MIN_DIVERGENCE_DAYS <= int(text) <= MAX_DIVERGENCE_DAYS:
        reason = say(
            "DAYS must be a whole number from %(min)s to %(max)s, got %(value)s",
            min=MIN_DIVERGENCE_DAYS,
            max=MAX_DIVERGENCE_DAYS,
            value=verbatim(shown(text)),
        )
        raise BadCommand("divergence", reason)
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
    raise BadCommand("divergence", N_("give two instruments; put a name with spaces in quotes"))


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
    if len(times) > 1:
        raise BadCommand("subscribe", N_("give one time and one time zone, got two times"))
    if len(zones) > 1:
        raise BadCommand("subscribe", N_("give one time and one time zone, got two time zones"))
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
        raise BadCommand("language", N_("name one language"), codes)
    code = words[0].strip().replace("_", "-").split("-", 1)[0].casefold()
    if code not in codes:
        unknown = say("unknown language %(name)s", name=verbatim(shown(words[0])))
        raise BadCommand("language", unknown, codes)
    return LanguageRequest(Language(code))


def parse_no_args(command: str, words: Sequence[str]) -> NoArgs:
    """Parse a command that takes no arguments."""
    if words:
        no_args = say("/%(command)s takes no arguments", command=verbatim(command))
        raise BadCommand(command, no_args)
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

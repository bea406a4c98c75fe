"""Time zones as people type them: IANA names, UTC/GMT offsets and unambiguous abbreviations.

A subscription stores one canonical text per zone: an IANA ``Area/Location`` name (or
``UTC``), or a fixed offset written ``UTC+08:00`` / ``UTC-05:30``. ``zone_of`` turns that
text back into a tzinfo, so every stored value round-trips. Legacy single-word zone files
(``Factory``, ``localtime``, ``EST``, ``Japan``) are not accepted as names: they are either
not places or ambiguous to a reader.
"""

from __future__ import annotations

import difflib
import re
from datetime import timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.errors import InvalidArgument
from core.i18n import N_
from core.phrase import listing, say, verbatim

UTC_NAME = "UTC"
_OFFSET = re.compile(r"(?:UTC|GMT|Z)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_LOOKS_LIKE_ZONE = re.compile(r"[+-]\d.*|.*/.*|(?:UTC|GMT).*", re.IGNORECASE)
_STORED_OFFSET = re.compile(r"UTC([+-])(\d{2}):(\d{2})")
MAX_OFFSET = timedelta(hours=14)  # Pacific/Kiritimati; the farthest west is UTC-12
MIN_OFFSET = timedelta(hours=-12)

# Abbreviations that name one zone wherever a reader is.
ABBREVIATIONS: dict[str, str] = {
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "ICT": "Asia/Bangkok",
    "WIB": "Asia/Jakarta",
    "PHT": "Asia/Manila",
    "PKT": "Asia/Karachi",
    "MSK": "Europe/Moscow",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "EDT": "America/New_York",
    "CDT": "America/Chicago",
    "MDT": "America/Denver",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "SAST": "Africa/Johannesburg",
    "BRT": "America/Sao_Paulo",
}

# Abbreviations that name more than one zone: refused, with what each reader may have meant.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "EST": ("America/New_York", "UTC-5"),
    "CST": ("America/Chicago", "Asia/Shanghai", "UTC-6", "UTC+8"),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "PST": ("America/Los_Angeles", "Asia/Manila", "UTC-8"),
    "MST": ("America/Denver", "America/Phoenix", "UTC-7"),
    "GST": ("Asia/Dubai", "Atlantic/South_Georgia", "UTC+4"),
}


@cache
def zone_names() -> dict[str, str]:
    """Return the accepted IANA names (Area/Location, UTC, GMT) keyed by their folded form."""
    names = {n for n in available_timezones() if "/" in n} | {UTC_NAME, "GMT"}
    return {name.casefold(): name for name in names}


def _refuse(text: str, reason: str, suggestions: tuple[str, ...] = ()) -> InvalidArgument:
    return InvalidArgument(N_("time zone"), text, reason, suggestions)


def _offset_name(sign: str, hours: str, minutes: str | None, text: str) -> str:
    if minutes is not None and int(minutes) > 59:
        raise _refuse(text, N_("minutes run 00-59"))
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    delta = -delta if sign == "-" else delta
    if not MIN_OFFSET <= delta <= MAX_OFFSET:
        raise _refuse(text, N_("offsets run from UTC-12 to UTC+14"))
    if not delta:
        return UTC_NAME
    total_min = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{total_min // 60:02d}:{total_min % 60:02d}"


def _suggest(text: str) -> tuple[str, ...]:
    folded = text.casefold().replace(" ", "_")
    by_city = {name.rsplit("/", 1)[-1]: zone for name, zone in zone_names().items()}
    close = difflib.get_close_matches(folded, [*by_city, *zone_names()], n=3, cutoff=0.8)
    return tuple(dict.fromkeys(by_city.get(c) or zone_names()[c] for c in close))


def parse_timezone(text: str) -> str:
    """Return the canonical stored text of a zone the user typed; raise InvalidArgument."""
    key = text.strip()
    found = zone_names().get(key.casefold())
    if found is not None:
        return found
    upper = key.upper()
    if upper in ABBREVIATIONS:
        return ABBREVIATIONS[upper]
    if upper in AMBIGUOUS:
        zones = listing(verbatim(zone) for zone in AMBIGUOUS[upper])
        raise _refuse(text, say("ambiguous, use one of %(zones)s", zones=zones))
    match = _OFFSET.fullmatch(key)
    if match is not None:
        return _offset_name(match[1], match[2], match[3], text)
    raise _refuse(
        text,
        N_("expected an IANA name such as Asia/Hong_Kong, an offset such as UTC+8, or HKT"),
        _suggest(key),
    )


def looks_like_zone(word: str) -> bool:
    """Return True when a word is, or is meant as, a time zone (to refuse it as one)."""
    if _LOOKS_LIKE_ZONE.fullmatch(word.strip()) or word.strip().upper() in AMBIGUOUS:
        return True
    try:
        parse_timezone(word)
    except InvalidArgument as exc:
        return bool(exc.suggestions) or word.strip().casefold() in _zone_files()
    return True


@cache
def _zone_files() -> frozenset[str]:
    return frozenset(name.casefold() for name in available_timezones())


def zone_of(name: str) -> tzinfo:
    """Return the tzinfo of a stored zone text (an IANA name or ``UTC±HH:MM``)."""
    match = _STORED_OFFSET.fullmatch(name)
    if match is not None:
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        return timezone(-delta if match[1] == "-" else delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _refuse(name, N_("no tz data installed for it")) from exc

"""Parse and validate what a user types when subscribing: platform, time, sections.

Time zones are parsed in ``bot.store.zones``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time

from bot.platforms import PLATFORMS
from core.errors import InvalidArgument
from core.i18n import N_
from core.phrase import listing, say, verbatim
from core.sections import resolve_sections

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_TIME_ARG = N_("delivery time")
_TIME_12H = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)


def parse_platform(platform: str) -> str:
    """Return the canonical platform name; raise InvalidArgument for an unsupported one."""
    name = platform.strip().casefold()
    if name not in PLATFORMS:
        names = listing(verbatim(name) for name in PLATFORMS)
        expected = say("expected one of %(names)s", names=names)
        raise InvalidArgument(N_("platform"), platform, expected)
    return name


def parse_chat_id(chat_id: str | int) -> str:
    """Return a chat id as text (Telegram ints and Discord snowflakes both fit)."""
    text = str(chat_id).strip()
    if not text or len(text) > 64:
        raise InvalidArgument(N_("chat id"), chat_id, N_("expected 1 to 64 characters"))
    return text


def parse_delivery_time(value: str | time) -> time:
    """Return a delivery time typed as 24-hour HH:MM or as 8am / 8:30pm; raise InvalidArgument."""
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise InvalidArgument(_TIME_ARG, value.isoformat(), N_("use whole minutes, no zone"))
        return value
    twelve = _TIME_12H.fullmatch(value.strip())
    if twelve is not None:
        return _twelve_hour(value, int(twelve[1]), int(twelve[2] or 0), twelve[3].lower() == "p")
    match = _TIME.fullmatch(value.strip())
    if match is None:
        expected = N_("expected HH:MM or 8am, e.g. 08:00 or 8:30pm")
        raise InvalidArgument(_TIME_ARG, value, expected)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InvalidArgument(_TIME_ARG, value, N_("hours run 00-23 and minutes 00-59"))
    return time(hour, minute)


def _twelve_hour(text: str, hour: int, minute: int, pm: bool) -> time:
    if not 1 <= hour <= 12 or minute > 59:
        raise InvalidArgument(_TIME_ARG, text, N_("12-hour times run 12am-11:59pm"))
    return time(hour % 12 + (12 if pm else 0), minute)


def format_delivery_time(value: time) -> str:
    """Return the HH:MM text stored for a delivery time."""
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_sections(names: Iterable[str]) -> tuple[str, ...]:
    """Return canonical section keys in the order given, without repeats.

    Raise UnknownSection (with suggestions) for a name the catalog does not know; an empty
    result means the whole report.
    """
    return resolve_sections(names)

"""Parse and validate what a user types when subscribing: platform, time, time zone, sections."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.platforms import PLATFORMS
from core.errors import InvalidArgument
from core.sections import resolve_sections

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def parse_platform(platform: str) -> str:
    """Return the canonical platform name; raise InvalidArgument for an unsupported one."""
    name = platform.strip().casefold()
    if name not in PLATFORMS:
        raise InvalidArgument("platform", platform, f"expected one of {', '.join(PLATFORMS)}")
    return name


def parse_chat_id(chat_id: str | int) -> str:
    """Return a chat id as text (Telegram ints and Discord snowflakes both fit)."""
    text = str(chat_id).strip()
    if not text or len(text) > 64:
        raise InvalidArgument("chat id", chat_id, "expected 1 to 64 characters")
    return text


def parse_delivery_time(value: str | time) -> time:
    """Return a 24-hour HH:MM delivery time; raise InvalidArgument for anything else."""
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise InvalidArgument("delivery time", value.isoformat(), "use whole minutes, no zone")
        return value
    match = _TIME.fullmatch(value.strip())
    if match is None:
        raise InvalidArgument("delivery time", value, "expected 24-hour HH:MM, e.g. 08:00 or 21:30")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InvalidArgument("delivery time", value, "hours run 00-23 and minutes 00-59")
    return time(hour, minute)


def format_delivery_time(value: time) -> str:
    """Return the HH:MM text stored for a delivery time."""
    return f"{value.hour:02d}:{value.minute:02d}"


@cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(name: str) -> str:
    """Return the canonical IANA zone name (case-insensitive); raise InvalidArgument otherwise."""
    key = name.strip()
    canonical = _zone_names().get(key.casefold())
    if canonical is None:
        close = difflib.get_close_matches(key.casefold(), _zone_names(), n=3, cutoff=0.6)
        raise InvalidArgument(
            "time zone",
            name,
            "expected an IANA name such as Asia/Hong_Kong or America/New_York",
            tuple(_zone_names()[c] for c in close),
        )
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidArgument("time zone", name, "no tz data installed for it") from exc
    return canonical


def parse_sections(names: Iterable[str]) -> tuple[str, ...]:
    """Return canonical section keys in the order given, without repeats.

    Raise UnknownSection (with suggestions) for a name the catalog does not know; an empty
    result means the whole report.
    """
    return resolve_sections(names)

"""What a parsed command asks for: the typed requests, their defaults and the usage lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from core.i18n import N_, Language
from core.sections import SECTIONS

DEFAULT_DELIVERY_TIME = time(8, 0)
DEFAULT_TIMEZONE = "UTC"
DEFAULT_DIVERGENCE_DAYS = 60
MIN_DIVERGENCE_DAYS = 5
MAX_DIVERGENCE_DAYS = 250
MARKETS = tuple(s.market for s in SECTIONS if s.market)

# Each command's usage line, a catalog message (its argument names are words too), filled
# with USAGE_VALUES where it is shown.
USAGE: dict[str, str] = {
    "start": "/start",
    "help": "/help",
    "report": N_("/report [SECTION…]"),
    "section": N_("/section NAME"),
    "market": "/market %(markets)s",
    "divergence": N_("/divergence A B [DAYS] (DAYS %(min)s-%(max)s, default %(default)s)"),
    "subscribe": N_("/subscribe [TIME] [TIMEZONE] [SECTION…]"),
    "unsubscribe": "/unsubscribe",
    "subscriptions": "/subscriptions",
    "sources": "/sources",
    "language": "/language zh|en",
}
USAGE_VALUES: Mapping[str, object] = {
    "markets": "|".join(MARKETS),
    "min": MIN_DIVERGENCE_DAYS,
    "max": MAX_DIVERGENCE_DAYS,
    "default": DEFAULT_DIVERGENCE_DAYS,
}

Options = Mapping[str, str | int | None]


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

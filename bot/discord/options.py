"""Turn slash-command options into the typed requests bot.commands defines.

Discord hands options over already split, so each is parsed on its own; errors become the
same BadCommand (reason, usage, suggestions) the text commands raise.
"""

from __future__ import annotations

from bot.commands import (
    DEFAULT_DELIVERY_TIME,
    DEFAULT_DIVERGENCE_DAYS,
    DEFAULT_TIMEZONE,
    DivergenceRequest,
    ReportRequest,
    SubscribeRequest,
    parse_divergence,
    parse_market,
    parse_report,
)
from bot.store.validation import parse_delivery_time, parse_sections, parse_timezone
from core.errors import BadCommand, InvalidArgument, UnknownSection
from core.instruments import InstrumentRegistry


def report_request(section: str | None) -> ReportRequest:
    """Return the request of ``/report [section]``."""
    return parse_report([section] if section else [])


def market_request(market: str) -> ReportRequest:
    """Return the request of ``/market market``."""
    return parse_market([market])


def divergence_request(
    registry: InstrumentRegistry, a: str, b: str, days: int | None
) -> DivergenceRequest:
    """Return the request of ``/divergence a b [days]``."""
    return parse_divergence([a, b, str(days or DEFAULT_DIVERGENCE_DAYS)], registry)


def split_sections(text: str | None) -> list[str]:
    """Return the section names of a space- or comma-separated option."""
    return (text or "").replace(",", " ").split()


def subscribe_request(
    time: str | None, timezone: str | None, sections: str | None
) -> SubscribeRequest:
    """Return the request of ``/subscribe [time] [timezone] [sections]``."""
    try:
        return SubscribeRequest(
            parse_delivery_time(time) if time else DEFAULT_DELIVERY_TIME,
            parse_timezone(timezone) if timezone else DEFAULT_TIMEZONE,
            parse_sections(split_sections(sections)),
        )
    except InvalidArgument as exc:
        reason = f"invalid {exc.argument} {exc.value!r}: {exc.reason}"
        raise BadCommand("subscribe", reason, exc.suggestions) from exc
    except UnknownSection as exc:
        raise BadCommand("subscribe", f"unknown section {exc.name!r}", exc.suggestions) from exc

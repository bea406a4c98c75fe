"""The platform-neutral command layer: parse (``requests``, ``parse``), answer (``run``), word
(``wording``, marked up per platform by a ``style.Style``).

Telegram, Discord and the console are thin adapters around ``run_command``.
"""

from bot.commands.parse import parse_command, parse_options
from bot.commands.requests import (
    DEFAULT_DELIVERY_TIME,
    DEFAULT_DIVERGENCE_DAYS,
    DEFAULT_TIMEZONE,
    MARKETS,
    MAX_DIVERGENCE_DAYS,
    MIN_DIVERGENCE_DAYS,
    USAGE,
    DivergenceRequest,
    NoArgs,
    ReportRequest,
    Request,
    SubscribeRequest,
)
from bot.commands.run import COSTS, CommandContext, Reply, Services, run_command
from core.errors import BadCommand, UnknownCommand

__all__ = [
    "COSTS",
    "DEFAULT_DELIVERY_TIME",
    "DEFAULT_DIVERGENCE_DAYS",
    "DEFAULT_TIMEZONE",
    "MARKETS",
    "MAX_DIVERGENCE_DAYS",
    "MIN_DIVERGENCE_DAYS",
    "USAGE",
    "BadCommand",
    "CommandContext",
    "DivergenceRequest",
    "NoArgs",
    "Reply",
    "ReportRequest",
    "Request",
    "Services",
    "SubscribeRequest",
    "UnknownCommand",
    "parse_command",
    "parse_options",
    "run_command",
]

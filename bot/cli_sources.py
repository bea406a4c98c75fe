"""``marketbot sources``: each source's last success, latency, supplies and breaker.

Without ``--check`` it shows what earlier live runs recorded (the source-health file beside
the history database); ``--check`` asks every source once and fails (exit 1) when a market is
left without any working source.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

import httpx

from core.errors import NoWorkingSource
from core.instruments import default_registry
from core.providers.health import SourceHealth
from core.settings import EnvSettings, default_provider_settings
from core.snapshot import ProviderStatus
from core.source_check import markets_without_source, probe_sources, recorded_statuses
from core.sources_report import build_provider_report


async def _probe(args: argparse.Namespace, health: SourceHealth, now: datetime):
    async with httpx.AsyncClient(
        transport=args.transport, timeout=health.settings.timeout_s
    ) as client:
        return await probe_sources(client, now, health, clock=args.clock)


def sources_output(args: argparse.Namespace, renderers: dict) -> str:
    """Return the sources table; raise NoWorkingSource (with it) when a market has none."""
    env = EnvSettings()
    path = env.sources_state_path(args.db)
    health = SourceHealth.load(default_provider_settings(), path)
    now = (args.now or args.clock.now_utc()).astimezone(UTC)
    statuses: list[ProviderStatus]
    if args.check:
        statuses = asyncio.run(_probe(args, health, now))
        missing = markets_without_source(statuses)
        names = [default_registry().markets[m].name for m in missing]
        note = (
            f"No working source for: {', '.join(names)}."
            if missing
            else "Every market has at least one working source."
        )
    else:
        statuses, missing = recorded_statuses(health, now), []
        note = f"As recorded in {path} by earlier live runs."
        if not statuses:
            note = f"No live run recorded in {path} yet; `marketbot sources --check` asks all."
    output = renderers[args.format](build_provider_report(statuses, now, note))
    if missing:
        raise NoWorkingSource(output, tuple(missing))
    return output

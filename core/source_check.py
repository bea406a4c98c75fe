"""What every source is doing: probe them all once, or read what earlier runs recorded.

``marketbot sources`` and the chat ``/sources`` show the same rows: per provider its last
success, latency, what it supplied and its circuit breaker. A market "has a working source"
when at least one provider answered with a quote of one of its instruments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import httpx

from core.clock import SYSTEM_CLOCK, Clock
from core.instruments import InstrumentRegistry, default_registry
from core.providers.assemble import fetch_outcomes, provider_status
from core.providers.base import Fetcher
from core.providers.health import SourceHealth
from core.providers.registry import default_providers
from core.settings import ProviderSettings
from core.snapshot import ProviderStatus


async def probe_sources(
    client: httpx.AsyncClient,
    now: datetime,
    health: SourceHealth,
    *,
    providers: Mapping[str, Fetcher] | None = None,
    instruments: InstrumentRegistry | None = None,
    settings: ProviderSettings | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> list[ProviderStatus]:
    """Ask every provider once, resting ones included; record and save the results."""
    outcomes, _ = await fetch_outcomes(
        client,
        now,
        providers,
        instruments=instruments,
        settings=settings or health.settings,
        health=health,
        clock=clock,
        probe=True,
    )
    health.save()
    return [provider_status(o) for o in outcomes]


def recorded_statuses(
    health: SourceHealth,
    now: datetime,
    providers: Mapping[str, Fetcher] | None = None,
    instruments: InstrumentRegistry | None = None,
) -> list[ProviderStatus]:
    """Return each configured provider's status as earlier runs left it (never asked: none)."""
    instruments = instruments or default_registry()
    if providers is None:
        providers = default_providers(instruments, health.settings)
    out = []
    for key, f in providers.items():
        if key not in health.providers:
            continue
        h = health.providers[key]
        out.append(
            ProviderStatus(
                key=key,
                source=f.source,
                market=f.market,
                covers=f.covers,
                ok=h.failures_in_row == 0 and h.last_success is not None,
                reason=h.last_error,
                latency_ms=h.latency_ms,
                supplied=h.supplied,
                last_success=h.last_success,
                breaker=h.breaker(now, health.settings.breaker_failures),
            )
        )
    return out


def markets_without_source(
    statuses: Iterable[ProviderStatus], instruments: InstrumentRegistry | None = None
) -> list[str]:
    """Return the markets (in report order) for which no provider supplied a quote."""
    instruments = instruments or default_registry()
    supplied = {item for s in statuses if s.ok for item in s.supplied}
    return [
        market
        for market in instruments.markets
        if not any(i.key in supplied for i in instruments.in_market(market))
    ]

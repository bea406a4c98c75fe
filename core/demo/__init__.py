"""The bundled demo snapshot: figures published in the 2026-03-20 reference report."""

from __future__ import annotations

from importlib import resources

from core.snapshot import MarketSnapshot

DEMO_FILE = "snapshot_2026-03-20.json"


def demo_snapshot() -> MarketSnapshot:
    """Return the bundled sample snapshot (no network, no token needed)."""
    return MarketSnapshot.from_json(resources.files(__package__).joinpath(DEMO_FILE).read_bytes())

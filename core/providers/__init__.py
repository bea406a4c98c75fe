"""Live market data providers: async fetchers per source and dataset, and the snapshot builder."""

from core.providers.assemble import build_snapshot
from core.providers.base import FetchContext, Fetcher, HttpSource
from core.providers.registry import default_providers

__all__ = ["FetchContext", "Fetcher", "HttpSource", "build_snapshot", "default_providers"]

"""MarketSnapshot: one report date's market data, typed, JSON-serialisable, missing made explicit.

A field that is ``None`` was not obtained (and the report says so); it is never zero.
Every record carries the source it came from and the session (or as-of time) it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, TypeAdapter, ValidationError

from core.errors import SnapshotError
from core.phrase import Phrase, from_data, to_data


def _said_in(value: Any) -> str:
    # A saved phrase comes back a phrase; plain text (older snapshots, a source's) stays text.
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "phrase" in value:
        return from_data(value["phrase"])
    raise ValueError("expected text, or a phrase's text and recipe")


def _said_out(value: str) -> Any:
    return {"text": str(value), "phrase": to_data(value)} if isinstance(value, Phrase) else value


# Text a reader reads: saved with how it was said, so a loaded snapshot says it in any language.
Said = Annotated[str, PlainValidator(_said_in), PlainSerializer(_said_out)]


def pct_change(now: float | None, before: float | None) -> float | None:
    """Return the percent change from ``before`` to ``now``, or None when either is unknown."""
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1.0) * 100.0


@dataclass(frozen=True)
class IndexQuote:
    """Close of one index for one trading session; ``change_pct`` is vs the previous close."""

    instrument: str
    session_date: date
    source: Said
    close: float | None = None
    previous_close: float | None = None
    change_pct: float | None = None
    fetched_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.change_pct is None:
            object.__setattr__(self, "change_pct", pct_change(self.close, self.previous_close))


@dataclass(frozen=True)
class CryptoQuote:
    """Spot price of a crypto asset and its rolling 24 h change at ``as_of``."""

    instrument: str
    session_date: date
    source: Said
    price_usd: float | None = None
    change_24h_pct: float | None = None
    as_of: datetime | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class Breadth:
    """A-share advancers, decliners and unchanged counts for one session."""

    session_date: date
    source: Said
    up: int | None = None
    down: int | None = None
    flat: int | None = None


@dataclass(frozen=True)
class Turnover:
    """Total A-share turnover (Shanghai + Shenzhen) for one session, in CNY."""

    session_date: date
    source: Said
    turnover_cny: float | None = None


@dataclass(frozen=True)
class Northbound:
    """Stock Connect northbound figures; ``note`` says what the source no longer publishes."""

    session_date: date
    source: Said
    net_buy_cny: float | None = None
    turnover_cny: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class ProtocolTvl:
    """A DeFi protocol's total value locked and its 1-day change."""

    name: str
    source: Said
    category: str | None = None
    tvl_usd: float | None = None
    change_1d_pct: float | None = None
    as_of: datetime | None = None


@dataclass(frozen=True)
class StablecoinSupply:
    """A stablecoin's circulating supply now and a day before, in USD."""

    symbol: str
    source: Said
    circulating_usd: float | None = None
    prev_day_usd: float | None = None
    change_pct: float | None = None
    as_of: datetime | None = None

    def __post_init__(self) -> None:
        if self.change_pct is None:
            change = pct_change(self.circulating_usd, self.prev_day_usd)
            object.__setattr__(self, "change_pct", change)

    @property
    def change_usd(self) -> float | None:
        """Return the 1-day change in USD: from both levels, else from level and change_pct."""
        if self.circulating_usd is None:
            return None
        if self.prev_day_usd is not None:
            return self.circulating_usd - self.prev_day_usd
        if self.change_pct is None or self.change_pct <= -100:
            return None
        return self.circulating_usd - self.circulating_usd / (1 + self.change_pct / 100.0)


@dataclass(frozen=True)
class DexVolume:
    """A DEX's 24 h traded volume and its change against the previous 24 h."""

    name: str
    source: Said
    volume_24h_usd: float | None = None
    change_1d_pct: float | None = None
    as_of: datetime | None = None


class NoteKind(StrEnum):
    """Why a market or source needs a word in the report."""

    CLOSED = "closed"
    STALE = "stale"
    SOURCE_FAILED = "source_failed"
    DISAGREEMENT = "disagreement"
    DATA_QUALITY = "data_quality"
    INFO = "info"


@dataclass(frozen=True)
class SnapshotNote:
    """Something the providers or calendars want the reader told, tied to a market if any."""

    kind: NoteKind
    message: Said
    market: str | None = None


@dataclass(frozen=True)
class SourceStatus:
    """Whether one data source answered, and why not if it did not."""

    name: str
    ok: bool
    reason: Said | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class ProviderStatus:
    """One provider's part in a build: what it supplied, how fast, and its circuit breaker.

    ``last_good_at`` is set when its figures are the last good ones from that time, served
    because it failed or rests now.
    """

    key: str
    source: Said
    market: str | None
    covers: str
    ok: bool
    reason: Said | None = None
    latency_ms: float | None = None
    supplied: tuple[str, ...] = ()
    last_success: datetime | None = None
    breaker: str = "closed"
    last_good_at: datetime | None = None


@dataclass(frozen=True)
class MarketSnapshot:
    """All the data one report is computed from. ``None`` means not obtained."""

    report_date: date
    generated_at: datetime | None = None
    indexes: tuple[IndexQuote, ...] = ()
    crypto: tuple[CryptoQuote, ...] = ()
    breadth: Breadth | None = None
    turnover: Turnover | None = None
    northbound: Northbound | None = None
    protocols: tuple[ProtocolTvl, ...] | None = None
    stablecoins: tuple[StablecoinSupply, ...] | None = None
    dex_volumes: tuple[DexVolume, ...] | None = None
    sources: tuple[SourceStatus, ...] = ()
    providers: tuple[ProviderStatus, ...] = ()
    notes: tuple[SnapshotNote, ...] = ()
    demo_note: str | None = field(default=None)

    def index(self, instrument: str) -> IndexQuote | None:
        """Return the quote of one index, or None if it is missing."""
        return next((q for q in self.indexes if q.instrument == instrument), None)

    def crypto_quote(self, instrument: str) -> CryptoQuote | None:
        """Return the quote of one crypto asset, or None if it is missing."""
        return next((q for q in self.crypto if q.instrument == instrument), None)

    def with_changes(self, **changes: object) -> MarketSnapshot:
        """Return a copy with some fields replaced (tests and providers build on this)."""
        return replace(self, **changes)

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON."""
        return _ADAPTER.dump_json(self, indent=indent).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> MarketSnapshot:
        """Parse a snapshot from JSON; raise SnapshotError with the reason if it is invalid."""
        try:
            return _ADAPTER.validate_json(text)
        except ValidationError as exc:
            raise SnapshotError(
                f"invalid snapshot: {exc.error_count()} error(s): "
                f"{exc.errors()[0]['loc']} {exc.errors()[0]['msg']}"
            ) from exc

    @classmethod
    def load(cls, path: Path) -> MarketSnapshot:
        """Read a snapshot JSON file."""
        try:
            return cls.from_json(path.read_bytes())
        except OSError as exc:
            raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror}") from exc


_ADAPTER = TypeAdapter(MarketSnapshot)

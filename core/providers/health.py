"""Per-provider health: a circuit breaker, the last good figures, latency and what was supplied.

A provider that failed ``breaker_failures`` runs in a row rests for ``breaker_rest_s``: it is
not asked (its outcome says so), then tried once more ("half-open"). While it fails or rests,
its last good figures are served if they are younger than ``last_good_max_age_s`` — with their
original fetch time, and their source labelled with their age, never as new figures.
The state can be kept in a JSON file so that separate runs (the CLI) share it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from core.formatting import age_text
from core.history.records import DailyClose
from core.i18n import N_
from core.phrase import Phrase, figure, from_data, say, to_data, verbatim
from core.providers.base import Record
from core.settings import ProviderSettings
from core.snapshot import CryptoQuote, IndexQuote, SnapshotNote

log = logging.getLogger(__name__)

# Figures worth serving again; history bars and notes of an old run are not.
_KEPT: dict[str, type] = {
    t.__name__: t for t in get_args(Record) if t not in (DailyClose, SnapshotNote)
}
_ADAPTERS = {name: TypeAdapter(kind) for name, kind in _KEPT.items()}
# A record served from the last good figures names its source so, in the reader's language.
LAST_GOOD = N_("%(source)s (last good, %(age)s old)")


def base_source(label: str) -> str:
    """Return the source name of a record's source label (``"yahoo (last good, 3 h old)"``)."""
    return label.split(" (", 1)[0]


def supplied_by(records: tuple[Record, ...] | list[Record]) -> tuple[str, ...]:
    """Return what a provider supplied: instrument keys, or the kinds of other figures."""
    names: list[str] = []
    for r in records:
        name = getattr(r, "instrument", None) if isinstance(r, IndexQuote | CryptoQuote) else None
        names.append(name or type(r).__name__)
    kept = [n for n in names if n != "DailyClose"]
    history = len(names) - len(kept)
    return tuple(dict.fromkeys(kept)) + ((f"{history} history closes",) if history else ())


@dataclass
class ProviderHealth:
    """What is known about one provider across runs."""

    failures_in_row: int = 0
    resting_until: datetime | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    latency_ms: float | None = None
    last_error: str | None = None
    supplied: tuple[str, ...] = ()
    last_good_at: datetime | None = None
    last_good: tuple[Record, ...] = field(default=())

    def breaker(self, now: datetime, threshold: int) -> str:
        """Return the breaker state: ``closed``, ``open until …`` or ``half-open``."""
        if self.resting_until is not None and now < self.resting_until:
            return f"open until {self.resting_until:%Y-%m-%d %H:%M} UTC"
        return "half-open" if self.failures_in_row >= threshold else "closed"


class SourceHealth:
    """The health of every provider, keyed like the registry; optionally kept in a file."""

    def __init__(self, settings: ProviderSettings, path: Path | None = None) -> None:
        self.settings = settings
        self.path = path
        self.providers: dict[str, ProviderHealth] = {}

    def get(self, key: str) -> ProviderHealth:
        """Return one provider's health (a fresh record if it never ran)."""
        return self.providers.setdefault(key, ProviderHealth())

    def resting(self, key: str, now: datetime) -> Phrase | None:
        """Return why a provider is not asked now (its breaker is open), else None."""
        h = self.get(key)
        if h.resting_until is None or now >= h.resting_until:
            return None
        last = h.last_error  # a Phrase (kept as one in the file); text from an older file
        return say(
            "resting after %(n)s failures in a row, until %(until)s UTC (circuit open; last "
            "error: %(error)s)",
            n=h.failures_in_row,
            until=verbatim(f"{h.resting_until:%H:%M}"),
            error=last if isinstance(last, Phrase) else verbatim(last or ""),
        )

    def succeeded(self, key: str, records: tuple[Record, ...], now: datetime, ms: float) -> None:
        """Record a success: close the breaker and keep the figures as the last good ones."""
        h = self.get(key)
        h.failures_in_row, h.resting_until, h.last_error = 0, None, None
        h.last_attempt = h.last_success = now
        h.latency_ms, h.supplied = ms, supplied_by(records)
        kept = tuple(r for r in records if type(r).__name__ in _KEPT)
        if kept:
            h.last_good, h.last_good_at = kept, now

    def failed(self, key: str, error: str, now: datetime, ms: float | None) -> None:
        """Record a failure; the threshold-th in a row (or a failed half-open try) opens it."""
        h = self.get(key)
        h.failures_in_row += 1
        h.last_attempt, h.last_error = now, error
        if ms is not None:
            h.latency_ms = ms
        if h.failures_in_row >= self.settings.breaker_failures:
            h.resting_until = now + timedelta(seconds=self.settings.breaker_rest_s)

    def last_good(self, key: str, now: datetime) -> tuple[tuple[Record, ...], datetime] | None:
        """Return a provider's last good figures, relabelled with their age, if young enough."""
        h = self.get(key)
        if not h.last_good or h.last_good_at is None:
            return None
        age_s = (now - h.last_good_at).total_seconds()
        if age_s > self.settings.last_good_max_age_s:
            return None
        age = figure(age_text, age_s)
        records = tuple(
            replace(r, source=say(LAST_GOOD, source=verbatim(base_source(r.source)), age=age))
            for r in h.last_good
        )
        return records, h.last_good_at

    def save(self) -> None:
        """Write the state to its file, if it has one; a failure is logged, never raised."""
        if self.path is None:
            return
        try:
            self.path.write_text(json.dumps(self._dump(), indent=1, ensure_ascii=False))
        except OSError as exc:
            log.warning("source health not saved to %s: %s", self.path, exc)

    @classmethod
    def load(cls, settings: ProviderSettings, path: Path | None) -> SourceHealth:
        """Return the state kept in ``path``; a missing or unreadable file starts afresh."""
        health = cls(settings, path)
        if path is None or not path.is_file():
            return health
        try:
            for key, raw in json.loads(path.read_text()).items():
                health.providers[key] = _parse(raw)
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("source health in %s not readable (%s); starting afresh", path, exc)
            health.providers.clear()
        return health

    def _dump(self) -> dict[str, Any]:
        out = {}
        for key, h in self.providers.items():
            raw = {
                k: v.isoformat() if isinstance(v, datetime) else v
                for k, v in vars(h).items()
                if k != "last_good"
            }
            raw["last_error"] = to_data(h.last_error)  # its recipe, to be said in any language
            raw["last_good"] = [
                {
                    "kind": type(r).__name__,
                    "data": _ADAPTERS[type(r).__name__].dump_python(r, mode="json"),
                }
                for r in h.last_good
            ]
            out[key] = raw
        return out


def _parse(raw: dict[str, Any]) -> ProviderHealth:
    times = {"resting_until", "last_attempt", "last_success", "last_good_at"}
    values = {
        k: (datetime.fromisoformat(v) if k in times and v else v)
        for k, v in raw.items()
        if k != "last_good" and k in ProviderHealth.__dataclass_fields__
    }
    values["supplied"] = tuple(values.get("supplied") or ())
    values["last_error"] = from_data(values.get("last_error"))
    good = tuple(_ADAPTERS[g["kind"]].validate_python(g["data"]) for g in raw.get("last_good", []))
    return ProviderHealth(**values, last_good=good)

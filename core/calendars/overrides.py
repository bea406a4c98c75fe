"""Operator overrides: closures and openings an operator knows before either library does.

They come from the ``[calendars.<CODE>]`` tables of config/calendars.toml and win over
exchange_calendars and the ``holidays`` package alike.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from core.errors import ConfigError
from core.settings import read_toml


class Overrides(BaseModel, frozen=True):
    """What an operator knows about one exchange's calendar before the libraries do."""

    holidays_until: int | None = None
    closed: dict[date, str] = Field(default_factory=dict)
    open: tuple[date, ...] = ()


def load_overrides(directory: Path | None = None) -> dict[str, Overrides]:
    """Read every exchange's overrides from calendars.toml, keyed by calendar code."""
    raw = read_toml("calendars.toml", directory)
    try:
        return {
            code: Overrides.model_validate(table)
            for code, table in raw.get("calendars", {}).items()
        }
    except ValidationError as exc:
        raise ConfigError(f"calendars.toml: {exc}") from exc


@cache
def default_overrides() -> dict[str, Overrides]:
    """Return (and cache) the overrides from the default configuration folder."""
    return load_overrides()


def overrides_for(code: str) -> Overrides:
    """Return one exchange's overrides (empty when the file says nothing about it)."""
    return default_overrides().get(code, Overrides())

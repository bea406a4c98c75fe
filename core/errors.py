"""Exceptions raised by marketbot's core.

The tree mirrors what a caller can do about each failure::

    ReportError                    base of everything marketbot raises on purpose
    ├── ConfigError                a file in config/ is missing or malformed
    ├── SnapshotError              a snapshot document cannot be read or is inconsistent
    ├── ProviderError              an upstream data source failed (translated at the boundary)
    │   ├── SourceUnavailable      network failure, timeout or 5xx after retries
    │   ├── RateLimited            429; carries ``retry_after_s`` when the source sent one
    │   └── MalformedResponse      empty, truncated or unexpected body; or a 4xx answer
    └── UserInputError             something a user typed is not valid
        ├── UnknownInstrument      carries ``suggestions`` (closest known names)
        ├── UnknownSection         carries ``suggestions`` (closest section keys)
        └── InvalidArgument        a malformed value (time, time zone, platform); carries
                                   ``argument``, ``value`` and ``suggestions``

Upstream exceptions (httpx, json, KeyError on a body) are translated once, where the
provider meets the source, with ``raise ... from exc``; nothing above that sees them.
"""

from __future__ import annotations


class ReportError(Exception):
    """Base class of every error marketbot raises deliberately."""


class ConfigError(ReportError):
    """Raise when a configuration file is missing or invalid."""


class SnapshotError(ReportError):
    """Raise when a snapshot document cannot be parsed or is inconsistent."""


class ProviderError(ReportError):
    """Raise when an upstream data source fails; ``source`` names it."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class SourceUnavailable(ProviderError):
    """Raise when a source cannot be reached or keeps failing with 5xx."""


class RateLimited(ProviderError):
    """Raise when a source answers 429 and retries are exhausted."""

    def __init__(self, source: str, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after_s = retry_after_s


class MalformedResponse(ProviderError):
    """Raise when a body is empty, truncated, or not the shape the source documents."""


class UserInputError(ReportError):
    """Raise when user input (a command argument, a CLI option) is invalid."""


class _UnknownName(UserInputError):
    kind = "name"

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {self.kind} {name!r}{hint}")


class UnknownInstrument(_UnknownName):
    """Raise for an instrument name or alias that is not in the registry."""

    kind = "instrument"


class UnknownSection(_UnknownName):
    """Raise for a report section name that does not exist."""

    kind = "section"


class InvalidArgument(UserInputError):
    """Raise for a malformed value a user typed (a time, a time zone, a platform)."""

    def __init__(
        self, argument: str, value: object, reason: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        self.argument = argument
        self.value = value
        self.reason = reason
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"invalid {argument} {value!r}: {reason}{hint}")

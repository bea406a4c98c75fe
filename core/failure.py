"""What went wrong at a data source, as a reader is told it and as the log keeps it.

A ``ProviderError`` (``core/errors.py``) carries three accounts of one failure: its ``kind``
(a ``Failure``), its ``reason`` (what a reader is told: a ``Phrase`` said in any language, a
catalog message with codes and counts, else the kind's own words) and its ``detail`` (the
technical text, in English, for the log and ``str()``: an exception's words, what a body
lacked). A reader never gets the detail: it is the operator's.
"""

from __future__ import annotations

from enum import StrEnum

from core.i18n import N_


class Failure(StrEnum):
    """What went wrong at a source; each value is what a reader is told of it (the catalog's)."""

    TIMEOUT = N_("timed out")
    NETWORK = N_("unreachable")
    SERVER_ERROR = N_("server error")
    RATE_LIMITED = N_("rate limited")
    BLOCKED = N_("blocked by the provider")
    REFUSED = N_("request refused")
    EMPTY = N_("empty body")
    MALFORMED = N_("malformed response")

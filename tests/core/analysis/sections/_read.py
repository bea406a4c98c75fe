"""Read facts out of a built section's text: its missing-data lines and the figures it cites.

Tests assert with these instead of quoting sentences, so rewording a phrase helper breaks only
the goldens and that helper's own test.
"""

from __future__ import annotations

import re
from datetime import date

from core.analysis.wording import missing_text
from core.formatting import session_label

THURSDAY = date(2026, 3, 19)
FRIDAY = date(2026, 3, 20)
SUNDAY = date(2026, 3, 22)

# A signed or unsigned number with its unit (%, bps, ×, $ and K/M/B/T), or a session label.
_FIGURE = re.compile(
    r"[A-Z][a-z]{2} \d{4}-\d{2}-\d{2}"
    r"|[+-]?[$¥]?\d[\d,]*(?:\.\d+)?(?:%| bps|×|[KMBT]\b)?"
)


def says_missing(text: str, what: str, reason: str | None = None) -> bool:
    """Return True when ``text`` carries the standard missing-data line for ``what``."""
    return missing_text(what, reason).removesuffix(".") in text


def figures(text: str) -> set[str]:
    """Return the figures ``text`` cites: ``+0.65%``, ``21 bps``, ``Fri 2026-03-20``…"""
    return set(_FIGURE.findall(text))


def day(value: date) -> str:
    """Return how the report names a session date: ``Fri 2026-03-20``."""
    return session_label(value)

"""Find English left in a text meant for Chinese readers: runs of three or more English words."""

from __future__ import annotations

import re

# Tickers, units and codes read the same in a Chinese report (BTC, UTC, USD, DeFi, HH:MM).
_ALLOWED = re.compile(r"^(?:[A-Z0-9&/.\-]{1,8}|DeFi|bps|HH:MM|vs)$")
_WORD = re.compile(r"^[(\"'“]*([A-Za-z][A-Za-z'’\-]*)[)\"'”.,;:!?]*$")


def english_runs(text: str, length: int = 3) -> list[str]:
    """Return each run of ``length`` or more consecutive English words (allowed tokens aside)."""
    runs, current = [], []
    for token in text.split():
        match = _WORD.match(token)
        if match and not _ALLOWED.match(match.group(1)):
            current.append(token)
            continue
        if len(current) >= length:
            runs.append(" ".join(current))
        current = []
    if len(current) >= length:
        runs.append(" ".join(current))
    return runs

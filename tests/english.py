"""Find English left in a text meant for Chinese readers: runs of three or more English words.

Only names read the same in a Chinese report are not counted: tickers and codes in capitals
(BTC, USDT, HSI, UTC, TVL, DEX, S&P), a few proper nouns (DeFi, Nasdaq) and the data sources'
own names (Yahoo, Binance, DefiLlama …), which stay as the sources spell them.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^[A-Z0-9&/.\-]{1,8}$")
PROPER_NOUNS = frozenset({"DeFi", "Nasdaq", "vs"})
SOURCES = frozenset(
    {
        "baostock",
        "binance",
        "coingecko",
        "defillama",
        "eastmoney",
        "hkex",
        "kraken",
        "okx",
        "sina",
        "stooq",
        "tencent",
        "yahoo",
    }
)
_WORD = re.compile(r"^[(\"'“（]*([A-Za-z][A-Za-z'’\-]*)[)\"'”.,;:!?）、，。；：]*$")


def allowed(word: str) -> bool:
    """Return True for a word a Chinese report keeps as it is (ticker, proper noun, source)."""
    return bool(_CODE.match(word)) or word in PROPER_NOUNS or word.casefold() in SOURCES


def english_runs(text: str, length: int = 3) -> list[str]:
    """Return each run of ``length`` or more consecutive English words (allowed tokens aside)."""
    runs, current = [], []
    for token in text.split():
        match = _WORD.match(token)
        if match and not allowed(match.group(1)):
            current.append(token)
            continue
        if len(current) >= length:
            runs.append(" ".join(current))
        current = []
    if len(current) >= length:
        runs.append(" ".join(current))
    return runs

"""Build the bundled sample from real daily closes: the 08:00 HKT Mon 2026-03-23 report.

The inputs are the history files of ``../shared/fixtures/history`` (yfinance, akshare/Sina and
baostock exports that other projects commit; each has a ``.source.txt``). The sample is what a
Hong Kong subscriber would have received at 08:00 on Mon 2026-03-23: every market's latest
session is Fri 2026-03-20, and crypto is the 24 h to that instant (the Yahoo daily bar of
03-22 closes at 24:00 UTC, exactly then). Every earlier close is bundled as history, so the
sample ranks its spreads against 60 aligned sessions. Figures with no real data here
(breadth, turnover, northbound, DeFi, stablecoins, DEX volumes) are left missing.

Run ``python -m core.demo.build DIR`` to rewrite the bundled files from DIR.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.calendars import latest_completed_session
from core.demo import CLOSES_FILE, SNAPSHOT_FILE
from core.history.records import DailyClose
from core.i18n import N_
from core.instruments import InstrumentRegistry, default_registry
from core.providers.bars import DailyBar, latest_and_previous
from core.quality import check_snapshot
from core.settings import default_analysis_settings
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot, SourceStatus, pct_change

READER_ZONE = ZoneInfo("Asia/Hong_Kong")
INSTANT = datetime(2026, 3, 23, 8, 0, tzinfo=READER_ZONE).astimezone(UTC)
# Said once, at the top; what the sample lacks is in the report's one missing line.
DEMO_NOTE = N_(
    "SAMPLE DATA, not live: the 08:00 HKT report of Mon 2026-03-23 for a Hong Kong "
    "subscriber, from real daily closes (Yahoo, Sina and Baostock exports)."
)

# instrument → (file, date column, close column, source)
FILES: dict[str, tuple[str, str, str, str]] = {
    "DJIA": ("yahoo_DJI_zjplab.csv", "Date", "Close", "yahoo"),
    "NASDAQ": ("yahoo_IXIC_zjplab.csv", "Date", "Close", "yahoo"),
    "SPX": ("yahoo_GSPC_zjplab.csv", "Date", "Close", "yahoo"),
    "HSI": ("yahoo_HSI_laimanto.csv", "Date", "Close", "yahoo"),
    "HSCEI": ("yahoo_HSCE_laimanto.csv", "Date", "Close", "yahoo"),
    "HSTECH": ("sina_HSTECH_risk-thermometer.csv", "date", "close", "sina"),
    "SSE": ("sina_sh000001_risk-thermometer.csv", "date", "close", "sina"),
    "SZSE": ("baostock_sz399001_zechenhehuo.csv", "date", "close", "baostock"),
    "CHINEXT": ("sina_sz399006_risk-thermometer.csv", "date", "close", "sina"),
    "BTC": ("yahoo_BTC-USD_seedflora.csv", "Date", "Close", "yahoo"),
    "ETH": ("yahoo_ETH-USD_seedflora.csv", "Date", "Close", "yahoo"),
}


def read_bars(path: Path, date_column: str, close_column: str) -> list[DailyBar]:
    """Return a history file's (date, close) rows, read by header name, oldest first.

    Yahoo dates carry the exchange's offset (``2026-03-20 00:00:00-04:00``): the first ten
    characters are the exchange date. Closes are float32 artefacts, kept to 2 decimals.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            DailyBar(date.fromisoformat(r[date_column][:10]), round(float(r[close_column]), 2))
            for r in csv.DictReader(fh)
            if r[close_column].strip()
        ]
    return sorted(rows)


def _last_day(market: str, registry: InstrumentRegistry) -> date:
    # A crypto daily bar dated D closes at 24:00 UTC of D: the last one closed by INSTANT.
    if registry.markets[market].round_the_clock:
        return date.fromordinal(INSTANT.date().toordinal() - 1)
    return latest_completed_session(market, INSTANT, registry)


def build_sample(
    history_dir: Path, registry: InstrumentRegistry | None = None
) -> tuple[MarketSnapshot, list[DailyClose]]:
    """Return the sample snapshot at INSTANT and every close up to it, from ``history_dir``."""
    registry = registry or default_registry()
    indexes: list[IndexQuote] = []
    crypto: list[CryptoQuote] = []
    closes: list[DailyClose] = []
    for key, (name, date_column, close_column, source) in FILES.items():
        inst = registry.get(key)
        last_day = _last_day(inst.market, registry)
        bars = read_bars(history_dir / name, date_column, close_column)
        bars = [b for b in bars if b.session_date <= last_day]
        latest, previous = latest_and_previous(bars)
        before = previous.close if previous is not None else None
        closes += [DailyClose(key, b.session_date, b.close, source) for b in bars]
        if inst.kind == "crypto":
            change = pct_change(latest.close, before)
            # Dated like a live 24 h ticker: by the UTC day its window ends in.
            crypto.append(CryptoQuote(key, INSTANT.date(), source, latest.close, change, INSTANT))
        else:
            indexes.append(IndexQuote(key, latest.session_date, source, latest.close, before))
    sources = tuple(SourceStatus(s, True) for s in dict.fromkeys(f[3] for f in FILES.values()))
    snapshot = MarketSnapshot(
        report_date=INSTANT.astimezone(READER_ZONE).date(),
        generated_at=INSTANT,
        indexes=tuple(indexes),
        crypto=tuple(crypto),
        sources=sources,
        demo_note=DEMO_NOTE,
    )
    checked = check_snapshot(snapshot, INSTANT, registry, default_analysis_settings().quality)
    return checked, closes


def closes_csv(closes: list[DailyClose]) -> str:
    """Return the bundled history as CSV text: instrument, session_date, close, source."""
    lines = ["instrument,session_date,close,source"]
    lines += [f"{c.instrument},{c.session_date.isoformat()},{c.close!r},{c.source}" for c in closes]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite the bundled sample from the history folder given as the only argument."""
    if len(argv) != 1:
        print("usage: python -m core.demo.build HISTORY_DIR", file=sys.stderr)
        return 2
    snapshot, closes = build_sample(Path(argv[0]))
    out = Path(__file__).parent
    (out / SNAPSHOT_FILE).write_text(snapshot.to_json() + "\n", encoding="utf-8")
    (out / CLOSES_FILE).write_text(closes_csv(closes), encoding="utf-8")
    print(f"wrote {SNAPSHOT_FILE} and {CLOSES_FILE} ({len(closes)} closes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

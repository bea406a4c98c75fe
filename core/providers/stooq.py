"""Stooq daily CSV: a further source for the US indexes, used only with an API key.

Since 2026 Stooq wants a key (``apikey``, from STOOQ_API_KEY) and answers scripts without
one with an HTML bot check, which the HTTP layer reports as a block.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import SecretStr

from core.errors import MalformedResponse
from core.providers.bars import DailyBar, bar_quote, latest_and_previous
from core.providers.base import FetchContext, Fetcher, HttpSource, InstrumentQuery, Record

_HEADER = ["Date", "Open", "High", "Low", "Close", "Volume"]


def parse_daily_csv(text: str) -> list[DailyBar]:
    """Return (exchange date, close) rows of a Stooq daily CSV, oldest first."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or [h.strip() for h in header[:5]] != _HEADER[:5]:
        # Stooq answers 200 with a line of prose ("No data", a hit limit) instead of a CSV.
        first = (header or [""])[0][:80]
        raise MalformedResponse("stooq", f"not a daily CSV: {first!r}")
    rows = []
    for row in reader:
        if not row or not row[0].strip():
            continue
        if len(row) != len(header):
            raise MalformedResponse("stooq", f"truncated CSV row {','.join(row)!r}")
        rows.append(DailyBar(date.fromisoformat(row[0].strip()), float(row[4])))
    rows.sort()
    return rows


@dataclass(frozen=True)
class StooqDaily(Fetcher[InstrumentQuery]):
    """Latest close and previous close of one index from Stooq's daily CSV."""

    source = "stooq"
    dataset = "daily"
    api_key: SecretStr | None = None

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the CSV request, limited to the last weeks so the body stays small."""
        inst, symbol = self.own_symbol(ctx)
        start = ctx.now.date() - timedelta(days=ctx.settings.stooq_lookback_days)
        params = {
            "s": symbol,
            "i": "d",
            "d1": start.strftime("%Y%m%d"),
            "d2": ctx.now.date().strftime("%Y%m%d"),
        }
        if self.api_key is not None:
            params["apikey"] = self.api_key.get_secret_value()
        return InstrumentQuery(inst.key, f"{ctx.settings.base_url('stooq')}/q/d/l/", params)

    async def extract(self, http: HttpSource, query: InstrumentQuery) -> Any:
        """Return the CSV text."""
        return await http.get_text(self.source, query.url, query.params)

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one IndexQuote for the latest row (dates are already exchange dates)."""
        rows = parse_daily_csv(raw)
        if not rows:
            raise MalformedResponse("stooq", f"{query.params['s']}: the CSV has no rows")
        last, previous = latest_and_previous(rows)
        previous_close = previous.close if previous else None
        return [bar_quote(query.instrument, self.source, last, previous_close, ctx.now)]

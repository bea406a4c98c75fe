"""Yahoo Finance chart API v8: daily bars for every index and for BTC-USD / ETH-USD."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict

from core.errors import MalformedResponse
from core.history.records import DailyClose
from core.providers.bars import bar_quote, latest_and_previous, session_bars
from core.providers.base import FetchContext, InstrumentQuery, JsonFetcher, Record
from core.snapshot import CryptoQuote


class _Meta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    symbol: str
    gmtoffset: int = 0
    exchangeTimezoneName: str | None = None
    regularMarketPrice: float | None = None
    regularMarketTime: int | None = None
    chartPreviousClose: float | None = None
    priceHint: int = 2


class _Quote(BaseModel):
    model_config = ConfigDict(extra="ignore")

    close: list[float | None] = []


class _Indicators(BaseModel):
    model_config = ConfigDict(extra="ignore")

    quote: list[_Quote]


class _Result(BaseModel):
    model_config = ConfigDict(extra="ignore")

    meta: _Meta
    timestamp: list[int] = []
    indicators: _Indicators


class _Error(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str | None = None
    description: str | None = None


class _Chart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    result: list[_Result] | None = None
    error: _Error | None = None


class ChartBody(BaseModel):
    """The ``/v8/finance/chart`` envelope."""

    model_config = ConfigDict(extra="ignore")

    chart: _Chart


@dataclass(frozen=True)
class ChartBar:
    """One daily bar's close, dated in the exchange's own time zone."""

    session_date: date
    close: float
    timestamp: datetime


@dataclass(frozen=True)
class ChartSeries:
    """A chart body reduced to what the snapshot (and a history store) needs."""

    symbol: str
    bars: tuple[ChartBar, ...]
    chart_previous_close: float | None
    market_time: datetime | None
    market_date: date | None


def _zone(meta: _Meta) -> ZoneInfo | None:
    if not meta.exchangeTimezoneName:
        return None
    try:
        return ZoneInfo(meta.exchangeTimezoneName)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local_date(ts: int, meta: _Meta) -> date:
    moment = datetime.fromtimestamp(ts, UTC)
    zone = _zone(meta)
    if zone is not None:
        return moment.astimezone(zone).date()
    # gmtoffset is today's offset, so it can be an hour off across a DST change; only a fallback.
    return (moment + timedelta(seconds=meta.gmtoffset)).date()


def chart_error(payload: Any) -> str | None:
    """Return the description of a chart error body (the 404 of an unknown symbol)."""
    err = payload["chart"]["error"]
    return f"{err.get('code')}: {err.get('description')}" if err else None


def parse_chart(payload: Any) -> ChartSeries:
    """Return the daily closes of a chart body; bars with a null close are skipped."""
    body = ChartBody.model_validate(payload)
    if body.chart.error is not None:
        raise MalformedResponse("yahoo", f"{body.chart.error.code}: {body.chart.error.description}")
    if not body.chart.result:
        raise MalformedResponse("yahoo", "chart.result is empty")
    result = body.chart.result[0]
    closes = result.indicators.quote[0].close if result.indicators.quote else []
    meta = result.meta
    # Quote arrays are float32 (5085.06005859375); priceHint gives the decimals Yahoo shows.
    bars = tuple(
        ChartBar(
            _local_date(ts, meta), round(close, meta.priceHint), datetime.fromtimestamp(ts, UTC)
        )
        for ts, close in zip(result.timestamp, closes, strict=False)
        if close is not None
    )
    ts = meta.regularMarketTime
    market_time = datetime.fromtimestamp(ts, UTC) if ts else None
    market_date = _local_date(ts, meta) if ts else None
    return ChartSeries(meta.symbol, bars, meta.chartPreviousClose, market_time, market_date)


def _as_of(series: ChartSeries, last: ChartBar) -> datetime:
    # regularMarketTime is the latest trade; it dates the last bar only if on the same day.
    if series.market_time is not None and series.market_date == last.session_date:
        return series.market_time
    return last.timestamp


@dataclass(frozen=True)
class YahooChart(JsonFetcher[InstrumentQuery]):
    """Latest daily close and previous close of one instrument from Yahoo's chart API.

    With ``history`` the bars before the latest one come back too, as history closes, so a
    history store can be back-filled from the range already fetched instead of asking again.
    """

    source = "yahoo"
    dataset = "chart"
    error_detail = staticmethod(chart_error)
    history: bool = False

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the chart request for this fetcher's instrument."""
        inst, symbol = self.own_symbol(ctx)
        url = f"{ctx.settings.base_url('yahoo')}/v8/finance/chart/{quote(symbol, safe='')}"
        params = {"interval": "1d", "range": ctx.settings.yahoo_range}
        return InstrumentQuery(inst.key, url, params)

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one IndexQuote (or CryptoQuote) for the latest bar."""
        series = parse_chart(raw)
        if not series.bars:
            raise MalformedResponse("yahoo", f"{series.symbol}: no bar with a close")
        last, before = latest_and_previous(series.bars)
        # The last bar may be a session still trading: only the finished ones are history.
        earlier: list[Record] = [
            DailyClose(query.instrument, bar.session_date, bar.close, self.source)
            for bar in session_bars(series.bars)
            if self.history and bar.session_date < last.session_date
        ]
        # With range > 1d, chartPreviousClose is the close before the range, not yesterday's.
        previous = before.close if before is not None else series.chart_previous_close
        if ctx.instruments.get(query.instrument).kind == "crypto":
            # Daily crypto bars are UTC days: their change runs from the last 00:00 UTC, which at
            # 09:00 HKT is one hour. They are history and a price; the 24 h change comes from a
            # rolling 24 h ticker (Binance, OKX, CoinGecko).
            return [
                *earlier,
                CryptoQuote(
                    instrument=query.instrument,
                    session_date=last.session_date,
                    source=self.source,
                    price_usd=last.close,
                    change_24h_pct=None,
                    as_of=_as_of(series, last),
                    fetched_at=ctx.now,
                ),
            ]
        return [*earlier, bar_quote(query.instrument, self.source, last, previous, ctx.now)]

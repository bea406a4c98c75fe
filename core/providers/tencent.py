"""Tencent quotes (``qt.gtimg.cn``) for A-share, Hong Kong and US indexes; daily klines.

A quote answer is one ``v_<code>="f0~f1~…";`` line per known code, in GBK. Fields are read by
position and the line's length is never required: it differs by market and year. Field 30,
the quote time, has a format and a time zone of its own in each market (field 0). When no
requested code is known the whole answer is ``v_pv_none_match="1";``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import MalformedResponse
from core.history.records import DailyClose
from core.providers.bars import DailyBar, session_bars
from core.providers.base import FetchContext, InstrumentQuery, JsonFetcher, Record
from core.providers.codelist import CodeListQuotes, CodesQuery, LineQuote
from core.providers.eastmoney import number

_LINE = re.compile(r'v_([^=\s"]+)="([^"]*)"')
NONE_MATCH = "pv_none_match"

# Field 0 → (format of field 30, the exchange's time zone).
_TIME_FORMATS: dict[str, tuple[str, ZoneInfo]] = {
    "1": ("%Y%m%d%H%M%S", ZoneInfo("Asia/Shanghai")),
    "51": ("%Y%m%d%H%M%S", ZoneInfo("Asia/Shanghai")),
    "62": ("%Y%m%d%H%M%S", ZoneInfo("Asia/Shanghai")),
    "100": ("%Y/%m/%d %H:%M:%S", ZoneInfo("Asia/Hong_Kong")),
    "200": ("%Y-%m-%d %H:%M:%S", ZoneInfo("America/New_York")),
}
_LAST, _PREVIOUS, _TIME, _CHANGE_PCT = 3, 4, 30, 32


def parse_quote_lines(text: str) -> dict[str, list[str]]:
    """Return each answered code's fields; lines may be joined by ``; `` or by newlines."""
    return {code: body.split("~") for code, body in _LINE.findall(text) if body}


def quote_time(fields: list[str]) -> datetime:
    """Return field 30 as an aware datetime in the exchange's own time zone."""
    market = fields[0]
    if market not in _TIME_FORMATS:
        raise MalformedResponse("tencent", f"unknown market code {market!r} in field 0")
    fmt, zone = _TIME_FORMATS[market]
    return datetime.strptime(fields[_TIME].strip(), fmt).replace(tzinfo=zone)


@dataclass(frozen=True)
class TencentQuotes(CodeListQuotes):
    """Last price, previous close and change of several indexes in one request."""

    source = "tencent"
    dataset = "quotes"
    list_path = "q"

    def lines(self, query: CodesQuery, raw: str) -> dict[str, list[str]]:
        """Return the answered codes' fields; an answer knowing none of them is malformed."""
        lines = parse_quote_lines(raw)
        if NONE_MATCH in lines or not lines:
            raise MalformedResponse(
                self.source, f"no requested code is known: {', '.join(query.codes)}"
            )
        return lines

    def read_line(self, code: str, fields: list[str] | None) -> LineQuote | None:
        """Return a line's quote, dated by its exchange-local quote time."""
        if fields is None or len(fields) <= _CHANGE_PCT:
            return None
        close = number(fields[_LAST])
        if not close:
            return None
        return LineQuote(
            quote_time(fields).date(), close, number(fields[_PREVIOUS]), number(fields[_CHANGE_PCT])
        )


def _kline_error(payload: Any) -> str | None:
    return f"code {payload.get('code')}: {payload.get('msg') or 'no message'}"


@dataclass(frozen=True)
class TencentKline(JsonFetcher[InstrumentQuery]):
    """Unadjusted daily bars of one index (``newfqkline``), as history closes.

    A bar is ``[date, open, CLOSE, high, low, volume, {}, …]`` (close before high), all strings;
    the bars are under ``day`` for unadjusted requests and ``qfqday`` for adjusted ones.
    """

    source = "tencent"
    dataset = "kline"
    error_detail = staticmethod(_kline_error)

    def build_query(self, ctx: FetchContext) -> InstrumentQuery:
        """Return the kline request for the last ``tencent_kline_bars`` sessions."""
        inst, code = self.own_symbol(ctx)
        url = f"{ctx.settings.base_url('tencent_kline')}/appstock/app/newfqkline/get"
        param = f"{code},day,,,{ctx.settings.tencent_kline_bars},bfq"
        return InstrumentQuery(inst.key, url, {"param": param})

    def transform(self, query: InstrumentQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return a DailyClose per bar; a session still trading today is left out."""
        if raw.get("code") != 0:
            raise MalformedResponse(self.source, f"kline: {_kline_error(raw)}")
        code = query.params["param"].split(",", 1)[0]
        series = raw["data"][code]
        bars = series.get("day") or series.get("qfqday") or []
        zone = ZoneInfo(
            ctx.instruments.markets[ctx.instruments.get(query.instrument).market].timezone
        )
        today = ctx.now.astimezone(zone).date()
        # A repeated date (a source re-sending today's bar) keeps one bar per session.
        unique = session_bars(DailyBar(date.fromisoformat(bar[0]), float(bar[2])) for bar in bars)
        return [
            DailyClose(query.instrument, b.session_date, b.close, self.source)
            for b in unique
            if b.session_date < today and b.close > 0
        ]

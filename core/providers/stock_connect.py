"""Stock Connect northbound daily turnover, as the exchanges publish it (SSE and SZSE).

Neither exchange publishes northbound net buying any more (since 2024-08-16), only turnover.
Figures are strings with thousands separators in 亿元 (10^8 CNY). SSE's latest day is in
``result`` (``tradeDate`` YYYYMMDD); SZSE's day report is a list of labelled rows with the
date in ``metadata.subname``, and a day not published yet is the same envelope with
``"data": []`` — a note, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core.calendars import latest_completed_session, sessions_between
from core.errors import MalformedResponse
from core.phrase import say
from core.providers.base import FetchContext, Fetcher, HttpSource, JsonFetcher, Record, UrlQuery
from core.providers.eastmoney import NORTHBOUND_NOTE, number
from core.providers.health import base_source
from core.snapshot import Northbound, NoteKind, SnapshotNote

YI_CNY = 1e8
# SZSE labels its rows; the ETF row's label contains this one, so match from the start.
_SZSE_TURNOVER_LABEL = "当日交易总额"


def amount_cny(text: Any) -> float | None:
    """Return a "1,354.49" 亿元 string in CNY."""
    value = number(str(text).replace(",", "")) if text is not None else None
    return None if value is None else value * YI_CNY


@dataclass(frozen=True)
class SseNorthbound(JsonFetcher[UrlQuery]):
    """Shanghai Connect northbound turnover of the latest published day."""

    source = "sse"
    dataset = "northbound"

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the daily-statistics query (an empty tradeDate asks for the latest day)."""
        params = {"sqlId": "FW_HGTZL_HGTSCSJ_HGTCJGK_MRTJ", "tradeDate": ""}
        return UrlQuery(f"{ctx.settings.base_url('sse')}/commonSoaQuery.do", params)

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one Northbound record for Shanghai Connect."""
        rows = raw.get("result") or (raw.get("pageHelp") or {}).get("data") or []
        if not rows:
            raise MalformedResponse(self.source, "no daily row (result is empty)")
        row = rows[0]
        session = datetime.strptime(str(row["tradeDate"]), "%Y%m%d").date()
        turnover = amount_cny(row.get("totalAmount"))
        return [Northbound(session, self.source, turnover_cny=turnover, note=NORTHBOUND_NOTE)]


@dataclass(frozen=True)
class SzseQuery:
    """The day report asked for, and the session before it (asked if it is not out yet)."""

    url: str
    day: date
    previous_day: date


@dataclass(frozen=True)
class SzseNorthbound(Fetcher[SzseQuery]):
    """Shenzhen Connect northbound turnover of the latest completed A-share session."""

    source = "szse"
    dataset = "northbound"

    def build_query(self, ctx: FetchContext) -> SzseQuery:
        """Return the day report request for the latest completed session."""
        day = latest_completed_session("CN", ctx.now, ctx.instruments)
        previous = sessions_between("CN", day - timedelta(days=20), day - timedelta(days=1))[-1]
        return SzseQuery(
            f"{ctx.settings.base_url('szse')}/api/report/ShowReport/data", day, previous
        )

    async def _day(self, http: HttpSource, query: SzseQuery, day: date) -> Any:
        params = {
            "SHOWTYPE": "JSON",
            "CATALOGID": "SGT_SGTJYRB",
            "TABKEY": "tab1",
            "txtDate": day.isoformat(),
        }
        return await http.get_json(self.source, query.url, params)

    async def extract(self, http: HttpSource, query: SzseQuery) -> Any:
        """Return the day's report, and the previous day's when the day is not published."""
        latest = await self._day(http, query, query.day)
        if _rows(latest):
            return [latest]
        return [latest, await self._day(http, query, query.previous_day)]

    def transform(self, query: SzseQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return Northbound for the newest published day; a later unpublished day is a note."""
        out: list[Record] = []
        if len(raw) > 1:
            out.append(
                SnapshotNote(
                    NoteKind.INFO,
                    say(
                        "Shenzhen Connect turnover for %(day)s is not published yet; the "
                        "previous session's is shown.",
                        day=query.day.isoformat(),
                    ),
                    "CN",
                )
            )
        report = raw[-1][0]
        rows = _rows(raw[-1])
        if not rows:
            return out  # neither day published: the note alone says so
        subname = report["metadata"].get("subname") or ""
        session = date.fromisoformat(subname) if subname else query.previous_day
        row = next(
            (r for r in rows if str(r.get("label", "")).startswith(_SZSE_TURNOVER_LABEL)), None
        )
        if row is None:
            raise MalformedResponse(self.source, f"no row labelled {_SZSE_TURNOVER_LABEL}")
        turnover = amount_cny(row.get("total"))
        return [*out, Northbound(session, self.source, turnover_cny=turnover, note=NORTHBOUND_NOTE)]


def _rows(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, list) or not body or not isinstance(body[0], dict):
        raise MalformedResponse("szse", "expected a one-report list")
    return body[0].get("data") or []


def combine_northbound(records: list[Northbound]) -> Northbound | None:
    """Return the northbound figure: SSE + SZSE summed when both have the latest session.

    One exchange alone is labelled as such; a whole-market source (Eastmoney) is used when
    the exchanges' figures are missing or older.
    """
    if not records:
        return None
    latest = max(r.session_date for r in records)
    fresh = {base_source(r.source): r for r in records if r.session_date == latest}
    sse, szse = fresh.get("sse"), fresh.get("szse")
    if sse and szse and sse.turnover_cny is not None and szse.turnover_cny is not None:
        total = sse.turnover_cny + szse.turnover_cny
        return Northbound(latest, "sse+szse", turnover_cny=total, note=sse.note)
    whole = [r for s, r in fresh.items() if s not in ("sse", "szse")]
    if whole:
        return whole[0]
    one = sse or szse
    assert one is not None
    part = "Shanghai" if one is sse else "Shenzhen"
    return Northbound(
        latest, f"{one.source} ({part} Connect only)", turnover_cny=one.turnover_cny, note=one.note
    )

"""Eastmoney: A-share index quotes, market breadth and turnover, Stock Connect northbound.

push2 answers ``{"rc":0, "data": {"diff": [...]}}`` (JSONP when a ``cb`` is sent). With
``fltt=2`` figures are decimals; without it prices are integers scaled by ``10**f1`` and
percentages by 100. A value it does not have is the string ``"-"``, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import Blocked, MalformedResponse, RateLimited, SourceUnavailable
from core.i18n import N_
from core.phrase import say
from core.providers.base import FetchContext, Fetcher, HttpSource, Record, UrlQuery, parse_json
from core.providers.codelist import codes_for
from core.snapshot import Breadth, IndexQuote, Northbound, NoteKind, SnapshotNote, Turnover

SHANGHAI = ZoneInfo("Asia/Shanghai")
NORTHBOUND_NOTE = N_(
    "Stock Connect stopped publishing northbound net buying in real time in August 2024; "
    "only northbound turnover is shown."
)


def unwrap(text: str) -> str:
    """Return the JSON inside a JSONP call (``cb({...});``) or an SSE frame (``data: {...}``)."""
    body = text.strip()
    if body.startswith("data:"):
        body = body[len("data:") :].strip()
    if body[:1] in ("{", "["):
        return body
    start, end = body.find("("), body.rfind(")")
    if start == -1 or end <= start:
        return body
    return body[start + 1 : end]


def number(value: Any, scale: float = 1.0) -> float | None:
    """Return a field as a float divided by ``scale``; ``"-"``, empty and null become None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value in ("", "-", "--"):
            return None
    return float(value) / scale


def count(value: Any) -> int | None:
    """Return a count field as an int, or None when Eastmoney has none."""
    parsed = number(value)
    return None if parsed is None else round(parsed)


def diff_rows(payload: Any) -> list[dict[str, Any]]:
    """Return ``data.diff`` as a list (it is a dict keyed "0", "1", … when np is not 1)."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not data:
        raise MalformedResponse("eastmoney", f"no data (rc={payload.get('rc')!r})")
    diff = data.get("diff")
    if isinstance(diff, dict):
        return [diff[k] for k in sorted(diff, key=int)]
    if not isinstance(diff, list):
        raise MalformedResponse("eastmoney", "data.diff is missing")
    return diff


def quote_date(row: dict[str, Any], key: str = "f124") -> date | None:
    """Return the Shanghai date of a row's quote time (epoch seconds), if it has one."""
    ts = number(row.get(key))
    if not ts:
        return None
    return datetime.fromtimestamp(ts, UTC).astimezone(SHANGHAI).date()


# Price decimals by market id (f13) when a scaled row lacks its hint (f1/f152): Hong Kong
# prices are scaled by 1000, Shanghai and Shenzhen by 100. Other markets are not guessed.
_DEFAULT_DECIMALS = {"0": 2, "1": 2, "116": 3, "124": 3, "125": 3, "305": 3}


def _scales(row: dict[str, Any], fltt: int | None) -> tuple[float, float] | None:
    """Return (price, percent) divisors of a row, or None when its price scale is unknown."""
    if fltt == 2:
        return 1.0, 1.0
    decimals = count(row.get("f1")) or count(row.get("f152"))
    if decimals is None:
        decimals = _DEFAULT_DECIMALS.get(str(row.get("f13")))
    return None if decimals is None else (10.0**decimals, 100.0)


async def _get(http: HttpSource, url: str, params: dict[str, str]) -> Any:
    """GET from push2, then from the configured fallback host when the first one fails."""
    fallback = http.settings.fallback_urls.get("eastmoney")
    primary = http.settings.base_url("eastmoney")
    try:
        text = await http.get_text("eastmoney", url, params)
    except (SourceUnavailable, RateLimited, Blocked):
        if not fallback or not url.startswith(primary):
            raise
        text = await http.get_text("eastmoney", fallback.rstrip("/") + url[len(primary) :], params)
    return parse_json("eastmoney", unwrap(text))


@dataclass(frozen=True)
class PushQuery:
    """A push2 list request and the secids (``market.code``) wanted from it."""

    url: str
    params: dict[str, str]
    fltt: int | None
    secids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EastmoneyIndexes(Fetcher[PushQuery]):
    """Close, previous close and change of the A-share indexes from the index board list."""

    source = "eastmoney"
    dataset = "indexes"
    fltt: int | None = 2

    def build_query(self, ctx: FetchContext) -> PushQuery:
        """Return the clist request of the main SH/SZ index board."""
        secids = codes_for(self, ctx)
        params = {
            "pn": "1",
            "pz": "100",
            "po": "1",
            "np": "1",
            "fid": "f12",
            "fs": ctx.settings.eastmoney_index_fs,
            "fields": "f1,f2,f3,f4,f6,f12,f13,f14,f18,f124,f152",
        }
        if self.fltt is not None:
            params |= {"fltt": str(self.fltt), "invt": "2"}
        url = f"{ctx.settings.base_url('eastmoney')}/api/qt/clist/get"
        return PushQuery(url, params, self.fltt, secids)

    async def extract(self, http: HttpSource, query: PushQuery) -> Any:
        """Return the decoded list body."""
        return await _get(http, query.url, query.params)

    def transform(self, query: PushQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return an IndexQuote per wanted index that has a price."""
        out: list[Record] = []
        for row in diff_rows(raw):
            key = query.secids.get(f"{row.get('f13')}.{row.get('f12')}")
            if key is None:
                continue
            scales = _scales(row, query.fltt)
            if scales is None:
                out.append(
                    SnapshotNote(
                        NoteKind.DATA_QUALITY,
                        say(
                            "%(name)s: Eastmoney gave no price scale (f1/f152); figure left out.",
                            name=key,
                        ),
                        "CN",
                    )
                )
                continue
            price_scale, pct_scale = scales
            close = number(row.get("f2"), price_scale)
            if close is None:
                continue
            session = quote_date(row)
            if session is None:
                session = ctx.now.astimezone(SHANGHAI).date()
                out.append(
                    SnapshotNote(
                        NoteKind.DATA_QUALITY,
                        say(
                            "%(name)s: Eastmoney gave no quote time; session date taken as "
                            "%(day)s.",
                            name=key,
                            day=str(session),
                        ),
                        "CN",
                    )
                )
            out.append(
                IndexQuote(
                    instrument=key,
                    session_date=session,
                    source=self.source,
                    close=close,
                    previous_close=number(row.get("f18"), price_scale),
                    change_pct=number(row.get("f3"), pct_scale),
                    fetched_at=ctx.now,
                )
            )
        return out


_BREADTH = ("f104", "f105", "f106")


def _total(values: list[float | None]) -> float | None:
    # A sum over exchanges with one unknown is unknown, not a smaller number.
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None


def _count_total(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None


@dataclass(frozen=True)
class EastmoneyMarketStats(Fetcher[PushQuery]):
    """Advancers/decliners/unchanged (f104/f105/f106) and turnover (f6) of SH + SZ."""

    source = "eastmoney"
    dataset = "breadth"

    def build_query(self, ctx: FetchContext) -> PushQuery:
        """Return the ulist request of the market composites."""
        secids = ctx.settings.eastmoney_breadth_secids
        params = {
            "fltt": "2",
            "secids": ",".join(secids),
            "fields": "f1,f6,f12,f13,f14,f104,f105,f106,f124",
        }
        url = f"{ctx.settings.base_url('eastmoney')}/api/qt/ulist.np/get"
        return PushQuery(url, params, 2, dict.fromkeys(secids, ""))

    async def extract(self, http: HttpSource, query: PushQuery) -> Any:
        """Return the decoded list body."""
        return await _get(http, query.url, query.params)

    def transform(self, query: PushQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return Breadth and Turnover summed over the exchanges; a sum with a gap is None."""
        rows = [r for r in diff_rows(raw) if f"{r.get('f13')}.{r.get('f12')}" in query.secids]
        if len(rows) != len(query.secids):
            raise MalformedResponse("eastmoney", f"breadth: {len(rows)} of {len(query.secids)}")
        dates = {d for d in (quote_date(r) for r in rows) if d is not None}
        if not dates:
            raise MalformedResponse("eastmoney", "breadth rows carry no quote time (f124)")
        session = max(dates)

        up, down, flat = (_count_total([count(r.get(c)) for r in rows]) for c in _BREADTH)
        turnover = _total([number(r.get("f6")) for r in rows])
        return [
            Breadth(session, self.source, up=up, down=down, flat=flat),
            Turnover(session, self.source, turnover_cny=turnover),
        ]


@dataclass(frozen=True)
class EastmoneyNorthbound(Fetcher[UrlQuery]):
    """Latest northbound (Shanghai + Shenzhen Connect) daily turnover, and net buy if given."""

    source = "eastmoney"
    dataset = "northbound"

    def build_query(self, ctx: FetchContext) -> UrlQuery:
        """Return the RPT_MUTUAL_DEAL_HISTORY request for the northbound total (type 005)."""
        params = {
            "reportName": "RPT_MUTUAL_DEAL_HISTORY",
            "columns": "ALL",
            "filter": '(MUTUAL_TYPE="005")',
            "sortColumns": "TRADE_DATE",
            "sortTypes": "-1",
            "pageSize": "1",
            "pageNumber": "1",
            "source": "WEB",
            "client": "WEB",
        }
        url = f"{ctx.settings.base_url('eastmoney_datacenter')}/api/data/v1/get"
        return UrlQuery(url, params)

    async def extract(self, http: HttpSource, query: UrlQuery) -> Any:
        """Return the decoded report body."""
        return await _get(http, query.url, query.params)

    def transform(self, query: UrlQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return one Northbound record; a missing net buy stays None, never zero."""
        result = raw.get("result")
        if not raw.get("success", True) or not result or not result.get("data"):
            raise MalformedResponse("eastmoney", f"northbound: {raw.get('message') or 'no rows'}")
        row = result["data"][0]
        unit = ctx.settings.northbound_amount_unit_cny
        session = date.fromisoformat(str(row["TRADE_DATE"])[:10])
        net = number(row.get("NET_DEAL_AMT"))
        turnover = number(row.get("DEAL_AMT"))
        return [
            Northbound(
                session_date=session,
                source=self.source,
                net_buy_cny=None if net is None else net * unit,
                turnover_cny=None if turnover is None else turnover * unit,
                note=NORTHBOUND_NOTE if net is None else None,
            )
        ]

"""Sina quotes (``hq.sinajs.cn/list=…``): a second source for A-share, HK and US indexes.

Every answer line is ``var hq_str_<code>="f0,f1,…";`` in GBK; an unknown code answers an
empty string (HTTP 200). Sina wants a Referer from its own site (config: headers.sina).
The layout depends on the code's prefix:

* ``sh…``/``sz…`` (full A-share line): 2 previous close, 3 last, 30 date ``YYYY-MM-DD``;
* ``hk…``/``rt_hk…``: 3 previous close, 6 last, 8 change %, 17 date ``YYYY/MM/DD`` (HKT);
* ``gb_…``: 1 last, 2 change %, 3 Beijing time, 25 New York time ``Jun 26 05:11PM EDT``,
  26 previous close. ``s_…`` lines carry no date, so they are not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.errors import MalformedResponse
from core.providers.codelist import CodeListQuotes, CodesQuery, LineQuote
from core.providers.eastmoney import number

_LINE = re.compile(r'var hq_str_([^=\s"]+)="([^"]*)"')
_BEIJING = ZoneInfo("Asia/Shanghai")
_NEW_YORK = ZoneInfo("America/New_York")


def parse_lines(text: str) -> dict[str, list[str]]:
    """Return every code's fields; an unknown code maps to an empty list."""
    return {code: body.split(",") if body else [] for code, body in _LINE.findall(text)}


def _us_session(fields: list[str]) -> date:
    """Return the New York date of a ``gb_`` line: month and day from field 25, year from 3."""
    beijing = datetime.strptime(fields[3].strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=_BEIJING)
    local = beijing.astimezone(_NEW_YORK)
    stamp = fields[25].strip() if len(fields) > 25 else ""
    try:
        month_day = datetime.strptime(" ".join(stamp.split()[:2]), "%b %d")
    except ValueError:
        return local.date()
    year = local.year - (1 if month_day.month > local.month else 0)  # a late-December stamp
    return date(year, month_day.month, month_day.day)


def parse_index_line(code: str, fields: list[str]) -> LineQuote:
    """Return (session date, last, previous close, change %) of one index line."""
    bare = code.removeprefix("rt_")
    if bare.startswith("gb_"):
        return LineQuote(
            _us_session(fields), number(fields[1]), number(fields[26]), number(fields[2])
        )
    if bare.startswith("hk"):
        day = datetime.strptime(fields[17].strip(), "%Y/%m/%d").date()
        return LineQuote(day, number(fields[6]), number(fields[3]), number(fields[8]))
    if bare.startswith(("sh", "sz", "bj")):
        day = date.fromisoformat(fields[30].strip())
        return LineQuote(day, number(fields[3]), number(fields[2]), None)
    raise MalformedResponse("sina", f"no dated layout for code {code!r}")


@dataclass(frozen=True)
class SinaQuotes(CodeListQuotes):
    """Last price, previous close and change of several indexes in one request."""

    source = "sina"
    dataset = "quotes"
    list_path = "list"

    def lines(self, query: CodesQuery, raw: str) -> dict[str, list[str]]:
        """Return every code's fields; an unknown code's line is empty."""
        return parse_lines(raw)

    def read_line(self, code: str, fields: list[str] | None) -> LineQuote | None:
        """Return a line's quote; an empty line is a code Sina does not know."""
        return parse_index_line(code, fields) if fields else None

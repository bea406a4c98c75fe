"""Quote lists that take their codes in the path (Tencent ``/q=a,b``, Sina ``/list=a,b``).

Both answer one GBK line per known code; each source reads its own line layout
(``read_line``), and the loop that turns lines into IndexQuotes is shared here.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, NamedTuple

from core.errors import MalformedResponse
from core.providers.base import FetchContext, Fetcher, HttpSource, Record
from core.snapshot import IndexQuote

GBK = "gb18030"  # a superset of GBK: a rare character never breaks the decode


class LineQuote(NamedTuple):
    """What one quote line says: its session date, last price, previous close and change."""

    session_date: date
    close: float | None
    previous_close: float | None
    change_pct: float | None


@dataclass(frozen=True)
class CodesQuery:
    """One request for several codes, keyed back to instrument keys."""

    url: str
    codes: dict[str, str]


def codes_for(fetcher: Fetcher, ctx: FetchContext) -> dict[str, str]:
    """Return this source's code of each of the fetcher's instruments → instrument key."""
    codes = {}
    for key in fetcher.instruments:
        code = ctx.instruments.get(key).symbol_for(fetcher.source)
        if code is not None:
            codes[code] = key
    if not codes:
        raise MalformedResponse(fetcher.source, "no instrument has a code at this source")
    return codes


@dataclass(frozen=True)
class CodeListQuotes(Fetcher[CodesQuery]):
    """Last price, previous close and change of several indexes in one GBK request."""

    list_path: ClassVar[str]

    def build_query(self, ctx: FetchContext) -> CodesQuery:
        """Return the list request for every covered code."""
        codes = codes_for(self, ctx)
        url = f"{ctx.settings.base_url(self.source)}/{self.list_path}={','.join(codes)}"
        return CodesQuery(url, codes)

    async def extract(self, http: HttpSource, query: CodesQuery) -> Any:
        """Return the decoded (GBK) answer lines."""
        return await http.get_text(self.source, query.url, encoding=GBK)

    @abstractmethod
    def lines(self, query: CodesQuery, raw: str) -> dict[str, list[str]]:
        """Return each answered code's fields."""

    @abstractmethod
    def read_line(self, code: str, fields: list[str] | None) -> LineQuote | None:
        """Return what a code's line says, or None when it has no usable quote."""

    def transform(self, query: CodesQuery, raw: Any, ctx: FetchContext) -> list[Record]:
        """Return an IndexQuote per requested code with a price; other codes are left out."""
        lines = self.lines(query, raw)
        out: list[Record] = []
        for code, key in query.codes.items():
            line = self.read_line(code, lines.get(code))
            if line is None or not line.close:
                continue
            out.append(
                IndexQuote(
                    instrument=key,
                    session_date=line.session_date,
                    source=self.source,
                    close=line.close,
                    previous_close=line.previous_close,
                    change_pct=line.change_pct,
                    fetched_at=ctx.now,
                )
            )
        return out

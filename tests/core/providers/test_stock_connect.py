"""SSE and SZSE northbound turnover on the exchanges' real answers, and how they combine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import httpx
import pytest

from core.providers.stock_connect import amount_cny, combine_northbound
from core.snapshot import Northbound, NoteKind, SnapshotNote

SSE = "yerkure_sse_commonSoaQuery_hgt_daily_2026-08-04.json"
SZSE = "yerkure_szse_ShowReport_SGT_SGTJYRB_2026-08-04.json"
SZSE_UNPUBLISHED = "yerkure_szse_ShowReport_SGT_SGTJYRB_2026-08-05_unpublished.json"
# Wed 2026-08-05, 20:00 in Shanghai: the day's session is over, its report not out yet.
EVENING = datetime(2026, 8, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "cny"), [("1,354.49", 1354.49e8), ("33.38", 33.38e8), ("-", None), (None, None)]
)
def test_amounts_are_yi_yuan_with_separators(text, cny):
    assert amount_cny(text) == (pytest.approx(cny) if cny else None)


def test_sse_latest_day(providers, ctx, fixture_json):
    fetcher = providers["sse:northbound"]
    [nb] = fetcher.transform(fetcher.build_query(ctx), fixture_json("stock_connect", SSE), ctx)
    assert (nb.session_date, nb.source, nb.net_buy_cny) == (date(2026, 8, 4), "sse", None)
    assert nb.turnover_cny == pytest.approx(135_449_000_000)
    assert nb.note  # says net buying is no longer published


@pytest.mark.asyncio
async def test_szse_published_day(providers, ctx, fixture_text, http, upstream):
    upstream.add("/ShowReport/data", httpx.Response(200, text=fixture_text("stock_connect", SZSE)))
    at = replace(ctx, now=datetime(2026, 8, 4, 12, 0, tzinfo=UTC))
    [nb] = await providers["szse:northbound"].fetch(http, at)
    assert upstream.requests[0].url.params["txtDate"] == "2026-08-04"
    # The ETF row's label contains the turnover label; the turnover row is the first one.
    assert (nb.session_date, nb.turnover_cny) == (date(2026, 8, 4), pytest.approx(1609.09e8))


@pytest.mark.asyncio
async def test_szse_unpublished_day_is_a_note_and_the_day_before_is_shown(
    providers, ctx, fixture_text, http, upstream
):
    upstream.add(
        "/ShowReport/data",
        httpx.Response(200, text=fixture_text("stock_connect", SZSE_UNPUBLISHED)),
        httpx.Response(200, text=fixture_text("stock_connect", SZSE)),
    )
    records = await providers["szse:northbound"].fetch(http, replace(ctx, now=EVENING))
    asked = [r.url.params["txtDate"] for r in upstream.requests]
    assert asked == ["2026-08-05", "2026-08-04"]
    note, nb = records
    assert isinstance(note, SnapshotNote) and note.kind is NoteKind.INFO
    assert "2026-08-05 is not published yet" in note.message
    assert isinstance(nb, Northbound) and nb.session_date == date(2026, 8, 4)


@pytest.mark.asyncio
async def test_szse_neither_day_published_is_only_a_note(
    providers, ctx, fixture_text, http, upstream
):
    body = fixture_text("stock_connect", SZSE_UNPUBLISHED)
    upstream.add("/ShowReport/data", httpx.Response(200, text=body))
    [note] = await providers["szse:northbound"].fetch(http, replace(ctx, now=EVENING))
    assert note.kind is NoteKind.INFO


def _nb(source: str, day: int, turnover: float | None, net: float | None = None) -> Northbound:
    return Northbound(date(2026, 8, day), source, net_buy_cny=net, turnover_cny=turnover)


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], None),
        (
            [_nb("sse", 4, 1354.49e8), _nb("szse", 4, 1609.09e8)],
            ("sse+szse", date(2026, 8, 4), 2963.58e8),
        ),
        # Shenzhen a day behind: Shanghai's figure is shown as Shanghai's alone.
        (
            [_nb("sse", 4, 1354.49e8), _nb("szse", 3, 1500e8)],
            ("sse (Shanghai Connect only)", date(2026, 8, 4), 1354.49e8),
        ),
        # A whole-market source on the latest day beats one exchange alone.
        (
            [_nb("sse", 4, 1354.49e8), _nb("eastmoney", 4, 2900e8)],
            ("eastmoney", date(2026, 8, 4), 2900e8),
        ),
    ],
)
def test_combine_northbound(records, expected):
    nb = combine_northbound(records)
    if expected is None:
        assert nb is None
    else:
        assert (nb.source, nb.session_date, nb.turnover_cny) == (
            expected[0],
            expected[1],
            pytest.approx(expected[2]),
        )

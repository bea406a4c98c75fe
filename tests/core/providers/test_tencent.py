"""Tencent quotes and klines on real recorded bodies (see each .source.txt)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import httpx
import pytest

from core.errors import MalformedResponse
from core.history.records import DailyClose
from core.providers.base import FetchContext
from core.providers.tencent import TencentKline, TencentQuotes, parse_quote_lines, quote_time
from core.snapshot import IndexQuote

US_HK_SH = "literal_stox_qt_us_hk_sh_2026-09-30.txt"
IXIC = "literal_stox_qt_us_incl_us.IXIC_2026-09-25.txt"
JOINED = "literal_stockopr_qt_sh000001_sz399001_sz399006_sh000688_2021-07-08.txt"
HSTECH = "literal_happy_trading_qt_hkHSTECH_payload_2023-11-14.txt"
KLINE = "literal_kline_newfqkline_sh000001_day_bfq_2026-09.json"


def _quotes(providers, market: str) -> TencentQuotes:
    return providers[f"tencent:quotes:{market}"]


def _by_key(records) -> dict[str, IndexQuote]:
    return {r.instrument: r for r in records}


@pytest.mark.parametrize(
    ("market", "key", "session", "close", "previous", "change_pct"),
    [
        ("US", "DJIA", date(2026, 9, 30), 50906.05, 51349.92, -0.86),
        ("US", "SPX", date(2026, 9, 30), 7651.54, 7670.84, -0.25),
        ("HK", "HSI", date(2026, 9, 30), 24613.27, 24523.57, 0.37),
        ("CN", "SSE", date(2026, 9, 30), 3842.19, 3830.45, 0.31),
    ],
)
def test_quotes_of_each_market(
    providers, ctx, fixture_text, market, key, session, close, previous, change_pct
):
    fetcher = _quotes(providers, market)
    records = _by_key(
        fetcher.transform(fetcher.build_query(ctx), fixture_text("tencent", US_HK_SH), ctx)
    )
    quote = records[key]
    assert (quote.session_date, quote.close, quote.previous_close, quote.change_pct) == (
        session,
        close,
        previous,
        change_pct,
    )
    assert quote.source == "tencent"


@pytest.mark.parametrize(
    ("body", "code", "expected"),
    [
        # A shares: YYYYMMDDHHMMSS, Beijing time.
        (US_HK_SH, "sh000001", datetime(2026, 9, 30, 8, 15, tzinfo=UTC)),
        # Hong Kong: YYYY/MM/DD HH:MM:SS, Hong Kong time.
        (US_HK_SH, "hkHSI", datetime(2026, 9, 30, 10, 31, 27, tzinfo=UTC)),
        # US: YYYY-MM-DD HH:MM:SS, New York time (EDT), after the 16:00 close.
        (US_HK_SH, "us.DJI", datetime(2026, 9, 30, 20, 48, 36, tzinfo=UTC)),
        (IXIC, "us.IXIC", datetime(2026, 9, 25, 21, 15, 59, tzinfo=UTC)),
    ],
)
def test_field_30_has_each_markets_format_and_time_zone(fixture_text, body, code, expected):
    fields = parse_quote_lines(fixture_text("tencent", body))[code]
    assert quote_time(fields) == expected


def test_lines_of_different_lengths_are_read_by_position(fixture_text):
    lines = parse_quote_lines(fixture_text("tencent", US_HK_SH))
    assert {len(lines["sh000001"]), len(lines["hkHSI"]), len(lines["us.DJI"])} == {88, 78, 73}
    # The 2021 A-share lines have 75 fields and are joined on one line by "; ".
    joined = parse_quote_lines(fixture_text("tencent", JOINED))
    assert list(joined) == ["sh000001", "sz399001", "sz399006", "sh000688"]
    assert len(joined["sz399006"]) == 75
    assert quote_time(joined["sz399006"]).date() == date(2021, 7, 8)


def test_hstech_payload_parses_like_a_line(fixture_text):
    # The recording is the payload only; the answer line wraps it as v_hkHSTECH="…";.
    body = "v_hkHSTECH=" + fixture_text("tencent", HSTECH)
    fields = parse_quote_lines(body)["hkHSTECH"]
    assert (fields[3], fields[4], fields[32]) == ("3944.370", "3981.270", "-0.93")
    assert quote_time(fields) == datetime(2023, 11, 14, 5, 6, 2, tzinfo=UTC)


@pytest.mark.asyncio
async def test_gbk_body_is_decoded(providers, ctx, fixture_text, http, upstream):
    # The live answer is GBK without a charset in Content-Type; the copy here is UTF-8.
    gbk = fixture_text("tencent", US_HK_SH).encode("gb18030")
    upstream.add("/q=", httpx.Response(200, content=gbk, headers={"Content-Type": "text/html"}))
    fetcher = _quotes(providers, "CN")
    raw = await fetcher.extract(http, fetcher.build_query(ctx))
    assert parse_quote_lines(raw)["sh000001"][1] == "上证指数"
    assert str(upstream.requests[0].url) == "https://qt.gtimg.cn/q=sh000001,sz399001,sz399006"


def test_codes_missing_from_the_answer_are_left_out(providers, ctx, fixture_text):
    fetcher = _quotes(providers, "US")
    records = fetcher.transform(fetcher.build_query(ctx), fixture_text("tencent", IXIC), ctx)
    assert [r.instrument for r in records] == ["NASDAQ"]
    assert records[0].close == 27068.72 and records[0].session_date == date(2026, 9, 25)


def test_none_match_is_malformed(providers, ctx):
    fetcher = _quotes(providers, "HK")
    with pytest.raises(MalformedResponse, match="no requested code is known"):
        fetcher.transform(fetcher.build_query(ctx), 'v_pv_none_match="1";\n', ctx)


def _at(ctx: FetchContext, when: datetime) -> FetchContext:
    return replace(ctx, now=when)


def test_kline_gives_finished_sessions_as_history(providers, ctx, fixture_json):
    fetcher: TencentKline = providers["tencent:kline:SSE"]
    after = _at(ctx, datetime(2026, 10, 4, 4, 6, tzinfo=UTC))
    query = fetcher.build_query(after)
    assert query.params == {"param": f"sh000001,day,,,{ctx.settings.tencent_kline_bars},bfq"}
    closes = fetcher.transform(query, fixture_json("tencent", KLINE), after)
    assert all(isinstance(c, DailyClose) and c.source == "tencent" for c in closes)
    assert len(closes) == 20
    # Bars are [date, open, CLOSE, high, low, …]: close comes before high.
    assert (closes[0].session_date, closes[0].close) == (date(2026, 9, 2), 3941.39)
    assert (closes[-1].session_date, closes[-1].close) == (date(2026, 9, 30), 3842.19)


def test_kline_leaves_out_a_session_still_trading(providers, ctx, fixture_json):
    fetcher = providers["tencent:kline:SSE"]
    during = _at(ctx, datetime(2026, 9, 30, 3, 0, tzinfo=UTC))  # 11:00 in Shanghai
    closes = fetcher.transform(fetcher.build_query(during), fixture_json("tencent", KLINE), during)
    assert closes[-1].session_date == date(2026, 9, 29)

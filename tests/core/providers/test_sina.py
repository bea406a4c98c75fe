"""Sina quotes on real recorded bodies (see each .source.txt)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from core.errors import MalformedResponse
from core.providers.sina import parse_index_line, parse_lines

US_HK_2026 = "literal_stock_duifu_gb_dji_gb_ixic_gb_inx_rt_hkHSI_2026-06-26.txt"
MIXED_2026 = "literal_stox_hq_sh000001_hkHSI_gb_ixic_etc_2026-09-28.txt"
HK_2017 = "literal_baidufinance_rt_hkHSI_rt_hkHSCCI_rt_hkHSCEI_2017-11-03.txt"
SHORT_2021 = "literal_stockopr_s_sh000001_s_sz399001_s_sz399006_s_sh000688_2021-07-08.txt"


@pytest.mark.parametrize(
    ("body", "code", "expected"),
    [
        # gb_: the Beijing time (06-27 05:12) is the New York evening of 06-26.
        (US_HK_2026, "gb_dji", (date(2026, 6, 26), 51876.1094, 51920.6211, -0.09)),
        (US_HK_2026, "gb_inx", (date(2026, 6, 26), 7354.02, 7357.4902, -0.05)),
        (MIXED_2026, "gb_ixic", (date(2026, 9, 28), 26862.325, 27068.7165, -0.76)),
        (US_HK_2026, "rt_hkHSI", (date(2026, 6, 26), 22671.859, 23076.91, -1.76)),
        (MIXED_2026, "hkHSI", (date(2026, 9, 28), 24642.51, 24510.09, 0.54)),
        (HK_2017, "rt_hkHSCEI", (date(2017, 11, 3), 11642.79, 11598.36, 0.38)),
        # The full A-share line has no change %; it follows from the two closes.
        (MIXED_2026, "sh000001", (date(2026, 9, 28), 3823.6206, 3888.3738, None)),
    ],
)
def test_each_layout_gives_session_close_previous_and_change(fixture_text, body, code, expected):
    fields = parse_lines(fixture_text("sina", body))[code]
    assert parse_index_line(code, fields) == expected


def test_unknown_code_is_an_empty_line(fixture_text):
    lines = parse_lines(fixture_text("sina", MIXED_2026))
    assert lines["sh999999"] == []
    assert len(lines["sh000001"]) == 34 and len(lines["hkHSI"]) == 19


def test_a_line_without_a_date_is_not_used(fixture_text):
    # The short s_ layout (name, last, change, change %, volume, amount) carries no date.
    fields = parse_lines(fixture_text("sina", SHORT_2021))["s_sh000001"]
    assert fields[:4] == ["上证指数", "3525.5039", "-28.2116", "-0.79"]
    with pytest.raises(MalformedResponse, match="no dated layout"):
        parse_index_line("s_sh000001", fields)


def test_fetcher_keeps_the_codes_it_got(providers, ctx, fixture_text):
    fetcher = providers["sina:quotes:US"]
    records = fetcher.transform(fetcher.build_query(ctx), fixture_text("sina", US_HK_2026), ctx)
    assert {r.instrument: r.close for r in records} == {
        "DJIA": 51876.1094,
        "NASDAQ": 25297.6177,
        "SPX": 7354.02,
    }
    assert {r.session_date for r in records} == {date(2026, 6, 26)}


@pytest.mark.asyncio
async def test_request_sends_the_referer_and_decodes_gbk(
    providers, ctx, fixture_text, http, upstream
):
    gbk = fixture_text("sina", US_HK_2026).encode("gb18030")
    upstream.add("/list=", httpx.Response(200, content=gbk))
    fetcher = providers["sina:quotes:HK"]
    records = await fetcher.fetch(http, ctx)
    [request] = upstream.requests
    assert request.headers["Referer"] == "https://finance.sina.com.cn/"
    assert str(request.url) == "https://hq.sinajs.cn/list=rt_hkHSI,rt_hkHSCEI,rt_hkHSTECH"
    # Only rt_hkHSI is in this answer; the other two codes are left out, not zero.
    assert [(r.instrument, r.close) for r in records] == [("HSI", 22671.859)]

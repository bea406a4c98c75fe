"""The report in Chinese: the same figures, its titles, headers and names from the catalog."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.analysis.build import build_report
from core.demo import demo_snapshot
from core.i18n import Language, translator
from core.instruments import default_registry
from core.live import CLOSES_NOT_STORED
from core.localize import localize
from core.providers.assemble import Outcome, assemble
from core.providers.base import FetchContext
from core.providers.eastmoney import NORTHBOUND_NOTE
from core.providers.registry import default_providers
from core.quality import check_snapshot
from core.report import Report, Table, Unit, WarningKind
from core.settings import default_provider_settings
from core.snapshot import Northbound
from renderers.discord import render_discord
from renderers.export import describe_part
from renderers.markdown import render_markdown
from renderers.telegram import render_telegram
from tests.english import english_runs


@pytest.fixture(scope="module")
def english() -> Report:
    return build_report(demo_snapshot())


@pytest.fixture(scope="module")
def chinese(english) -> Report:
    return localize(english, Language.ZH)


def _tables(report: Report) -> list[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table)]


def _numbers(table: Table) -> list[tuple[object, Unit, bool]]:
    return [(c.value, c.unit, c.signed) for row in table.rows for c in row if c.unit != Unit.TEXT]


def test_english_is_the_report_as_built(english) -> None:
    assert localize(english, Language.EN) is english


def test_the_figures_are_the_same_in_both_languages(english, chinese) -> None:
    assert chinese.language is Language.ZH
    assert [_numbers(t) for t in _tables(chinese)] == [_numbers(t) for t in _tables(english)]
    assert [(s.market, s.session_date, s.mean_change_pct) for s in chinese.sessions] == [
        (s.market, s.session_date, s.mean_change_pct) for s in english.sessions
    ]
    assert [m.change_pct for s in chinese.sessions for m in s.moves] == [
        m.change_pct for s in english.sessions for m in s.moves
    ]


def test_titles_headers_markets_signals_and_index_names_are_chinese(chinese) -> None:
    words = [chinese.title, *(s.title for s in chinese.sections)]
    words += [c for t in _tables(chinese) for c in t.columns]
    words += [s.name for s in chinese.sessions] + [s.signal for s in chinese.sessions if s.signal]
    words += [m.name for s in chinese.sessions for m in s.moves if m.name not in ("BTC", "ETH")]
    assert [w for w in words if w.isascii()] == []
    names = {m.name for s in chinese.sessions for m in s.moves}
    assert {"上证指数", "深证成指", "创业板指", "恒生指数", "国企指数", "恒生科技指数"} <= names
    assert chinese.title.endswith("2026-03-23 (周一)")


def test_every_instrument_and_market_has_a_chinese_name() -> None:
    zh, registry = translator(Language.ZH), default_registry()
    names = [i.display_name for i in registry if i.market != "CRYPTO"]
    names += [m.name for m in registry.markets.values()]
    assert [n for n in names if zh.gettext(n) == n] == []


def _chat_text(parts) -> str:
    return json.dumps([describe_part(p) for p in parts], ensure_ascii=False)


def test_the_chinese_report_and_digests_have_no_english_sentence(chinese) -> None:
    telegram = _chat_text(render_telegram(chinese, with_images=False, digest=True))
    discord = _chat_text(render_discord(chinese, with_images=False, digest=True))
    assert english_runs(render_markdown(chinese)) == []
    assert english_runs(telegram) == []
    assert english_runs(discord) == []
    assert "核心观点" in telegram and "仅供参考，不构成投资建议。" in telegram


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("恒生指数 -0.88%，BTC -1.26%", []),
        ("BTC vs HSI (UTC)", []),
        ("Hong Kong fell sharply today", ["Hong Kong fell sharply today"]),
        ("港股 fell 2%", []),
        ("数据来源：Yahoo, Sina, Baostock", []),
        ("Nasdaq vs S&P 500 DeFi", []),
        ("样例数据 not live market data", ["not live market data"]),
    ],
)
def test_english_runs_are_three_words_or_more_outside_tickers(text, runs) -> None:
    assert english_runs(text) == runs


# Good Friday: Hong Kong and New York are closed; the sample's quotes are weeks old. In 2028
# no calendar knows A-share holidays, and the history store is down.
@pytest.mark.parametrize("year", [2026, 2028])
def test_a_live_report_with_failures_closures_and_stale_quotes_is_chinese_throughout(
    registry, settings, year
) -> None:
    good_friday = {2026: (4, 3), 2028: (4, 14)}[year]
    now = datetime(year, *good_friday, 8, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    providers = default_providers(registry, default_provider_settings())
    failed = [
        Outcome("sina:quotes:HK", providers["sina:quotes:HK"], error="HTTP 503"),
        Outcome("defillama:protocols", providers["defillama:protocols"], error="timeout"),
    ]
    # Two sources a session apart on the S&P 500: the report says which it used, and why.
    spx = next(q for q in demo_snapshot().indexes if q.instrument == "SPX")
    older = replace(spx, source="stooq", session_date=spx.session_date - timedelta(days=1))
    both = Outcome("stooq:SPX", providers["yahoo:SPX"], records=(spx, older))
    fetched = assemble([*failed, both], FetchContext(now, registry, default_provider_settings()))
    sample = demo_snapshot()
    # Stock Connect publishes turnover only, with the source's note saying why.
    northbound = Northbound(spx.session_date, "eastmoney", turnover_cny=98e9, note=NORTHBOUND_NOTE)
    store_down = (CLOSES_NOT_STORED,) if year == 2028 else ()
    snapshot = sample.with_changes(
        notes=(*fetched.notes, *store_down),
        sources=(*sample.sources, *fetched.sources),
        demo_note=None,
        northbound=northbound,
    )
    snapshot = check_snapshot(snapshot, now, registry, settings.quality)
    report = build_report(snapshot, registry, settings, at=now)
    kinds = {w.kind for w in report.warnings}
    assert {
        WarningKind.CLOSED,
        WarningKind.STALE,
        WarningKind.SOURCE_FAILED,
        WarningKind.DISAGREEMENT,
    } <= kinds
    text = render_markdown(localize(report, Language.ZH))
    assert "耶稣受难日" in text and "获取失败" in text  # the holiday and the failure, in Chinese
    assert "不再实时公布北向资金净买入" in text
    if year == 2028:
        assert "交易日历（XSHG）未覆盖 2028 年，按周一至周五推算交易日" in text
        assert "收盘价未能保存" in text
    assert "**交易日：**" in text and "**数据来源：**" in text and ":**" not in text
    assert english_runs(text) == []

"""A failed source is named to readers by its kind, in their language; the detail is the log's."""

from __future__ import annotations

import httpx
import pytest

from core.analysis.build import build_report
from core.demo import demo_snapshot
from core.errors import ProviderError
from core.failure import Failure
from core.i18n import Language, translator
from core.localize import localize
from core.providers.assemble import Outcome, assemble
from core.sources_report import build_sources_report
from renderers.markdown import render_markdown
from tests.english import english_runs

URL = "https://data.example/api/data"
BOT_CHECK = "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>"
ZH = translator(Language.ZH)

# (what the source does, kind, the English reader's reason, Chinese words the zh reader gets)
CASES = [
    (httpx.Response(503), Failure.SERVER_ERROR, "HTTP 503 after 3 attempts", "HTTP 503（共尝试"),
    (httpx.ReadTimeout("slow"), Failure.TIMEOUT, "timed out after 10 s (3 attempts)", "请求超时"),
    (
        httpx.ConnectError("All connection attempts failed"),
        Failure.NETWORK,
        "ConnectError (3 attempts)",
        "网络错误 ConnectError（共尝试 3 次）",
    ),
    (
        httpx.Response(200, text=BOT_CHECK),
        Failure.BLOCKED,
        "blocked by the provider (HTTP 200: an HTML page ('just a moment...') instead of data)",
        "被数据源拦截（HTTP 200：返回的是网页",
    ),
    (httpx.Response(200, text=" \n"), Failure.EMPTY, "empty body (HTTP 200)", "返回内容为空"),
    (httpx.Response(200, text='{"chart": '), Failure.MALFORMED, "malformed response", "格式异常"),
    (httpx.Response(429), Failure.RATE_LIMITED, "HTTP 429 after 3 attempt(s)", "请求过于频繁"),
]


async def _failure(http, upstream, reply) -> ProviderError:
    upstream.add("/api/data", reply)
    with pytest.raises(ProviderError) as caught:
        await http.get_json("yahoo", URL)
    return caught.value


@pytest.mark.asyncio
@pytest.mark.parametrize(("reply", "kind", "english", "chinese"), CASES)
async def test_each_failure_has_a_kind_said_in_each_language(
    http, upstream, provider_settings, reply, kind, english, chinese
):
    assert provider_settings.max_retries == 2 and provider_settings.timeout_s == 10
    error = await _failure(http, upstream, reply)
    assert error.kind is kind
    assert error.reason == english  # the English reader's wording
    zh = error.reason.said(ZH)
    assert chinese in zh and english_runs(zh) == []


@pytest.mark.asyncio
async def test_the_technical_detail_stays_with_the_operator(http, upstream):
    network = await _failure(http, upstream, httpx.ConnectError("All connection attempts failed"))
    assert "All connection attempts failed" in str(network)  # the log's account
    assert "All connection attempts failed" not in network.reason
    malformed = await _failure(http, upstream, httpx.Response(200, text='{"chart": '))
    assert "invalid JSON at char" in str(malformed) and malformed.detail in str(malformed)


@pytest.mark.asyncio
async def test_a_chinese_report_names_failed_sources_in_chinese(http, upstream, providers, ctx):
    failures = {
        "sina:quotes:HK": httpx.Response(503),
        "defillama:protocols": httpx.ReadTimeout("slow"),
        "yahoo:SPX": httpx.Response(200, text=BOT_CHECK),
        "binance:BTC": httpx.Response(200, text='{"chart": '),
    }
    outcomes = [
        Outcome(key, providers[key], error=(await _failure(http, upstream, reply)).reason)
        for key, reply in failures.items()
    ]
    fetched = assemble(outcomes, ctx)
    sample = demo_snapshot()
    snapshot = sample.with_changes(
        notes=fetched.notes, sources=(*sample.sources, *fetched.sources), demo_note=None
    )
    english = render_markdown(build_report(snapshot))
    assert "yahoo failed (blocked by the provider (HTTP 200" in english
    assert "sina failed (HTTP 503 after 3 attempts)" in english
    text = render_markdown(localize(build_report(snapshot), Language.ZH))
    for words in ("HTTP 503（共尝试 3 次）", "请求超时", "被数据源拦截", "返回数据格式异常"):
        assert words in text
    assert english_runs(text) == []
    sources = build_sources_report(fetched, ctx.instruments, ctx.now, Language.ZH)
    [section] = sources.sections
    said = render_markdown(sources)
    assert "失败：被数据源拦截" in said and english_runs(said) == [], section

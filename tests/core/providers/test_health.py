"""Circuit breaker and last good figures, driven by the build's injected time."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from core.analysis.build import build_report
from core.i18n import Language, translator
from core.localize import localize
from core.phrase import say
from core.providers.assemble import Outcome, assemble, fetch_outcomes
from core.providers.health import SourceHealth
from core.snapshot import CryptoQuote, IndexQuote, MarketSnapshot, NoteKind
from core.sources_report import build_sources_report
from renderers.markdown import render_markdown
from tests.english import english_runs

TICKER = "ccxt_ticker24hr_BTCUSDT_2024-03-13.json"


@pytest.fixture
def binance_only(providers):
    return {"binance:BTC": providers["binance:BTC"]}


async def _run(client, ctx, registry, health, clock, minutes=0, probe=False):
    now = ctx.now + timedelta(minutes=minutes)
    outcomes, run_ctx = await fetch_outcomes(
        client,
        now,
        registry,
        instruments=ctx.instruments,
        settings=ctx.settings,
        clock=clock,
        health=health,
        probe=probe,
    )
    return outcomes, assemble(outcomes, run_ctx)


@pytest.mark.asyncio
async def test_breaker_opens_after_n_failures_rests_then_tries_again(
    client, ctx, upstream, binance_only, clock, fixture_text
):
    settings = ctx.settings
    health = SourceHealth(settings)
    upstream.add("/ticker/24hr", httpx.Response(503))
    for run in range(settings.breaker_failures):
        await _run(client, ctx, binance_only, health, clock, minutes=run)
    asked = upstream.hits("/ticker/24hr")
    assert asked == settings.breaker_failures * (settings.max_retries + 1)
    h = health.get("binance:BTC")
    assert h.breaker(ctx.now + timedelta(minutes=3), settings.breaker_failures).startswith(
        "open until"
    )

    # While it rests it is not asked, and its outcome says why.
    [outcome], _ = await _run(client, ctx, binance_only, health, clock, minutes=5)
    assert upstream.hits("/ticker/24hr") == asked
    assert outcome.error.startswith("resting after 3 failures in a row")
    zh = outcome.error.said(translator(Language.ZH))  # a Chinese reader's note, last error too
    assert zh.startswith("连续失败 3 次") and "HTTP 503（共尝试 3 次）" in zh
    assert english_runs(zh) == []
    assert outcome.breaker.startswith("open until")

    # After the rest it is asked once more (half-open); a success closes it.
    upstream.add("/ticker/24hr", httpx.Response(200, text=fixture_text("binance", TICKER)))
    rest_min = settings.breaker_rest_s / 60
    [outcome], _ = await _run(client, ctx, binance_only, health, clock, minutes=rest_min + 3)
    assert outcome.error is None and outcome.breaker == "closed"
    assert health.get("binance:BTC").failures_in_row == 0


@pytest.mark.asyncio
async def test_probe_asks_a_resting_source(client, ctx, upstream, binance_only, clock):
    health = SourceHealth(ctx.settings.model_copy(update={"breaker_failures": 1}))
    upstream.add("/ticker/24hr", httpx.Response(503))
    await _run(client, ctx, binance_only, health, clock)
    before = upstream.hits("/ticker/24hr")
    await _run(client, ctx, binance_only, health, clock, minutes=1, probe=True)
    assert upstream.hits("/ticker/24hr") > before


@pytest.mark.asyncio
async def test_last_good_figures_are_served_with_their_age_never_as_new(
    client, ctx, upstream, binance_only, clock, fixture_text
):
    health = SourceHealth(ctx.settings)
    upstream.add("/ticker/24hr", httpx.Response(200, text=fixture_text("binance", TICKER)))
    _, first = await _run(client, ctx, binance_only, health, clock)
    fresh = first.crypto_quote("BTC")
    assert fresh.source == "binance"

    upstream.add("/ticker/24hr", httpx.ConnectError("down"))
    [outcome], snap = await _run(client, ctx, binance_only, health, clock, minutes=180)
    served = snap.crypto_quote("BTC")
    assert served.price_usd == fresh.price_usd
    assert served.source == "binance (last good, 3 h old)"
    # A Chinese reader gets the age in Chinese, in the report and in the /sources answer.
    zh = "binance（3 小时前的最近一次有效数据）"
    report = localize(build_report(snap, at=ctx.now + timedelta(minutes=180)), Language.ZH)
    sources = build_sources_report(snap, ctx.instruments, ctx.now, Language.ZH)
    saved = MarketSnapshot.from_json(snap.to_json())  # a saved snapshot says it so too
    loaded = build_sources_report(saved, ctx.instruments, ctx.now, Language.ZH)
    for text in (render_markdown(report), render_markdown(sources), render_markdown(loaded)):
        assert zh in text and "last good" not in text
    assert served.fetched_at == ctx.now  # the time it was really fetched
    assert outcome.last_good_at == ctx.now
    [note] = [n for n in snap.notes if n.kind is NoteKind.SOURCE_FAILED]
    assert "its last good figures, fetched 2026-03-20 08:00 UTC, are shown" in note.message
    [status] = snap.providers
    assert (status.ok, status.last_good_at, status.last_success) == (False, ctx.now, ctx.now)


@pytest.mark.asyncio
async def test_last_good_figures_expire(client, ctx, upstream, binance_only, clock, fixture_text):
    health = SourceHealth(ctx.settings)
    upstream.add("/ticker/24hr", httpx.Response(200, text=fixture_text("binance", TICKER)))
    await _run(client, ctx, binance_only, health, clock)
    upstream.add("/ticker/24hr", httpx.ConnectError("down"))
    too_old = ctx.settings.last_good_max_age_s / 60 + 1
    _, snap = await _run(client, ctx, binance_only, health, clock, minutes=too_old)
    assert snap.crypto_quote("BTC") is None


def test_a_fresh_quote_wins_over_a_last_good_one(ctx, providers):

    old = CryptoQuote(
        "BTC",
        ctx.now.date(),
        "yahoo (last good, 2 h old)",
        70000.0,
        1.0,
        fetched_at=ctx.now - timedelta(hours=2),
    )
    new = CryptoQuote("BTC", ctx.now.date(), "okx", 70100.0, 1.2, fetched_at=ctx.now)
    outcomes = [
        Outcome(
            "yahoo:BTC",
            providers["yahoo:BTC"],
            (old,),
            error="down",
            last_good_at=ctx.now - timedelta(hours=2),
        ),
        Outcome("okx:BTC", providers["okx:BTC"], (new,)),
    ]
    assert assemble(outcomes, ctx).crypto_quote("BTC").source == "okx"


def test_state_survives_a_round_trip_through_its_file(tmp_path, ctx):

    path = tmp_path / "state.json"
    health = SourceHealth(ctx.settings, path)
    quote = IndexQuote("SPX", ctx.now.date(), "tencent", 6500.0, 6600.0, fetched_at=ctx.now)
    health.succeeded("tencent:quotes:US", (quote,), ctx.now, 120.0)
    health.failed("yahoo:SPX", "blocked by the provider (HTTP 403)", ctx.now, 80.0)
    server = say("HTTP %(status)s after %(attempts)s attempts", status=503, attempts=3)
    health.failed("sina:quotes:HK", server, ctx.now, 90.0)
    health.save()
    again = SourceHealth.load(ctx.settings, path)
    assert again.providers == health.providers
    # The last error is said in the reader's language after a restart too.
    said = again.get("sina:quotes:HK").last_error.said(translator(Language.ZH))
    assert said == "HTTP 503（共尝试 3 次）"
    assert again.get("tencent:quotes:US").supplied == ("SPX",)
    records, at = again.last_good("tencent:quotes:US", ctx.now + timedelta(minutes=30))
    assert at == ctx.now and records[0].source == "tencent (last good, 30 min old)"


def test_an_unreadable_state_file_starts_afresh(tmp_path, ctx):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    assert SourceHealth.load(ctx.settings, path).providers == {}


def test_relabelled_records_keep_every_other_field(ctx):

    health = SourceHealth(ctx.settings)
    quote = IndexQuote("HSI", ctx.now.date(), "sina", 25000.0, 25100.0, fetched_at=ctx.now)
    health.succeeded("sina:quotes:HK", (quote,), ctx.now, 10.0)
    [served], _ = health.last_good("sina:quotes:HK", ctx.now + timedelta(hours=1))
    assert served == replace(quote, source="sina (last good, 1 h old)")

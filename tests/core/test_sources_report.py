"""The /sources answer and `marketbot sources` show the same per-provider rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.i18n import Language
from core.phrase import say, verbatim
from core.snapshot import ProviderStatus
from core.sources_report import build_provider_report, build_sources_report, providers_table

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
STATUSES = (
    ProviderStatus(
        "tencent:quotes:HK",
        "tencent",
        "HK",
        "HSI, HSCEI, HSTECH",
        True,
        latency_ms=182.4,
        supplied=("HSI", "HSTECH"),
        last_success=NOW - timedelta(minutes=5),
    ),
    ProviderStatus(
        "yahoo:HSI",
        "yahoo",
        "HK",
        "HSI",
        False,
        say("blocked by the provider (HTTP %(status)s: %(what)s)", status=403, what=verbatim("…")),
        latency_ms=95.0,
        last_success=NOW - timedelta(hours=3),
        breaker="open until 2026-03-23 00:15 UTC",
        last_good_at=NOW - timedelta(hours=3),
    ),
)


def _texts(table) -> list[list[str]]:
    return [[c.value for c in row] for row in table.rows]


def test_provider_rows_say_status_last_success_latency_supplies_and_breaker():
    assert _texts(providers_table(STATUSES, NOW)) == [
        [
            "tencent",
            "HK",
            "HSI, HSCEI, HSTECH",
            "ok",
            "5 min ago",
            "182 ms",
            "HSI, HSTECH",
            "closed",
        ],
        [
            "yahoo",
            "HK",
            "HSI",
            "failed: blocked by the provider (HTTP 403: …) (serving its last good figures, "
            "3 h ago)",
            "3 h ago",
            "95 ms",
            "nothing",
            "open until 2026-03-23 00:15 UTC",
        ],
    ]


def test_chat_sources_and_the_cli_show_the_same_table(sample, registry):
    snapshot = sample.with_changes(providers=STATUSES)
    chat = build_sources_report(snapshot, registry, NOW).sections[0].blocks[1]
    cli = build_provider_report(STATUSES, NOW).sections[0].blocks[0]
    assert _texts(chat) == _texts(cli)


def test_the_sources_table_is_worded_in_the_readers_language():
    table = providers_table(STATUSES, NOW, Language.ZH)
    assert table.columns[:4] == ("来源", "市场", "覆盖范围", "状态")
    (ok, failed) = _texts(table)
    assert ok[3:5] == ["正常", "5 分钟前"]
    assert failed[3].startswith("失败：被数据源拦截（HTTP 403：…）")  # the reason, re-said
    assert failed[3].endswith("（沿用最近一次有效数据，3 小时前）")

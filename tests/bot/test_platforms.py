"""The platform registry is the one list of platforms the store, CLI and report cache read."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.cli import build_parser
from bot.platforms import PLATFORMS, Platform
from bot.report_cache import ReportCache, demo_source
from bot.store.validation import PLATFORMS as STORE_PLATFORMS
from tests.bot import fake_platform
from tests.bot.runner_ticks import SENT_ONE, start_run, subscribe_due

pytestmark = pytest.mark.asyncio


async def test_store_cli_and_report_cache_read_the_registry() -> None:
    names = tuple(PLATFORMS)
    assert names == ("telegram", "discord")
    assert tuple(STORE_PLATFORMS) == names
    args = build_parser().parse_args(["render", "--platform", "discord", "--out", "x"])
    assert args.platform == "discord"
    assert tuple(ReportCache(demo_source()).renderers) == names
    for platform in PLATFORMS.values():
        assert callable(platform.renderer())


@pytest.mark.parametrize("name", list(PLATFORMS))
async def test_a_platform_without_a_token_does_not_start(name, caplog) -> None:
    caplog.set_level(logging.WARNING)
    platform = PLATFORMS[name]
    assert await platform.start(platform.settings({}), None, None) is None  # type: ignore[arg-type]
    assert f"{platform.token_env()} is not set: {platform.title} is disabled" in caplog.text


NOW = datetime(2026, 3, 20, 0, 1, tzinfo=UTC)


async def test_a_new_platform_needs_only_its_package_and_a_registry_entry(
    monkeypatch, tmp_path
) -> None:
    entry = Platform(
        "fakechat",
        "FakeChat",
        "renderers.telegram:render_telegram",
        "tests.bot.fake_platform:start_platform",
        "tests.bot.fake_platform:FakeChatSettings",
    )
    monkeypatch.setitem(PLATFORMS, "fakechat", entry)
    db_url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    await subscribe_due(db_url, "fakechat", "room-1", ("hk",), NOW)
    env = {"FAKECHAT_BOT_TOKEN": "fake-token", "MARKETBOT_DATABASE_URL": db_url}
    fake_platform.STARTED.clear()
    running = start_run(env, NOW, demo=True)
    try:
        assert await running.next_ticks(1) == [SENT_ONE]
    finally:
        assert await running.finish() == 0
    (adapter,) = fake_platform.STARTED
    ((chat_id, parts),) = adapter.sender.sent
    assert chat_id == "room-1" and parts > 1
    assert adapter.stopped

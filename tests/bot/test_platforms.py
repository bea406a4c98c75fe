"""The platform registry is the one list of platforms the store, CLI and report cache read."""

from __future__ import annotations

import logging

import pytest

from bot.cli import build_parser
from bot.platforms import PLATFORMS
from bot.report_cache import ReportCache, demo_source
from bot.store.validation import PLATFORMS as STORE_PLATFORMS

pytestmark = pytest.mark.asyncio


async def test_store_cli_and_report_cache_read_the_registry() -> None:
    names = tuple(PLATFORMS)
    assert names == ("telegram", "discord")
    assert names == STORE_PLATFORMS
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

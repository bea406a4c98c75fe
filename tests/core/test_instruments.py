"""The market list comes from config/instruments.toml alone: order, 24/7 markets, sections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.analysis.sections.evidence import EQUITY_MARKETS
from core.instruments import default_registry, load_registry, market_keys, round_the_clock
from core.sections import SECTION_KEYS, SECTIONS, section_for_market
from core.settings import config_dir, read_toml


def test_market_keys_follow_the_configured_order():
    raw = read_toml("instruments.toml")["markets"]
    assert market_keys() == tuple(sorted(raw, key=lambda k: raw[k]["order"]))


@pytest.mark.parametrize(
    ("market", "expected"), [("US", False), ("HK", False), ("CN", False), ("CRYPTO", True)]
)
def test_round_the_clock_is_the_24_7_calendar(market, expected):
    assert round_the_clock(market) is expected
    assert default_registry().markets[market].round_the_clock is expected


def test_unknown_market_is_not_round_the_clock():
    assert round_the_clock("XX") is False


def test_equity_markets_are_the_markets_with_sessions():
    assert tuple(k for k in market_keys() if not round_the_clock(k)) == EQUITY_MARKETS


def test_every_market_has_one_section_and_sections_take_markets_from_config():
    markets = default_registry().markets
    assert {s.market for s in SECTIONS if s.market} == set(markets)
    for key, market in markets.items():
        assert market.section in SECTION_KEYS
        assert section_for_market(key).key == market.section


def test_a_reordered_config_reorders_the_markets(tmp_path: Path):
    shutil.copy(config_dir() / "instruments.toml", tmp_path / "instruments.toml")
    path = tmp_path / "instruments.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("order = 1", "order = 9"), encoding="utf-8")
    registry = load_registry(tmp_path)
    assert registry.market_keys()[-1] == "US"
    assert registry.market_keys()[:-1] == tuple(k for k in market_keys() if k != "US")

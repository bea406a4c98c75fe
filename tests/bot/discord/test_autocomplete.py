"""Autocomplete choices: matched on every alias, best match first, never more than 25."""

from __future__ import annotations

import pytest

from bot.discord.autocomplete import (
    MAX_CHOICES,
    instrument_choices,
    section_choices,
    sections_list_choices,
    timezone_choices,
)
from core.i18n import Language
from core.sections import SECTIONS


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("hstech", "HSTECH"),
        ("恒生科技", "HSTECH"),
        ("纳指", "NASDAQ"),
        ("dow", "DJIA"),
        ("S&P", "SPX"),
    ],
)
def test_instruments_match_keys_and_aliases(registry, typed, first) -> None:
    choices = instrument_choices(registry, typed)
    assert choices[0].value == first
    assert all(registry.resolve(c.value) for c in choices)


def test_chinese_alias_is_shown_in_the_label(registry) -> None:
    (choice, *_) = instrument_choices(registry, "恒生科技")
    assert "恒生科技" in choice.name and len(choice.name) <= 100


def test_empty_input_lists_at_most_25_instruments(registry) -> None:
    choices = instrument_choices(registry, "")
    assert len(choices) == min(len(registry), MAX_CHOICES)
    assert instrument_choices(registry, "zzzz-not-a-name") == []


@pytest.mark.parametrize(("typed", "key"), [("港股", "hk"), ("a股", "cn"), ("CRYPTO", "crypto")])
def test_sections_match_aliases_and_markets(typed, key) -> None:
    assert section_choices(typed)[0].value == key


def test_section_list_completes_the_last_word_and_skips_chosen_ones() -> None:
    values = [c.value for c in sections_list_choices("hk c")]
    assert values and all(v.startswith("hk ") for v in values)
    assert "hk cn" in values and "hk hk" not in values
    assert len(sections_list_choices("")) == len(SECTIONS)


@pytest.mark.parametrize(
    ("typed", "zone"), [("hong kong", "Asia/Hong_Kong"), ("new_y", "America/New_York")]
)
def test_timezones_match_cities(typed, zone) -> None:
    assert timezone_choices(typed)[0].value == zone


def test_timezones_are_capped_at_25() -> None:
    assert len(timezone_choices("a")) == MAX_CHOICES
    assert timezone_choices("")[0].value == "UTC"


def test_a_chinese_client_reads_the_choices_in_chinese(registry) -> None:
    (hstech, *_) = instrument_choices(registry, "hstech", Language.ZH)
    assert hstech.name == "HSTECH — 恒生科技指数" and hstech.value == "HSTECH"
    (hk, *_) = section_choices("hk", Language.ZH)
    assert (hk.name, hk.value) == ("hk — 港股", "hk")
    assert section_choices("hk")[0].name == "hk — Hong Kong Market"

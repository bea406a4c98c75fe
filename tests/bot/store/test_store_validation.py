"""Parsing of subscription input: platform, delivery time, time zone and sections."""

from __future__ import annotations

from datetime import time

import pytest

from bot.store import parse_delivery_time, parse_platform, parse_sections, parse_timezone
from core.errors import InvalidArgument, UnknownSection, UserInputError
from core.sections import SECTION_KEYS


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:00", time(8, 0)), ("8:05", time(8, 5)), (" 23:59 ", time(23, 59)), ("00:00", time(0))],
)
def test_delivery_time_accepts_24_hour_clock(text: str, expected: time) -> None:
    assert parse_delivery_time(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("24:00", "hours run 00-23"),
        ("08:60", "minutes 00-59"),
        ("13pm", "12-hour times"),
        ("0800", "HH:MM"),
        ("08:00:30", "HH:MM"),
        ("", "HH:MM"),
    ],
)
def test_delivery_time_rejects_malformed(text: str, fragment: str) -> None:
    with pytest.raises(InvalidArgument, match=fragment) as info:
        parse_delivery_time(text)
    assert info.value.argument == "delivery time"
    assert repr(text) in str(info.value)


def test_delivery_time_rejects_seconds_on_time_objects() -> None:
    with pytest.raises(InvalidArgument, match="whole minutes"):
        parse_delivery_time(time(8, 0, 30))


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("Asia/Hong_Kong", "Asia/Hong_Kong"), ("asia/hong_kong", "Asia/Hong_Kong"), ("UTC", "UTC")],
)
def test_timezone_is_canonicalised(name: str, canonical: str) -> None:
    assert parse_timezone(name) == canonical


def test_unknown_timezone_suggests_the_closest_zone() -> None:
    with pytest.raises(InvalidArgument, match="IANA") as info:
        parse_timezone("Asia/HongKong")
    assert "Asia/Hong_Kong" in info.value.suggestions
    assert "did you mean" in str(info.value)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "UTC+8x", "../../etc/passwd", ""])
def test_timezone_rejects_non_iana_names(name: str) -> None:
    with pytest.raises(InvalidArgument, match="time zone"):
        parse_timezone(name)


def test_platform_is_case_insensitive_and_closed() -> None:
    assert parse_platform("Telegram") == "telegram"
    with pytest.raises(InvalidArgument, match="telegram, discord"):
        parse_platform("slack")


def test_sections_resolve_aliases_in_order_without_repeats() -> None:
    assert parse_sections(["HK", "china", "hongkong", "us"]) == ("hk", "cn", "us")
    assert parse_sections([]) == ()
    assert set(parse_sections(SECTION_KEYS)) == set(SECTION_KEYS)


def test_unknown_section_is_a_user_error_with_suggestions() -> None:
    with pytest.raises(UnknownSection) as info:
        parse_sections(["hk", "cryptoo"])
    assert "crypto" in info.value.suggestions


def test_input_errors_share_the_user_input_base() -> None:
    assert issubclass(InvalidArgument, UserInputError)
    assert issubclass(UnknownSection, UserInputError)

"""Arguments as people type them: each input → the parsed value, or the exact refusal."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.commands import DivergenceRequest, SubscribeRequest, parse_command, parse_options
from bot.commands.parse import split_args
from bot.store import zone_of
from core.errors import ECHO_CHARS, BadCommand, clip


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["08:00", "UTC+8"], SubscribeRequest(time(8), "UTC+08:00")),
        (["08:00", "GMT+8"], SubscribeRequest(time(8), "UTC+08:00")),
        (["08:00", "utc-05:30"], SubscribeRequest(time(8), "UTC-05:30")),
        (["08:00", "+8"], SubscribeRequest(time(8), "UTC+08:00")),
        (["08:00", "UTC+0"], SubscribeRequest(time(8), "UTC")),
        (["08:00", "HKT"], SubscribeRequest(time(8), "Asia/Hong_Kong")),
        (["08:00", "sgt"], SubscribeRequest(time(8), "Asia/Singapore")),
        (["08:00", "JST"], SubscribeRequest(time(8), "Asia/Tokyo")),
        (["08:00", "CET"], SubscribeRequest(time(8), "Europe/Paris")),
        (["08:00", "asia/hong_kong"], SubscribeRequest(time(8), "Asia/Hong_Kong")),
        (["8am"], SubscribeRequest(time(8), "UTC")),
        (["8:30pm", "HKT"], SubscribeRequest(time(20, 30), "Asia/Hong_Kong")),
        (["8", "pm"], SubscribeRequest(time(20), "UTC")),
        (["12am"], SubscribeRequest(time(0), "UTC")),
        (["12pm"], SubscribeRequest(time(12), "UTC")),
        (["7:05"], SubscribeRequest(time(7, 5), "UTC")),
        # Any order: a digit starts the time, a zone is recognised, the rest are sections.
        (
            ["HKT", "8am", "hk", "crypto"],
            SubscribeRequest(time(8), "Asia/Hong_Kong", ("hk", "crypto")),
        ),
        (["crypto"], SubscribeRequest(time(8), "UTC", ("crypto",))),
    ],
)
def test_subscribe_reads_times_and_zones_as_typed(registry, words, expected) -> None:
    assert parse_command("subscribe", words, registry) == expected


@pytest.mark.parametrize(
    ("words", "reason", "suggestions"),
    [
        (
            ["08:00", "EST"],
            "invalid time zone 'EST': ambiguous, use one of America/New_York, UTC-5",
            (),
        ),
        (
            ["08:00", "IST"],
            "invalid time zone 'IST': ambiguous, use one of Asia/Kolkata, Europe/Dublin, "
            "Asia/Jerusalem",
            (),
        ),
        (
            ["08:00", "Factory"],
            "invalid time zone 'Factory': expected an IANA name such as Asia/Hong_Kong, "
            "an offset such as UTC+8, or HKT",
            (),
        ),
        (
            ["08:00", "localtime"],
            "invalid time zone 'localtime': expected an IANA name such as Asia/Hong_Kong, "
            "an offset such as UTC+8, or HKT",
            (),
        ),
        (
            ["08:00", "Singapore"],
            "invalid time zone 'Singapore': expected an IANA name such as Asia/Hong_Kong, "
            "an offset such as UTC+8, or HKT",
            ("Asia/Singapore",),
        ),
        (["08:00", "UTC+15"], "invalid time zone 'UTC+15': offsets run from UTC-12 to UTC+14", ()),
        (["08:00", "UTC+8:75"], "invalid time zone 'UTC+8:75': minutes run 00-59", ()),
        (["13pm"], "invalid delivery time '13pm': 12-hour times run 12am-11:59pm", ()),
        (["24:00"], "invalid delivery time '24:00': hours run 00-23 and minutes 00-59", ()),
        (["8am", "9am"], "give one time and one time zone, got two times", ()),
        (["HKT", "UTC+8"], "give one time and one time zone, got two time zones", ()),
    ],
)
def test_subscribe_refusals(registry, words, reason, suggestions) -> None:
    with pytest.raises(BadCommand) as caught:
        parse_command("subscribe", words, registry)
    assert (str(caught.value.reason), caught.value.suggestions) == (reason, suggestions)


@pytest.mark.parametrize(
    ("zone", "offset_h"),
    [("UTC+08:00", 8.0), ("UTC-05:30", -5.5), ("Asia/Hong_Kong", 8.0), ("UTC", 0.0)],
)
def test_stored_zones_round_trip_to_their_offset(zone, offset_h) -> None:
    instant = datetime(2026, 3, 20, 12, tzinfo=UTC)
    assert instant.astimezone(zone_of(zone)).utcoffset().total_seconds() / 3600 == offset_h


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('HSTECH "S&P 500" 20', DivergenceRequest("HSTECH", "SPX", 20)),
        ("“HANG SENG” NASDAQ", DivergenceRequest("HSI", "NASDAQ")),
        ("S&P_500 HANG-SENG", DivergenceRequest("SPX", "HSI")),
        ("hang_seng s&p-500", DivergenceRequest("HSI", "SPX")),
        ("S&P 500 HSTECH", DivergenceRequest("SPX", "HSTECH")),
        ("HANG SENG S&P 500 30", DivergenceRequest("HSI", "SPX", 30)),
        ("HSTECH NASDAQ", DivergenceRequest("HSTECH", "NASDAQ")),
    ],
)
def test_divergence_names_with_spaces(registry, text, expected) -> None:
    assert parse_command("divergence", split_args(text), registry) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("HSTECH HSTECH", "pick two different instruments; both name HSTECH"),
        ("HSI 恒指", "pick two different instruments; both name HSI"),
        ("HSI SPX 4", "DAYS must be a whole number from 5 to 250, got '4'"),
        ("HSI SPX x", "DAYS must be a whole number from 5 to 250, got 'x'"),
        ("HSI", "give two instruments, e.g. HSTECH NASDAQ"),
        ("FOO BAR", "unknown instrument 'FOO'"),
        ('"HANG SENG', "unknown instrument 'HANG'"),  # an unclosed quote: words as typed
    ],
)
def test_divergence_refusals(registry, text, reason) -> None:
    with pytest.raises(BadCommand) as caught:
        parse_command("divergence", split_args(text), registry)
    assert str(caught.value.reason) == reason


def test_named_options_take_names_with_spaces_whole(registry) -> None:
    options = {"a": "S&P 500", "b": "HANG SENG", "days": 30}
    assert parse_options("divergence", options, registry) == DivergenceRequest("SPX", "HSI", 30)
    with pytest.raises(BadCommand, match="different"):
        parse_options("divergence", {"a": "HSTECH", "b": "hstech"}, registry)
    assert parse_options("subscribe", {"time": "8am", "timezone": "UTC+8"}, registry) == (
        SubscribeRequest(time(8), "UTC+08:00")
    )


def test_long_input_is_cut_in_the_echo(registry) -> None:
    long = "x" * 5000
    commands = [("market", [long]), ("divergence", ["HSI", long]), ("section", [long])]
    for command, words in [*commands, ("language", [long]), ("subscribe", ["8am", long])]:
        with pytest.raises(BadCommand) as caught:
            parse_command(command, words, registry)
        assert repr(clip(long)) in str(caught.value.reason)
        assert len(str(caught.value.reason)) < 2 * ECHO_CHARS + 40

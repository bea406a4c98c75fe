"""Command argument parsing: typed requests, or BadCommand with usage and suggestions."""

from __future__ import annotations

from datetime import time

import pytest

from bot.commands import (
    DEFAULT_DIVERGENCE_DAYS,
    DivergenceRequest,
    NoArgs,
    ReportRequest,
    SubscribeRequest,
    UnknownCommand,
    parse_command,
)
from core.errors import BadCommand


@pytest.mark.parametrize(
    ("command", "words", "expected"),
    [
        ("report", [], ReportRequest(())),
        ("report", ["港股", "us"], ReportRequest(("hk", "us"))),
        ("section", ["Flow"], ReportRequest(("flows",))),
        ("market", ["crypto"], ReportRequest(("crypto",))),
        ("market", ["china"], ReportRequest(("cn",))),
        ("divergence", ["hstech", "nasdaq"], DivergenceRequest("HSTECH", "NASDAQ", 60)),
        ("divergence", ["HSI", "SPX", "20"], None),
        ("subscribe", [], SubscribeRequest(time(8, 0), "UTC", ())),
        ("subscribe", ["7:05"], SubscribeRequest(time(7, 5), "UTC", ())),
        (
            "subscribe",
            ["asia/hong_kong", "hk"],
            SubscribeRequest(time(8), "Asia/Hong_Kong", ("hk",)),
        ),
        (
            "subscribe",
            ["21:30", "UTC", "us", "risk"],
            SubscribeRequest(time(21, 30), "UTC", ("us", "risks")),
        ),
        ("sources", [], NoArgs("sources")),
    ],
)
def test_valid_arguments_parse(registry, command, words, expected) -> None:
    request = parse_command(command, words, registry)
    if expected is None:
        assert isinstance(request, DivergenceRequest) and request.days == 20
    else:
        assert request == expected


@pytest.mark.parametrize(
    ("command", "words", "reason", "suggestion"),
    [
        ("section", [], "name one section", None),
        ("section", ["flwos"], "unknown section 'flwos'", "flows"),
        ("market", ["JP"], "unknown market 'JP'", "HK"),
        ("divergence", ["HSTEC", "NASDAQ"], "unknown instrument 'HSTEC'", "HSTECH"),
        ("divergence", ["FOO", "BAR"], "unknown instrument 'FOO'", None),
        ("divergence", ["HSI"], "give two instruments", None),
        ("divergence", ["HSI", "SPX", "4"], "DAYS must be", None),
        ("divergence", ["HSI", "SPX", "x"], "DAYS must be", None),
        ("subscribe", ["24:00"], "invalid delivery time '24:00'", None),
        ("subscribe", ["08:00", "Asia/Hong_Kon"], "invalid time zone", "Asia/Hong_Kong"),
        ("subscribe", ["08:00", "UTC", "nope"], "unknown section 'nope'", None),
        ("sources", ["now"], "takes no arguments", None),
    ],
)
def test_bad_arguments_raise_reason_and_suggestions(registry, command, words, reason, suggestion):
    with pytest.raises(BadCommand) as caught:
        parse_command(command, words, registry)
    assert reason in str(caught.value.reason)
    assert caught.value.command == command
    if suggestion is not None:
        assert suggestion in caught.value.suggestions


def test_unknown_command_suggests_close_names(registry) -> None:
    with pytest.raises(UnknownCommand) as caught:
        parse_command("reprot", [], registry)
    assert caught.value.suggestions == ("/report",)


def test_default_divergence_window(registry) -> None:
    assert parse_command("divergence", ["HSI", "SPX"], registry).days == DEFAULT_DIVERGENCE_DAYS

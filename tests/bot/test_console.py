"""``marketbot console --demo``: typed lines in, the bot's answers out as plain text."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.cli_data import configured_pairs, demo_history
from bot.commands import USAGE, UnknownCommand
from bot.commands.style import Style
from bot.commands.wording import unknown_command
from bot.console import PROMPT
from core.analysis.build import build_report
from core.analysis.signals import divergence
from core.formatting import bps
from core.sections import SECTIONS
from renderers.text import render_text


def console(monkeypatch, capsys, *lines: str) -> str:
    """Run ``marketbot console --demo`` on the typed lines; return what it printed."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    assert main(["console", "--demo"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_report_prints_the_whole_text_report(monkeypatch, capsys, sample) -> None:
    out = console(monkeypatch, capsys, "/report")
    history = demo_history(sample.report_date, configured_pairs())
    assert out.rstrip("\n") == render_text(build_report(sample, history=history)).rstrip()
    assert PROMPT not in out  # stdin is not a terminal: no prompts in the output


def test_divergence_prints_the_pairs_spread(
    monkeypatch, capsys, sample, registry, settings
) -> None:
    out = console(monkeypatch, capsys, "/divergence HSTECH NASDAQ")
    expected = divergence(sample, registry, "HSTECH", "NASDAQ", settings.divergence)
    a, b = registry.resolve("HSTECH"), registry.resolve("NASDAQ")
    assert f"Divergence {a.display_name} vs {b.display_name}" in out
    assert bps(expected.spread_bps) in out
    assert "SAMPLE DATA" in out
    assert "<" not in out.replace(" < ", "")  # no Telegram HTML left over


def test_unknown_instruments_get_a_usage_line_and_the_session_goes_on(monkeypatch, capsys) -> None:
    out = console(monkeypatch, capsys, "/divergence FOO BAR", "/section hk")
    first, rest = out.split("\n", 1)
    assert first.startswith("⚠️") and "FOO" in first
    assert f"Usage: {Style().usage_line('divergence')}" in out
    assert "Hong Kong" in rest  # the next command was answered


def test_subscribe_then_list_then_stop(monkeypatch, capsys) -> None:
    out = console(
        monkeypatch,
        capsys,
        "/subscribe 08:00 Asia/Hong_Kong",
        "/subscriptions",
        "/unsubscribe",
        "/subscriptions",
    )
    lines = out.splitlines()
    assert lines[0].startswith("✅ Daily digest: 08:00 Asia/Hong_Kong, the whole report.")
    assert lines[1] == "Daily digest at 08:00 Asia/Hong_Kong: the whole report."
    assert lines[2].startswith("Daily digest stopped for this chat.")
    assert lines[3] == lines[-1] and "08:00" not in lines[3]


def test_subscribe_rejects_an_unknown_time_zone(monkeypatch, capsys) -> None:
    out = console(monkeypatch, capsys, "/subscribe 08:00 Mars/Olympus", "/subscriptions")
    lines = out.splitlines()
    assert lines[0].startswith("⚠️ invalid time zone 'Mars/Olympus'")
    assert lines[1] == f"Usage: {Style().usage_line('subscribe')}"
    assert "Daily digest at" not in out


def test_help_lists_every_command_and_section(monkeypatch, capsys) -> None:
    out = console(monkeypatch, capsys, "/help")
    for name in USAGE:
        assert Style().usage_line(name) in out, name
    for section in SECTIONS:
        assert section.key in out
    assert "<b>" not in out and "&amp;" not in out and "**" not in out  # no markup at all


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/nosuchcommand", "unknown command '/nosuchcommand'; try /help"),
        ("/market MARS", "Usage: /market"),
        ("/divergence HSTEC NASDAQ", "Did you mean: HSTECH"),
    ],
)
def test_bad_input_is_one_short_answer(monkeypatch, capsys, line, expected) -> None:
    out = console(monkeypatch, capsys, line)
    assert expected in out
    assert len(out.splitlines()) <= 3


def test_commands_that_do_no_work_are_never_rate_limited(monkeypatch, capsys) -> None:
    out = console(monkeypatch, capsys, *["/subscriptions", "/reprot", "/market JP"] * 8)
    lines = [line for line in out.splitlines() if line.startswith(("This chat", "⚠️"))]
    assert len(lines) == 24
    assert "⏳" not in out


def test_unknown_command_gets_the_same_answer_as_on_telegram(monkeypatch, capsys) -> None:
    out = console(monkeypatch, capsys, "/frobnicate now")
    assert out.rstrip("\n") == unknown_command(UnknownCommand("frobnicate"), Style())

"""The marketbot command line, run in-process: outputs, options, and one-line errors."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.cli_data import configured_pairs, demo_history
from core.analysis.build import build_report
from core.formatting import bps
from core.i18n import Language, translator
from core.instruments import default_registry
from core.sections import SECTIONS
from renderers.markdown import render_markdown


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``marketbot argv`` and return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str) -> None:
    assert err.startswith("marketbot")
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_report_demo_says_sample_data_at_the_top(capsys, sample, fmt):
    code, out, err = run(capsys, "report", "--demo", "--format", fmt)
    assert (code, err) == (0, "")
    top = " ".join(out.splitlines()[:10])
    # The text renderer wraps the note and marks each of its lines with "! ".
    flat = " ".join(top.replace("! ", " ").split())
    assert sample.demo_note in flat
    assert "SAMPLE DATA" in flat and "08:00 HKT report of Mon 2026-03-23" in flat
    title = "Market Intelligence Report — 2026-03-23"
    assert out.splitlines()[0] == (f"# {title}" if fmt == "markdown" else title)


def test_report_demo_markdown_has_every_section_and_disclaimer(capsys):
    code, out, _ = run(capsys, "report", "--demo")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert code == 0
    assert [h.split(". ", 1)[1] for h in headings] == [s.title for s in SECTIONS]


def test_report_demo_json(capsys, sample):
    code, out, _ = run(capsys, "report", "--demo", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["report_date"] == sample.report_date.isoformat()
    assert data["demo_note"] == sample.demo_note
    assert [s["key"] for s in data["sections"]] == [s.key for s in SECTIONS]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["hk"], ["Hong Kong Market", "Disclaimer"]),
        (["hongkong"], ["Hong Kong Market", "Disclaimer"]),
        (["A股"], ["A-Share Market", "Disclaimer"]),
        (["spreads", "US"], ["US Market", "Cross-Market Divergences", "Disclaimer"]),
    ],
)
def test_report_section_accepts_aliases(capsys, names, expected):
    argv = ["report", "--demo"]
    for name in names:
        argv += ["--section", name]
    code, out, _ = run(capsys, *argv)
    headings = [line.split(". ", 1)[1] for line in out.splitlines() if line.startswith("## ")]
    assert code == 0
    assert headings == expected
    assert "SAMPLE DATA" in out.splitlines()[2]


def test_unknown_section_suggests_and_exits_2(capsys):
    code, out, err = run(capsys, "report", "--demo", "--section", "hongkon")
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "unknown section 'hongkon'" in err
    assert "did you mean hk" in err
    assert "marketbot sections" in err


def test_divergence_hstech_nasdaq_from_demo(capsys, sample):
    expected = (sample.index("HSTECH").change_pct - sample.index("NASDAQ").change_pct) * 100
    assert round(expected) == -47  # HSTECH -2.48% vs Nasdaq -2.01% on Fri 2026-03-20
    code, out, err = run(capsys, "divergence", "HSTECH", "NASDAQ", "--demo")
    assert (code, err) == (0, "")
    assert bps(expected) in out
    assert sample.demo_note in "\n".join(out.splitlines()[:4])
    assert out.splitlines()[0] == "# Divergence HSTECH vs Nasdaq — 2026-03-23"
    # The bundled closes rank the spread against 60 aligned sessions, with a correlation.
    row = next(line for line in out.splitlines() if line.startswith("| HSTECH vs Nasdaq |"))
    assert row.split(" | ")[-2:] == ["-0.2σ", "+0.10 |"]


def test_divergence_accepts_aliases_and_formats(capsys):
    code, out, _ = run(capsys, "divergence", "恒生科技", "ixic", "--demo", "--format", "json")
    table = next(b for b in json.loads(out)["sections"][0]["blocks"] if b["type"] == "table")
    assert code == 0
    assert any(cell["text"] == "-47 bps" for row in table["rows"] for cell in row)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("FOO", "BAR", "unknown instrument 'FOO'"),
        ("HSTECH", "NASDAK", "did you mean NASDAQ"),
        ("HSTEK", "NASDAQ", "did you mean HSTECH"),
    ],
)
def test_divergence_unknown_instrument(capsys, a, b, message):
    code, out, err = run(capsys, "divergence", a, b, "--demo")
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert message in err
    assert "marketbot instruments" in err


def test_date_must_match_the_demo(capsys):
    code, out, err = run(capsys, "report", "--demo", "--date", "2026-03-21")
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "2026-03-21" in err and "2026-03-23" in err
    assert run(capsys, "report", "--demo", "--date", "2026-03-23")[0] == 0


@pytest.mark.parametrize("value", ["2026-13-01", "20260320", "yesterday", "2026-02-30"])
def test_bad_date_is_one_line(capsys, value):
    code, out, err = run(capsys, "report", "--demo", "--date", value)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert f"invalid date {value!r}" in err


def test_snapshot_file_gives_the_report_of_its_snapshot(capsys, sample, tmp_path):
    path = tmp_path / "snap.json"
    path.write_text(sample.to_json(), encoding="utf-8")
    code, out, _ = run(capsys, "report", "--snapshot", str(path))
    assert code == 0
    # A snapshot file has no bundled history: the same report, without z-scores.
    assert out.rstrip("\n") == render_markdown(build_report(sample)).rstrip("\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read snapshot"), ('{"report_date": "soon"}', "invalid snapshot")],
)
def test_bad_snapshot_file_exits_1(capsys, tmp_path, content, message):
    path = tmp_path / "snap.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "report", "--snapshot", str(path))
    assert (code, out) == (1, "")
    assert_one_line_error(err)
    assert message in err


def test_demo_and_snapshot_together_is_a_usage_error(capsys, tmp_path):
    code, out, err = run(capsys, "report", "--demo", "--snapshot", str(tmp_path / "x.json"))
    assert (code, out) == (2, "")
    assert_one_line_error(err)


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["report", "--format", "html", "--demo"]])
def test_usage_errors_are_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)


def test_out_writes_the_same_text_to_a_file(capsys, tmp_path):
    path = tmp_path / "report.md"
    code, out, err = run(capsys, "report", "--demo", "--format", "text", "--out", str(path))
    assert (code, out) == (0, "")
    assert str(path) in err
    assert (
        path.read_text(encoding="utf-8") == run(capsys, "report", "--demo", "--format", "text")[1]
    )


def test_out_into_missing_folder_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "report", "--demo", "--out", str(tmp_path / "no" / "r.md"))
    assert code == 1
    assert_one_line_error(err)
    assert "cannot write" in err


def test_instruments_lists_keys_names_markets_currencies_aliases(capsys, registry):
    code, out, _ = run(capsys, "instruments")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["Key", "Name", "Long", "name", "Market", "Currency", "Aliases"]
    for inst in default_registry():
        row = next(line for line in lines if line.startswith(f"{inst.key} "))
        for value in (inst.display_name, inst.long_name, inst.market, inst.currency, *inst.aliases):
            assert value in row


def test_sections_lists_keys_titles_aliases(capsys):
    code, out, _ = run(capsys, "sections")
    lines = out.splitlines()
    assert code == 0
    for info in SECTIONS:
        row = next(line for line in lines if line.startswith(f"{info.key} "))
        assert info.title in row
        for alias in info.aliases:
            assert alias in row


def test_report_demo_prints_the_markdown_of_the_demo_report(capsys, sample):
    code, out, err = run(capsys, "report", "--demo")
    assert (code, err) == (0, "")
    history = demo_history(sample.report_date, configured_pairs())
    expected = render_markdown(build_report(sample, history=history))
    assert out.rstrip("\n") == expected.rstrip("\n")


def test_at_sets_the_report_instant_and_its_date_in_its_own_offset(capsys):
    # 23:30 in New York is already the next day in UTC: the title follows the reader's offset.
    code, out, err = run(
        capsys, "report", "--demo", "--at", "2026-03-20T23:30-04:00", "--format", "json"
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["report_date"] == "2026-03-20"
    assert report["title"].endswith("2026-03-20")


def test_at_without_an_offset_is_a_usage_error(capsys):
    code, _, err = run(capsys, "report", "--demo", "--at", "2026-03-24T08:00")
    assert code == 2
    assert_one_line_error(err)
    assert "UTC offset" in err


def test_snapshot_gets_the_calendar_checks_of_live_data(capsys, demo, tmp_path):
    # Saved on Sunday with Thursday's US figures, although New York traded on Friday.
    path = tmp_path / "sunday.json"
    path.write_text(demo.with_changes(demo_note=None).to_json(), encoding="utf-8")
    at = "2026-03-22T09:00+08:00"
    code, out, err = run(capsys, "report", "--snapshot", str(path), "--at", at, "--format", "json")
    assert (code, err) == (0, "")
    warnings = {(w["kind"], w["market"]): w["message"] for w in json.loads(out)["warnings"]}
    assert "the Fri 2026-03-20 session has closed" in warnings["stale", "US"]
    assert warnings["closed", "US"].startswith("US closed on Sun 2026-03-22 (weekend)")


def test_report_demo_in_chinese(capsys):
    code, out, err = run(capsys, "report", "--demo", "--lang", "zh")
    zh = translator(Language.ZH)
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "# 跨市场情报日报 — 2026-03-23 (周一)"
    assert [h.split(". ", 1)[1] for h in headings] == [zh.gettext(s.title) for s in SECTIONS]
    code, _, err = run(capsys, "report", "--demo", "--lang", "fr")
    assert code == 2 and "--lang" in err

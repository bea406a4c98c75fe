"""JSON rendering: a Report as plain objects with ISO dates, block types and display texts."""

from __future__ import annotations

import json

from renderers.json import render_json, render_section_json
from tests.renderers.conftest import DEMO_NOTE


def test_report_fields_and_dates(sample_report):
    data = json.loads(render_json(sample_report))
    assert data["report_date"] == "2026-03-20"
    assert data["title"] == sample_report.title
    assert data["demo_note"] == DEMO_NOTE
    assert [s["session_date"] for s in data["sessions"]] == ["2026-03-19", "2026-03-20", None]
    assert data["sources"] == ["stooq", "yahoo"]
    assert [s["key"] for s in data["sections"]] == ["hk", "flows", "disclaimer"]


def test_warnings_keep_kind_and_market(sample_report):
    data = json.loads(render_json(sample_report))
    assert data["warnings"][1] == {
        "kind": "source_failed",
        "message": "coingecko unavailable: timeout",
        "market": None,
    }


def test_blocks_carry_their_type(sample_report):
    data = json.loads(render_json(sample_report))
    assert [b["type"] for b in data["sections"][0]["blocks"]] == ["paragraph", "table", "bullets"]
    assert data["sections"][1]["blocks"][0]["type"] == "flow_map"


def test_cells_keep_value_unit_and_display_text(sample_report):
    table = json.loads(render_json(sample_report))["sections"][0]["blocks"][1]
    assert table["columns"] == ["Index", "Close", "Change"]
    close, change = table["rows"][0][1], table["rows"][0][2]
    assert close == {
        "value": 25500.58,
        "unit": "points",
        "signed": False,
        "decimals": None,
        "text": "25,500.58",
    }
    assert (change["value"], change["unit"], change["signed"], change["text"]) == (
        -2.02,
        "pct",
        True,
        "-2.02%",
    )
    missing = table["rows"][1]
    assert missing[0]["value"] == "上证指数 (SSE)"
    assert (missing[1]["value"], missing[1]["text"]) == (None, "n/a")


def test_cjk_is_written_as_is(sample_report):
    assert "上证指数" in render_json(sample_report)


def test_flow_map_directions(sample_report):
    flow = json.loads(render_json(sample_report))["sections"][1]["blocks"][0]
    assert [(n["name"], n["direction"]) for n in flow["nodes"]] == [
        ("US equities", "+"),
        ("Hong Kong", "-"),
    ]
    assert flow["edges"] == [
        {"source": "US equities", "target": "Hong Kong", "label": "chain breaks"}
    ]


def test_section_alone(sample_report):
    data = json.loads(render_section_json(sample_report.sections[2]))
    assert data["key"] == "disclaimer"
    assert data["missing"] == []

"""``marketbot sources [--check]`` with the network replaced by fakes."""

from __future__ import annotations

import json

import httpx
import pytest

from core.instruments import default_registry
from core.providers.registry import default_providers
from core.settings import default_provider_settings
from tests.bot.test_cli import assert_one_line_error
from tests.bot.test_cli_live import SUNDAY_MORNING_HK, live, replay
from tests.core.live_replay import offline


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'history.sqlite3'}"


def _rows(out: str) -> list[dict[str, str]]:
    table = json.loads(out)["sections"][0]["blocks"][0]
    return [
        dict(zip(table["columns"], (c["text"] for c in row), strict=True)) for row in table["rows"]
    ]


def test_check_with_no_network_lists_every_source_and_exits_1(capsys, db):
    code, out, err = live(
        capsys, httpx.MockTransport(offline), "sources", "--check", "--db", db, "--format", "json"
    )
    assert code == 1
    assert_one_line_error(err)
    assert "no working source for US, HK, CN, CRYPTO" in err
    rows = _rows(out)
    providers = default_providers(default_registry(), default_provider_settings())
    assert len(rows) == len(providers)
    assert {r["Source"] for r in rows} == {f.source for f in providers.values()}
    assert all(r["Status"].startswith("failed: ConnectError") for r in rows)
    assert all(r["Last success"] == "never" and r["Supplied"] == "nothing" for r in rows)


def test_check_with_replayed_sources_exits_0_and_says_what_each_supplied(capsys, db):
    code, out, err = live(capsys, replay(), "sources", "--check", "--db", db, "--format", "json")
    assert (code, err) == (0, "")
    rows = {(r["Source"], r["Covers"]): r for r in _rows(out)}
    spx = rows[("yahoo", "S&P 500")]
    assert (spx["Status"], spx["Last success"], spx["Breaker"]) == ("ok", "0 min ago", "closed")
    assert spx["Supplied"].startswith("SPX, ") and spx["Supplied"].endswith("history closes")
    assert "Every market has at least one working source." in out


def test_without_check_it_shows_what_the_last_live_run_recorded(capsys, db):
    code, out, _ = live(capsys, replay(), "sources", "--db", db)
    assert code == 0 and "No live run recorded" in out
    code, _, _ = live(capsys, httpx.MockTransport(offline), "report", "--db", db)
    assert code == 1
    code, out, _ = live(capsys, replay(), "sources", "--db", db, "--format", "json")
    assert code == 0
    rows = _rows(out)
    assert rows and all(r["Status"].startswith("failed: ConnectError") for r in rows)
    assert SUNDAY_MORNING_HK.date().isoformat() in out

"""``marketbot report`` / ``divergence`` on live data, with the network replaced by fakes."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.cli import main
from core.history import HistoryStore
from core.instruments import default_registry
from core.providers.registry import default_providers
from core.settings import default_provider_settings
from tests.bot.test_cli import assert_one_line_error
from tests.core.live_replay import offline, replay_at
from tests.fakeclock import FakeClock

SUNDAY_MORNING_HK = datetime(2026, 3, 22, 8, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
FRIDAY = date(2026, 3, 20)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'history.sqlite3'}"


def live(capsys, transport, *argv: str, clock: FakeClock | None = None) -> tuple[int, str, str]:
    clock = clock or FakeClock(SUNDAY_MORNING_HK)
    code = main(list(argv), transport=transport, now=SUNDAY_MORNING_HK, clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def replay() -> httpx.MockTransport:
    return httpx.MockTransport(replay_at(SUNDAY_MORNING_HK).handler)


def test_worst_case_fetch_fits_in_a_minute():
    # Every request runs concurrently; one that never answers costs its timeouts and backoffs.
    s = default_provider_settings()
    waits = sum(min(s.backoff_base_s * 2**n, s.max_retry_wait_s) for n in range(s.max_retries))
    assert s.timeout_s * (s.max_retries + 1) + waits < 60


@pytest.mark.parametrize("argv", [["report"], ["divergence", "HSTECH", "NASDAQ"]])
def test_no_network_prints_the_report_naming_every_source_then_exits_1(capsys, db, argv):
    clock = FakeClock(SUNDAY_MORNING_HK)
    code, out, err = live(
        capsys, httpx.MockTransport(offline), *argv, "--db", db, "--format", "json", clock=clock
    )
    # Every failed request was retried after the configured backoffs, on the injected clock.
    s = default_provider_settings()
    backoffs = [min(s.backoff_base_s * 2**n, s.max_retry_wait_s) for n in range(s.max_retries)]
    assert clock.waits and len(clock.waits) % len(backoffs) == 0
    assert sorted(clock.waits) == sorted(backoffs * (len(clock.waits) // len(backoffs)))
    assert code == 1
    assert_one_line_error(err)
    assert "no market could be shown" in err
    report = json.loads(out)
    failed = [w["message"] for w in report["warnings"] if w["kind"] == "source_failed"]
    providers = default_providers(default_registry(), default_provider_settings())
    # One warning per provider, naming what it covers, its source and why it failed.
    assert len(failed) == len(providers)
    for fetcher in providers.values():
        assert any(
            m.startswith(fetcher.covers) and f"{fetcher.source} failed (ConnectError" in m
            for m in failed
        ), fetcher.name
    assert all(s["session_date"] is None for s in report["sessions"])


def test_replayed_sources_give_a_report_and_fill_the_store(capsys, db):
    code, out, err = live(capsys, replay(), "report", "--db", db)
    assert (code, err) == (0, "")
    # Sessions by close: Shanghai, Hong Kong, then New York's Friday, then crypto's 24 h.
    assert "**Sessions:** China A-shares, Hong Kong, US equities: Fri 2026-03-20 · " in out
    assert "US equities: Fri 2026-03-20" in out
    assert "US closed on Sun 2026-03-22 (weekend) — last session Fri 2026-03-20" in out
    assert "SAMPLE DATA" not in out
    store = HistoryStore(db)
    assert store.latest_session("SPX") == FRIDAY and store.session_count("HSI") > 61
    store.dispose()
    assert "| z (60 sessions) | Correlation |" in out


def test_divergence_pair_gets_its_history(capsys, db):
    code, out, _ = live(capsys, replay(), "divergence", "HSTECH", "NASDAQ", "--db", db)
    assert code == 0
    assert out.splitlines()[0] == "# Divergence HSTECH vs Nasdaq — 2026-03-22"
    assert "against the previous 60 aligned sessions (z " in out


def test_database_url_comes_from_the_environment(capsys, monkeypatch, tmp_path):
    path = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("MARKETBOT_DATABASE_URL", f"sqlite:///{path}")
    code, _, _ = live(capsys, replay(), "report", "--section", "us")
    assert code == 0
    store = HistoryStore(f"sqlite:///{path}")
    assert store.latest_session("SPX") == FRIDAY
    store.dispose()


def test_live_date_must_be_today(capsys, db):
    requests: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: requests.append(r) or httpx.Response(500))
    code, out, err = live(capsys, transport, "report", "--date", "2026-03-20", "--db", db)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "is not today (2026-03-22)" in err
    assert requests == []


def test_bad_database_url_is_one_line(capsys):
    code, out, err = live(capsys, replay(), "report", "--db", "nonsense://")
    assert (code, out) == (1, "")
    assert_one_line_error(err)
    assert "invalid database URL" in err


def test_report_at_a_chosen_moment_from_live_sources(capsys, db):
    at = "2026-03-24T08:00+08:00"
    moment = datetime.fromisoformat(at)
    transport = httpx.MockTransport(replay_at(moment).handler)
    code, out, err = live(capsys, transport, "report", "--db", db, "--at", at, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["title"].endswith("2026-03-24")
    sessions = {s["market"]: s["session_date"] for s in report["sessions"]}
    assert sessions == {
        "CN": "2026-03-23",
        "HK": "2026-03-23",
        "US": "2026-03-23",
        "CRYPTO": "2026-03-24",
    }

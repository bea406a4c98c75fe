"""Reports made at chosen instants from recorded bodies: sessions in the order they happened.

Each case replays the recorded upstream bodies as they would be answered at the instant (see
tests/core/live_replay.py) and checks the timeline the report reads: every market's session,
the chain order by session close, the links (a session that closed before another opened), the
markets named as older, and that no sentence calls an older session today's move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.analysis.build import build_report
from core.analysis.facts import compute_facts
from core.formatting import session_label
from core.instruments import default_registry
from core.live import live_snapshot
from core.report import BulletList, Paragraph, Report, Table
from core.settings import default_analysis_settings
from tests.core.live_replay import replay_at
from tests.fakeclock import FakeClock

HKT = ZoneInfo("Asia/Hong_Kong")


@dataclass(frozen=True)
class Case:
    """An instant and what its report must read."""

    at: datetime
    sessions: dict[str, date]
    order: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    older: tuple[str, ...] = ()


def _d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


CASES = {
    # Monday's Asian sessions closed, then New York's Monday; crypto's 24 h overlaps them all.
    "tue-0800-hkt": Case(
        datetime(2026, 3, 24, 8, 0, tzinfo=HKT),
        {"US": _d(3, 23), "HK": _d(3, 23), "CN": _d(3, 23)},
        ("CN", "HK", "US", "CRYPTO"),
        (("CN", "US"), ("HK", "US")),
    ),
    # New York's Thursday, then Asia's Friday.
    "fri-1700-hkt": Case(
        datetime(2026, 3, 27, 17, 0, tzinfo=HKT),
        {"US": _d(3, 26), "HK": _d(3, 27), "CN": _d(3, 27)},
        ("US", "CN", "HK", "CRYPTO"),
        (("US", "CN"), ("US", "HK")),
    ),
    # Friday everywhere; crypto's 24 h began after New York's Friday close.
    "sun-0900-hkt": Case(
        datetime(2026, 3, 22, 9, 0, tzinfo=HKT),
        {"US": _d(3, 20), "HK": _d(3, 20), "CN": _d(3, 20)},
        ("CN", "HK", "US", "CRYPTO"),
        (("CN", "US"), ("HK", "US"), ("CN", "CRYPTO"), ("HK", "CRYPTO"), ("US", "CRYPTO")),
    ),
    # Easter Monday: Hong Kong (Good Friday, Ching Ming) and New York (Good Friday) are a
    # Friday behind Shanghai, which traded Friday and closed Monday.
    "hk-holiday-2026-04-06": Case(
        datetime(2026, 4, 6, 17, 0, tzinfo=HKT),
        {"US": _d(4, 2), "HK": _d(4, 2), "CN": _d(4, 3)},
        ("HK", "US", "CN", "CRYPTO"),
        (("HK", "US"), ("HK", "CN"), ("US", "CN")),
        older=("HK", "US"),
    ),
    # Hong Kong still closed on Tuesday while Shanghai trades again.
    "hk-holiday-2026-04-07": Case(
        datetime(2026, 4, 7, 17, 0, tzinfo=HKT),
        {"US": _d(4, 6), "HK": _d(4, 2), "CN": _d(4, 7)},
        ("HK", "US", "CN", "CRYPTO"),
        (("US", "CN"),),
        older=("HK",),
    ),
    "thanksgiving-eve-2026-11-26": Case(
        datetime(2026, 11, 26, 8, 0, tzinfo=HKT),
        {"US": _d(11, 25), "HK": _d(11, 25), "CN": _d(11, 25)},
        ("CN", "HK", "US", "CRYPTO"),
        (("CN", "US"), ("HK", "US")),
    ),
    # New York closed Thursday for Thanksgiving while Asia traded it.
    "thanksgiving-2026-11-27": Case(
        datetime(2026, 11, 27, 8, 0, tzinfo=HKT),
        {"US": _d(11, 25), "HK": _d(11, 26), "CN": _d(11, 26)},
        ("US", "CN", "HK", "CRYPTO"),
        (("US", "CN"), ("US", "HK"), ("US", "CRYPTO")),
        older=("US",),
    ),
    # Past exchange_calendars' XSHG bound: the holidays package knows 2027.
    "2027-01-04": Case(
        datetime(2027, 1, 4, 17, 0, tzinfo=HKT),
        {"US": _d(12, 31), "HK": _d(1, 4, 2027), "CN": _d(1, 4, 2027)},
        ("US", "CN", "HK", "CRYPTO"),
        (),
    ),
    # Chinese New Year 2027: Shanghai closed Fri 02-05 to Wed 02-10, Hong Kong Mon-Tue.
    "chinese-new-year-2027": Case(
        datetime(2027, 2, 10, 8, 0, tzinfo=HKT),
        {"US": _d(2, 9, 2027), "HK": _d(2, 5, 2027), "CN": _d(2, 4, 2027)},
        ("CN", "HK", "US", "CRYPTO"),
        (("CN", "HK"),),
        older=("CN", "HK"),
    ),
}


def _texts(report: Report) -> list[str]:
    out = []
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, BulletList):
                out.extend(block.items)
            elif isinstance(block, Table):
                out.extend(str(c.value) for row in block.rows for c in row if c.value)
    return out


def _sentences(report: Report) -> list[str]:
    return [s for t in _texts(report) for s in re.split(r"(?<=\.) ", t)]


async def _report(case: Case) -> tuple[Report, object]:
    upstream = replay_at(case.at)
    async with httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler)) as client:
        snapshot = await live_snapshot(client, case.at, clock=FakeClock())
    report = build_report(snapshot, at=case.at)
    facts = compute_facts(snapshot, default_registry(), default_analysis_settings(), at=case.at)
    return report, facts


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_report_reads_the_sessions_in_the_order_they_happened(case):
    report, facts = await _report(case)
    sessions = {s.market: s for s in report.sessions}
    assert {k: sessions[k].session_date for k in case.sessions} == case.sessions
    assert tuple(s.market for s in report.sessions) == case.order
    closes = [s.close_utc for s in report.sessions]
    assert closes == sorted(closes)
    assert sessions["CRYPTO"].close_utc == case.at  # crypto: the 24 h to the report instant
    assert tuple((x.source, x.target) for x in facts.chain) == case.links
    for source, target in case.links:
        assert sessions[source].close_utc <= sessions[target].open_utc
    assert tuple(sorted(k for k, s in sessions.items() if s.older)) == tuple(sorted(case.older))
    assert report.report_date == case.at.date()
    assert report.title.endswith(case.at.date().isoformat())


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_no_sentence_calls_an_older_session_todays_move(case):
    report, _ = await _report(case)
    sentences = _sentences(report)
    assert not [s for s in sentences if "today" in s.lower() or "same-day" in s.lower()]
    transmission = " ".join(_texts(report.only("transmission")))
    names = {s.market: s.name for s in report.sessions}
    for market in case.older:
        label = session_label(case.sessions[market])
        assert f"{names[market]} figures are from an older session, {label}" in transmission
    for market, day in case.sessions.items():
        if day < case.at.date():
            # Never a bare "session <date>" for a market whose session is before the report date.
            assert f"{names[market]} (session {session_label(day)})" not in " ".join(sentences)


@pytest.mark.asyncio
async def test_tuesday_morning_says_asia_opens_next_into_the_us_move():
    _, facts = await _report(CASES["tue-0800-hkt"])
    markets, opens = facts.timeline.next_to_open()
    assert markets == ("HK", "CN")
    assert opens == datetime(2026, 3, 24, 9, 30, tzinfo=HKT)

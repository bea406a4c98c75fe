"""Reports built when their content changes: fetches, reader zones, sections, sources."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.commands import ReportRequest
from bot.report_cache import ReportCache, demo_source
from core.report import WarningKind
from core.snapshot import SourceStatus
from tests.fakeclock import FakeClock

pytestmark = pytest.mark.asyncio
NOW = datetime(2026, 3, 21, 1, 0, tzinfo=UTC)


def _live_like(failed: bool = False):
    """Return a source that, like live data, is built at the asked instant."""
    demo = demo_source()
    calls: list[datetime] = []

    async def source(now):
        calls.append(now)
        snapshot = (await demo(now)).with_changes(generated_at=now, demo_note=None)
        if failed:
            snapshot = snapshot.with_changes(sources=(SourceStatus("okx", False, "HTTP 503"),))
        return snapshot

    return source, calls


@pytest.mark.parametrize(
    ("later", "fetched_again"),
    [
        # Saturday 01:00 UTC → Sunday: no market has closed a new session.
        (NOW + timedelta(days=1), False),
        # A new UTC date alone changes nothing: Sunday 23:59 → Monday 00:01 UTC.
        (datetime(2026, 3, 23, 0, 1, tzinfo=UTC), False),
        # Monday 07:30 UTC: Shanghai's Monday session has closed.
        (datetime(2026, 3, 23, 7, 30, tzinfo=UTC), True),
    ],
    ids=["weekend", "utc-midnight", "new-session"],
)
async def test_the_snapshot_is_fetched_again_only_when_a_session_has_closed(later, fetched_again):
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    await reports.report()
    await reports.report(now_utc=later)
    assert len(calls) == (2 if fetched_again else 1)


async def test_a_failed_source_is_retried_after_the_configured_interval() -> None:
    source, calls = _live_like(failed=True)
    reports = ReportCache(source, clock=FakeClock(NOW), retry_failed_after=timedelta(minutes=15))
    await reports.report()
    await reports.report(now_utc=NOW + timedelta(minutes=14))
    assert len(calls) == 1
    await reports.report(now_utc=NOW + timedelta(minutes=15))
    assert len(calls) == 2


async def test_the_report_is_dated_in_the_readers_zone() -> None:
    # Saturday 01:00 UTC is Saturday 09:00 in Hong Kong and Friday 18:00 in Los Angeles.
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    hk = await reports.report(zone="Asia/Hong_Kong")
    la = await reports.report(zone="America/Los_Angeles")
    assert (hk.report_date, la.report_date) == (date(2026, 3, 21), date(2026, 3, 20))
    assert hk.report_at == la.report_at == NOW
    assert len(calls) == 1


async def test_sections_keep_the_disclaimer() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    report = await reports.report(ReportRequest(("hk",)))
    assert [s.key for s in report.sections] == ["hk", "disclaimer"]


async def test_sources_lists_every_quote_with_session() -> None:
    reports = ReportCache(demo_source(), clock=FakeClock(NOW))
    report = await reports.sources()
    quotes = report.sections[0].blocks[0]
    assert len(quotes.rows) >= 6
    assert {row[2].value for row in quotes.rows} >= {"Fri 2026-03-20", "Mon 2026-03-23"}


async def test_a_monday_morning_reader_gets_mondays_report_from_saturdays_fetch() -> None:
    # Fetched Saturday; asked Monday 07:00 in Hong Kong (Sunday 23:00 UTC), before any session.
    source, calls = _live_like()
    reports = ReportCache(source, clock=FakeClock(NOW))
    saturday = await reports.report(zone="Asia/Hong_Kong")
    closed = [w.message for w in saturday.warnings if w.kind is WarningKind.CLOSED]
    assert any(m.startswith("HK closed on Sat 2026-03-21 (weekend)") for m in closed)
    monday = await reports.report(
        now_utc=datetime(2026, 3, 22, 23, 0, tzinfo=UTC), zone="Asia/Hong_Kong"
    )
    assert len(calls) == 1
    assert monday.report_date == date(2026, 3, 23)
    assert monday.title.endswith("2026-03-23")
    assert not [w for w in monday.warnings if w.kind is WarningKind.CLOSED]


async def test_a_fixed_offset_reader_is_dated_like_the_named_zone() -> None:
    source, _ = _live_like()
    reports = ReportCache(source, clock=FakeClock(datetime(2026, 3, 20, 17, 0, tzinfo=UTC)))
    offset = await reports.report(zone="UTC+08:00")
    named = await reports.report(zone="Asia/Hong_Kong")
    assert offset.report_date == named.report_date == date(2026, 3, 21)

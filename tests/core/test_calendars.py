"""Calendars: completed sessions per market, closures named, calendar bounds survived."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import holidays
import pandas as pd
import pytest

from core.calendars import (
    closure_reason,
    is_session,
    is_stale,
    latest_completed_session,
    market_status,
    reset_calendars,
    sessions_between,
)
from core.calendars.overrides import load_overrides
from core.errors import ConfigError
from core.formatting import session_label
from core.snapshot import NoteKind

HKT = ZoneInfo("Asia/Hong_Kong")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
XNYS = xcals.get_calendar("XNYS")
XHKG = xcals.get_calendar("XHKG")
XSHG = xcals.get_calendar("XSHG")


def _previous_session(cal: xcals.ExchangeCalendar, day: date) -> date:
    return cal.date_to_session(pd.Timestamp(day - timedelta(days=1)), "previous").date()


def _hk_holidays_with_shanghai_open(year: int) -> list[date]:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="B")
    return [
        d.date()
        for d in days
        if not XHKG.is_session(d) and XSHG.is_session(d) and d <= XSHG.last_session
    ]


def _notes_for(notes, market):
    return [n for n in notes if n.market == market]


SUNDAY_REPORT = datetime(2026, 3, 22, 8, 0, tzinfo=HKT)


@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_sunday_report_labels_markets_with_fridays_session(market):
    friday = date(2026, 3, 20)
    assert SUNDAY_REPORT.date().weekday() == 6
    assert latest_completed_session(market, SUNDAY_REPORT) == friday
    [note] = _notes_for(market_status(SUNDAY_REPORT), market)
    assert note.kind is NoteKind.CLOSED
    assert note.message == (
        f"{market} closed on Sun 2026-03-22 (weekend) — last session {session_label(friday)}"
    )


def test_crypto_session_is_the_utc_date_of_the_window_end():
    assert latest_completed_session("CRYPTO", SUNDAY_REPORT) == date(2026, 3, 22)
    just_before_utc_midnight = SUNDAY_REPORT - timedelta(minutes=1)
    assert latest_completed_session("CRYPTO", just_before_utc_midnight) == date(2026, 3, 21)
    assert not _notes_for(market_status(SUNDAY_REPORT), "CRYPTO")


def test_there_is_a_2026_hong_kong_holiday_with_shanghai_open():
    assert _hk_holidays_with_shanghai_open(2026)


@pytest.mark.parametrize("holiday", _hk_holidays_with_shanghai_open(2026), ids=str)
def test_hong_kong_holiday_while_shanghai_trades(holiday):
    # 18:00 in Hong Kong is after both the HKEX and the SSE close.
    evening = datetime.combine(holiday, time(18, 0), tzinfo=HKT)
    hk_last = _previous_session(XHKG, holiday)
    assert latest_completed_session("HK", evening) == hk_last
    assert latest_completed_session("CN", evening) == holiday
    assert not is_session("HK", holiday)
    assert is_session("CN", holiday)

    notes = market_status(evening)
    [hk_note] = _notes_for(notes, "HK")
    assert hk_note.kind is NoteKind.CLOSED
    assert hk_note.message.startswith(f"HK closed on {session_label(holiday)} (")
    assert f"last session {session_label(hk_last)}" in hk_note.message
    assert not _notes_for(notes, "CN")
    assert is_stale("HK", _previous_session(XHKG, hk_last), evening)
    assert not is_stale("HK", hk_last, evening)


def test_hong_kong_easter_2026_closures_are_named_as_the_exchange_names_them():
    # HKEX closed Fri 04-03 (Good Friday), Mon 04-06 (the day following Ching Ming, not
    # Easter Monday) and Tue 04-07 (the day following Easter Monday) while Shanghai traded.
    evening = datetime(2026, 4, 7, 18, 0, tzinfo=HKT)
    assert latest_completed_session("HK", evening) == date(2026, 4, 2)
    assert latest_completed_session("CN", evening) == date(2026, 4, 7)
    assert closure_reason("HK", date(2026, 4, 6)) == "The day following Tomb-Sweeping Day"
    assert closure_reason("HK", date(2026, 4, 7)) == "The day following Easter Monday"
    [note] = _notes_for(market_status(evening), "HK")
    assert note.message.startswith(
        "HK closed on Tue 2026-04-07 (The day following Easter Monday) — last session "
        "Thu 2026-04-02; also closed Fri 2026-04-03 (Good Friday), "
        "Mon 2026-04-06 (The day following Tomb-Sweeping Day)"
    )


@pytest.mark.parametrize(
    ("at", "market", "session"),
    [
        # Past exchange_calendars' XSHG bound (2026-12-31) the holidays package knows 2027.
        (datetime(2027, 1, 4, 8, 0, tzinfo=HKT), "CN", date(2026, 12, 31)),
        (datetime(2027, 1, 4, 16, 0, tzinfo=SHANGHAI), "CN", date(2027, 1, 4)),
        (datetime(2027, 2, 10, 18, 0, tzinfo=SHANGHAI), "CN", date(2027, 2, 4)),
        (datetime(2027, 2, 11, 18, 0, tzinfo=SHANGHAI), "CN", date(2027, 2, 11)),
        (datetime(2026, 11, 27, 8, 0, tzinfo=HKT), "US", date(2026, 11, 25)),
    ],
    ids=str,
)
def test_sessions_past_the_exchange_calendars_bound(at, market, session):
    assert latest_completed_session(market, at) == session
    assert not [n for n in _notes_for(market_status(at), market) if n.kind is NoteKind.DATA_QUALITY]


def test_chinese_new_year_2027_is_a_named_closure_not_a_stale_quote():
    at = datetime(2027, 2, 10, 18, 0, tzinfo=SHANGHAI)
    [note] = _notes_for(market_status(at), "CN")
    assert note.kind is NoteKind.CLOSED
    assert "(Chinese New Year (Spring Festival) (observed)) — last session Thu 2027-02-04" in (
        note.message
    )
    assert not is_stale("CN", date(2027, 2, 4), at)


def test_where_no_calendar_knows_the_year_weekdays_are_assumed_with_a_warning():
    tuesday = date(2028, 3, 14)
    after_close = datetime.combine(tuesday, time(16, 0), tzinfo=SHANGHAI)
    before_close = datetime.combine(tuesday, time(10, 0), tzinfo=SHANGHAI)
    assert latest_completed_session("CN", after_close) == tuesday
    assert latest_completed_session("CN", before_close) == tuesday - timedelta(days=1)
    [warning] = [
        n for n in _notes_for(market_status(after_close), "CN") if n.kind is NoteKind.DATA_QUALITY
    ]
    assert "does not know 2028" in warning.message and "Mon–Fri" in warning.message
    # The holidays package knows US and HK holidays by rule: no warning for them.
    assert all(
        n.kind is not NoteKind.DATA_QUALITY for n in market_status(after_close) if n.market != "CN"
    )


def test_operator_closures_and_openings_from_config(tmp_path, monkeypatch):
    (tmp_path / "calendars.toml").write_text(
        '[calendars.XSHG]\nholidays_until = 2027\nclosed = { 2027-02-11 = "Bridging day" }\n'
        "open = [2027-02-10]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MARKETBOT_CONFIG_DIR", str(tmp_path))
    reset_calendars()
    try:
        assert not is_session("CN", date(2027, 2, 11))
        assert closure_reason("CN", date(2027, 2, 11)) == "Bridging day"
        assert is_session("CN", date(2027, 2, 10))
    finally:
        monkeypatch.delenv("MARKETBOT_CONFIG_DIR")
        reset_calendars()
    assert is_session("CN", date(2027, 2, 11))


def test_a_malformed_override_is_a_config_error_naming_the_file(tmp_path):
    (tmp_path / "calendars.toml").write_text(
        "[calendars.XSHG]\nclosed = { 2027-02-11 = 3 }\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"calendars\.toml"):
        load_overrides(tmp_path)


def test_sessions_between_spans_the_calendar_bound():
    sessions = sessions_between("CN", date(2026, 12, 28), date(2027, 1, 8))
    assert [d.day for d in sessions] == [28, 29, 30, 31, 4, 5, 6, 7, 8]


def test_sessions_between_matches_the_calendar_and_crypto_trades_daily():
    start, end = date(2026, 3, 30), date(2026, 4, 10)
    expected = [ts.date() for ts in XHKG.sessions_in_range(pd.Timestamp(start), pd.Timestamp(end))]
    assert list(sessions_between("HK", start, end)) == expected
    assert len(sessions_between("CRYPTO", start, end)) == (end - start).days + 1
    assert sessions_between("US", end, start) == ()


def test_before_the_us_close_the_previous_session_is_the_latest():
    day = date(2026, 3, 20)
    close = XNYS.session_close(pd.Timestamp(day)).to_pydatetime()
    assert close.astimezone(NEW_YORK).time() == time(16, 0)
    assert latest_completed_session("US", close - timedelta(seconds=1)) == _previous_session(
        XNYS, day
    )
    assert latest_completed_session("US", close) == day
    # The same moment seen from Hong Kong (Saturday morning there) gives the same answer.
    assert latest_completed_session("US", close.astimezone(HKT)) == day


def test_an_early_close_counts_from_its_own_close_time():
    day = next(ts.date() for ts in XNYS.early_closes if ts.year == 2026)
    early = XNYS.session_close(pd.Timestamp(day)).to_pydatetime()
    assert early.astimezone(NEW_YORK).time() < time(16, 0)
    assert latest_completed_session("US", early) == day
    assert latest_completed_session("US", early - timedelta(minutes=1)) == _previous_session(
        XNYS, day
    )


def test_stale_means_older_than_the_calendar_allows():
    friday, thursday = date(2026, 3, 20), date(2026, 3, 19)
    assert is_stale("US", thursday, SUNDAY_REPORT)
    assert not is_stale("US", friday, SUNDAY_REPORT)
    assert is_stale("CRYPTO", date(2026, 3, 21), SUNDAY_REPORT)


def test_a_trading_day_report_has_no_closure_notes():
    assert market_status(date(2026, 3, 18)) == ()
    assert market_status(datetime(2026, 3, 18, 20, 0, tzinfo=UTC)) == ()


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        latest_completed_session("US", datetime(2026, 3, 22, 8, 0))


def test_a_weekday_holiday_before_the_report_day_is_named():
    named = holidays.financial_holidays("XNYS", years=2026)
    mondays = sorted((day, name) for day, name in named.items() if day.weekday() == 0)
    assert mondays, "XNYS has Monday holidays every year"
    holiday, name = mondays[0]
    # Tuesday 08:00 in Hong Kong is Monday evening in New York: the holiday has passed.
    report = datetime.combine(holiday + timedelta(days=1), time(8, 0), tzinfo=HKT)
    last = _previous_session(XNYS, holiday)
    assert latest_completed_session("US", report) == last
    [note] = _notes_for(market_status(report), "US")
    assert note.message == (
        f"US closed on {session_label(holiday)} ({name}) — last session {session_label(last)}"
    )

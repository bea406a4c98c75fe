"""Closure and calendar-gap notes for a report: which markets are closed, and why."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from core.calendars.markets import ROUND_THE_CLOCK, calendar_code, latest_completed_session
from core.calendars.sessions import ONE_DAY, Calendar, calendar
from core.formatting import session_label
from core.i18n import Language
from core.instruments import InstrumentRegistry, default_registry
from core.phrase import Phrase, figure, listing, say, verbatim
from core.snapshot import NoteKind, SnapshotNote


def market_status(
    when: date | datetime,
    markets: Iterable[str] | None = None,
    registry: InstrumentRegistry | None = None,
) -> tuple[SnapshotNote, ...]:
    """Return notes naming each market's closures up to the report date and calendar gaps.

    With a moment, the report date is its local date and a session counts once closed;
    with a date, that date's session (if any) counts as the latest.
    """
    registry = registry or default_registry()
    keys = (
        list(markets)
        if markets is not None
        else sorted(registry.markets, key=lambda k: registry.markets[k].order)
    )
    notes: list[SnapshotNote] = []
    for key in keys:
        code = calendar_code(key, registry)
        if code == ROUND_THE_CLOCK:
            continue
        cal = calendar(code)
        if isinstance(when, datetime):
            last = latest_completed_session(key, when, registry)
            report_date = when.date()  # the reader's own calendar day
        else:
            report_date = when
            last = cal.session_on_or_before(when)
        notes.extend(_market_notes(key, cal, report_date, last))
    return tuple(notes)


def _market_notes(key: str, cal: Calendar, report_date: date, last: date) -> list[SnapshotNote]:
    notes: list[SnapshotNote] = []
    gap = [last + ONE_DAY * n for n in range(1, (report_date - last).days)]
    holidays = [d for d in gap if d.weekday() < 5 and not cal.is_session(d)]
    closed_today = report_date > last and not cal.is_session(report_date)
    if closed_today or holidays:
        head, rest = (report_date, holidays) if closed_today else (holidays[-1], holidays[:-1])
        message = say(
            "%(market)s closed on %(day)s (%(reason)s) — last session %(last)s",
            market=_market_word(key),
            day=figure(session_label, head),
            reason=_reason(cal, head),
            last=figure(session_label, last),
        )
        if rest:
            also = listing(
                say("%(day)s (%(reason)s)", day=figure(session_label, d), reason=_reason(cal, d))
                for d in rest
            )
            message = say("%(closed)s; also closed %(also)s", closed=message, also=also)
        notes.append(SnapshotNote(NoteKind.CLOSED, message, market=key))
    unknown = sorted({d.year for d in (last, report_date) if not cal.knows(d)})
    if unknown:
        notes.append(_unknown_years_note(key, cal, unknown))
    return notes


def _market_word(key: str) -> Phrase:
    # English notes name a market by its key (HK); other languages by its name (港股).
    name = default_registry().markets[key].name
    return Phrase(lambda tr: key if tr.language is Language.EN else tr.gettext(name))


def _reason(cal: Calendar, day: date) -> Phrase:
    """Return why a day is closed, the holiday named as the language names it."""
    return Phrase(lambda tr: cal.closure_reason(day, tr.language))


def _unknown_years_note(key: str, cal: Calendar, unknown: list[int]) -> SnapshotNote:
    lib = (
        say("the holidays package to %(year)s", year=verbatim(str(cal.holidays_years[1])))
        if cal.holidays_years
        else say("the holidays package not at all")
    )
    ex = cal.exchange
    message = say(
        "%(market)s trading calendar (%(code)s) does not know %(years)s: exchange_calendars "
        "covers %(first)s to %(last)s and %(lib)s; sessions there are assumed to be Mon–Fri, "
        "so exchange holidays are not known (add them to config/calendars.toml)",
        market=_market_word(key),
        code=verbatim(cal.code),
        years=listing(verbatim(str(y)) for y in unknown),
        first=figure(session_label, ex.first_session),
        last=figure(session_label, ex.last_session),
        lib=lib,
    )
    return SnapshotNote(NoteKind.DATA_QUALITY, message, market=key)

"""Report warnings: a failed source is worded once, by the note that says what it cost."""

from __future__ import annotations

from datetime import date

import pytest

from core.analysis.build import build_report
from core.errors import Blocked
from core.i18n import Language
from core.localize import localize
from core.report import WarningKind
from core.snapshot import MarketSnapshot, NoteKind, SnapshotNote, SourceStatus
from tests.english import english_runs

DAY = date(2026, 3, 20)
FAILED = SourceStatus("yahoo chart SPX", False, "HTTP 500 after 3 attempts")
NOTE = SnapshotNote(
    NoteKind.SOURCE_FAILED,
    "S&P 500: yahoo failed (HTTP 500 after 3 attempts); SPX from stooq.",
    "US",
)


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ((NOTE,), [NOTE.message]),
        ((), ["yahoo chart SPX unavailable: HTTP 500 after 3 attempts"]),
        # A note about another failure of the same source does not hide this one.
        (
            (
                SnapshotNote(
                    NoteKind.SOURCE_FAILED, "HSI: yahoo failed (timed out after 10 s).", "HK"
                ),
            ),
            [
                "HSI: yahoo failed (timed out after 10 s).",
                "yahoo chart SPX unavailable: HTTP 500 after 3 attempts",
            ],
        ),
    ],
)
def test_a_failed_source_is_worded_once(notes, expected):
    snap = MarketSnapshot(report_date=DAY, sources=(FAILED,), notes=notes)
    report = build_report(snap)
    failed = [w.message for w in report.warnings if w.kind is WarningKind.SOURCE_FAILED]
    assert failed == expected


def test_a_failed_source_alone_is_worded_in_the_readers_language():
    blocked = SourceStatus("yahoo chart SPX", False, Blocked("yahoo", "HTTP 403").reason)
    report = build_report(MarketSnapshot(report_date=DAY, sources=(blocked,)))
    [failed] = [
        w.message
        for w in localize(report, Language.ZH).warnings
        if w.kind is WarningKind.SOURCE_FAILED
    ]
    assert "被数据源拦截" in failed and english_runs(failed) == []

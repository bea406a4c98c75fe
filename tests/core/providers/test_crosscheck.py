"""Cross-checks between two sources of one instrument; figures from the history README."""

from __future__ import annotations

from datetime import date

import pytest

from core.providers.assemble import Outcome, assemble
from core.providers.crosscheck import disagreement
from core.snapshot import IndexQuote, NoteKind

FRI = date(2026, 3, 20)


def _dji(source: str, day: date, close: float, change: float | None) -> IndexQuote:
    return IndexQuote("DJIA", day, source, close=close, change_pct=change)


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        # Same session, same figures: nothing to say.
        (_dji("tencent", FRI, 45577.47, -0.96), None),
        # A source one session older (the reference reports' US moves were 2025-09-26's).
        (
            _dji("sina", date(2025, 9, 26), 46247.29, 0.65),
            "yahoo has the 2026-03-20 session, sina the 2025-09-26 one; using yahoo.",
        ),
        # Same session, close beyond the tolerance.
        (
            _dji("sina", FRI, 46247.29, -0.96),
            "yahoo 45,577.47 vs sina 46,247.29 on 2026-03-20, 1.45 % apart "
            "(tolerance 0.5 %); using yahoo.",
        ),
        # Same close, but a change from another previous close (a session counted twice).
        (
            _dji("tencent", FRI, 45577.47, 0.0),
            "yahoo -0.96 % vs tencent +0.00 % change on 2026-03-20, 0.96 points apart "
            "(tolerance 0.25); using yahoo.",
        ),
    ],
)
def test_disagreement(ctx, other, expected):
    primary = _dji("yahoo", FRI, 45577.47, -0.96)
    assert disagreement(primary, other, ctx.settings) == expected


def test_the_report_flags_a_stale_second_source_naming_both(ctx, providers):
    outcomes = [
        Outcome("yahoo:DJIA", providers["yahoo:DJIA"], (_dji("yahoo", FRI, 45577.47, -0.96),)),
        Outcome(
            "sina:quotes:US",
            providers["sina:quotes:US"],
            (_dji("sina", date(2025, 9, 26), 46247.29, 0.65),),
        ),
    ]
    snap = assemble(outcomes, ctx)
    assert snap.index("DJIA").source == "yahoo"
    [note] = [n for n in snap.notes if n.kind is NoteKind.DISAGREEMENT]
    assert note.market == "US"
    assert note.message.startswith("DJIA: yahoo has the 2026-03-20 session, sina the 2025-09-26")


def test_a_quote_dated_after_today_is_left_out(ctx, providers):
    outcomes = [
        Outcome("yahoo:DJIA", providers["yahoo:DJIA"], (_dji("yahoo", FRI, 45577.47, -0.96),)),
        Outcome(
            "tencent:quotes:US",
            providers["tencent:quotes:US"],
            (_dji("tencent", date(2026, 9, 30), 50906.05, -0.86),),
        ),
    ]
    snap = assemble(outcomes, ctx)
    assert snap.index("DJIA").source == "yahoo"
    [note] = snap.notes
    assert note.kind is NoteKind.DATA_QUALITY
    assert note.message == (
        "DJIA: tencent dates its quote 2026-09-30, after today (2026-03-20) in US time; "
        "quote left out."
    )

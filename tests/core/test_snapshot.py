"""A snapshot saved as JSON and loaded back says its notes in every language, as before saving."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.analysis.build import build_report
from core.demo import demo_snapshot
from core.errors import Blocked, SnapshotError, SourceUnavailable
from core.failure import Failure
from core.i18n import Language, translator
from core.localize import localize
from core.phrase import Phrase, say
from core.providers.assemble import Outcome, assemble
from core.providers.base import FetchContext
from core.providers.registry import default_providers
from core.quality import check_snapshot
from core.settings import default_provider_settings
from core.snapshot import MarketSnapshot, NoteKind, SnapshotNote
from renderers.markdown import render_markdown
from tests.english import english_runs

GOOD_FRIDAY = datetime(2026, 4, 3, 8, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))


@pytest.fixture
def snapshot(registry, settings) -> MarketSnapshot:
    """Return the sample on Good Friday with two failed sources: closed, stale and failed notes."""
    providers = default_providers(registry, default_provider_settings())
    server = say("HTTP %(status)s after %(attempts)s attempts", status=503, attempts=3)
    failed = [
        Outcome("sina:quotes:HK", providers["sina:quotes:HK"], error=server),
        Outcome(
            "defillama:protocols",
            providers["defillama:protocols"],
            error=SourceUnavailable("defillama", "slow", kind=Failure.TIMEOUT).reason,
        ),
    ]
    fetched = assemble(failed, FetchContext(GOOD_FRIDAY, registry, default_provider_settings()))
    sample = demo_snapshot()
    snapshot = sample.with_changes(
        notes=fetched.notes,
        sources=(*sample.sources, *fetched.sources),
        providers=fetched.providers,
        demo_note=None,
    )
    return check_snapshot(snapshot, GOOD_FRIDAY, registry, settings.quality)


def _chinese(snapshot: MarketSnapshot, registry, settings) -> str:
    report = build_report(snapshot, registry, settings, at=GOOD_FRIDAY)
    return render_markdown(localize(report, Language.ZH))


def test_a_loaded_snapshot_says_its_notes_in_chinese(snapshot, registry, settings):
    kinds = {n.kind for n in snapshot.notes}
    assert {NoteKind.CLOSED, NoteKind.STALE, NoteKind.SOURCE_FAILED} <= kinds
    loaded = MarketSnapshot.from_json(snapshot.to_json())
    assert loaded == snapshot  # the same English, figure for figure
    assert all(isinstance(n.message, Phrase) for n in loaded.notes)
    text = _chinese(loaded, registry, settings)
    assert "耶稣受难日" in text and "获取失败" in text and "请求超时" in text
    assert english_runs(text) == []
    assert text == _chinese(snapshot, registry, settings)  # as if it had never been saved


def test_the_json_keeps_a_note_readable_and_its_recipe(snapshot):
    saved = json.loads(snapshot.to_json())
    [failed] = [n for n in saved["notes"] if "sina failed" in n["message"]["text"]]
    recipe = failed["message"]["phrase"]
    assert recipe["say"] == ["%(covers)s: %(failed)s; %(parts)s."]
    assert recipe["values"]["failed"]["values"]["error"]["values"] == {"status": 503, "attempts": 3}
    [sina] = [p for p in saved["providers"] if p["key"] == "sina:quotes:HK"]
    assert sina["reason"]["text"] == "HTTP 503 after 3 attempts"


def test_a_reason_loaded_back_keeps_its_kind_words():
    blocked = Blocked("yahoo", "HTTP 403").reason
    note = SnapshotNote(NoteKind.SOURCE_FAILED, say("%(why)s", why=blocked), "US")
    loaded = MarketSnapshot.from_json(MarketSnapshot(GOOD_FRIDAY.date(), notes=(note,)).to_json())
    assert loaded.notes[0].message == "blocked by the provider"
    assert loaded.notes[0].message.said(translator(Language.ZH)) == "被数据源拦截"


def test_plain_text_notes_of_older_snapshots_still_load():
    text = MarketSnapshot(
        GOOD_FRIDAY.date(), notes=(SnapshotNote(NoteKind.INFO, "a note saved as text"),)
    ).to_json()
    assert json.loads(text)["notes"][0]["message"] == "a note saved as text"
    assert MarketSnapshot.from_json(text).notes[0].message == "a note saved as text"


def test_a_snapshot_cannot_name_a_function_to_call():
    note = {
        "kind": "info",
        "message": {"text": "x", "phrase": {"figure": "os:system", "args": ["true"], "kwargs": {}}},
    }
    text = json.dumps({"report_date": "2026-04-03", "notes": [note]})
    with pytest.raises(SnapshotError, match="invalid snapshot"):
        MarketSnapshot.from_json(text)

"""Phrases: a sentence kept with its values, said again in any language."""

import json
from datetime import UTC, date, datetime

import pytest

from core.formatting import bps, moment_label, session_label
from core.i18n import Language, translator
from core.phrase import (
    Phrase,
    both,
    capitalized,
    figure,
    from_data,
    listing,
    lowered,
    say,
    say_n,
    to_data,
    verbatim,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The spread widens beyond +253 bps", "the spread widens beyond +253 bps"),
        ("HSTECH extends beyond -2.48%", "HSTECH extends beyond -2.48%"),
        ("BTC extends beyond -1.26%", "BTC extends beyond -1.26%"),
        ("A", "A"),
        ("", ""),
        ("恒生科技指数跌幅扩大", "恒生科技指数跌幅扩大"),
    ],
)
def test_lowered_keeps_acronyms_and_lowers_words(text, expected):
    assert lowered(text).said(translator(Language.EN)) == expected


def _phrases() -> list[Phrase]:
    day = date(2026, 4, 3)
    closed = say("%(market)s closed on %(day)s", market="Hong Kong", day=figure(session_label, day))
    return [
        closed,
        say_n("%(n)s source failed", "%(n)s sources failed", 2),
        listing([capitalized(verbatim("yahoo")), lowered("Hong Kong"), figure(bps, -12.5)]),
        both(["Hong Kong", "China A-shares"]),
        figure(moment_label, datetime(2026, 4, 3, 8, tzinfo=UTC)),
        # A writer made on the spot has no name to save: the phrase is kept as said.
        figure(lambda v, lang: f"{v} ({lang.value})", 7),
    ]


@pytest.mark.parametrize("phrase", _phrases())
def test_a_phrase_written_as_data_is_said_again_in_every_language(phrase):
    data = json.loads(json.dumps(to_data(phrase)))
    again = from_data(data)
    assert isinstance(again, Phrase)
    for language in Language:
        assert again.said(translator(language)) == phrase.said(translator(language))


def test_data_may_name_only_a_formatting_function():
    for name in ("os:system", "core.formatting:Cell", "core.formatting:__import__"):
        with pytest.raises(ValueError, match="not a figure writer"):
            from_data({"figure": name, "args": [], "kwargs": {}})

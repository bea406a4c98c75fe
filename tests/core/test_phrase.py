"""Phrases: a sentence kept with its values, said again in any language."""

import pytest

from core.i18n import Language, translator
from core.phrase import lowered


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

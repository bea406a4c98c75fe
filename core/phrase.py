"""Sentences said once in English that can be said again in another language.

The analysis builds its sentences once, from figures computed once. A ``Phrase`` is such a
sentence: a plain ``str`` holding the English, which also keeps how it was made (its catalog
message and values), so ``core/localize.py`` can say it in another language with the same
figures. Values are said in the target language too: a phrase inside a phrase is re-said, a
plain string is looked up in the catalog (market, index, signal and level names), and a figure
whose writing depends on the language (dates, bps, money) is a ``figure``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from core.i18n import N_, Language, Translator, translator

_Say = Callable[[Translator], str]
# Punctuation, not words: how each language separates a list's items and its sentences.
_SEPARATORS = {
    Language.EN: {"comma": ", ", "semicolon": "; ", "slash": " / ", "sentence": " "},
    Language.ZH: {"comma": "、", "semicolon": "；", "slash": " / ", "sentence": ""},
}
_AND = N_("%(first)s and %(second)s")


class Phrase(str):
    """English text that remembers how to say itself in any language."""

    _say: _Say

    def __new__(cls, say: _Say) -> Phrase:
        """Return the phrase whose English is ``say`` in English."""
        phrase = super().__new__(cls, say(translator(Language.EN)))
        phrase._say = say
        return phrase

    def said(self, tr: Translator) -> str:
        """Return the phrase in the translator's language."""
        return self._say(tr)

    def __reduce__(self) -> tuple[type, tuple[str]]:
        # A copy that leaves the process (pickle, deepcopy) keeps the English only.
        return (str, (str(self),))


def said(value: Any, tr: Translator) -> str:
    """Return a value as the language says it: phrases re-said, names from the catalog."""
    if isinstance(value, Phrase):
        return value.said(tr)
    if isinstance(value, str):
        return tr.gettext(value) if value else value
    return str(value)


def say(message: str, /, **values: Any) -> Phrase:
    """Return a catalog message (marked with ``N_``) with its values, sayable in any language."""
    return Phrase(lambda tr: tr.gettext(message, **{k: said(v, tr) for k, v in values.items()}))


def say_n(singular: str, plural: str, n: int, /, **values: Any) -> Phrase:
    """Return the singular or plural message for ``n`` (``%(n)s`` holds it), in any language."""
    return Phrase(
        lambda tr: tr.ngettext(singular, plural, n, **{k: said(v, tr) for k, v in values.items()})
    )


def figure(write: Callable[..., str], *args: Any, **kwargs: Any) -> Phrase:
    """Return a figure written per language: ``write(*args, lang=…, **kwargs)``."""
    return Phrase(lambda tr: write(*args, lang=tr.language, **kwargs))


def verbatim(text: str) -> Phrase:
    """Return text said the same in every language (a source's own words, a code)."""
    return Phrase(lambda tr: text)


def listing(items: Iterable[Any], kind: str = "comma") -> Phrase:
    """Return items joined as the language joins a list (``a, b`` / ``a、b``)."""
    items = tuple(items)
    return Phrase(lambda tr: _SEPARATORS[tr.language][kind].join(said(i, tr) for i in items))


def both(items: Iterable[Any]) -> Phrase:
    """Return ``a and b`` (``a, b and c``) as the language says it."""
    items = tuple(items)
    if len(items) < 2:
        return listing(items)
    return say(_AND, first=listing(items[:-1]), second=items[-1])


def sentences(*parts: Any) -> Phrase:
    """Return sentences one after another (a space between them in English), empties skipped."""
    kept = tuple(p for p in parts if p)
    return listing(kept, "sentence")


def capitalized(value: Any) -> Phrase:
    """Return a value with its first letter upper-cased (a no-op for Chinese)."""
    return Phrase(lambda tr: (lambda s: s[:1].upper() + s[1:])(said(value, tr)))


def lowered(value: Any) -> Phrase:
    """Return a value with its first letter lower-cased (a no-op for Chinese)."""
    return Phrase(lambda tr: _lower_first(said(value, tr)))


def _lower_first(text: str) -> str:
    # An acronym or ticker ("HSTECH extends…", "BTC") keeps its capitals; only a word does not.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text

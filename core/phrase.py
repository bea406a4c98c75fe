"""Sentences said once in English that can be said again in another language.

The analysis builds its sentences once, from figures computed once. A ``Phrase`` is such a
sentence: a plain ``str`` holding the English, which also keeps how it was made (its catalog
message and values), so ``core/localize.py`` can say it in another language with the same
figures. Values are said in the target language too: a phrase inside a phrase is re-said, a
plain string is looked up in the catalog (market, index, signal and level names), and a figure
whose writing depends on the language (dates, bps, money) is a ``figure``.

A phrase also keeps its recipe (which maker, which message, which values), so ``to_data``
can write it as JSON data and ``from_data`` make it again: a snapshot saved and loaded keeps
its notes sayable in every language. A phrase with no recipe (one made from a function of
its own) is written as what it says in each language.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from core.i18n import N_, Language, Translator, translator

_Say = Callable[[Translator], str]
# A recipe: the maker's name, then its arguments (plain values and phrases).
Recipe = tuple[Any, ...]
# Punctuation, not words: how each language separates a list's items and its sentences.
_SEPARATORS = {
    Language.EN: {"comma": ", ", "semicolon": "; ", "slash": " / ", "sentence": " "},
    Language.ZH: {"comma": "、", "semicolon": "；", "slash": " / ", "sentence": ""},
}
_AND = N_("%(first)s and %(second)s")


class Phrase(str):
    """English text that remembers how to say itself in any language."""

    _say: _Say
    recipe: Recipe | None

    def __new__(cls, say: _Say, recipe: Recipe | None = None) -> Phrase:
        """Return the phrase whose English is ``say`` in English, made by ``recipe`` if any."""
        phrase = super().__new__(cls, say(translator(Language.EN)))
        phrase._say = say
        phrase.recipe = recipe
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
    return Phrase(
        lambda tr: tr.gettext(message, **{k: said(v, tr) for k, v in values.items()}),
        ("say", message, values),
    )


def say_n(singular: str, plural: str, n: int, /, **values: Any) -> Phrase:
    """Return the singular or plural message for ``n`` (``%(n)s`` holds it), in any language."""
    return Phrase(
        lambda tr: tr.ngettext(singular, plural, n, **{k: said(v, tr) for k, v in values.items()}),
        ("say_n", singular, plural, n, values),
    )


def figure(write: Callable[..., str], *args: Any, **kwargs: Any) -> Phrase:
    """Return a figure written per language: ``write(*args, lang=…, **kwargs)``."""
    return Phrase(
        lambda tr: write(*args, lang=tr.language, **kwargs), ("figure", write, args, kwargs)
    )


def verbatim(text: str) -> Phrase:
    """Return text said the same in every language (a source's own words, a code)."""
    if isinstance(text, Phrase):
        return text  # already said per language (a source's name with its age, a reason)
    return Phrase(lambda tr: text, ("verbatim", text))


def listing(items: Iterable[Any], kind: str = "comma") -> Phrase:
    """Return items joined as the language joins a list (``a, b`` / ``a、b``)."""
    items = tuple(items)
    return Phrase(
        lambda tr: _SEPARATORS[tr.language][kind].join(said(i, tr) for i in items),
        ("listing", items, kind),
    )


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
    return Phrase(
        lambda tr: (lambda s: s[:1].upper() + s[1:])(said(value, tr)), ("capitalized", value)
    )


def lowered(value: Any) -> Phrase:
    """Return a value with its first letter lower-cased (a no-op for Chinese)."""
    return Phrase(lambda tr: _lower_first(said(value, tr)), ("lowered", value))


def _lower_first(text: str) -> str:
    # An acronym or ticker ("HSTECH extends…", "BTC") keeps its capitals; only a word does not.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# Where a saved figure's writer may come from: a document names it, so only these are looked
# up (a snapshot file is input; it must not name just any function of the program).
_WRITER_MODULES = frozenset({"core.formatting", "core.analysis.wording"})


def to_data(value: Any) -> Any:
    """Return a value as JSON data (a phrase as its recipe) that ``from_data`` makes again."""
    if isinstance(value, Phrase):
        data = _recipe_data(value.recipe) if value.recipe else None
        return data or {"said": {lang.value: value.said(translator(lang)) for lang in Language}}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot write {type(value).__name__} as phrase data")


def _recipe_data(recipe: Recipe) -> dict[str, Any] | None:
    maker, *args = recipe
    try:
        if maker in ("say", "say_n"):
            *messages, values = args
            return {maker: messages, "values": {k: to_data(v) for k, v in values.items()}}
        if maker == "figure":
            write, call_args, kwargs = args
            if write.__module__ not in _WRITER_MODULES or not write.__qualname__.isidentifier():
                return None  # a writer made on the spot: the phrase is written as said
            return {
                "figure": f"{write.__module__}:{write.__qualname__}",
                "args": [to_data(a) for a in call_args],
                "kwargs": {k: to_data(v) for k, v in kwargs.items()},
            }
        if maker == "listing":
            items, kind = args
            return {"listing": [to_data(i) for i in items], "kind": kind}
        return {maker: to_data(args[0])}  # verbatim, capitalized, lowered
    except TypeError:
        return None  # a value with no JSON form: the phrase is written as said


# The makers of one value, by the name a recipe keeps.
_MAKERS: dict[str, Callable[[Any], Phrase]] = {
    "verbatim": verbatim,
    "capitalized": capitalized,
    "lowered": lowered,
}


def from_data(data: Any) -> Any:
    """Return the value (a phrase, a date, a plain value) that ``to_data`` wrote."""
    if not isinstance(data, dict):
        return data
    if "say" in data or "say_n" in data:
        values = {k: from_data(v) for k, v in data["values"].items()}
        return say(*data["say"], **values) if "say" in data else say_n(*data["say_n"], **values)
    if "figure" in data:
        args = (from_data(a) for a in data["args"])
        kwargs = {k: from_data(v) for k, v in data["kwargs"].items()}
        return figure(_writer(data["figure"]), *args, **kwargs)
    if "listing" in data:
        return listing((from_data(i) for i in data["listing"]), data["kind"])
    if "said" in data:
        texts = data["said"]
        return Phrase(lambda tr: texts.get(tr.language.value, texts[Language.EN.value]))
    if "date" in data:
        return date.fromisoformat(data["date"])
    if "datetime" in data:
        return datetime.fromisoformat(data["datetime"])
    for key, make in _MAKERS.items():
        if key in data:
            return make(from_data(data[key]))
    raise ValueError(f"not phrase data: {sorted(data)}")


def _writer(name: str) -> Callable[..., str]:
    module, _, qualname = name.partition(":")
    if module not in _WRITER_MODULES or not qualname.isidentifier():
        raise ValueError(f"not a figure writer: {name}")
    write = getattr(importlib.import_module(module), qualname, None)
    if getattr(write, "__module__", None) != module:  # not one defined there (an import)
        raise ValueError(f"not a figure writer: {name}")
    return write

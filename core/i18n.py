"""Languages and message catalogs: every user-visible word, in English and Simplified Chinese.

The catalogs are gettext ``.po`` files under ``core/locale/`` managed with Babel (see README,
"Translations"). They are compiled in memory the first time a language is used, so a fresh
checkout or ``pip install -e .`` needs no separate compile step and no ``.mo`` can go stale.
The language is always passed explicitly: there is no process-wide "current language" that
one chat could leak into another's reply.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


class Language(StrEnum):
    """A language the bot writes in; its value is what users type (``/language zh``)."""

    EN = "en"
    ZH = "zh"

    @property
    def locale(self) -> str:
        """Return the catalog's locale folder name."""
        return _LOCALES[self]

    @property
    def native_name(self) -> str:
        """Return the language's name in itself (menus, confirmations)."""
        return _NATIVE_NAMES[self]


_LOCALES = {Language.EN: "en", Language.ZH: "zh_Hans"}
_NATIVE_NAMES = {Language.EN: "English", Language.ZH: "简体中文"}
DEFAULT_LANGUAGE = Language.EN


def parse_language(code: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """Return the language of a client locale code (``zh-CN``, ``zh_Hans``, ``en-US``)."""
    if not code:
        return default
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    try:
        return Language(primary)
    except ValueError:
        return default


def N_(message: str) -> str:  # the gettext convention Babel extracts
    """Mark a message for extraction without translating it (translated where shown)."""
    return message


def catalog_path(language: Language) -> Path:
    """Return the ``.po`` file holding a language's messages."""
    return LOCALE_DIR / language.locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _compiled(language: Language) -> _gettext.GNUTranslations:
    # Read once per language and never mutated afterwards, so sharing it across chats is safe.
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language.locale, domain=DOMAIN)
    mo = BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return _gettext.GNUTranslations(mo)


@dataclass(frozen=True)
class Translator:
    """One language's gettext and ngettext, filling ``%(name)s`` placeholders from keywords."""

    language: Language
    _catalog: _gettext.NullTranslations

    def gettext(self, message: str, /, **values: object) -> str:
        """Return a message in this language, its placeholders filled."""
        text = self._catalog.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """Return the singular or plural message for ``n`` in this language, filled."""
        return self._catalog.ngettext(singular, plural, n) % {"n": n, **values}


def translator(language: Language | str = DEFAULT_LANGUAGE) -> Translator:
    """Return the translator of a language (``Language`` or its code)."""
    language = Language(language)
    return Translator(language, _compiled(language))

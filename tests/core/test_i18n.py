"""The message catalogs: complete in both languages, placeholders matching, loaded per language."""

from __future__ import annotations

import ast
import re
from datetime import date

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core.errors import InvalidArgument
from core.formatting import age_text, bps, compact_money, session_label
from core.i18n import N_, Language, catalog_path, parse_language, translator
from core.phrase import listing, said, say, verbatim
from tests.conftest import REPO

# core/phrase.py's say() and say_n() are gettext keywords too (README: pybabel extract -k).
KEYWORDS = {**DEFAULT_KEYWORDS, "say": None, "say_n": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _source_messages() -> set[str]:
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _path, _line, message, _comments, _context in extract_from_dir(
        REPO, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: Language):
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language.locale)


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    return _source_messages()


@pytest.mark.parametrize("language", list(Language))
def test_catalog_has_every_message_of_the_code_and_no_other(language, source_messages):
    ids = _ids(_catalog(language))
    assert sorted(source_messages - ids) == [], "run pybabel extract + update (README)"
    assert sorted(ids - source_messages) == [], "stale entries: run pybabel update"


def test_no_message_is_marked_inside_an_f_string():
    # Babel does not look inside f-strings: a message marked there never reaches the catalog.
    marked = re.compile(r"""\bf(["']).*\b(?:N_|gettext|ngettext|say|say_n)\(\s*["']""")
    found = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in ("bot", "core", "renderers")
        for path in (REPO / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if marked.search(line)
    ]
    assert found == []


def test_every_chinese_entry_is_translated_and_not_fuzzy():
    untranslated = [
        m.id
        for m in _catalog(Language.ZH)
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", list(Language))
def test_placeholders_are_the_same_in_message_and_translation(language):
    catalog = _catalog(language)
    assert [(m.id, errors) for m, errors in catalog.check()] == []
    for message in catalog:
        if not message.id or "python-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            if string:  # an empty English string falls back to the message id itself
                assert set(PLACEHOLDER.findall(string)) == wanted, message.id


def test_each_language_answers_in_its_own_words():
    en, zh = translator(Language.EN), translator("zh")
    message = "Usage: %(usage)s"
    assert en.gettext(message, usage="/help") == "Usage: /help"
    assert zh.gettext(message, usage="/help").endswith("/help")
    assert zh.gettext(message, usage="/help") != en.gettext(message, usage="/help")
    assert translator(Language.EN).gettext(message) == message  # no state leaked from zh


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("zh", Language.ZH),
        ("zh-CN", Language.ZH),
        ("zh-hans", Language.ZH),
        ("zh_TW", Language.ZH),
        ("en-US", Language.EN),
        ("en", Language.EN),
        ("fr", Language.EN),
        ("", Language.EN),
        (None, Language.EN),
    ],
)
def test_client_locale_codes_map_to_a_language(code, language):
    assert parse_language(code) is language


@pytest.mark.parametrize(
    ("value", "symbol", "en", "zh"),
    [
        (1.70e12, "¥", "¥1.70T", "1.70 万亿元"),
        (3.5e11, "¥", "¥350.00B", "3500.00 亿元"),
        (-1.18e9, "$", "-$1.18B", "-11.80 亿美元"),
        (5.0e6, "$", "$5.00M", "500.00 万美元"),
        (950.0, "¥", "¥950", "950 元"),
    ],
)
def test_money_in_chinese_counts_in_wan_and_yi(value, symbol, en, zh):
    assert compact_money(value, symbol) == en
    assert compact_money(value, symbol, lang=Language.ZH) == zh


def test_dates_ages_and_bps_in_both_languages():
    friday = date(2026, 3, 20)
    assert session_label(friday) == "Fri 2026-03-20"
    assert session_label(friday, Language.ZH) == "2026-03-20 (周五)"
    assert session_label(None, Language.ZH) == "—"
    assert age_text(3 * 3600, Language.ZH) == "3 小时"
    assert bps(147.2, lang=Language.ZH) == "+1.47 个百分点"  # percentage points, as CN reports say
    assert bps(147.2) == "+147 bps"


def test_an_error_message_is_said_whole_in_each_language():
    reason = say(
        "ambiguous, use one of %(zones)s",
        zones=listing([verbatim("America/New_York"), verbatim("UTC-5")]),
    )
    message = InvalidArgument(N_("time zone"), "EST<", reason).message
    assert message == "invalid time zone 'EST<': ambiguous, use one of America/New_York, UTC-5"
    # The argument's name and the reason are catalog messages too; typed values stay as typed.
    assert said(message, translator(Language.ZH)) == (
        "时区 'EST<' 无效：该缩写对应多个时区，请改用其中之一：America/New_York、UTC-5"
    )


def _marked_literals() -> set[str]:
    """Return every message literal the code passes to a catalog function, read by ``ast``."""
    functions = {"N_", "gettext", "ngettext", "say", "say_n"}
    found = set()
    for folder in ("bot", "core", "renderers"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                first = node.args[0]
                if name in functions and isinstance(first, ast.Constant):
                    found.add(first.value)
    return found


@pytest.mark.parametrize("language", list(Language))
def test_every_message_the_code_says_is_in_the_catalog(language):
    # Babel's extractor can miss a call nested in another's arguments; this reads the code itself.
    assert sorted(_marked_literals() - _ids(_catalog(language))) == []

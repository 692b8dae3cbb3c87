"""The catalogs: every message in the code is translated in ru and en, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)s")


#: Where messages are said, as locales/babel.cfg extracts them: Python sources, and the console's Jinja2 templates.
SOURCES = {"bot": (), "dialogs": (), "scheduler": (), "api/console": (("templates/**.html", "jinja2"),)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "true"}


def _messages_in_code() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for package, extra in SOURCES.items():
        if not (ROOT / package).is_dir():
            continue
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=[*extra, ("**.py", "python")],
            options_map={pattern: JINJA_OPTIONS for pattern, _ in extra},
            keywords=KEYWORDS,
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalog(language: str):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_code_is_translated(language):
    catalog = _catalog(language)
    in_code = _messages_in_code()
    assert len(in_code) > 50, "the extraction found too few messages: is the keyword list right?"
    missing = []
    for message in sorted(in_code, key=str):
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(msgid)
    assert not missing, f"{language}: untranslated messages (run make locales-update and translate): {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for entry in _catalog(language):
        if not entry.id:
            continue
        expected = set(PLACEHOLDER.findall(entry.id if isinstance(entry.id, str) else entry.id[1]))
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, f"{language}: {entry.id!r} -> {string!r}"


def test_russian_has_all_three_plural_forms():
    assert _catalog("ru").num_plurals == 3


def test_the_catalogs_hold_nothing_the_code_no_longer_says():
    in_code = {m if isinstance(m, str) else m[0] for m in _messages_in_code()}
    stale = [
        entry.id
        for entry in _catalog("ru")
        if entry.id and (entry.id if isinstance(entry.id, str) else entry.id[0]) not in in_code
    ]
    assert not stale, f"obsolete entries (run make locales-update): {stale}"

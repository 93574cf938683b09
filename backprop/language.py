"""The language of everything on screen and in the narration: gettext catalogs, one language at a time.

Strings are written in English and marked `_("…")` (`ngettext` for plurals; `N_` marks a constant
translated where it is used). `pybabel extract` collects them into a .pot (README, "Your language");
each language is `backprop/locale/LANG/LC_MESSAGES/backprop.po`, compiled when first used, so no
binary catalog can fall behind its text. A message a catalog lacks stays English, as gettext does.

A scene plays in one language (`LessonScene(language=…)` installs it while it renders), so the
language travels with each job: a lecture's chapters in their own processes, a course's lessons.
Numbers are never translated: every number is written by `story.texts` as the screen writes it.
Outside the layers (`backprop.engine` marks its records' words with `N_` too); it imports no manim.
"""

from __future__ import annotations

import gettext
import io
import os
from contextlib import contextmanager
from functools import cache
from collections.abc import Iterator

DOMAIN = "backprop"
SOURCE = "en"  # the language the strings are written in
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")

_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]
_code: list[str] = [SOURCE]


class LanguageError(ValueError):
    """An unknown language code (the CLI's `--language`, a course file's `language`)."""


def languages() -> list[str]:
    """English and every language with a catalog in the package."""
    try:
        found = [d for d in os.listdir(LOCALE_DIR)
                 if os.path.isfile(os.path.join(LOCALE_DIR, d, "LC_MESSAGES", f"{DOMAIN}.po"))]
    except FileNotFoundError:
        found = []
    return [SOURCE] + sorted(found)


def check_language(code: str) -> str:
    """`code` if the package speaks it; LanguageError (naming the ones it does) otherwise."""
    known = languages()
    if code not in known:
        raise LanguageError(f"unknown '{code[:40]}'; languages: {', '.join(known)}")
    return code


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog of `code`, its .po compiled in memory with Babel (English: no catalog)."""
    check_language(code)
    if code == SOURCE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(os.path.join(LOCALE_DIR, code, "LC_MESSAGES", f"{DOMAIN}.po"), "rb") as f:
        catalog = read_po(f, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries left out, as pybabel compile leaves them
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Everything marked is said in `code` (None: English) inside the block; the language before, after it."""
    code = code or SOURCE
    before, before_code = _current[0], _code[0]
    _current[0], _code[0] = translations(code), code
    try:
        yield
    finally:
        _current[0], _code[0] = before, before_code


def current() -> str:
    return _code[0]


def _(message: str) -> str:
    return _current[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current[0].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for the catalog; `_()` translates it where it is used."""
    return message

"""Messages in the user's language: Chinese or English, from gettext catalogs kept with Babel.

The language is, in order: what `use_language` / `set_language` chose (the
CLI's ``--lang``), the ``QLRULES_LANG`` environment variable, then the locale
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``): Chinese when it starts
with ``zh``, English otherwise. Clause ids and official wording are never
translated; only qlrules' own words are.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LANGUAGES = ("zh", "en")
DOMAIN = "qlrules"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_chosen: ContextVar[str | None] = ContextVar("qlrules_language", default=None)


def _normalise(language: str) -> str:
    return "zh" if language.strip().lower().startswith("zh") else "en"


@functools.cache
def default_language() -> str:
    """The language the environment asks for (``QLRULES_LANG``, then the locale).

    Read once: every message asks, and the environment does not change under a
    running command. `set_language(None)` reads it again.
    """
    for variable in ("QLRULES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return _normalise(value)
    return "en"


def current_language() -> str:
    """``"zh"`` or ``"en"``: the language messages are given in now."""
    return _chosen.get() or default_language()


def set_language(language: str | None) -> None:
    """Give messages in ``language`` (``"zh"`` or ``"en"``; ``None`` follows the environment)."""
    if language is not None and _normalise(language) not in LANGUAGES:  # pragma: no cover - normalise maps all
        raise ValueError(language)
    if language is None:
        default_language.cache_clear()
    _chosen.set(None if language is None else _normalise(language))


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    """Within the block, give messages in ``language``."""
    token = _chosen.set(None if language is None else _normalise(language))
    try:
        yield
    finally:
        _chosen.reset(token)


@functools.cache
def translations(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of ``domain`` (qlrules' own words; ``click`` for click's) in ``language``; English is the message ids."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, LOCALE_DIR, languages=["zh_CN"], fallback=True)


def _(message: str) -> str:
    """``message`` (English, with ``{placeholders}``) in the current language."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation where it is defined; `_` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)

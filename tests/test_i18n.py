"""Messages in Chinese or English: the catalog is complete, current, compiled, and chosen as the user asks.

The .po is the source of truth, kept with `make messages` (pybabel extract, update, compile).
These tests fail when the .pot, the .po or the .mo has fallen behind the code; none reads the
catalogs' headers (dates, the Babel version that wrote them).
"""

from __future__ import annotations

import functools
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, DEFAULT_MAPPING, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import qlrules
from qlrules.i18n import LOCALE_DIR, current_language, set_language, use_language

POT = LOCALE_DIR / "qlrules.pot"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "qlrules.po"
MO = PO.with_suffix(".mo")
SOURCE = Path(qlrules.__file__).resolve().parent
# What `make messages` extracts with: pybabel's default keywords and mapping, and -k _ -k N_.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None}
FIX = "run `make messages`, translate in the .po what it adds, and run it again to compile"

Key = tuple[str | None, str | tuple[str, ...]]  # (msgctxt, msgid): a message as catalogs know it


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _messages(catalog: Catalog) -> dict[Key, Message]:
    """A catalog's messages without its header entry (msgid ""), which says only who wrote it, when."""
    return {(m.context, m.id): m for m in catalog if m.id}


@functools.cache
def _catalog() -> dict[Key, Message]:
    return _messages(_read_po(PO))


@functools.cache
def _extracted() -> frozenset[Key]:
    """The messages of the code, as `pybabel extract` finds them."""
    found = extract_from_dir(str(SOURCE), method_map=DEFAULT_MAPPING, keywords=KEYWORDS)
    return frozenset((context, message) for _file, _line, message, _comments, context in found)


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    """New words in the code need a translation, not empty and not fuzzy."""
    catalog = _catalog()
    untranslated = [key for key in _extracted() if key not in catalog or catalog[key].fuzzy or not all(_forms(catalog[key]))]
    assert sorted(untranslated, key=repr) == [], FIX


def test_the_catalog_has_only_messages_the_code_still_uses() -> None:
    """A message reworded or removed in the code leaves the .po (and its obsolete #~ entries go too)."""
    unused = _catalog().keys() - _extracted()
    assert sorted(unused, key=repr) == [], FIX
    assert sorted(_read_po(PO).obsolete) == [], FIX


def test_the_template_is_what_extract_writes() -> None:
    """The shipped .pot has exactly the messages `pybabel extract` finds in the code now."""
    template = _messages(_read_po(POT)).keys()
    assert sorted(_extracted() - template, key=repr) == [], FIX
    assert sorted(template - _extracted(), key=repr) == [], FIX


def _placeholders(text: str) -> set[str]:
    """The {fields} of a str.format message, each with its conversion and format spec: {byte:#04x}."""
    return {
        "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _literal, field, spec, conversion in string.Formatter().parse(text)
        if field is not None
    }


def test_translations_use_the_placeholders_of_their_message() -> None:
    """A translation that drops, adds or misspells a {placeholder} would lose words or raise at .format."""
    wrong = []
    for (_context, msgid), message in _catalog().items():
        expected = _placeholders(msgid if isinstance(msgid, str) else msgid[-1])  # plural forms follow msgid_plural
        for form in _forms(message):
            try:
                found = _placeholders(form)
            except ValueError as error:  # a lone { or }
                found = {f"<{error}>"}
            if form and found != expected:
                wrong.append((msgid, form, sorted(expected), sorted(found)))
    assert wrong == []


def test_compiled_catalog_is_up_to_date() -> None:
    """The shipped .mo says what the .po says: the same translations, header entry aside."""
    with MO.open("rb") as f:
        shipped = {key: message.string for key, message in _messages(read_mo(f)).items()}
    compiled = {key: message.string for key, message in _catalog().items() if all(_forms(message)) and not message.fuzzy}
    assert sorted(shipped.keys() ^ compiled.keys(), key=repr) == [], FIX
    assert {key: text for key, text in shipped.items() if compiled[key] != text} == {}, FIX


def test_messages_follow_the_chosen_language(seed: qlrules.Rubric) -> None:
    unit = {"unit": "甲", "findings": [{"clause": "6.1j", "count": 1}]}
    with use_language("zh"), pytest.raises(qlrules.FindingsError) as zh:
        seed.score(unit)
    with use_language("en"), pytest.raises(qlrules.FindingsError) as en:
        seed.score(unit)
    assert "未知条款 '6.1j'" in str(zh.value) and "单位 '甲'" in str(zh.value)
    assert "unknown clause '6.1j'" in str(en.value)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "zh_CN.UTF-8", "QLRULES_LANG": "en"}, "en"),
     ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh")],
)
def test_default_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str) -> None:
    for variable in ("QLRULES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    set_language(None)  # read the environment again
    try:
        assert current_language() == expected
    finally:
        monkeypatch.undo()
        set_language(None)


def test_cli_lang_switch_translates_reports_but_never_clause_wording(tmp_path: Path) -> None:
    findings = tmp_path / "u.yaml"
    findings.write_text("unit: 甲\nfindings:\n  - {clause: 0.1a, count: 1}\n", encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200"}
    run = [sys.executable, "-m", "qlrules"]
    zh = subprocess.run([*run, "--lang", "zh", "score", str(findings)], capture_output=True, text=True, env=env, check=True)
    en = subprocess.run([*run, "--lang", "en", "score", str(findings)], capture_output=True, text=True, env=env, check=True)
    assert "总分 99.5 / 100" in zh.stdout and "total 99.5 / 100" in en.stdout
    wording = "未传达学习、专题研究和调度的,每项扣0.5分"
    assert wording in zh.stdout and wording in en.stdout

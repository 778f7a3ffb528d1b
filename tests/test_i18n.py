"""Messages in Chinese or English: the catalog is complete, compiled, and chosen as the user asks."""

from __future__ import annotations

import gettext
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import qlrules
from qlrules.i18n import LOCALE_DIR, current_language, set_language, use_language

PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "qlrules.po"
MO = PO.with_suffix(".mo")
SOURCE = Path(qlrules.__file__).resolve().parent


def _catalog() -> object:
    with PO.open("rb") as f:
        return read_po(f)


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    """New words in the code need a translation: run `make messages` and translate what it adds."""
    catalog = _catalog()
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(SOURCE), keywords={"_": None, "N_": None}, method_map=[("**.py", "python")]
        )
    }
    translated = {m.id for m in catalog if m.id and m.string}  # type: ignore[attr-defined]
    assert sorted(extracted - translated) == []


def test_compiled_catalog_is_up_to_date() -> None:
    """The shipped .mo says exactly what the .po says."""
    buffer = io.BytesIO()
    write_mo(buffer, _catalog())  # type: ignore[arg-type]
    fresh = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    with MO.open("rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert shipped._catalog == fresh._catalog  # type: ignore[attr-defined]


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

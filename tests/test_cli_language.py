"""One language per run: click's own words, qlrules' help, OS errors and form messages follow --lang (or the locale).

The language is chosen before click parses the command line (`qlrules.cli.lang`), so a usage error of
the very line that says ``--lang zh`` is in Chinese. Most runs go through the in-process `cli`
fixture, which also shows that one process can speak both languages in turn (nothing is translated
at import); the locale is tried in a real process, whose environment it is.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, DEFAULT_MAPPING, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from qlrules.cli.lang import language_asked
from qlrules.errors import InputError, os_reason
from qlrules.i18n import LOCALE_DIR, use_language
from qlrules.io.text import read_text

from .conftest import ROOT, Cli
from .golden_messages import golden_check

UNIT = ROOT / "examples" / "unit.yaml"

#: click's own English words, any of which in a Chinese run would mean a message was missed.
CLICK_WORDS = ("Usage", "Error", "Options", "Commands", "Try", "help", "Missing", "Invalid", "argument", "option",
               "such", "Show", "message", "exit", "does", "exist", "directory", "File", "Path", "integer", "range",
               "OPTIONS", "COMMAND", "ARGS", "default", "version")
#: Words that are the same in both languages: formats, file kinds, program and command names, examples of syntax.
TECHNICAL = {"qlrules", "python", "main", "YAML", "JSON", "Lines", "jsonl", "xlsx", "csv", "table", "json", "markdown",
             "qlr", "Excel", "units", "NAME", "examples", "yaml", "TODO", "docx", "doc", "wps", "pdf", "txt", "BOM", "UTF", "zh", "en", "md",
             "text", "Windows", "HTTP", "Authorization", "Bearer", "POST", "openapi", "docs", "v1", "Schema", "serve", "schema", "score", "check", "fmt", "diff", "test", "draft", "template", "nope"}  # the commands


def _bare(text: str) -> str:
    """``text`` without option names, quoted values, file names or choices: the words around them."""
    return re.sub(r"'[^']*'|`[^`]*`|\[[a-z|]+\]|--?[A-Za-z][\w-]*|\S+\.(qlr|yaml|xlsx|json|csv|md)\b|/\S*", " ", text)


def _english_words(text: str) -> set[str]:
    """The English words of ``text`` (`_bare`), technical terms aside."""
    return {word for word in re.findall(r"[A-Za-z]{2,}", _bare(text)) if word not in TECHNICAL}


def _click_words(text: str) -> list[str]:
    return [word for word in CLICK_WORDS if re.search(rf"\b{word}\b", _bare(text))]


def _cjk(text: str) -> set[str]:
    return set(re.findall(r"[\u3000-\u9fff\uff00-\uffef]+", text))


#: Command lines click itself refuses, each in a different way; a folder where a file is expected is added per test.
MISUSE = [
    ("score", "--bogus"),  # No such option, with a suggestion
    ("score",),  # Missing argument
    ("score", "-j", "abc", "x.yaml"),  # Invalid value for '-j': not an integer range
    ("score", "--format", "pdf", "x.yaml"),  # not one of the choices
    ("nope",),  # No such command
    ("template",),  # Missing option '-o'
    ("test", "no-such-rubric.qlr"),  # Path does not exist
    ("diff", "a.qlr"),  # Missing argument NEW
    ("score", "x.yaml", "extra", "-o"),  # -o requires an argument
]


@pytest.mark.parametrize("args", MISUSE, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("where", ["first", "last"])
def test_usage_errors_are_wholly_chinese_under_lang_zh(cli: Cli, tmp_path: Path, args: tuple[str, ...], where: str) -> None:
    """`--lang zh` anywhere on the line: click's usage, hint and error come in Chinese, and nothing of its English stays."""
    line = ("--lang", "zh", *args) if where == "first" else (*args, "--lang", "zh")
    if where == "last" and args[-1] == "-o":
        line = ("--lang", "zh", *args)  # -o would take --lang as its value
    zh = cli(*line, cwd=tmp_path)
    en = cli("--lang", "en", *args, cwd=tmp_path)
    assert zh.exit_code == en.exit_code == 2
    assert "错误:" in zh.stderr and "Error:" in en.stderr
    assert ("用法:" in zh.stderr) == ("Usage:" in en.stderr)  # click shows no usage line for an option missing its value
    assert _click_words(zh.stderr) == []
    assert _english_words(zh.stderr) & _english_words(en.stderr) == set(), zh.stderr
    assert _cjk(en.stderr) == set(), en.stderr


def test_a_folder_given_for_a_file_is_refused_in_the_language_asked(cli: Cli, tmp_path: Path) -> None:
    zh = cli("--lang", "zh", "check", tmp_path)
    en = cli("--lang", "en", "check", tmp_path)
    assert zh.exit_code == en.exit_code == 2
    assert f"文件 '{tmp_path}' 是一个目录。" in zh.stderr and "考评细则..." in zh.stderr
    assert f"File '{tmp_path}' is a directory." in en.stderr and "RUBRIC..." in en.stderr


COMMANDS = [(), ("score",), ("check",), ("fmt",), ("diff",), ("test",), ("draft",), ("template",), ("schema",), ("serve",)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "qlrules")
def test_help_is_wholly_in_the_language_asked(cli: Cli, command: tuple[str, ...]) -> None:
    """Every command's --help: click's headings and qlrules' own help, all in one language, whichever comes first."""
    zh = cli("--lang", "zh", *command, "--help")
    en = cli("--lang", "en", *command, "--help")
    again = cli(*command, "-h", "--lang", "zh")
    assert zh.exit_code == en.exit_code == again.exit_code == 0
    assert zh.stdout == again.stdout  # the same in Chinese after an English run: nothing kept from it
    assert zh.stdout.startswith("用法:") and "选项:" in zh.stdout and "显示本帮助并退出。" in zh.stdout
    assert en.stdout.startswith("Usage:") and "Options:" in en.stdout and "Show this message and exit." in en.stdout
    assert _click_words(zh.stdout) == []
    assert _english_words(zh.stdout) & _english_words(en.stdout) == set(), zh.stdout
    assert _cjk(en.stdout) <= {"清廉机关建设", "注1"}, en.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "qlrules")
def test_chinese_help_fits_the_width_counting_two_columns_a_character(cli: Cli, command: tuple[str, ...]) -> None:
    """click counts characters; a Chinese one takes two columns, and the help is laid out so (click's test runner: 80)."""
    import unicodedata

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    lines = cli("--lang", "zh", *command, "--help").stdout.splitlines()
    assert max(columns(line) for line in lines) <= 80, "\n".join(line for line in lines if columns(line) > 80)
    rows = [re.match(r"^(  -\S.*?\S {2,})[\u4e00-\u9fff]", line) for line in lines]
    starts = {columns(row.group(1)) for row in rows if row}
    assert len(starts) == 1, lines  # every option's help starts in the same column


def test_the_version_is_said_in_the_language_asked(cli: Cli) -> None:
    from qlrules import __version__

    assert cli("--lang", "zh", "--version").stdout.endswith(f",版本 {__version__}\n")
    assert cli("--lang", "en", "--version").stdout.endswith(f", version {__version__}\n")


def _without_language_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("QLRULES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}


def test_a_chinese_locale_without_lang_gives_chinese_usage_and_help(tmp_path: Path) -> None:
    """A real process (the locale is its environment): LANG=zh_CN.UTF-8 alone is enough; --lang en still wins."""
    env = {**_without_language_variables(), "LANG": "zh_CN.UTF-8", "COLUMNS": "100"}
    run = [sys.executable, "-m", "qlrules"]
    misuse = subprocess.run([*run, "score", "--bogus"], capture_output=True, text=True, env=env, cwd=tmp_path)
    help_text = subprocess.run([*run, "score", "-h"], capture_output=True, text=True, env=env, cwd=tmp_path)
    english = subprocess.run([*run, "score", "--bogus", "--lang", "en"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert misuse.returncode == 2 and misuse.stderr.startswith("用法:") and "错误:没有选项 '--bogus'。" in misuse.stderr
    assert help_text.returncode == 0 and "选项:" in help_text.stdout and "Options" not in help_text.stdout
    assert english.returncode == 2 and english.stderr.startswith("Usage:") and _cjk(english.stderr) == set()


def test_qlrules_lang_chooses_when_no_lang_is_given(cli: Cli) -> None:
    assert cli("score", "--bogus", env={"QLRULES_LANG": "zh"}).stderr.startswith("用法:")
    assert cli("score", "--bogus", env={"QLRULES_LANG": "en"}).stderr.startswith("Usage:")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [(["score", "--lang", "zh", "x"], "zh"), (["--lang=en", "score"], "en"), (["--lang", "zh", "--lang", "en"], "en"),
     (["--lang", "fr"], None), (["--lang"], None), (["score", "--", "--lang", "zh"], None), (["score", "x"], None)],
)
def test_the_language_is_read_from_the_raw_command_line(arguments: list[str], expected: str | None) -> None:
    assert language_asked(arguments) == expected


def test_a_language_that_is_not_one_is_refused_by_click_in_the_environments_language(cli: Cli) -> None:
    refused = cli("--lang", "fr", "score", UNIT, env={"QLRULES_LANG": "zh"})
    assert refused.exit_code == 2 and "'fr' 不是 'zh', 'en' 之一。" in refused.stderr


# -- OS errors -----------------------------------------------------------------------------------------


def test_a_missing_file_is_said_in_chinese_not_in_the_systems_english(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "无此文件.yaml"
    zh = cli("--lang", "zh", "score", missing)
    en = cli("--lang", "en", "score", missing)
    assert zh.exit_code == en.exit_code == 1
    assert zh.stderr == f"{missing}:无法读取考评记录:文件或文件夹不存在\n"
    assert en.stderr == f"{missing}: cannot read the findings: no such file or folder\n"


def test_an_output_into_a_missing_folder_is_said_in_chinese(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "无此文件夹" / "r.json"
    zh = cli("--lang", "zh", "score", UNIT, "-o", out)
    assert zh.exit_code == 1 and zh.stderr == f"{out}:无法写入:文件夹 {out.parent} 不存在\n"


def test_a_folder_read_as_a_file_is_said_in_the_language_chosen(tmp_path: Path) -> None:
    """Where no click type stands between (the library, `qlrules check -` aside), the OS error is ours, in words."""
    with use_language("zh"), pytest.raises(InputError) as zh:
        read_text(tmp_path, "rubric")
    with use_language("en"), pytest.raises(InputError) as en:
        read_text(tmp_path, "rubric")
    assert str(zh.value) == f"{tmp_path}:无法读取考评细则:这是文件夹,不是文件"
    assert str(en.value) == f"{tmp_path}: cannot read the rubric: it is a folder, not a file"
    assert "directory" not in str(zh.value)


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [(errno.ENOENT, "文件或文件夹不存在", "no such file or folder"), (errno.EACCES, "没有权限", "permission denied"),
     (errno.EISDIR, "这是文件夹,不是文件", "it is a folder, not a file"), (errno.ENOSPC, "磁盘已满", "the disk is full"),
     (errno.EROFS, "磁盘为只读", "the disk is read-only")],
)
def test_common_os_errors_have_words_of_their_own(code: int, zh: str, en: str) -> None:
    error = OSError(code, os.strerror(code))
    with use_language("zh"):
        assert os_reason(error) == zh
    with use_language("en"):
        assert os_reason(error) == en


def test_an_os_error_without_words_of_ours_keeps_the_systems() -> None:
    assert os_reason(OSError(errno.EPIPE, "Broken pipe")) == "Broken pipe"
    assert os_reason(OSError("something odd")) == "something odd"


# -- a form's messages name its columns ------------------------------------------------------------------


def _filled_form(tmp_path: Path, cli: Cli, cells: dict[tuple[str, str], object]) -> Path:
    from openpyxl import load_workbook

    blank = tmp_path / "blank.xlsx"
    assert cli("template", "--unit", "甲", "-o", blank).exit_code == 0
    workbook = load_workbook(blank)
    sheet = workbook.worksheets[0]
    header = next(row for row in sheet.iter_rows(max_row=10) if any(c.value == "条款" for c in row))
    columns = {str(c.value).split("\n")[0]: c.column for c in header if c.value}
    rows = {sheet.cell(r, columns["条款"]).value: r for r in range(header[0].row + 1, sheet.max_row + 1)}
    for (clause, column), value in cells.items():
        sheet.cell(rows[clause], columns[column]).value = value
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    return filled


def test_form_messages_name_the_forms_columns_not_the_findings_keys(cli: Cli, tmp_path: Path) -> None:
    form = _filled_form(tmp_path, cli, {("0.1a", "数量"): "abc", ("0.2a", "酌情扣分"): 1, ("1.1a", "等级"): "x"})
    zh = cli("--lang", "zh", "score", form)
    en = cli("--lang", "en", "score", form)
    assert zh.exit_code == en.exit_code == 1
    for run in (zh, en):
        assert not re.search(r"\b(count|cases|amount|level|value|reason|evidence)\b", run.stderr), run.stderr
    assert "数量列, 条款 0.1a: 数量: 应为整数,如 2;实际为 文字 'abc'" in zh.stderr
    assert "请填写 数量 或 案件编号" in zh.stderr
    assert "column 数量, clause 0.1a: 数量: is a whole number like 2; found the text 'abc'" in en.stderr
    golden_check("form_count_not_a_number_zh", zh.stderr.replace(str(form), "filled.xlsx"))


def test_findings_files_keep_their_keys_in_a_chinese_message(cli: Cli, tmp_path: Path) -> None:
    findings = tmp_path / "u.yaml"
    findings.write_text("unit: 甲\nfindings:\n  - {clause: 0.1a, count: abc}\n  - {clause: 6.1h, cases: [C1]}\n", encoding="utf-8")
    zh = cli("--lang", "zh", "score", findings)
    assert zh.exit_code == 1
    assert "count: 应为整数,如 2;实际为 文字 'abc'" in zh.stderr
    assert "缺少 amount:酌情扣分条款 6.1h 的扣分值" in zh.stderr
    golden_check("findings_keys_in_chinese_message_zh", zh.stderr.replace(str(findings), "u.yaml"))


def test_golden_chinese_usage_error(cli: Cli) -> None:
    golden_check("cli_usage_no_such_option_zh", cli("--lang", "zh", "score", "--formt", "json", UNIT).stderr)


# -- click's catalog: complete for the installed click, current, compiled --------------------------------

CLICK_PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "click.po"
FIX = "run `make messages`, translate in click.po what it adds, and run it again to compile"


@functools.cache
def _click_messages() -> frozenset[str | tuple[str, ...]]:
    import click

    found = extract_from_dir(os.path.dirname(click.__file__), method_map=DEFAULT_MAPPING, keywords=DEFAULT_KEYWORDS)
    return frozenset(_key(message) for _file, _line, message, _comments, _context in found)


def _key(message_id: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    return message_id if isinstance(message_id, str) else tuple(message_id)


def _click_catalog() -> dict[str | tuple[str, ...], object]:
    with CLICK_PO.open("rb") as f:
        return {_key(m.id): _key(m.string) for m in read_po(f) if m.id}


def test_every_message_of_the_installed_click_has_a_chinese_translation() -> None:
    catalog = _click_catalog()
    untranslated = [m for m in _click_messages() if not catalog.get(m) or not all(catalog[m] if isinstance(catalog[m], tuple) else [catalog[m]])]
    assert sorted(untranslated, key=repr) == [], FIX
    assert sorted(catalog.keys() - _click_messages(), key=repr) == [], FIX


def test_click_translations_keep_their_placeholders_and_are_compiled() -> None:
    def fields(text: str) -> set[str]:
        return {field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None}

    for msgid, translated in _click_catalog().items():
        forms = translated if isinstance(translated, tuple) else (translated,)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        assert isinstance(forms[0], str)
        expected = set().union(*(fields(i) for i in ids)) if "%(" not in ids[0] else set()
        assert all(fields(f) <= expected and (len(ids) > 1 or fields(f) == expected) for f in forms), (msgid, forms)
    with CLICK_PO.with_suffix(".mo").open("rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert compiled == _click_catalog(), FIX


@settings(max_examples=200)
@given(text=st.text(alphabet=st.sampled_from("清廉机关建设考评,。:、)ab-[] \n"), max_size=200),
       width=st.integers(min_value=10, max_value=80), language=st.sampled_from(["zh", "en"]))
def test_chinese_help_lines_keep_every_character_and_fit_unless_one_word_is_wider(text: str, width: int, language: str) -> None:
    from qlrules.cli.lang import _columns, _wrap, breakable

    with use_language(language):
        lines = _wrap(text, width, "  ")
    assert "".join("".join(lines).split()) == "".join(text.split())
    for line in lines:
        assert _columns(line) <= width or len(breakable(language).findall(line.strip())) == 1, (line, width)

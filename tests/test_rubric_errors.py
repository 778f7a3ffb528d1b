"""Rubric files that do not compile: every problem is reported, with its line, column and a caret.

Each case is a small change to ``TEMPLATE``, a valid mini rubric (two sections, one with a topic,
three items, every clause kind, both rubric-wide rules, adjustments).  The error is checked
through ``qlrules.compile_rubric(text, "x.qlr")`` (``RubricError.problems``, and its rendering
``x.qlr:LINE:COL: error: …`` with the source line and a caret) and through ``qlrules check FILE``
(exit 1, the rendered errors on stderr, no traceback).

Golden messages: a few rendered ``check`` outputs are kept verbatim under ``tests/golden/errors``;
run with ``QLRULES_REGEN_GOLDEN=1`` to rewrite them, then review the diff.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import qlrules

from .golden_messages import golden_check
from tests import rules

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "rubrics" / "qinglian-jiguan.qlr"

TEMPLATE = """\
# A mini rubric for the error tests.
rubric "测试细则" points 10
  year 2024
  edition "测试版"
  rule highest-per-case "案件在不同考核内容中不重复扣分,以扣分最高值为准。"
  rule item-cap "每个子项目扣分值不超过该子项目的赋分值。"

section S0 "组织领导" points 3 owners "机关纪委"
  item 0.1 "学习部署" points 3
    text "学习部署,3分。"
    0.1a "未传达学习的,每项扣0.5分" each 项 −0.5 of 3
    0.1b "未部署的,扣1分" once −1

section S1 "政治引领" points 7
  topic 1 "理论武装" points 7 owners "机关党委", "办公室"
    item 1.1 "中心组学习" points 2
      text "中心组学习,2分。"
      1.1a "未开展学习的,扣1分" once −1
      1.1b "发现一起扣0.5分" each −0.5 cap 1
    item 1.2 "有案必查" points 5
      text "有案必查,5分。"
      1.2a "受处分每人次扣1分" each 人次 −1
      1.2b "移送司法机关每人次扣2分" each 人次 −2
      1.2c "主动报告线索的酌情扣分" discretionary replaces 1.2a..1.2b
      1.2d "未落实以案促改要求的,扣1分" once −1

adjustments "加减分项"
  text "受到表彰的每项加分,受到通报批评的每项扣分。"
  A1 "受到表彰的每项加1分" each 项 +1
  A2 "受到通报批评的每项扣1分" each 项 −1
  A3 "在全市会议上作典型发言的加0.5分" once +0.5
"""

#: Terminal names of the grammar: a message for a rubric author says what was expected in words.
RAW_TERMINALS = re.compile(r"\b(NUMBER|STRING|RULE_NAME|UNIT|ID|COMMA|\$END|__ANON\w*)\b|\$END")


def mutate(*changes: tuple[str, str]) -> str:
    """The template with each ``old`` (which must occur exactly once) replaced by ``new``."""
    text = TEMPLATE
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the template"
        text = text.replace(old, new)
    return text


def locate(text: str, line_part: str, token: str, shift: int = 0) -> tuple[int, int]:
    """Line and column (1-based, in characters) of ``token`` (plus ``shift``) on the one line containing ``line_part``."""
    found = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line_part in line]
    assert len(found) == 1, f"{line_part!r} is on {len(found)} lines"
    number, line = found[0]
    assert token in line, f"{token!r} is not on line {number}: {line!r}"
    return number, line.index(token) + shift + 1


@dataclass(frozen=True)
class RCase:
    id: str
    changes: tuple[tuple[str, str], ...]
    at: tuple[str, str] | tuple[str, str, int]  # (text on the line, the token pointed at[, characters into it])
    needles: tuple[str | tuple[str, ...], ...]
    single: bool = True  # the change causes exactly this one problem

    @property
    def text(self) -> str:
        return mutate(*self.changes)

    @property
    def position(self) -> tuple[int, int]:
        return locate(self.text, *self.at)


ONCE = '0.1b "未部署的,扣1分" once −1'

CASES = [
    # -- syntax --------------------------------------------------------------------------------
    RCase(
        "syntax_missing_rate",
        ((ONCE, '0.1b "未部署的,扣1分" once of 2'),),
        at=("0.1b", "of 2"),
        needles=("number", ("−0.5", "-0.5", "number like")),
    ),
    RCase(
        "unterminated_string",
        (('item 0.1 "学习部署" points 3', 'item 0.1 "学习部署 points 3'),),
        at=("item 0.1", '"'),
        needles=(("not closed", "unterminated", "never closed", "missing closing"),),
    ),
    RCase(
        "unknown_keyword_in_item",
        (('item 1.1 "中心组学习" points 2', 'item 1.1 "中心组学习" pionts 2'),),
        at=("item 1.1", "pionts"),
        needles=("pionts", "points"),
    ),
    RCase(
        "unknown_keyword_at_top_level",
        (('section S1 "政治引领"', 'sektion S1 "政治引领"'),),
        at=("sektion", "sektion"),
        needles=("sektion",),
    ),
    # -- ids -----------------------------------------------------------------------------------
    RCase(
        "duplicate_clause_id",
        (('0.1b "未部署的', '0.1a "未部署的'),),
        at=('0.1a "未部署的', "0.1a"),
        needles=("0.1a", ("duplicate", "already", "twice")),
    ),
    RCase(
        "duplicate_item_id",
        (("item 0.1 ", "item 1.1 "), ('0.1a "', '1.1x "'), ('0.1b "', '1.1y "')),
        at=('item 1.1 "中心组学习"', "item"),
        needles=("1.1", ("duplicate", "already", "twice")),
    ),
    RCase(
        "clause_not_prefixed_by_item",
        (('0.1b "未部署的', '0.2b "未部署的'),),
        at=("0.2b", "0.2b"),
        needles=("0.2b", "0.1"),
    ),
    RCase(
        "item_not_prefixed_by_topic",
        (('item 1.1 "中心组学习"', 'item 2.1 "中心组学习"'), ('1.1a "', '2.1a "'), ('1.1b "', '2.1b "')),
        at=("item 2.1", "item"),
        needles=("2.1", "topic 1"),
    ),
    # -- points --------------------------------------------------------------------------------
    RCase(
        "points_items_do_not_add_up_to_topic",
        (('item 1.2 "有案必查" points 5', 'item 1.2 "有案必查" points 4'),),
        at=("topic 1", "topic"),
        needles=("topic 1", "7", "6"),
    ),
    RCase(
        "points_topics_do_not_add_up_to_section",
        (
            ('section S1 "政治引领" points 7', 'section S1 "政治引领" points 8'),
            ('rubric "测试细则" points 10', 'rubric "测试细则" points 11'),
        ),
        at=("section S1", "section"),
        needles=("S1", "8", "7"),
    ),
    RCase(
        "points_sections_do_not_add_up_to_rubric",
        (('rubric "测试细则" points 10', 'rubric "测试细则" points 12'),),
        at=('rubric "测试细则"', "rubric"),
        needles=("12", "10"),
    ),
    # points 0 is valid since language 2 (a part that only deducts, 负面清单): tests/test_language2.py
    RCase(
        "points_negative",
        (('item 0.1 "学习部署" points 3', 'item 0.1 "学习部署" points -3'),),
        at=("item 0.1", "-3"),
        needles=(("sign", "negative", "positive"),),
        single=False,
    ),
    # -- rates and modifiers -------------------------------------------------------------------
    RCase(
        "rate_zero",
        (('1.1a "未开展学习的,扣1分" once −1', '1.1a "未开展学习的,扣1分" once −0'),),
        at=("1.1a", "−0"),
        needles=(("zero", "0"),),
    ),
    RCase(
        "deduction_rate_without_minus",
        (('each 人次 −2', 'each 人次 2'),),
        at=("1.2b \"", "人次 2", len("人次 ")),
        needles=("minus",),
    ),
    RCase(
        "adjustment_rate_without_sign",
        (('each 项 +1', 'each 项 1'),),
        at=("A1", "项 1", len("项 ")),
        needles=("sign",),
    ),
    RCase("of_zero", (("of 3", "of 0"),), at=("0.1a", "of 0", len("of ")), needles=("of", ("at least 1", "1 or more", "zero"))),
    RCase("of_fraction", (("of 3", "of 1.5"),), at=("0.1a", "1.5"), needles=("of", ("whole", "integer"))),
    # -- rules and replacement -----------------------------------------------------------------
    RCase(
        "unknown_rule",
        (("rule item-cap", "rule item-limit"),),
        at=("rule item-limit", "rule"),
        needles=("item-limit", "item-cap"),
    ),
    RCase(
        "replaces_clause_of_another_item",
        (("replaces 1.2a..1.2b", "replaces 1.1a"),),
        at=("replaces", "1.1a"),
        needles=("1.1a", ("own item", "this item", "1.2")),
    ),
    RCase(
        "range_runs_backwards",
        (("replaces 1.2a..1.2b", "replaces 1.2b..1.2a"),),
        at=("replaces", "1.2b"),
        needles=("1.2b..1.2a", ("backwards", "backward", "reverse")),
    ),
]

GOLDEN_CASES = [
    "syntax_missing_rate",
    "unterminated_string",
    "duplicate_clause_id",
    "points_items_do_not_add_up_to_topic",
    "range_runs_backwards",
    "multiple_problems",
]

# Four independent errors on four lines: all of them are reported at once, in line order.
MULTIPLE = mutate(
    ("rule item-cap", "rule item-limit"),
    ("of 3", "of 0"),
    ("each 人次 −2", "each 人次 2"),
    ("each 项 +1", "each 项 1"),
)


# -- helpers ---------------------------------------------------------------------------------------


def has(message: str, needle: str | tuple[str, ...]) -> bool:
    options = (needle,) if isinstance(needle, str) else needle
    return any(option.lower() in message.lower() for option in options)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def check_rendering(rendered: str, source: str, text: str) -> None:
    """Every problem renders as ``SOURCE:LINE:COL: error: …``, its source line, and a caret under the column."""
    lines = text.removeprefix("\ufeff").splitlines()
    out = rendered.splitlines()
    heads = [n for n, line in enumerate(out) if re.match(re.escape(source) + r":\d+:\d+: (error|warning): ", line)]
    assert heads and heads[0] == 0, f"not rendered as {source}:LINE:COL: error: …\n{rendered}"
    for n in heads:
        head = re.match(re.escape(source) + r":(\d+):(\d+): ", out[n])
        assert head
        line, column = int(head.group(1)), int(head.group(2))
        assert 1 <= line <= len(lines), out[n]
        quoted, caret = out[n + 1], out[n + 2]
        gutter = quoted.index("| ") + 2
        assert quoted[gutter:] == lines[line - 1], f"line {line} is not quoted:\n{quoted}"
        assert str(line) in quoted[:gutter]
        assert caret[:gutter].strip() == "|", f"no caret line under line {line}:\n{caret}"
        offset = len(caret[gutter:]) - len(caret[gutter:].lstrip(" "))
        assert caret[gutter:].strip().startswith("^"), caret
        expected = display_width(lines[line - 1][: column - 1])
        assert offset == expected, f"the caret is at display column {offset + 1}, expected {expected + 1}:\n{quoted}\n{caret}"


def compile_error(text: str | bytes) -> qlrules.RubricError:
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(text, "x.qlr")
    return info.value


def run_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qlrules.cli", "check", *map(str, paths)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def model(rubric: qlrules.Rubric) -> tuple[object, ...]:
    """What a rubric means, without its hash and source name."""
    return (rubric.title, rubric.points, rubric.year, rubric.edition, rubric.rules, rubric.sections, rubric.adjustments,
            rubric.adjustments_title, rubric.adjustments_text)


# -- the template ----------------------------------------------------------------------------------


def test_template_compiles() -> None:
    rubric = qlrules.compile_rubric(TEMPLATE, "x.qlr")
    assert rubric.warnings == ()
    assert [s.id for s in rubric.sections] == ["S0", "S1"]
    assert [t.id for t in rubric.topics] == ["1"]
    assert [i.id for i in rubric.items] == ["0.1", "1.1", "1.2"]
    assert {rules.kind(c) for c in rubric.clauses} == {"once", "each", "discretionary"}
    assert rules.replaces(rubric.clause_index["1.2c"]) == ("1.2a", "1.2b")
    assert [a.id for a in rubric.adjustments] == ["A1", "A2", "A3"]
    assert rubric.has_rule("highest-per-case") and rubric.has_rule("item-cap")


def test_template_passes_check(tmp_path: Path) -> None:
    path = tmp_path / "mini.qlr"
    path.write_text(TEMPLATE, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout and result.stderr == ""


def test_check_accepts_the_bundled_rubric() -> None:
    result = run_check(BUNDLED)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout
    assert "error" not in result.stderr and "Traceback" not in result.stderr


# -- each error, through the API -------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_compile_reports(case: RCase) -> None:
    text = case.text
    error = compile_error(text)
    assert isinstance(error, qlrules.QlrulesError)
    found = [(p.line, p.column, p.message) for p in error.problems]
    line, column = case.position
    at = [p for p in error.problems if (p.line, p.column) == (line, column)]
    assert at, f"no problem at {line}:{column}; found {found}"
    message = at[0].message
    for needle in case.needles:
        assert has(message, needle), f"the message does not say {needle!r}: {message}"
    assert not RAW_TERMINALS.search(message), f"the message uses grammar names, not words: {message}"
    if case.single:
        assert len(error.problems) == 1, f"expected one problem, found {found}"
    assert all(p.severity == "error" for p in error.problems)
    assert [(p.line, p.column) for p in error.problems] == sorted((p.line, p.column) for p in error.problems)
    rendered = str(error)
    assert f"x.qlr:{line}:{column}: error: {message}" in rendered
    check_rendering(rendered, "x.qlr", text)


def test_several_problems_are_reported_together() -> None:
    error = compile_error(MULTIPLE)
    lines = [p.line for p in error.problems]
    assert len(error.problems) >= 4, [(p.line, p.message) for p in error.problems]
    assert lines == sorted(lines)
    expected = [
        locate(MULTIPLE, "rule item-limit", "rule"),
        locate(MULTIPLE, "0.1a", "of 0", len("of ")),
        locate(MULTIPLE, "1.2b \"", "人次 2", len("人次 ")),
        locate(MULTIPLE, "A1", "项 1", len("项 ")),
    ]
    assert set(expected) <= {(p.line, p.column) for p in error.problems}, [(p.line, p.column, p.message) for p in error.problems]
    rendered = str(error)
    for line, column in expected:
        assert f"x.qlr:{line}:{column}: error: " in rendered
    check_rendering(rendered, "x.qlr", MULTIPLE)


def test_problems_carry_message_line_and_column() -> None:
    error = compile_error(MULTIPLE)
    for problem in error.problems:
        assert isinstance(problem.message, str) and problem.message
        assert isinstance(problem.line, int) and problem.line >= 1
        assert isinstance(problem.column, int) and problem.column >= 1


# -- each error, through `qlrules check` -----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_reports(case: RCase, tmp_path: Path) -> None:
    path = tmp_path / "x.qlr"
    path.write_text(case.text, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 1, f"exit status {result.returncode}, expected 1\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert " ok " not in result.stdout
    line, column = case.position
    assert f"{path}:{line}:{column}: error: " in result.stderr, result.stderr
    check_rendering(result.stderr, str(path), case.text)


def test_check_reports_several_problems(tmp_path: Path) -> None:
    path = tmp_path / "x.qlr"
    path.write_text(MULTIPLE, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count(f"{path}:") >= 4, result.stderr


def test_check_fails_when_one_of_several_files_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qlr"
    bad.write_text(mutate(("of 3", "of 0")), encoding="utf-8")
    result = run_check(BUNDLED, bad)
    assert result.returncode == 1
    assert f"{BUNDLED}: ok" in result.stdout
    assert f"{bad}:" in result.stderr and "Traceback" not in result.stderr


def test_check_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.qlr"
    result = run_check(path)
    assert result.returncode == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr


# -- warnings --------------------------------------------------------------------------------------

WARNED = mutate((ONCE, '0.1b "未部署的,扣1分" once −4'))


def test_warnings_do_not_fail_compilation() -> None:
    rubric = qlrules.compile_rubric(WARNED, "x.qlr")
    assert len(rubric.warnings) == 1
    warning = rubric.warnings[0]
    assert warning.severity == "warning"
    assert "0.1b" in warning.message and "4" in warning.message and "3" in warning.message
    assert warning.line == locate(WARNED, "0.1b", "0.1b")[0]


def test_check_prints_warnings_and_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "x.qlr"
    path.write_text(WARNED, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout
    line = locate(WARNED, "0.1b", "0.1b")[0]
    assert re.search(re.escape(str(path)) + rf":{line}:\d+: warning: .*0\.1b", result.stderr), result.stderr
    assert "error" not in result.stderr


# -- encodings and signs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(TEMPLATE.encode("utf-8"), id="bytes"),
        pytest.param(b"\xef\xbb\xbf" + TEMPLATE.encode("utf-8"), id="bom"),
        pytest.param(TEMPLATE.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(b"\xef\xbb\xbf" + TEMPLATE.replace("\n", "\r\n").encode("utf-8"), id="bom+crlf"),
        pytest.param("\ufeff" + TEMPLATE.replace("\n", "\r\n"), id="str-bom+crlf"),
    ],
)
def test_bom_and_crlf_compile_to_the_same_model(variant: str | bytes, tmp_path: Path) -> None:
    plain = qlrules.compile_rubric(TEMPLATE, "x.qlr")
    assert model(qlrules.compile_rubric(variant, "x.qlr")) == model(plain)
    path = tmp_path / "x.qlr"
    path.write_bytes(variant if isinstance(variant, bytes) else variant.encode("utf-8"))
    assert model(qlrules.compile_file(path)) == model(plain)


@pytest.mark.parametrize("text", [MULTIPLE, next(c.text for c in CASES if c.id == "syntax_missing_rate")], ids=["compile-errors", "syntax-error"])
def test_bom_and_crlf_do_not_move_error_positions(text: str) -> None:
    plain = compile_error(text)
    crlf = text.replace("\n", "\r\n")
    for variant in (b"\xef\xbb\xbf" + text.encode(), crlf.encode(), b"\xef\xbb\xbf" + crlf.encode(), "\ufeff" + crlf):
        error = compile_error(variant)
        assert [(p.line, p.column, p.message) for p in error.problems] == [(p.line, p.column, p.message) for p in plain.problems]
        assert str(error) == str(plain)


@pytest.mark.parametrize("minus", ["-", "\u2212", "\uff0d"], ids=["hyphen-minus", "U+2212", "U+FF0D"])
def test_every_minus_reads_as_minus(minus: str) -> None:
    reference = qlrules.compile_rubric(TEMPLATE, "x.qlr")
    rubric = qlrules.compile_rubric(TEMPLATE.replace("−", minus), "x.qlr")
    assert [(c.id, rules.rate(c)) for c in rubric.clauses] == [(c.id, rules.rate(c)) for c in reference.clauses]
    assert [(a.id, rules.rate(a)) for a in rubric.adjustments] == [(a.id, rules.rate(a)) for a in reference.adjustments]
    assert rubric.clause_index["0.1a"].rule == rules.Each(Decimal("-0.5"), "项")  # rates are signed: −0.5 deducts
    assert [rules.rate(a) for a in rubric.adjustments] == [1, -1, Decimal("0.5")]


def test_fullwidth_plus_reads_as_plus() -> None:
    rubric = qlrules.compile_rubric(TEMPLATE.replace("+", "\uff0b"), "x.qlr")
    assert [(a.id, rules.rate(a)) for a in rubric.adjustments] == [
        (a.id, rules.rate(a)) for a in qlrules.compile_rubric(TEMPLATE, "x.qlr").adjustments
    ]


# -- golden messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_message(name: str, tmp_path: Path) -> None:
    text = MULTIPLE if name == "multiple_problems" else next(c for c in CASES if c.id == name).text
    path = tmp_path / "x.qlr"
    path.write_text(text, encoding="utf-8")
    result = run_check(path)
    assert result.returncode == 1
    golden_check(f"rubric_{name}", result.stderr.replace(str(path), "<FILE>"))

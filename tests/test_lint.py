"""The lints of `qlrules check`: official wording against the rule that encodes it, and --strict."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import qlrules
from qlrules.authoring.lint import lint
from qlrules.errors import Problem

from .conftest import ROOT, Cli

BUNDLED = ROOT / "rubrics" / "qinglian-jiguan.qlr"

#: One item of 2 points; the clause on line 5 is what each case varies.
TEMPLATE = """\
rubric "t" points 2
section S0 "s" points 2
  item 0.1 points 2
    text "{content}"
    0.1a "{wording}" {rule}
"""


def lints(wording: str, rule: str, content: str = "具体内容,2分。") -> list[Problem]:
    text = TEMPLATE.format(wording=wording, rule=rule, content=content)
    return lint(qlrules.compile_rubric(text, "t.qlr"), text)


@pytest.mark.parametrize(
    ("wording", "rule", "said"),
    [
        # the amount
        ("未传达学习的,扣1分", "once −0.5", "扣1分"),
        ("未传达学习的,每项扣0.5分", "each 项 −1", "扣0.5分"),
        ("主动报告线索的,扣1分", "discretionary", "扣1分"),
        ("主动报告线索的酌情扣分", "once −1", "酌情"),
        ("其他问题视情扣减", "once −1", "酌情"),  # the same vocabulary `draft` reads as discretionary
        ("每项扣0.5分,最多扣1分", "each 项 −0.5", "扣1分"),
        ("每项扣0.5分,最多扣1分", "each 项 −0.5 cap 1.5", "扣1分"),
        # the kind: 每项 / 发现一起 count; a plain 扣N分 does not
        ("未传达学习、专题研究的,每项扣0.5分", "once −0.5", "每项"),
        ("发现一起相关违规问题扣1分", "once −1", "发现一起"),
        ("每缺一项扣0.5分", "once −0.5", "每缺一项"),
        ("中心组未开展相关学习的,扣1分", "each 项 −1", "扣1分"),
        ("未落实谈心谈话要求的,每人次扣0.5分", "each 项 −0.5", "人次"),
        # numbers no rule carries
        ("三张清单未按要求制定完善的,每项扣0.5分", "each 项 −0.5", "三张"),
        ("三张清单未按要求制定完善的,每项扣0.5分", "each 项 −0.5 of 2", "三张"),
        ("未制定的,每项0.5分", "each 项 −1", "0.5分"),
        ("未制定的,扣1分,涉及3", "once −1", "3"),
        # a closed list without `of`
        ("未传达学习、专题研究和调度的,每项扣0.5分", "each 项 −0.5", "lists 3 things"),
        ("未细化责任分工、督办落实的,每项扣1分", "each −1", "lists 2 things"),
    ],
)
def test_each_lint_fires_on_a_minimal_example_naming_the_clause_and_its_line(wording: str, rule: str, said: str) -> None:
    (problem,) = lints(wording, rule)
    assert problem.severity == "warning"
    assert problem.line == 5 and problem.source == "t.qlr"
    assert "clause 0.1a" in problem.message and said in problem.message
    assert problem.render().startswith("t.qlr:5:5: warning: clause 0.1a")


@pytest.mark.parametrize(
    ("wording", "rule"),
    [
        ("市管干部受轻处分每人次扣1\u00a0分", "each 人次 −1"),  # a no-break space inside the amount
        ("未传达学习的,扣0 .5分", "once −0.5"),  # a space inside the number
        ("发现一起“躺\u00a0平式干部”现象的,扣0.5分", "each 起 −0.5"),  # 发现一起…扣N分 is each
        ("每项扣0.5分,最多扣1分", "each 项 −0.5 cap 1"),
        ("主动报告线索或查处问题\u00a0的酌情扣分", "discretionary"),
        ("其他问题酌情扣分,最多扣1.5分", "discretionary cap 1.5"),
        ("未按要求每年召开2次以上专题会议的,扣0.5分", "once −0.5"),  # a threshold: no rule carries it
        ("机关纪检干部出现空缺三个月内未及时增补的,扣1分", "once −1"),  # a span of time
        ("未建立本单位“13710”工作制度的,扣1分", "once −1"),  # a number naming a thing
        ("三张清单未按要求制定完善的,每项扣0.5分", "each 项 −0.5 of 3"),
        ("“学习强国”、“三讲一争”大讲堂、“三微一端”等载体未充分运用的,每项扣0.5分", "each 项 −0.5"),  # open list
        ("利用社交圈、朋友圈、生活圈搞团团伙伙的,每起扣2分", "each 起 −2"),  # counts events, not the list
        ("对派驻纪检监察组、市直纪检监察工委配合不力的,扣1.5分", "once −1.5"),
        ("未传达学习、专题研究和调度的,每项扣0.5分", "each 项 −0.5 of 3"),
        ("考评标准 0.1a", "each 项 −0.5"),  # no amount in the wording: nothing to disagree with
    ],
)
def test_wording_that_agrees_with_its_rule_gives_no_warning(wording: str, rule: str) -> None:
    assert lints(wording, rule) == []


def test_item_text_stating_other_points_than_the_item_is_named() -> None:
    (problem,) = lints("未传达学习的,扣1分", "once −1", content="专题研究部署,3\u00a0分。")
    assert problem.line == 3 and "item 0.1" in problem.message and "3分" in problem.message


ADJUSTMENTS = """\
rubric "t" points 1
section S0 "s" points 1
  item 0.1 points 1
    text "t"
    0.1a "x" once −1
adjustments "加减分项"
  A1 "受到表彰的每项加1分" each 项 {a1}
  A2 "受到通报批评的每 项扣0.5分" each 项 {a2}
"""


@pytest.mark.parametrize(("a1", "a2", "expected"), [
    ("+1", "−0.5", []),
    ("−1", "−0.5", [(7, "adjustment A1: the wording says 加1分 but the rule's rate is −1")]),
    ("+1", "+0.5", [(8, "adjustment A2: the wording says 扣0.5分 but the rule's rate is +0.5")]),
    ("+0.5", "−0.5", [(7, "adjustment A1: the wording says 加1分 but the rule's rate is +0.5")]),
])
def test_adjustment_wording_and_signed_rate(a1: str, a2: str, expected: list[tuple[int, str]]) -> None:
    text = ADJUSTMENTS.format(a1=a1, a2=a2)
    problems = lint(qlrules.compile_rubric(text, "t.qlr"), text)
    assert [(p.line, p.message) for p in problems] == expected


# -- the bundled rubric and `check --strict` --------------------------------


def test_bundled_rubric_has_no_lint_warning(seed: qlrules.Rubric) -> None:
    assert lint(seed, BUNDLED.read_text(encoding="utf-8")) == []


def test_bundled_rubric_passes_check_strict(cli: Cli) -> None:
    result = cli("check", "--strict", str(BUNDLED))
    assert result.exit_code == 0, result.output
    assert "warnings: 0" in result.stdout


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "edited.qlr"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_changing_a_number_in_an_official_wording_fails_check_strict_naming_the_clause(tmp_path: Path, cli: Cli) -> None:
    path = _edited(tmp_path, "调度的,每项扣0.5分", "调度的,每项扣1分")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '0.1a "' in text)
    strict = cli("check", "--strict", str(path))
    assert strict.exit_code == 1
    assert f"edited.qlr:{line}:5: warning: clause 0.1a: the wording says 扣1分 but the rule's rate is −0.5" in strict.stderr
    lenient = cli("check", str(path))
    assert lenient.exit_code == 0
    assert "clause 0.1a" in lenient.stderr and "warnings: 1" in lenient.stdout


@pytest.mark.parametrize(("old", "new", "said"), [
    ('督办落实的,每项扣1分" each 项 −1 of 2', '督办落实的,每项扣3分" each 项 −3 of 2',
     "clause 0.2a deducts 3, more than item 0.2 is worth (2)"),
    ('走过场的,发现一例扣1分" each 例 −1\n', '走过场的,发现一例扣1分" each 例 −1 cap 2\n',
     "clause 10.2b's cap 2 is not below what item 10.2 is worth (2), so it never applies"),
])
def test_compiler_warnings_fail_check_strict_and_the_lints_do_not_repeat_them(
        tmp_path: Path, old: str, new: str, said: str, cli: Cli) -> None:
    """validate.py warns of a rate above its item's points and a cap that never applies; --strict fails on them."""
    result = cli("check", "--strict", str(_edited(tmp_path, old, new)))
    assert result.exit_code == 1
    assert result.stderr.count("warning:") == 1 and said in result.stderr


def _worded_lines() -> list[tuple[int, str]]:
    """The bundled rubric's clause and adjustment lines whose wording states an amount."""
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    worded = (re.match(r'\s*([0-9A-Z][\w.]*) "[^"]*\d\s*分', line) for line in lines)
    return [(n, match[1]) for n, match in enumerate(worded) if match]


@pytest.mark.parametrize(("index", "ident"), _worded_lines(), ids=lambda x: str(x))
def test_changing_any_amount_in_the_bundled_wording_is_caught(index: int, ident: str) -> None:
    """Every clause's 扣N分 (and every adjustment's 加N分) is read: N+1 in its place gives a warning naming it."""
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    lines[index] = re.sub(r"(\d+(?:\.\d+)?)(?=\s*分)", lambda m: str(Decimal(m[1]) + 1), lines[index], count=1)
    text = "\n".join(lines) + "\n"
    problems = lint(qlrules.compile_rubric(text, "edited.qlr"), text)
    assert [p.line for p in problems] == [index + 1]
    assert f" {ident}:" in problems[0].message

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


# -- language 2: each construct tied to its wording ---------------------------------------------

#: One item of 10 points; the clause on line 5 is what each case varies.
TEMPLATE_2 = """\
rubric "t" points 10
section S0 "s" points 10
  item 0.1 points 10{earned}
    text "具体内容,10分。"
    0.1a "{wording}" {rule}
"""


def lints_2(wording: str, rule: str, earned: bool = False) -> list[Problem]:
    text = TEMPLATE_2.format(wording=wording, rule=rule, earned=" earned" if earned else "")
    return lint(qlrules.compile_rubric(text, "t.qlr"), text)


@pytest.mark.parametrize(
    ("wording", "rule", "said"),
    [
        # 扣1-2分 ↔ a range with those ends
        ("未执行各项监督,每例扣1-3分", "each 例 −1..−2", "the wording says 扣1-3分 but the rule's range is −1..−2"),
        ("视情节扣4－8分", "once −4..−7", "the wording says 扣4－8分 but the rule's range is −4..−7"),
        ("酌情加1－5分", "once −1..−5", "the wording says 加1－5分 but the rule's range is −1..−5"),
        ("视情节扣4分", "once −4..−8", "the wording says 扣4分, one amount, but the rule is the range −4..−8"),
        ("视情节扣4-8分", "once −4", "the wording says 扣4-8分, a range, but the rule is `once −4`"),
        ("每例扣1-2分", "once −1..−2", "the wording counts (每例) but the rule is `once`"),
        # 分别…、…分 ↔ levels with those rates, in that order
        ("到县、市、省、京上访的每例扣0.5、1、2、5分", "each 例 levels 县 −0.5, 市 −1, 省 −5, 京 −2",
         "the wording says 扣0.5、1、2、5分 but the rule's levels are 县 −0.5, 市 −1, 省 −5, 京 −2"),
        ("到县、市上访的每例扣0.5、1分", "each 例 levels 县 −0.5, 市 −1, 省 −2",
         "the wording says 扣0.5、1分 but the rule's levels are 县 −0.5, 市 −1, 省 −2"),
        ("考评为优秀、良好的分别得2、1分,不合格的扣1-3分", "once levels 优秀 +2, 良好 +1, 不合格 −1..−2",
         "the wording says 得2、1分 … 扣1-3分 but the rule's levels are 优秀 +2, 良好 +1, 不合格 −1..−2"),
        ("到县、市上访的每例扣0.5、1分", "each 例 −1", "the wording says 扣0.5、1分, a rate for each level, but the rule is `each 例 −1`"),
        # 得N分 / 加N分 ↔ an award of N
        ("做到年初有工作计划的得1分", "once −1", "the wording says 得1分 but the rule's rate is −1"),
        ("做到年初有工作计划的得1分", "once +2", "the wording says 得1分 but the rule's rate is +2"),
        ("受到表彰的加2分", "once +1", "the wording says 加2分 but the rule's rate is +1"),
        # 每降低 / 每增加 ↔ a measure's steps; 以上 / 以下 ↔ its tiers
        ("低于96%的,每降低1个百分点扣0.25分", "measure % below 96 −0.25",
         "the wording says 低于96%的,每降低1个百分点扣0.25分, per step, but the rule's band below 96 −0.25 has no `per`"),
        ("低于96%的,每降低1个百分点扣0.25分;低于90%的,每降低1个百分点扣0.5分", "measure % below 96 per 1 −0.25, below 90 per 1 −1",
         "the wording says 低于90%的,每降低1个百分点扣0.5分 but the rule's band is below 90 per 1 −1"),
        ("低于96%的,每降低2个百分点扣0.25分", "measure % below 96 per 1 −0.25",
         "the wording says 低于96%的,每降低2个百分点扣0.25分 but the rule's band is below 96 per 1 −0.25"),
        ("低于96%的,每降低1个百分点扣0.25分", "measure % below 95 per 1 −0.25",
         "the wording says 低于96%的,每降低1个百分点扣0.25分 but the rule's band is below 95 per 1 −0.25"),
        ("低于96%的,每降低1个百分点扣0.25分", "measure % below 96 per 1 −0.25, below 90 per 1 −0.5",
         "the wording states 1 amounts (扣0.25分) but the rule has 2 bands: below 96 per 1 −0.25, below 90 per 1 −0.5"),
        ("积极分子达到5人以上的,每增加1人加0.5分", "measure 人 above 5 per 1 −0.5",
         "the wording says 积极分子达到5人以上的,每增加1人加0.5分 but the rule's band is above 5 per 1 −0.5"),
        ("兵役登记率未达到100%的,扣1分", "measure % below 100 per 1 −1",
         "the wording says 兵役登记率未达到100%的,扣1分 with no 每 (per step) but the rule's band below 100 per 1 −1 counts per 1"),
        ("兵役登记率未达到100%的,扣1分", "measure % above 100 −1",
         "the wording says 兵役登记率未达到100%的,扣1分 but the rule's band is above 100 −1"),
        ("后退5位以上的扣1分,后退10位以上的扣2分", "measure 位 above 5 −1, above 10 −2",
         "the wording says 后退5位以上的扣1分 (以上/以下: a tier) but the rule's band is above 5 −1, not `tiers`"),
        ("后退5位以上的扣1分,后退10位以上的扣2分", "measure 位 tiers at least 10 −2, at least 6 −1",
         "the wording says 后退5位以上的扣1分 but the rule's band is at least 6 −1"),
        ("后退5位以上的扣1分", "measure 位 tiers at most 5 −1", "the wording says 后退5位以上的扣1分 but the rule's band is at most 5 −1"),
        ("低于96%的,每降低1个百分点扣0.25分", "measure % tiers at most 96 −0.25",
         "the wording says 低于96%的,每降低1个百分点扣0.25分, per step, but the rule is `tiers`: at most 96 −0.25"),
        # 最高减N分 / 扣完为止 on a clause ↔ its cap (or its item's)
        ("每人次减2.5分,最高减5分", "each 人次 −2.5", "the wording says 减5分 but the rule has no cap"),
        ("每人次减2.5分,最高减5分", "each 人次 −2.5 cap 4", "the wording says 减5分 but the rule's cap is 4"),
        ("积极分子达到5人以上的,每增加1人加0.5分,最高加2分", "measure 人 above 5 per 1 +0.5", "the wording says 加2分 but the rule has no cap"),
        ("每例扣1-2分,最多扣4分", "each 例 −1..−2 cap 3", "the wording says 扣4分 but the rule's cap is 3"),
        ("每例扣1分,扣完为止", "each 例 −1", "the wording says 扣完为止 but neither it nor item 0.1 has a cap"),
        # 本项不得分 ↔ a once deduction of the item's points
        ("凡出现一例,本项不得分", "once −4", "the wording says 本项不得分 but the rule is `once −4`, not `once −10` (item 0.1's points)"),
        ("未实行公开制度,不得分", "once −1..−10", "the wording says 本项不得分 but the rule is `once −1..−10`, not `once −10`"),
        # 一票否决 ↔ a veto
        ("发生重大案件的,实行“一票否决”", "once −10",
         "the wording says 一票否决 but the rule is `once −10`, not a veto (write it under `vetoes` as `veto GRADE`)"),
    ],
)
def test_each_language_2_construct_disagreeing_with_its_wording_is_named(wording: str, rule: str, said: str) -> None:
    problems = lints_2(wording, rule)
    assert problems, "no warning"
    assert all(p.line == 5 and "clause 0.1a: " in p.message for p in problems)
    assert any(said in p.message for p in problems), [p.message for p in problems]


@pytest.mark.parametrize(
    ("wording", "rule"),
    [
        ("未执行各项监督,每例扣1-2分", "each 例 −1..−2"),
        ("视情节扣4－8分", "once −4..−8"),
        ("党员在助推基层治理中发挥作用较好的,酌情加1－5分", "once +1..+5"),  # 酌情 within a range is the range's
        ("其他经镇党委会研究决定给予加分的情形,视情加0-5分", "once +0..+5"),
        ("经镇党委会研究决定给予加分的情形", "once +0..+5"),  # no amount: nothing to disagree with
        ("到县、市、省、京上访的每例扣0.5、1、2、5分", "each 例 levels 县 −0.5, 市 −1, 省 −2, 京 −5"),
        ("考评为优秀、良好的分别得2、1分,不合格的扣1-2分", "once levels 优秀 +2, 良好 +1, 不合格 −1..−2"),
        ("发生较大安全事故死亡3-5人的,每起扣5分;死亡6-9人的,每起扣10分", "each 起 levels 三至五人 −5, 六至九人 −10"),
        ("迟报、漏报的每起扣1分,瞒报的每起扣2分", "each 起 levels 迟报 −1, 漏报 −1, 瞒报 −2"),  # one rate for two levels
        ("前述同类事故再次发生的,加倍扣分", "each 起 levels 三至五人 −5, 六至九人 −10"),
        ("做到年初有工作计划的得1分", "once +1"),
        ("受到表彰的加2分", "once +2"),
        ("低于96%的,每降低1个百分点扣0.25分;低于90%的,每降低1个百分点扣0.5分", "measure % below 96 per 1 −0.25, below 90 per 1 −0.5"),
        ("群众知晓率低于前一年度全省平均数的,每低1个百分点扣0.25分", "measure 个百分点 below 0 per 1 −0.25"),
        ("积极分子达到5人以上的,每增加1人加0.5分,最高加2分", "measure 人 above 5 per 1 +0.5 cap 2"),
        ("兵役登记率未达到100%的,扣1分", "measure % below 100 −1"),
        ("后退5位以上的扣1分,后退10位以上的扣2分", "measure 位 tiers at least 10 −2, at least 5 −1"),
        ("每人次减2.5分,最高减5分", "each 人次 −2.5 cap 5"),
        ("凡出现一例,本项不得分", "once −10"),
        ("未实行党务、企务公开制度,不得分", "once −10"),
        ("发生“一票否决”重特大事项的,扣10分", "once −10"),  # the name of a kind of event, not a veto
        ("命案造成3-4人死亡的,每起扣5分", "each 起 −5"),  # 3-4人 is a condition
        ("被暗访发现问题的,每个问题点扣0.25分", "each 问题点 −0.25"),  # 每个问题点 counts per 问题点
        ("月度排名末两位的,每个每次扣0.5分", "each 个次 −0.5"),  # 每个每次 counts per 个次
    ],
)
def test_each_language_2_construct_agreeing_with_its_wording_gives_no_warning(wording: str, rule: str) -> None:
    assert [p.message for p in lints_2(wording, rule)] == []


def test_an_award_in_an_earned_item_and_its_wording() -> None:
    assert lints_2("做到年初有工作计划的得1分", "once +1", earned=True) == []
    (problem,) = lints_2("做到年初有工作计划的得1分", "once −1", earned=True)
    assert problem.message == "clause 0.1a: the wording says 得1分 but the rule's rate is −1"


def test_an_item_text_listing_rates_or_a_range_does_not_state_other_points() -> None:
    text = TEMPLATE_2.format(wording="每起分别扣0.5、1、2分", rule="each 起 levels 迟报 −0.5, 漏报 −1, 瞒报 −2", earned="")
    text = text.replace("具体内容,10分。", "重大紧急信息迟报、漏报、瞒报的,每起分别扣0.5、1、2分;其他每例扣1-2分。")
    assert lint(qlrules.compile_rubric(text, "t.qlr"), text) == []


#: Sections, topics, groups, grades and vetoes: each line of it is varied by a test.
PARTS = """\
rubric "t" points 10
section S1 "{stitle}" points 5{scap}
  S1a "{swording}" each 人次 −2.5 cap 5
  item 1.1 points 5
    text "x"
    1.1a "x" once −1
section S2 "s2" points 5
  topic 3 "{ttitle}" points 5{tcap}
    item 3.1 points 5{icap}
      text "{itext}"
      3.1a "每例扣1分" each 例 −1
adjustments B "{gtitle}"{gcap}
  B1 "获镇党委政府,县、市、省级部门通报表扬的,分别加2、4、6、10分" each 次 levels 镇 +2, 县 +4, 市 +6, 省 +{b1}
grades "考核结果"
  优秀 "{g1}" at least 9
  达标 "{g2}" from 6 to 8
  不达标 "5分(含)以下为不达标" at most 5
vetoes "否决项"
  V1 "{veto}" veto 不达标
"""
AGREE = {"stitle": "领导责任制(本项减完为止)", "scap": " cap 5", "swording": "每人次减2.5分,最高减5分",
         "ttitle": "平安三率(本项限扣5分)", "tcap": " cap 5", "icap": " cap 5", "itext": "每例扣1分,扣完为止。",
         "gtitle": "加分项(最高加3分)", "gcap": " cap 3", "b1": "10", "g1": "9分(含)以上为优秀", "g2": "6-8为达标",
         "veto": "发生重大案件的,实行“一票否决”"}


def _parts(**edits: str) -> list[tuple[int, str]]:
    text = PARTS.format(**{**AGREE, **edits})
    return [(p.line, p.message) for p in lint(qlrules.compile_rubric(text, "t.qlr"), text)]


def test_parts_whose_words_agree_with_their_caps_grades_and_vetoes_give_no_warning() -> None:
    assert _parts() == []
    assert _parts(g1="9分(含)以上", g2="6分至8分为达标", veto="发生重大案件的,一票否决,评为不达标") == []


@pytest.mark.parametrize(("edit", "expected"), [
    # 减完为止 / 限扣N分 / 最高加N分 in a title or text ↔ that part's cap
    ({"scap": ""}, (2, "section S1: its title says 减完为止 but it has no cap (its points are 5)")),
    ({"scap": " cap 4"}, (2, "section S1: its title says 减完为止 but its cap is 4, not its points 5")),
    ({"tcap": ""}, (8, "topic 3: its title says 扣5分 but it has no cap")),
    ({"tcap": " cap 4"}, (8, "topic 3: its title says 扣5分 but its cap is 4")),
    ({"icap": ""}, (9, "item 3.1: its text says 扣完为止 but it has no cap (its points are 5)")),
    ({"gcap": ""}, (12, "adjustment group B: its title says 加3分 but it has no cap")),
    # a section's own clauses are linted as an item's are
    ({"swording": "每人次减2分,最高减5分"}, (3, "clause S1a: the wording says 减2分 but the rule's rate is −2.5")),
    # an adjustment's levels
    ({"b1": "8"}, (13, "adjustment B1: the wording says 加2、4、6、10分 but the rule's levels are 镇 +2, 县 +4, 市 +6, 省 +8")),
    # a grade's wording ↔ its bounds
    ({"g1": "8分(含)以上为优秀"}, (15, "grade 优秀: the wording says 8分(含)以上 but the grade is at least 9")),
    ({"g1": "9分(含)以下为优秀"}, (15, "grade 优秀: the wording says 9分(含)以下 but the grade is at least 9")),
    ({"g2": "6-7为达标"}, (16, "grade 达标: the wording says 6-7 but the grade is from 6 to 8")),
    ({"g2": "6-8为优秀"}, (16, "grade 达标: the wording names 优秀, not 达标")),
    # 一票否决 ↔ a veto
    ({"veto": "发生重大案件的"}, (19, "veto V1: the wording does not say 一票否决 (or 否决), but the clause is a veto")),
    ({"veto": "发生重大案件的,一票否决,评为达标"}, (19, "veto V1: the wording says 达标 but the veto's grade is 不达标")),
])
def test_parts_whose_words_disagree_are_named(edit: dict[str, str], expected: tuple[int, str]) -> None:
    assert _parts(**edit) == [expected]


def test_item_cap_rule_bounds_every_full_item_for_its_words() -> None:
    """注2 is every full item's 扣完为止: an item saying so needs no cap of its own."""
    text = TEMPLATE_2.format(wording="每例扣1分,扣完为止", rule="each 例 −1", earned="").replace("具体内容,10分。", "具体内容,扣完为止。")
    assert len(lint(qlrules.compile_rubric(text, "t.qlr"), text)) == 2
    text = text.replace('rubric "t" points 10\n', 'rubric "t" points 10\n  rule item-cap "各项扣分以该项分值为限,扣完为止。"\n')
    assert lint(qlrules.compile_rubric(text, "t.qlr"), text) == []


"""Clause-level recognition: a 考评标准's wording to the language-2 rule `qlrules draft` writes for it.

The wordings are written in the manner of the family's rubrics (shared/corpus: a state
enterprise's 党风廉政建设责任制, a county's 综治 rubric, a city's 负面清单), not copied from them.
Each construct is checked as source text (the one unparser writes it), and every drafted
document here is compiled as drafted and checked with `--strict`'s lints: a warning is allowed
only right under a TODO that explains it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qlrules
from qlrules.authoring.draft import Draft, draft
from qlrules.authoring.grading import grade_line, grades_of, vetoes_of
from qlrules.authoring.lint import lint
from qlrules.authoring.recognise import clauses_of, exhausted, part_cap, rule_text, split_criteria
from qlrules.authoring.wording import COUNTED, ONE_BY_ONE


def drafted(criteria: str, adjustments: bool = False) -> list[tuple[str, str]]:
    """(wording, rule source) of each clause drafted from ``criteria``."""
    return [(c.text, rule_text(c)) for c in clauses_of(criteria, adjustments)]


def rules_of(criteria: str, adjustments: bool = False) -> list[str]:
    return [rule for _text, rule in drafted(criteria, adjustments)]


def todos_of(criteria: str, adjustments: bool = False) -> list[list[str]]:
    return [c.todos for c in clauses_of(criteria, adjustments)]


# -- one construct at a time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "rule"),
    [
        # the seed's vocabulary, as before
        ("未组织专题学习的,扣1分", "once −1"),
        ("台账缺失的,每项扣0.5分", "each 项 −0.5"),
        ("发现一起违规操办宴席问题扣1分", "each 起 −1"),
        ("未开展谈话的,每人次扣0.5分", "each 人次 −0.5"),
        ("落实不力的,酌情扣分", "discretionary"),
        # ranges, with a hyphen, a full-width hyphen or 至
        ("处置舆情不当造成不良影响的,扣1-2分", "once −1..−2"),
        ("处置舆情不当造成不良影响的,扣1－2分", "once −1..−2"),
        ("处置舆情不当造成不良影响的,扣1至3分", "once −1..−3"),
        ("管辖范围内发生违纪案件的,视情节扣3-6分", "once −3..−6"),
        ("违反廉洁从业规定的,视情节每例扣1-2分", "each 例 −1..−2"),
        ("党员示范作用突出的,酌情加1－4分", "once +1..+4"),
        # levels, in both ways of writing the list
        ("情节较轻的、较重的、严重的分别扣1分、2分、3分", "once levels 较轻 −1, 较重 −2, 严重 −3"),
        ("群众到县、市、省上访的每例扣0.5、1、2分", "each 例 levels 县 −0.5, 市 −1, 省 −2"),
        # awards
        ("做到年初有计划、年终有总结的得1分", "once +1"),
        ("工作获上级肯定的,加0.5分", "once +0.5"),
        ("每获一次表彰加0.5分", "each 次 +0.5"),
        # caps
        ("班子成员受党纪处分的,每人次减2分,最高减4分", "each 人次 −2 cap 4"),
        ("迟报漏报的每例扣0.5分,最多不超过2分", "each 例 −0.5 cap 2"),
        ("台账不全的每项扣0.2分;累计最高扣1分", "each 项 −0.2 cap 1"),
        ("值班脱岗的每次扣0.5分,本项限扣2分", "each 次 −0.5 cap 2"),
        # measures: progressive bands, a band without a step, tiers
        ("群众满意率低于95%的,每降低1个百分点扣0.2分;低于85%的,每降低1个百分点扣0.4分",
         "measure % below 95 per 1 −0.2, below 85 per 1 −0.4"),
        ("志愿者达到10人以上的,每增加1人加0.2分,最高加1分", "measure 人 above 10 per 1 +0.2 cap 1"),
        ("信息报送率未达到100%的,扣0.5分", "measure % below 100 −0.5"),
        ("综合排名较上年后退3位以上的扣1分,后退6位以上的扣2分", "measure 位 tiers at least 6 −2, at least 3 −1"),
    ],
)
def test_each_construct(criteria: str, rule: str) -> None:
    assert rules_of(criteria) == [rule]


def test_the_documents_own_enumeration_is_no_number_of_the_rule() -> None:
    """(1)未执行各项监督…: check --strict reads past the mark, so the draft relays no warning about it."""
    result = draft("一、监督（5分）\n1.日常监督（5分）\n1.开展监督，5分。(1)未执行各项监督,每例扣1-2分;(2)监督不到位,酌情扣分。\n")
    assert relayed(result) == [] and "each 例 −1..−2" in result.text


def test_the_wording_is_kept_verbatim() -> None:
    text = "处置舆情不当造成不良影响的,扣1－2分"
    assert drafted(text) == [(text, "once −1..−2")]


def test_unnamed_levels_get_placeholder_names_and_a_todo() -> None:
    [clause] = clauses_of("视问题性质分别扣1分、2分、3分", adjustments=False)
    assert rule_text(clause) == "once levels 一档 −1, 二档 −2, 三档 −3"
    assert any("name them" in t for t in clause.todos)


def test_levels_with_a_name_before_the_list() -> None:
    """获乡镇党委,县、市级通报表扬: the first level stands before the list."""
    [clause] = clauses_of("有关工作获乡党委,县、市级部门通报表扬的,分别加1、2、3分", adjustments=True)
    assert rule_text(clause) == "each 次 levels 乡 +1, 县 +2, 市 +3"  # in 加减分项, each commendation counts
    assert any("check the names" in t for t in clause.todos) and any("同一项目就高" in t for t in clause.todos)


def test_a_level_whose_rate_is_a_range() -> None:
    """为优秀、良好的分别得2、1分,不合格的扣1-2分: the third level follows the list."""
    assert drafted("年度考评为优秀、良好的分别得2、1分,不合格的扣1-2分") == [
        ("年度考评为优秀、良好的分别得2、1分,不合格的扣1-2分", "once levels 优秀 +2, 良好 +1, 不合格 −1..−2")]


def test_an_open_award_in_the_adjustments_is_a_range_from_0() -> None:
    [clause] = clauses_of("有工作创新的,视情给予加分", adjustments=True)
    assert rule_text(clause) == "once +0..+1" and "set the most it can give" in clause.todos[0]


def test_part_caps_in_headings() -> None:
    assert part_cap("平安三率(本项限扣5分)") == 5 and part_cap("综治工作") is None
    assert exhausted("考核奖惩(减完为止)") and not exhausted("考核奖惩")


def test_the_whole_part_lost() -> None:
    """本项不得分: `once` at the part's points, which `draft` fills in from the item (a TODO to check it)."""
    [clause] = clauses_of("凡出现一例,本项不得分", adjustments=False)
    assert clause.kind == "once" and clause.rate is None and any("不得分" in t for t in clause.todos)


def test_exhausted_marks_the_clause_for_its_item() -> None:
    [clause] = clauses_of("对涉稳信息迟报、漏报的每例减1分,减完为止", adjustments=False)
    assert rule_text(clause) == "each 例 −1" and clause.exhausted


def test_a_veto_deducting_nothing() -> None:
    [clause] = clauses_of("班子成员出现严重违纪违法的,实行“一票否决”", adjustments=False)
    assert clause.kind == "veto" and clause.veto


def test_a_veto_that_also_deducts_keeps_its_rate_with_a_todo() -> None:
    [clause] = clauses_of("发生重大责任事故的,扣10分并实行一票否决", adjustments=False)
    assert rule_text(clause) == "once −10" and clause.veto and any("vetoes" in t for t in clause.todos)


def test_the_event_named_一票否决_is_no_veto() -> None:
    """“一票否决”事项 names a kind of event: the clause deducts (the 负面清单's −30)."""
    [clause] = clauses_of("发生“一票否决”事项的,扣30分", adjustments=False)
    assert rule_text(clause) == "once −30" and not clause.veto


# -- counting is never `once` without a TODO ----------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "rule", "todo"),
    [
        ("消防知识抽查,1人不知晓扣2分", "each 人 −2", "counts one by one"),
        ("有1人未参加培训扣1分", "each 人 −1", "counts one by one"),
        ("知晓率低于全市平均水平的,每低1个百分点扣0.2分", "measure 个百分点 below 0 per 1 −0.2", "is no number"),
        ("每低1个百分点扣0.2分", "each 百分点 −0.2", "gives no number"),
        ("每超1天扣0.5分", "once −0.5", "the wording counts"),
    ],
)
def test_counting_wording_says_so(criteria: str, rule: str, todo: str) -> None:
    [clause] = clauses_of(criteria, adjustments=False)
    assert rule_text(clause) == rule
    assert any(todo in t for t in clause.todos), clause.todos


def test_per_step_is_a_measure_not_once() -> None:
    [clause] = clauses_of("安全感低于96%的,每降低1个百分点扣0.25分", adjustments=False)
    assert rule_text(clause) == "measure % below 96 per 1 −0.25" and clause.todos == []


def test_the_thing_counted_after_每个() -> None:
    assert rules_of("暗访发现问题的,每个问题点扣0.25分") == ["each 问题点 −0.25"]
    assert rules_of("月度排名末位的,每个每次扣0.5分") == ["each 个次 −0.5"]


# -- where a criterion splits ------------------------------------------------------------------


def test_a_bound_and_the_next_band_stay_with_their_clause() -> None:
    assert [w for w, _ in split_criteria("每次扣0.5分;累计最高扣2分。未落实的,扣1分")] == ["每次扣0.5分;累计最高扣2分", "未落实的,扣1分"]
    both = "低于96%的,每降低1个百分点扣0.25分;低于90%的,每降低1个百分点扣0.5分"
    assert [w for w, _ in split_criteria(both + "。台账不全的,扣1分")] == [both, "台账不全的,扣1分"]


def test_tiers_of_both_directions_are_two_clauses() -> None:
    assert rules_of("位次后退5位以上的扣1分,后退10位以上的扣2分;进步5位以上的加0.5分,进步10位以上的加1分") == [
        "measure 位 tiers at least 10 −2, at least 5 −1", "measure 位 tiers at least 10 +1, at least 5 +0.5"]


def test_a_comma_before_不得分_splits() -> None:
    assert rules_of("情节轻微的每例扣2分,情节严重的,凡出现一例,本项不得分")[0] == "each 例 −2"
    assert len(clauses_of("情节轻微的每例扣2分,情节严重的,凡出现一例,本项不得分", adjustments=False)) == 2


def test_a_ceiling_after_a_comma_does_not_split() -> None:
    assert rules_of("严重违纪的,每人次减2.5分,最高减5分") == ["each 人次 −2.5 cap 5"]


# -- grades and vetoes from a note ---------------------------------------------------------------


NOTE = "考核按百分制,总分90分(含)以上为优秀,80-89分为良好,60分以下为不合格;发生重大案件的,实行“一票否决”"


def test_grades_from_a_note() -> None:
    assert [(g.name, grade_line(g)) for g in grades_of([NOTE])] == [
        ("优秀", "at least 90"), ("良好", "from 80 to 89"), ("不合格", "at most 60")]
    assert [v.text for v in vetoes_of(NOTE)] == ["发生重大案件的,实行“一票否决”"]


def test_a_strict_bound_gets_a_todo() -> None:
    [grade] = grades_of(["低于60分为不合格"])
    assert grade_line(grade) == "at most 60" and "excludes 60" in grade.todos[0]


# -- whole drafts: they compile, and check --strict agrees with them ----------------------------


DOCUMENT = """\
某县平安建设考评细则

一、组织领导（10分）

1.责任落实（6分）

1.签订责任书，2分。未签订的，视情节每例扣1-2分；责任人严重违纪的，每人次减1分，最高减2分。
2.开展培训，2分。安全知识抽查，1人不知晓扣0.5分；不报送或不按时报送的每次减0.5分，减完为止。
3.上访管控，2分。到县、市、省、京上访的每例扣0.5、1、1.5、2分。

2.工作计划（4分）

1.制定工作计划，2分。做到年初有计划，年终有总结的得2分。
2.群众安全感，2分。群众安全感低于96%的，每降低1个百分点扣0.25分；低于90%的，每降低1个百分点扣0.5分。

二、监督执纪（5分）

3.日常监督（5分）

1.开展日常监督，3分。未开展监督的，不得分；发生重大案件的，实行“一票否决”。
2.考核位次，2分。年度考核位次后退5位以上的扣1分，后退10位以上的扣2分。

加分项
有关工作获县、市、省级通报表扬的，分别加1、2、3分。党员发挥作用较好的，酌情加1－5分。

扣分项
被通报批评的每次扣1分。

注：1.同一问题不重复扣分，以扣分最高值为准。
2.总分90分(含)以上为优秀，76-89为达标，75分(含)以下为不达标。
"""


def unexplained_warnings(result: Draft) -> list[str]:
    """The warnings `check --strict` gives on a draft (the compiler's and the lints') with no TODO right above their line.

    `draft` itself turns such warnings into TODOs ("check --strict says: …"): for what the recognisers
    should have understood, `relayed` lists them, and the tests of recognition want none.
    """
    rubric = qlrules.compile_rubric(result.text, "draft.qlr")
    lines = result.text.splitlines()
    unexplained = []
    for warning in [*rubric.warnings, *lint(rubric, result.text)]:
        above = lines[warning.line - 2].strip() if warning.line >= 2 else ""
        if not above.startswith("# TODO:"):
            unexplained.append(f"{warning.line}: {warning.message}")
    return unexplained


def test_a_document_of_every_construct() -> None:
    result = draft(DOCUMENT, "constructs.txt")
    rubric = qlrules.compile_rubric(result.text, "constructs.qlr")
    got = {c.id: rule_text_of(c) for c in rubric.clauses}
    assert got == {
        "1.1a": "each 例 −1..−2",
        "1.1b": "each 人次 −1 cap 2",
        "1.2a": "each 人 −0.5",
        "1.2b": "each 次 −0.5",
        "1.3a": "each 例 levels 县 −0.5, 市 −1, 省 −1.5, 京 −2",
        "2.1a": "once +2",
        "2.2a": "measure % below 96 per 1 −0.25, below 90 per 1 −0.5",
        "3.1a": "once −3",
        "3.2a": "measure 位 tiers at least 10 −2, at least 5 −1",
    }
    assert rubric.item_index["1.2"].cap == 2  # 减完为止
    assert rubric.item_index["2.1"].earned  # 做到…的得2分
    assert [(g.id, g.title) for g in rubric.adjustment_groups] == [("B", "加分项"), ("N", "扣分项")]
    assert [rule_text_of(a) for a in rubric.adjustments] == ["each 次 levels 县 +1, 市 +2, 省 +3", "once +1..+5", "each 次 −1"]
    assert [(g.name, g.low, g.high) for g in rubric.grades] == [("优秀", 90, None), ("达标", 76, 89), ("不达标", None, 75)]
    assert [(v.id, v.text, v.grade) for v in rubric.vetoes] == [("V1", "发生重大案件的，实行“一票否决”", "不达标")]
    assert unexplained_warnings(result) == [] and relayed(result) == []


def relayed(result: Draft) -> list[str]:
    """The TODOs that only pass on a warning of `check --strict`: what recognition left unexplained."""
    return [t.message for t in result.todos if t.message.startswith("check --strict says")]


def rule_text_of(target: qlrules.Clause | qlrules.Adjustment) -> str:
    from qlrules.language.unparse import modifiers, rule_source

    return rule_source(target.rule) + modifiers(target.of, target.cap)


def test_a_veto_without_grades_waits_in_a_comment() -> None:
    document = DOCUMENT.split("注：")[0]
    result = draft(document, "no-grades.txt")
    rubric = qlrules.compile_rubric(result.text, "no-grades.qlr")
    assert rubric.vetoes == () and rubric.grades == ()
    assert '#   V1 "发生重大案件的，实行“一票否决”" veto ?' in result.text
    assert any(t.target == "vetoes" and "states no grades" in t.message for t in result.todos)


@pytest.mark.parametrize("name", ["guoqi-dflz-zerenzhi", "wenzhou-pingan-fumian", "xxxian-zongzhi-pingan"])
def test_corpus_sentences_draft_to_rules_that_compile(name: str) -> None:
    """Every point-stating sentence of a corpus document, as the 考评标准 of one item: a draft that compiles."""
    from .conftest import ROOT

    path = ROOT / "tests" / "fixtures" / "draft" / "corpus" / f"{name}.txt"  # the committed copies: runs on any checkout
    body = "".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    body = re.sub(r"(?<![\d.])\d{1,2}[.、](?!\d)|[(（]\d{1,2}[)）]", "", body)  # the document's own numbering
    sentences = [s for s in re.split(r"[;；。]", body) if re.search(r"[扣减加得]\d|不得分|\d分", s)]
    document = "一、测试（100分）\n\n1.测试（100分）\n\n1.测试内容，100分。" + "；".join(sentences) + "。\n"
    result = draft(document, f"{name}.txt")
    assert lost(result, sentences) == []
    assert unexplained_warnings(result) == []  # what recognition leaves (a stray 16 from a flattened table) is relayed


# -- measured on the family's hand-made rubrics ------------------------------------------------

#: Clauses and adjustments of examples/rubrics/ whose wording, drafted alone, gives the rule the
#: rubric's author wrote. Raise these when recognition improves; never lower them. What stops the
#: rest: 本项不得分 takes the item's points (known only in the whole draft: guoqi 2), an open
#: 视情给予加分 has no bound in the document (guoqi B1), and the author's own judgements (wenzhou:
#: 加倍扣分 as levels by death toll, 死亡3-5人/6-9人 folded into levels, 加倍扣分 as the base rate).
FAMILY = {"guoqi-dflz": (36, 39), "wenzhou-fumian": (17, 20), "xxxian-zongzhi": (32, 32)}


@pytest.mark.parametrize("name", sorted(FAMILY))
def test_family_wordings_draft_to_their_rules(name: str) -> None:
    from qlrules.language.unparse import modifiers, rule_source

    from .conftest import ROOT

    rubric = qlrules.compile_file(ROOT / "examples" / "rubrics" / f"{name}.qlr")
    targets = [(c, False) for c in rubric.clauses] + [(a, True) for a in rubric.adjustments]
    right = [t.id for t, adjustment in targets
             if rules_of(t.text, adjustment) == [rule_source(t.rule) + modifiers(None, t.cap)]]
    assert (len(right), len(targets)) == FAMILY[name]


# -- the property: no sentence that states points is ever lost -----------------------------------

SUBJECTS = ("未签订责任书", "未开展学习", "检查流于形式", "台账资料不全", "整改不到位")
AMOUNTS = ("0.5", "1", "2")

SENTENCES = st.one_of(
    st.builds("{0}的，扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，每项扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，每人次减{1}分，最高减3分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，视情节扣{1}-3分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，每例扣{1}－3分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，不得分".format, st.sampled_from(SUBJECTS)),
    st.builds("{0}，1人不知晓扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}，有1人扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}低于96%的，每降低1个百分点扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}，每低1个百分点扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，酌情扣分".format, st.sampled_from(SUBJECTS)),
    st.builds("情节较轻的、严重的分别扣{0}分、3分".format, st.sampled_from(AMOUNTS)),
    st.builds("{0}的每次扣{1}分，扣完为止".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的得{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，加{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS)),
    st.builds("{0}的，扣{1}分，{2}的，扣{1}分".format, st.sampled_from(SUBJECTS), st.sampled_from(AMOUNTS), st.sampled_from(SUBJECTS)),
)
def lost(result: Draft, sentences: list[str]) -> list[str]:
    """The pieces of ``sentences`` that state points and are neither in a drafted wording nor in a comment."""
    rubric = qlrules.compile_rubric(result.text, "draft.qlr")  # drafts compile as drafted
    wordings = [c.text for c in rubric.clauses] + [a.text for a in rubric.adjustments] + [v.text for v in rubric.vetoes]
    comments = [line for line in result.text.splitlines() if line.strip().startswith("#")]
    return [
        fragment
        for sentence in sentences
        for fragment in re.split("[，,]", sentence)
        if POINTS.search(fragment) and not any(fragment in w for w in wordings) and not any(fragment in c for c in comments)
    ]


#: What states points, in a fragment of a sentence.
POINTS = re.compile(r"[扣减加得]\d|\d分|不得分")


@given(st.lists(SENTENCES, min_size=1, max_size=6), st.sampled_from(("；", "。", ";")))
def test_every_sentence_with_points_is_drafted_or_flagged(sentences: list[str], separator: str) -> None:
    document = "一、测试（5分）\n\n1.测试（5分）\n\n1.测试内容，5分。" + separator.join(sentences) + "。\n"
    result = draft(document, "generated.txt")
    rubric = qlrules.compile_rubric(result.text, "generated.qlr")  # drafts compile as drafted
    assert lost(result, sentences) == []
    # A wording that counts is never `once` without a TODO right above it.
    lines = result.text.splitlines()
    for clause in rubric.clauses:
        counts = COUNTED.search(clause.text) or ONE_BY_ONE.search(clause.text) or re.search(r"每[^，,]{0,4}\d", clause.text)
        if counts and rule_text_of(clause).startswith("once"):
            assert lines[clause.span.line - 2].strip().startswith("# TODO:"), clause.text
    assert unexplained_warnings(result) == [] and relayed(result) == []

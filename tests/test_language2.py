"""Language 2 through the compiler, the findings checks, the scorer and fmt: one behaviour per test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import qlrules
from qlrules.authoring.fmt import format_text
from qlrules.language.unparse import rubric_source
from qlrules.model import Band, Level, Levels, Measure, Ranged, meaning

HEAD = 'rubric "测试" points 10\n'


def rubric_with(body: str, points: int = 10, tail: str = "") -> str:
    """A one-section rubric of ``points`` whose single item holds ``body`` (clause lines)."""
    return (f'rubric "测试" points {points}\nsection S1 "s" points {points}\n  item 1.1 points {points}\n    text "t"\n'
            + "".join(f"    {line}\n" for line in body.strip().splitlines()) + tail)


def errors(text: str) -> list[str]:
    with pytest.raises(qlrules.RubricError) as caught:
        qlrules.compile_rubric(text, "t.qlr")
    return [p.message for p in caught.value.problems]


def warnings(text: str) -> list[str]:
    return [p.message for p in qlrules.compile_rubric(text, "t.qlr").warnings]


def score(text: str, findings: list[dict[str, Any]]) -> qlrules.Report:
    return qlrules.compile_rubric(text, "t.qlr").score({"unit": "甲", "findings": findings})


def findings_error(text: str, findings: list[dict[str, Any]]) -> str:
    with pytest.raises(qlrules.FindingsError) as caught:
        score(text, findings)
    return str(caught.value)


# -- the compiler builds each construct ---------------------------------------------------------------------------


def test_each_construct_compiles_to_its_rule() -> None:
    """Ranges, levels and measures become their rule classes, with signed rates."""
    rubric = qlrules.compile_rubric(rubric_with('''
1.1a "每例扣1-2分" each 例 −1..−2
1.1b "视情节扣4-8分" once −4..−8
1.1c "分别扣0.5、1分" each 例 levels 县 −0.5, 市 −1
1.1d "x" once levels 优秀 +2, 不合格 −1..−2
1.1e "x" measure % below 96 per 1 −0.25, below 90 per 1 −0.5
1.1f "x" measure 位 tiers at least 10 −2, at least 5 −1
'''))
    rules = [c.rule for c in rubric.clauses]
    assert rules[0] == Ranged(Decimal(-1), Decimal(-2), True, "例")
    assert rules[1] == Ranged(Decimal(-4), Decimal(-8), False, None)
    assert rules[2] == Levels((Level("县", Decimal("-0.5"), Decimal("-0.5")), Level("市", Decimal(-1), Decimal(-1))), True, "例")
    assert rules[3] == Levels((Level("优秀", Decimal(2), Decimal(2)), Level("不合格", Decimal(-1), Decimal(-2), ranged=True)), False, None)
    assert rules[4] == Measure("%", "below", (Band(Decimal(96), Decimal("-0.25"), Decimal(1)), Band(Decimal(90), Decimal("-0.5"), Decimal(1))))
    assert rules[5] == Measure("位", "at-least", (Band(Decimal(10), Decimal(-2)), Band(Decimal(5), Decimal(-1))))


def test_a_rubric_of_adjustment_groups_only_has_points_0() -> None:
    """No sections at all: the rubric's points are 0 and its total is its adjustments."""
    text = 'rubric "加分" points 0\nadjustments B "加分项" cap 3\n  B1 "每次加2分" each 次 +2\n'
    report = score(text, [{"clause": "B1", "count": 2}])
    assert (report.total, [g.to_dict() for g in report.adjustment_groups]) == (Decimal(3), [{"id": "B", "title": "加分项", "total": 3}])


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('1.1a "x" each 例 −2..−1', "from the smaller amount to the larger"),
        ('1.1a "x" once −1..+2', "the same sign"),
        ('1.1a "x" each 例 levels 县 −1, 县 −2', "level 县 is named twice"),
        ('1.1a "x" measure % below 90 per 1 −1, below 96 per 1 −2', "thresholds run from the first outward"),
        ('1.1a "x" measure % above 5 per 1 +1, above 3 per 1 +1', "thresholds run from the first outward"),
        ('1.1a "x" measure 位 tiers at least 5 −1, at least 10 −2', "thresholds run from the first outward"),
        ('1.1a "x" measure % below 96 per 1 −1, above 99 per 1 +1', "go one way"),
        ('1.1a "x" measure % below 96 per 1 −1, below 90 −2', "all count steps (per) or none does"),
        ('1.1a "x" once 1', "carries its sign"),
    ],
)
def test_the_compiler_refuses(body: str, needle: str) -> None:
    """Each construct written wrongly is an error that says what is expected."""
    assert any(needle in m for m in errors(rubric_with(body))), errors(rubric_with(body))


def test_an_award_on_a_sections_own_clause_is_refused() -> None:
    """Awards belong to items or adjustment groups."""
    text = 'rubric "t" points 1\nsection S1 "s" points 1\n  S1a "x" once +1\n  item 1.1 points 1\n    text "t"\n    1.1a "x" once −1\n'
    assert any("only deduct" in m for m in errors(text))


def test_a_cap_on_an_earned_item_is_refused() -> None:
    text = 'rubric "t" points 1\nsection S1 "s" points 1\n  item 1.1 points 1 earned cap 1\n    text "t"\n    1.1a "x" once +1\n'
    assert any("earned item" in m for m in errors(text))


def test_grades_that_overlap_are_refused() -> None:
    tail = 'grades "g"\n  优秀 "x" at least 80\n  达标 "x" from 60 to 85\n'
    assert any("overlaps" in m for m in errors(rubric_with('1.1a "x" once −1', tail=tail)))


def test_a_veto_naming_no_declared_grade_is_refused() -> None:
    tail = 'grades "g"\n  优秀 "x" at least 9\n  合格 "x" at most 9\nvetoes "v"\n  V1 "x" veto 不及格\n'
    assert any("unknown grade 不及格" in m for m in errors(rubric_with('1.1a "x" once −1', tail=tail)))


def test_a_veto_in_a_rubric_without_grades_is_refused() -> None:
    assert any("declares no grades" in m for m in errors(rubric_with('1.1a "x" once −1', tail='vetoes "v"\n  V1 "x" veto 优秀\n')))


def test_a_gap_between_grades_is_a_warning_naming_the_interval() -> None:
    tail = 'grades "g"\n  优秀 "x" at least 9\n  达标 "x" from 6 to 8\n  不达标 "x" at most 5\n'
    assert warnings(rubric_with('1.1a "x" once −1', tail=tail)) == [
        "totals above 8 and below 9 get no grade (between 达标 and 优秀)",
        "totals above 5 and below 6 get no grade (between 不达标 and 达标)",
    ]


def test_a_gap_the_rubric_acknowledges_is_not_warned_about() -> None:
    """`# qlrules: accept grade-gap` on the line above (or at the end of) a grade's line."""
    tail = 'grades "g"\n  优秀 "x" at least 9\n  # qlrules: accept grade-gap\n  达标 "x" from 6 to 8\n  不达标 "x" at most 5\n'
    assert warnings(rubric_with('1.1a "x" once −1', tail=tail)) == ["totals above 5 and below 6 get no grade (between 不达标 and 达标)"]


def test_earned_items_under_a_cap_below_the_points_are_a_warning() -> None:
    text = ('rubric "t" points 2\nsection S1 "s" points 2 cap 1\n  item 1.1 points 2 earned\n    text "t"\n'
            '    1.1a "x" once +2\n')
    assert any("holds earned items" in m for m in warnings(text))


# -- findings -------------------------------------------------------------------------------------------------------

RANGED = rubric_with('1.1a "每例扣1-2分" each 例 −1..−2\n1.1b "视情节扣4-8分" once −4..−8')
LEVELS = rubric_with('1.1a "x" each 例 levels 县 −0.5, 市 −1\n1.1b "x" once levels 优秀 +2, 不合格 −1..−2')
MEASURE = rubric_with('1.1a "x" measure % below 96 per 1 −0.25, below 90 per 1 −0.5\n1.1b "x" measure 位 tiers at least 10 −2, at least 5 −1')


@pytest.mark.parametrize(
    ("text", "finding", "needles"),
    [
        (RANGED, {"clause": "1.1a", "count": 2, "amount": 5, "reason": "r"}, ("1.1a", "1 to 2 per 例", "2 to 4")),
        (RANGED, {"clause": "1.1b", "amount": 3, "reason": "r"}, ("1.1b", "4 to 8")),
        (RANGED, {"clause": "1.1b", "amount": 5}, ("missing reason",)),
        (RANGED, {"clause": "1.1a", "count": 1}, ("missing amount", "1 to 2")),
        (LEVELS, {"clause": "1.1a", "level": "省", "count": 1}, ("unknown level '省'", "县、市")),
        (LEVELS, {"clause": "1.1a", "count": 1}, ("missing level", "县、市")),
        (LEVELS, {"clause": "1.1b", "level": "优秀", "count": 1, "cases": ["C-1"]}, ("cases",)),
        (LEVELS, {"clause": "1.1a", "level": "县", "count": 1, "amount": 1, "reason": "r"}, ("fixed",)),
        (MEASURE, {"clause": "1.1a", "count": 1}, ("count", "value")),
        (MEASURE, {"clause": "1.1a"}, ("missing value",)),
        (MEASURE, {"clause": "1.1a", "value": "九十"}, ("value", "number")),
    ],
)
def test_findings_checks_name_the_unit_the_clause_and_what_is_allowed(text: str, finding: dict[str, Any], needles: tuple[str, ...]) -> None:
    message = findings_error(text, [finding])
    assert "'甲'" in message and all(n in message for n in needles), message


def test_a_once_range_and_a_measure_take_one_finding_per_unit() -> None:
    message = findings_error(MEASURE, [{"clause": "1.1a", "value": 95}, {"clause": "1.1a", "value": 94}])
    assert "at most one finding per unit" in message


# -- scoring ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lost"),
    [(96, 0), (95.5, 0), (95, "0.25"), (93.6, "0.5"), (90, "1.5"), (88, "2.5"), (87.5, "2.5")],
)
def test_progressive_bands_count_whole_steps_between_thresholds(value: float, lost: Any) -> None:
    """88 on `below 96 per 1 −0.25, below 90 per 1 −0.5` is 6 × 0.25 + 2 × 0.5; a value at a threshold costs nothing there."""
    report = score(MEASURE, [{"clause": "1.1a", "value": str(value)}])
    assert report.items[0].deducted == Decimal(lost)


@pytest.mark.parametrize(("value", "lost"), [(4, 0), (5, 1), (9, 1), (10, 2), (30, 2)])
def test_tiers_apply_the_first_that_holds(value: int, lost: int) -> None:
    assert score(MEASURE, [{"clause": "1.1b", "value": value}]).items[0].deducted == lost


def test_a_once_levels_clause_applies_once_at_the_largest_level() -> None:
    """同一项目就高: 优秀 +2 and 不合格 −1.5 on one once clause: −1.5 is not larger than +2 in magnitude, +2 applies."""
    text = rubric_with('1.1a "x" once levels 优秀 +2, 不合格 −1..−2', points=2).replace("points 2\n    text", "points 2 earned\n    text")
    report = score(text, [{"clause": "1.1a", "level": "不合格", "count": 1, "amount": "1.5", "reason": "r"},
                          {"clause": "1.1a", "level": "优秀", "count": 1}])
    assert report.items[0].score == 2


def test_an_earned_item_is_held_within_0_and_its_points() -> None:
    text = rubric_with('1.1a "得1分" once +1\n1.1b "每少一次扣0.25分" each 次 −0.25', points=1).replace("points 1\n    text", "points 1 earned\n    text")
    assert score(text, []).items[0].score == 0
    assert score(text, [{"clause": "1.1a", "count": 1}]).items[0].score == 1
    assert score(text, [{"clause": "1.1a", "count": 1}, {"clause": "1.1b", "count": 2}]).items[0].score == Decimal("0.5")
    assert score(text, [{"clause": "1.1a", "count": 1}, {"clause": "1.1b", "count": 8}]).items[0].score == 0


def test_highest_per_case_moves_a_case_off_a_range_clause() -> None:
    """注1: the case is worth the range finding's amount (1.5) there and 2 elsewhere: the range finding is dropped."""
    text = ('rubric "t" points 10\n  rule highest-per-case "x"\nsection S1 "s" points 10\n  item 1.1 points 5\n    text "t"\n'
            '    1.1a "每例扣1-2分" each 例 −1..−2\n  item 1.2 points 5\n    text "t"\n    1.2a "每例扣2分" each 例 −2\n')
    report = score(text, [{"clause": "1.1a", "cases": ["C-1"], "amount": "1.5", "reason": "r"}, {"clause": "1.2a", "cases": ["C-1"]}])
    assert [i.deducted for i in report.items] == [0, 2]
    assert [e.effect for e in report.trace if e.clause == "1.1a"] == ["removed"]


def test_a_veto_caps_the_grade_and_changes_no_points() -> None:
    tail = ('grades "g"\n  优秀 "x" at least 9\n  达标 "x" from 6 to 8.5\n  不达标 "x" at most 5.5\n'
            'vetoes "v"\n  V1 "一票否决" veto 达标\n  V2 "一票否决" veto 不达标\n')
    text = rubric_with('1.1a "扣1分" once −1', tail=tail)
    plain, vetoed = score(text, []), score(text, [{"clause": "V1", "count": 1}])
    assert (plain.grade, vetoed.grade, vetoed.total, vetoed.vetoes) == ("优秀", "达标", plain.total, ("V1",))
    both = score(text, [{"clause": "V2", "count": 1}, {"clause": "V1", "count": 1}])
    assert (both.grade, both.vetoes) == ("不达标", ("V1", "V2"))
    gap = score(text, [{"clause": "1.1a", "count": 1}, {"clause": "1.1a", "count": 1}])
    assert gap.total == 9 and gap.grade == "优秀"
    in_gap = score(rubric_with('1.1a "扣1.5分" once −1.5', tail=tail), [{"clause": "1.1a", "count": 1}])
    assert (in_gap.total, in_gap.grade) == (Decimal("8.5"), "达标")


def test_a_total_in_a_gap_gets_no_grade_and_the_trace_says_why() -> None:
    tail = 'grades "g"\n  优秀 "x" at least 9\n  合格 "x" at most 8\n'
    report = score(rubric_with('1.1a "扣1.5分" once −1.5', tail=tail), [{"clause": "1.1a", "count": 1}])
    assert report.total == Decimal("8.5") and report.grade is None and report.to_dict()["grade"] is None
    assert [e.effect for e in report.trace][-1] == "ungraded"


def test_topic_and_section_caps_bound_what_their_parts_lost() -> None:
    text = ('rubric "t" points 0\nsection S1 "s" points 0 cap 3\n  S1a "每人次减2.5分" each 人次 −2.5\n'
            '  topic 1 "t" points 0 cap 1\n    item 1.1 points 0\n      text "t"\n      1.1a "每例扣1分" each 例 −1\n')
    report = score(text, [{"clause": "S1a", "count": 1}, {"clause": "1.1a", "count": 4}])
    assert ([t.score for t in report.topics], [s.score for s in report.sections], report.total) == ([-1], [-3], -3)


# -- fmt and the unparser ------------------------------------------------------------------------------------------------


def test_fmt_keeps_every_language2_construct() -> None:
    """The canonical layout of a rubric using every construct compiles to the same rubric, and formats to itself."""
    text = ('rubric "t" points 2\n  rule item-cap "x"\nsection S1 "s" points 2 cap 2\n  S1a "x" each 人次 −2.5 cap 5\n'
            '  item 1.1 points 1 earned\n    text "t"\n    1.1a "x" once +1\n    1.1b "x" each 例 −1..−2\n'
            '  item 1.2 points 1 cap 1\n    text "t"\n    1.2a "x" measure % below 96 per 1 −0.25,   below 90 per 1 −0.5\n'
            '    1.2b "x" measure 位 tiers at least 10 −2, at least 5 −1\n    1.2c "x" once levels 优 +2, 劣 −1..−2\n'
            'adjustments B "加分" cap 3\n  B1 "x" each 次 levels 镇 +2, 县 +4\n  B2 "x" once +0..+5\n'
            'adjustments N "扣分"\n  N1 "x" measure 人 above 5 per 1 −0.5 cap 2\n'
            'grades "g"\n  优秀 "x" at least 1.5\n  合格 "x" from 0 to 1\n'
            'vetoes "v"\n  text "t"\n  V1 "x" veto 合格\n')
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert meaning(qlrules.compile_rubric(formatted)) == meaning(qlrules.compile_rubric(text))
    assert formatted == rubric_source(qlrules.compile_rubric(text))


def test_a_finding_with_count_0_applies_nothing_even_with_an_amount() -> None:
    """A once range with count 0 is not applied: once means count ≥ 1, whatever amount is written."""
    assert score(RANGED, [{"clause": "1.1b", "count": 0, "amount": 5, "reason": "r"}]).total == 10

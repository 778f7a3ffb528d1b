"""The invariants of the scoring contract (§3), over random rubrics and random valid findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import qlrules
from qlrules.model import HIGHEST_PER_CASE, ITEM_CAP

from . import rules
from .strategies import findings_for, rubric_and_findings

SEED = qlrules.load_rubric()


def _score(rubric: qlrules.Rubric, findings: list[dict[str, Any]]) -> qlrules.Report:
    return rubric.score({"unit": "单位", "findings": findings})


def _outcome(report: qlrules.Report) -> tuple[Any, ...]:
    return (report.total, report.adjustments, tuple(report.items), tuple(report.topics), tuple(report.sections))


@given(rubric_and_findings())
def test_item_deduction_stays_within_its_points(case: tuple[qlrules.Rubric, list[dict[str, Any]]]) -> None:
    """注2: 0 ≤ every item's deduction ≤ its points."""
    rubric, findings = case
    report = _score(rubric, findings)
    for item in report.items:
        assert item.deducted >= 0
        if rubric.has_rule(ITEM_CAP):
            assert item.deducted <= item.points


@given(rubric_and_findings(), st.randoms(use_true_random=False))
def test_findings_order_never_matters(case: tuple[qlrules.Rubric, list[dict[str, Any]]], random: Any) -> None:
    """Shuffling the findings changes no score at any level."""
    rubric, findings = case
    shuffled = list(findings)
    random.shuffle(shuffled)
    assert _outcome(_score(rubric, findings)) == _outcome(_score(rubric, shuffled))


@given(st.data())
def test_a_deduction_naming_no_case_never_raises_the_total(data: st.DataObject) -> None:
    """Adding a case-less deduction finding can only lower (or keep) the total."""
    rubric, findings = data.draw(rubric_and_findings())
    extra = data.draw(findings_for(rubric, max_clauses=1))
    extra = [f for f in extra if "cases" not in f and not f["clause"].startswith("A")]
    combined = findings + extra
    try:
        after = _score(rubric, combined)
    except qlrules.FindingsError:
        return  # the extra finding pushed a clause past its `of`: not a valid unit
    assert after.total <= _score(rubric, findings).total


@given(rubric_and_findings())
def test_a_case_is_deducted_in_at_most_one_clause(case: tuple[qlrules.Rubric, list[dict[str, Any]]]) -> None:
    """注1: after it, each case id is on deducting trace entries of one clause only."""
    rubric, findings = case
    report = _score(rubric, findings)
    where: dict[str, set[str]] = {}
    for entry in report.trace:
        if entry.effect == "deducted" and (entry.count or entry.amount):
            for case_id in entry.cases:
                where.setdefault(case_id, set()).add(entry.clause)
    if rubric.has_rule(HIGHEST_PER_CASE):
        assert all(len(clauses) == 1 for clauses in where.values()), where


@given(rubric_and_findings())
def test_total_is_points_minus_items_plus_adjustments_exactly(case: tuple[qlrules.Rubric, list[dict[str, Any]]]) -> None:
    """The roll-up is exact at every level, and the trace adds up to each item's deduction."""
    rubric, findings = case
    report = _score(rubric, findings)
    items = sum((i.deducted for i in report.items), Decimal(0))
    assert report.total == rubric.points - items + report.adjustments
    assert sum((s.deducted for s in report.sections), Decimal(0)) == items
    for item in report.items:
        assert sum((e.amount for e in report.trace if e.item == item.id), Decimal(0)) == item.deducted
    adjusted = sum((e.amount for e in report.trace if e.item is None), Decimal(0))
    assert adjusted == report.adjustments
    for value in (report.total, report.adjustments, *(i.deducted for i in report.items)):
        assert isinstance(value, Decimal)


CAPPED_BOTH_WAYS = qlrules.compile_rubric("""\
rubric "封顶" points 1
section S0 "部分" points 1 owners "机关纪委"
  item 0.1 points 1
    text "具体内容"
    0.1a "扣1分" once −1
adjustments "加减分项"
  A1 "每项扣1分,最多扣1分" each 项 −1 cap 1
  A2 "每项加1分,最多加0.5分" each 项 +1 cap 0.5
""", "capped.qlr")


@given(rubric_and_findings())
@example((CAPPED_BOTH_WAYS, [{"clause": "A1", "count": 3}, {"clause": "A2", "count": 2}]))
def test_an_adjustment_is_its_signed_rate_times_count_cut_to_its_cap(case: tuple[qlrules.Rubric, list[dict[str, Any]]]) -> None:
    """Step 6: each adjustment moves the total by its signed rate × its count, cut to ±cap if it declares one.

    The cap bounds a negative total as much as a positive one: −3 under `cap 1` is −1, not −3.
    """
    rubric, findings = case
    report = _score(rubric, findings)
    expected_total = Decimal(0)
    for adjustment in rubric.adjustments:
        counts = [f["count"] for f in findings if f["clause"] == adjustment.id]
        if rules.kind(adjustment) == "once":
            raw = rules.rate(adjustment) if any(counts) else Decimal(0)
        else:
            raw = sum((rules.rate(adjustment) * count for count in counts), Decimal(0))
        expected = raw
        if adjustment.cap is not None and abs(raw) > adjustment.cap:
            expected = adjustment.cap if raw > 0 else -adjustment.cap
        moved = sum((e.amount for e in report.trace if e.item is None and e.clause == adjustment.id), Decimal(0))
        assert moved == expected, (adjustment.id, rules.rate(adjustment), adjustment.cap, raw, moved)
        if adjustment.cap is not None:
            assert abs(moved) <= adjustment.cap
        expected_total += expected
    assert report.adjustments == expected_total


@given(findings_for(SEED, max_clauses=12))
def test_seed_invariants(findings: list[dict[str, Any]]) -> None:
    """The same invariants on the bundled seed rubric, with its 注1 and 注2."""
    report = _score(SEED, findings)
    assert all(0 <= i.deducted <= i.points for i in report.items)
    assert report.total == 100 - report.deductions + report.adjustments
    assert _outcome(report) == _outcome(_score(SEED, list(reversed(findings))))

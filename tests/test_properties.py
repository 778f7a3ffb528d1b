"""The invariants of the scoring contract (§3), over random rubrics and random valid findings."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import qlrules
from qlrules.model import HIGHEST_PER_CASE, ITEM_CAP

from . import rules
from .strategies import findings_for, l2_cases, l2_clause_table, l2_findings, rubric_and_findings

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


# ---------------------------------------------------------------------------------------------------------------
# Language 2: the same invariants and the new ones, over random rubrics using every language-2 construct
# ---------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _l2_compile(text: str) -> qlrules.Rubric:
    return qlrules.compile_rubric(text, "random2.qlr")


def _l2_outcome(report: qlrules.Report) -> tuple[Any, ...]:
    d = report.to_dict()
    parts = tuple((k, e["id"], e["score"]) for k in ("items", "topics", "sections") for e in d[k])
    return (d["total"], parts, tuple(g["total"] for g in d["adjustment_groups"]), d["grade"], tuple(d["vetoes"]))


def _parts(desc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(p: dict[str, Any]) -> None:
        out[p["id"]] = p
        for child in p["children"]:
            walk(child)

    for s in desc["sections"]:
        walk(s)
    return out


@given(l2_cases(2), st.randoms(use_true_random=False))
def test_l2_findings_order_never_matters(case: Any, random: Any) -> None:
    _, text, units = case
    rubric = _l2_compile(text)
    for findings in units:
        shuffled = list(findings)
        random.shuffle(shuffled)
        assert _l2_outcome(_score(rubric, findings)) == _l2_outcome(_score(rubric, shuffled))


@given(l2_cases(3))
def test_l2_every_part_stays_within_its_bounds(case: Any) -> None:
    """Earned item 0..points; full item ≤ points and ≥ points − bound; a capped part ≥ points − cap; a group's
    |total| ≤ its cap."""
    desc, text, units = case
    rubric = _l2_compile(text)
    parts = _parts(desc)
    for findings in units:
        d = _score(rubric, findings).to_dict()
        for e in d["items"] + d["topics"] + d["sections"]:
            p = parts[e["id"]]
            score, points = e["score"], p["points"]
            assert e["deducted"] == points - score
            if p["kind"] == "item" and p["earned"]:
                assert 0 <= score <= points, e  # an earned item never exceeds its points
                continue
            if p["kind"] == "item":
                assert score <= points, e
                bound = p["cap"] if p["cap"] is not None else (points if "item-cap" in desc["rules"] else None)
                if bound is not None:
                    assert score >= points - bound, e
            elif p["cap"] is not None:
                assert score >= points - p["cap"], e
        for g, e in zip(desc["groups"], d["adjustment_groups"], strict=True):
            assert e["id"] == g["id"]
            if g["cap"] is not None:
                assert abs(e["total"]) <= g["cap"], e


@given(l2_cases(3))
def test_l2_total_is_points_minus_section_losses_plus_groups_exactly(case: Any) -> None:
    desc, text, units = case
    rubric = _l2_compile(text)
    for findings in units:
        report = _score(rubric, findings)
        d = report.to_dict()
        losses = sum((s["points"] - s["score"] for s in d["sections"]), Decimal(0))
        groups = sum((g["total"] for g in d["adjustment_groups"]), Decimal(0))
        assert isinstance(report.total, Decimal)
        assert report.total == d["total"] == desc["points"] - losses + groups
        assert d["adjustments"] == groups


@given(l2_cases(6))
def test_l2_grade_is_a_function_of_total_and_vetoes(case: Any) -> None:
    """Same total and vetoes ⇒ same grade; the grade is the total's band, lowered by the vetoes."""
    desc, text, units = case
    rubric = _l2_compile(text)
    seen: dict[tuple[Any, ...], Any] = {}
    names = [g["name"] for g in desc["grades"]]
    for findings in units:
        d = _score(rubric, findings).to_dict()
        key = (d["total"], tuple(d["vetoes"]))
        assert seen.setdefault(key, d["grade"]) == d["grade"]
        if not names:
            assert d["grade"] is None and d["vetoes"] == []
            continue
        band = next((n for n, g in enumerate(desc["grades"])
                     if (g["lo"] is None or g["lo"] <= d["total"]) and (g["hi"] is None or d["total"] <= g["hi"])), None)
        vetoed = [names.index(v["grade"]) for v in desc["vetoes"] if v["id"] in d["vetoes"]]
        ranks = ([band] if band is not None else []) + vetoed
        assert d["grade"] == (names[max(ranks)] if ranks else None)


@given(l2_cases(3))
def test_l2_a_veto_never_changes_a_score(case: Any) -> None:
    desc, text, units = case
    rubric = _l2_compile(text)
    vetoes = {v["id"] for v in desc["vetoes"]}
    for findings in units:
        with_vetoes = _l2_outcome(_score(rubric, findings))
        without = _l2_outcome(_score(rubric, [f for f in findings if f["clause"] not in vetoes]))
        assert with_vetoes[:3] == without[:3]
        assert without[4] == ()


@given(st.data())
def test_l2_a_range_finding_at_its_lower_bound_never_costs_more_than_at_its_upper(data: st.DataObject) -> None:
    """Moving a case-less range finding's amount from its lower to its upper end moves the total one way only:
    down for a deduction, up for an award (a finding with a case is left out: 注1 may move the case)."""
    desc, text, units = data.draw(l2_cases(1))
    findings = units[0]
    table = {c["id"]: c for c, _, _ in l2_clause_table(desc)}
    ranged = []
    for n, f in enumerate(findings):
        rule = table[f["clause"]]["rule"]
        if "amount" not in f or "cases" in f or rule["form"] not in ("range", "levels"):
            continue
        if rule["form"] == "range":
            lo, hi = rule["lo"], rule["hi"]
        else:
            level = next(lv for lv in rule["levels"] if lv["name"] == f["level"])
            lo, hi = level["lo"], level["hi"]
        ranged.append((n, lo, hi))
    if not ranged:
        return
    n, lo, hi = data.draw(st.sampled_from(ranged))
    count = findings[n].get("count", 1)
    rubric = _l2_compile(text)

    def total(amount: Decimal) -> Decimal:
        changed = [dict(f, amount=str(amount)) if i == n else f for i, f in enumerate(findings)]
        return _score(rubric, changed).total

    low, high = total(abs(lo) * count), total(abs(hi) * count)
    if hi < 0:
        assert low >= high
    else:
        assert low <= high


@given(st.data())
def test_l2_a_deduction_naming_no_case_never_raises_the_total(data: st.DataObject) -> None:
    """Adding case-less findings on deduction clauses (items' and parts' own) only lowers or keeps the total."""
    desc, text, units = data.draw(l2_cases(1))
    findings = units[0]
    table = {c["id"]: (c, where) for c, where, _ in l2_clause_table(desc)}
    extra = [f for f in data.draw(l2_findings(desc, max_clauses=2))
             if "cases" not in f and table[f["clause"]][1] in ("item", "part")
             and _deducts(table[f["clause"]][0]["rule"])]
    rubric = _l2_compile(text)
    try:
        after = _score(rubric, findings + extra)
    except qlrules.FindingsError:
        return  # past an `of`, a second finding on a once range or a measure: not a valid unit
    assert after.total <= _score(rubric, findings).total


def _deducts(rule: dict[str, Any]) -> bool:
    form = rule["form"]
    if form == "discretionary":
        return True
    if form in ("once", "each"):
        return bool(rule["rate"] < 0)
    if form == "range":
        return bool(rule["hi"] < 0)
    if form == "levels":
        return all(lv.get("rate", lv.get("hi")) < 0 for lv in rule["levels"])
    return False  # measures: one finding per unit, and a second value is no "added" deduction


def _changes_add_up(report: qlrules.Report) -> None:
    """Every trace entry's `change` is its signed effect on the total: together they are total − points."""
    changes = [e.change for e in report.trace]
    assert sum(changes, Decimal(0)) == report.total - report.rubric_points
    for entry, change in zip(report.trace, changes, strict=True):
        assert not (change.is_zero() and change.is_signed()), entry  # never −0
        if entry.effect in ("deducted", "unearned"):
            assert change <= 0, entry  # a deduction takes points: negative
        elif entry.effect == "awarded":
            assert change > 0, entry
        elif entry.effect in ("item-cap", "part-cap"):
            assert change > 0, entry  # a cap cuts deductions: it gives points back
        elif entry.effect in ("replaced", "removed", "vetoed", "ungraded"):
            assert change == 0, entry
    for d, entry in zip(report.to_dict()["trace"], report.trace, strict=True):
        assert d["change"] == entry.change


@given(rubric_and_findings())
def test_trace_changes_add_up_to_the_total(case: tuple[qlrules.Rubric, list[dict[str, Any]]]) -> None:
    rubric, findings = case
    _changes_add_up(_score(rubric, findings))


@given(l2_cases(3))
def test_l2_trace_changes_add_up_to_the_total(case: Any) -> None:
    _, text, units = case
    rubric = _l2_compile(text)
    for findings in units:
        _changes_add_up(_score(rubric, findings))

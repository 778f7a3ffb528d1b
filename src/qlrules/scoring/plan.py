"""The scoring hot path for the library: a rubric's plan built from its model, and the kernel's outcomes as reports.

`qlrules.scoring.findings` and `qlrules.scoring.evaluate` are the straightforward path: they
check every key of every finding with its message ready, and walk every part of the rubric.
`qlrules.scoring.kernel` does the same job for the common case, faster, on plain data; this
module connects it to the model:

* `Plan` (built once per rubric and kept on it as ``Rubric._plan``) holds the kernel's plan
  (`build_plan`) and the `Score` objects its reports share;
* `score_fast` scores a findings mapping by the kernel, which checks each finding in the same
  pass that collects it; anything it does not take sends the whole unit down the
  straightforward path, which gives the error (or the report) with its exact message;
* a report's trace is kept as the kernel's records, its entries built only when read (in the
  language of the moment the unit was scored).

The differential test (tests/test_fast_path.py) proves both paths give the same reports and
the same errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..i18n import use_language
from ..model import HIGHEST_PER_CASE, ITEM_CAP, Adjustment, Clause, Discretionary, Each, Once, Ranged, Rubric
from . import kernel
from .findings import Finding, Unit
from .kernel import ZERO, Adjusting, Found, Outcome, Record, Refused, Scoring
from .report import GroupTotal, Report, Score, TraceEntry


def build_plan(rubric: Rubric) -> kernel.Plan:
    """``rubric`` as the kernel's plain plan: every clause and adjustment it scores indexed with its kind, rate, item and bounds."""
    cap_rule = rubric.rule(ITEM_CAP)
    per_case = rubric.rule(HIGHEST_PER_CASE)
    sections = {s.id: n for n, s in enumerate(rubric.sections)}
    topics = {t.id: n for n, t in enumerate(rubric.topics)}
    items = []
    for n, item in enumerate(rubric.items):
        limit = item.cap if item.cap is not None else item.points if rubric.has_rule(ITEM_CAP) else None
        items.append(kernel.PlanItem(item.id, item.text, item.points, item.cap, n, [c.id for c in item.clauses], limit,
                                     sections[item.section], topics.get(item.topic) if item.topic else None))
    item_position = {i.id: i.position for i in items}
    order = rubric.clause_order
    targets = []
    for clause in rubric.clauses:
        rule = clause.rule
        where = item_position.get(clause.item) if clause.part == "item" else None
        if where is None:
            continue  # a topic's or section's own clause: the straightforward path
        if isinstance(rule, Once):
            kind = kernel.ONCE
        elif isinstance(rule, Each):
            kind = kernel.EACH
        elif isinstance(rule, Discretionary):
            kind = kernel.DISCRETIONARY
        elif isinstance(rule, Ranged):
            kind = kernel.RANGED
        else:
            continue
        targets.append(_target(clause, kind, order[clause.id], where, rubric.item_index[clause.item].points))
    groups = []
    for group in rubric.adjustment_groups:
        for adjustment in group.adjustments:
            rule = adjustment.rule
            if isinstance(rule, Once | Each):
                kind = kernel.ADJUST_ONCE if isinstance(rule, Once) else kernel.ADJUST_EACH
                targets.append(_target(adjustment, kind, order[adjustment.id], None, None))
        groups.append(kernel.Group(group.id, group.title, group.cap, [a.id for a in group.adjustments]))
    return kernel.Plan(
        title=rubric.title, points=rubric.points, sha256=rubric.sha256, usable=not any(i.earned for i in rubric.items),
        highest_per_case=per_case is not None, per_case_label=per_case.label if per_case else "",
        item_cap_label=cap_rule.label if cap_rule else "注2",
        sections=[kernel.Part(s.id, s.title, s.points, s.cap) for s in rubric.sections],
        topics=[kernel.Part(t.id, t.title, t.points, t.cap) for t in rubric.topics],
        items=items, targets=targets, groups=groups,
        grades=[kernel.Grade(g.name, g.text, g.low, g.high) for g in rubric.grades], grades_title=rubric.grades_title or "",
    )


def _target(target: Clause | Adjustment, kind: int, order: int, item: int | None, points: Decimal | None) -> kernel.Target:
    rule = target.rule
    rate: Decimal = rule.rate if isinstance(rule, Once | Each) else ZERO
    ranged = (rule.low, rule.high, rule.each) if isinstance(rule, Ranged) else (ZERO, ZERO, False)
    return kernel.Target(target.id, kind, rate, order, target.of, target.cap,
                         sorted(rule.replaces) if isinstance(rule, Discretionary) else (), points, item,
                         target.item if isinstance(target, Clause) else None, target.text,
                         rule.unit if isinstance(rule, Each | Ranged) else None, *ranged)


class Plan:
    """A rubric compiled for scoring: the kernel's plan (`kernel`), and the `Score` objects of its reports, shared."""

    def __init__(self, rubric: Rubric) -> None:
        from .evaluate import _layout

        self.rubric = rubric
        self.kernel = build_plan(rubric)
        self.usable = self.kernel.usable
        self.layout = _layout(rubric)
        self.zero_groups = tuple(GroupTotal(g.id, g.title, ZERO) for g in rubric.adjustment_groups)
        self.scores: dict[tuple[str, str], Score] = {}  # (part, deduction as written) -> its Score, shared by reports

    def roll_up(self, lost: dict[str, Decimal]) -> tuple[tuple[Score, ...], tuple[Score, ...], tuple[Score, ...]]:
        """Every part's score, as `qlrules.scoring.evaluate._roll_up` gives it, the `Score` objects shared.

        A part loses one of few amounts (multiples of its rates within its points), so the
        scores are kept once made, up to a bound that no real rubric reaches.
        """
        layout = self.layout
        if not lost:
            return layout.sections, layout.topics, layout.items
        parts = {"section": list(layout.sections), "topic": list(layout.topics), "item": list(layout.items)}
        scores, position = self.scores, layout.position
        for ident, amount in lost.items():
            kind, n = position[ident]
            key = (ident, str(amount))
            score = scores.get(key)
            if score is None:
                old = parts[kind][n]
                score = Score(old.id, old.title, old.points, amount)
                if len(scores) < 100_000:
                    scores[key] = score
            parts[kind][n] = score
        return tuple(parts["section"]), tuple(parts["topic"]), tuple(parts["item"])

    def report(self, outcome: Outcome) -> Report:
        """The kernel's ``outcome`` as a `Report`, its trace kept as records until read."""
        rubric = self.rubric
        groups = self.zero_groups if outcome.groups is None else tuple(GroupTotal(*g) for g in outcome.groups)
        sections, topics, items = self.roll_up(outcome.lost)
        return Report(outcome.unit, rubric.title, rubric.points, rubric.sha256, sections, topics, items, outcome.adjustments,
                      Trace(outcome.records, outcome.language), groups, outcome.grade, ())  # type: ignore[arg-type]


class Trace:
    """A report's trace kept as records; its `TraceEntry` objects are built on first reading.

    Pickles (and compares) as the tuple of entries it stands for.
    """

    __slots__ = ("records", "language")

    def __init__(self, records: list[Record], language: str) -> None:
        self.records = records
        self.language = language

    def entries(self) -> tuple[TraceEntry, ...]:
        with use_language(self.language):
            return tuple(TraceEntry(clause, item, effect, amount, text, note(*args), count, cases, case, by, evidence, reason)
                         for clause, item, effect, amount, text, (note, args), count, cases, case, by, evidence, reason in self.records)

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self.entries(),)

    def __repr__(self) -> str:
        return repr(self.entries())


# -- scoring ------------------------------------------------------------------------------------------


def _collected(rubric: Rubric, mapping: Any) -> tuple[Plan, str, list[Found], Adjusting] | None:
    """The rubric's plan and ``mapping``'s findings collected by it, or None when the straightforward path must decide."""
    plan: Plan = rubric._plan
    try:
        return (plan, *kernel.collect(plan.kernel, mapping))
    except Refused:
        return None


def score_fast(rubric: Rubric, mapping: Mapping[str, Any]) -> Report | None:
    """The report of ``mapping`` on ``rubric`` by the hot path, or None when the straightforward path must decide."""
    if (collected := _collected(rubric, mapping)) is None:
        return None
    plan, name, found, adjusting = collected
    return plan.report(Scoring(plan.kernel, found, adjusting).outcome(name))


def check_fast(rubric: Rubric, mapping: Any) -> Unit | None:
    """``mapping`` checked by the hot path, as the `Unit` `qlrules.scoring.findings.read_unit` makes; None when it must decide."""
    if (collected := _collected(rubric, mapping)) is None:
        return None
    _plan, name, found, adjusting = collected
    findings = [Finding(f.target.id, f.anonymous + len(f.cases), tuple(f.cases), amount=f.amount, reason=f.reason,
                        evidence=f.evidence, index=f.index) for f in found]
    findings.extend(Finding(ident, count, evidence=evidence, reason=reason, index=index)
                    for ident, adjustments in adjusting.items() for index, count, evidence, reason in adjustments)
    findings.sort(key=lambda f: f.index)
    return Unit(name, tuple(findings))


def evaluate_fast(rubric: Rubric, unit: Unit) -> Report | None:
    """The report of a checked ``unit`` by the hot path, or None when a finding is of a kind it does not score."""
    plan: Plan = rubric._plan
    if not plan.usable:
        return None
    targets = plan.kernel.targets
    found: list[Found] = []
    adjusting: Adjusting = {}
    for f in unit.findings:
        target = targets.get(f.clause)
        if target is None:
            return None
        if target.adjustment:
            adjusting.setdefault(f.clause, []).append((f.index, f.count, f.evidence, f.reason))
        else:
            found.append(Found(target, f.index, 0 if f.cases else f.count, list(f.cases), f.amount, f.evidence, f.reason))
    for findings in adjusting.values():
        findings.sort()
    return plan.report(Scoring(plan.kernel, found, adjusting).outcome(unit.name))

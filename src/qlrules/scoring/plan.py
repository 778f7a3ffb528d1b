"""The scoring hot path: a rubric compiled once into a plan, and units scored against it in one pass.

`qlrules.scoring.findings` and `qlrules.scoring.evaluate` are the straightforward path: they
check every key of every finding with its message ready, and walk every part of the rubric.
This module does the same job for the common case, faster:

* the plan (`Plan`, built once per rubric and kept on it as ``Rubric._plan``) indexes each clause and
  adjustment with its kind, rate, item and bounds;
* `score_fast` checks each finding in the same pass that collects it, for the common exact
  kinds (once, each, discretionary, and once/each adjustments); anything else, and any
  finding it would refuse, sends the whole unit down the straightforward path, which gives
  the error (or the report) with its exact message;
* the trace is kept as compact records, its entries built only when read (in the language
  of the moment the unit was scored).

The differential test (tests/test_fast_path.py) proves both paths give the same reports and
the same errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..i18n import _, current_language, use_language
from ..model import (
    HIGHEST_PER_CASE,
    ITEM_CAP,
    Adjustment,
    Clause,
    Discretionary,
    Each,
    Item,
    Once,
    Rubric,
)
from ..numbers import CONTEXT, plain, signed
from .evaluate import cap_cuts
from .findings import MAX_COUNT, MAX_DECIMAL_PLACES, Finding, Unit
from .report import GroupTotal, Report, Score, TraceEntry

ZERO = Decimal(0)

# What a finding may name, by kind: the keys the straightforward checker accepts for it.
ONCE, EACH, DISCRETIONARY, ADJUST_ONCE, ADJUST_EACH = range(5)
_KEYS = {
    ONCE: frozenset({"clause", "count", "cases", "evidence", "reason"}),
    EACH: frozenset({"clause", "count", "cases", "evidence", "reason"}),
    DISCRETIONARY: frozenset({"clause", "amount", "cases", "evidence", "reason"}),
    ADJUST_ONCE: frozenset({"clause", "count", "evidence", "reason"}),
    ADJUST_EACH: frozenset({"clause", "count", "evidence", "reason"}),
}
_UNIT_KEYS = frozenset({"unit", "findings"})


class _Target:
    """A clause or adjustment as the hot path sees it: kind, rate, bounds, and where it stands."""

    __slots__ = ("id", "kind", "keys", "rate", "magnitude", "order", "of", "cap", "replaces", "points",
                 "item", "item_id", "text", "adjustment", "cases_allowed", "once_note", "unit_word")

    def __init__(self, target: Clause | Adjustment, kind: int, order: int, item: int | None, points: Decimal | None) -> None:
        rule = target.rule
        self.id = target.id
        self.kind = kind
        self.keys = _KEYS[kind]
        self.rate: Decimal = rule.rate if isinstance(rule, Once | Each) else ZERO
        self.magnitude = abs(self.rate)
        self.order = order
        self.of = target.of
        self.cap = target.cap
        self.replaces = frozenset(rule.replaces) if isinstance(rule, Discretionary) else frozenset()
        self.points = points
        self.item = item  # position in the plan's items, None for an adjustment
        self.item_id = target.item if isinstance(target, Clause) else None
        self.text = target.text
        self.adjustment = isinstance(target, Adjustment)
        self.cases_allowed = not self.adjustment and self.rate <= 0
        self.unit_word = rule.unit if isinstance(rule, Each) else None


class _ItemPlan:
    __slots__ = ("item", "position", "clauses", "limit", "section", "topic")

    def __init__(self, item: Item, position: int, limit: Decimal | None, section: int, topic: int | None) -> None:
        self.item = item
        self.position = position
        self.clauses = tuple(c.id for c in item.clauses)
        self.limit = limit  # the item's cap, or its points under 注2, or None
        self.section = section
        self.topic = topic


class Plan:
    """A rubric compiled for scoring: every clause indexed with its rule, item position and bounds.

    ``usable`` says whether the hot path applies to the rubric at all: it does not score earned
    items (which count without findings), so such a rubric always takes the straightforward path.
    """

    def __init__(self, rubric: Rubric) -> None:
        from .evaluate import _layout

        self.rubric = rubric
        self.layout = _layout(rubric)
        self.highest_per_case = rubric.has_rule(HIGHEST_PER_CASE)
        cap_rule = rubric.rule(ITEM_CAP)
        self.item_cap_label = cap_rule.label if cap_rule else "注2"
        per_case = rubric.rule(HIGHEST_PER_CASE)
        self.per_case_label = per_case.label if per_case else ""
        self.usable = not any(i.earned for i in rubric.items)
        self.items: list[_ItemPlan] = []
        sections = {s.id: n for n, s in enumerate(rubric.sections)}
        topics = {t.id: n for n, t in enumerate(rubric.topics)}
        for n, item in enumerate(rubric.items):
            limit = item.cap if item.cap is not None else item.points if rubric.has_rule(ITEM_CAP) else None
            self.items.append(_ItemPlan(item, n, limit, sections[item.section], topics.get(item.topic) if item.topic else None))
        item_position = {p.item.id: p.position for p in self.items}
        self.targets: dict[str, _Target] = {}
        order = rubric.clause_order
        for clause in rubric.clauses:
            rule = clause.rule
            where = item_position.get(clause.item) if clause.part == "item" else None
            if where is None:
                continue  # a topic's or section's own clause: the straightforward path
            if isinstance(rule, Once):
                kind = ONCE
            elif isinstance(rule, Each):
                kind = EACH
            elif isinstance(rule, Discretionary):
                kind = DISCRETIONARY
            else:
                continue
            self.targets[clause.id] = _Target(clause, kind, order[clause.id], where, rubric.item_index[clause.item].points)
        self.group_of: dict[str, int] = {}
        for g, group in enumerate(rubric.adjustment_groups):
            for adjustment in group.adjustments:
                rule = adjustment.rule
                if isinstance(rule, Once | Each):
                    kind = ADJUST_ONCE if isinstance(rule, Once) else ADJUST_EACH
                    self.targets[adjustment.id] = _Target(adjustment, kind, order[adjustment.id], None, None)
                    self.group_of[adjustment.id] = g
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


# -- the unit, checked as it is collected -------------------------------------------------------------


class _Found:
    """A finding on a clause while cases are taken from it (replacement, 注1)."""

    __slots__ = ("target", "index", "anonymous", "cases", "amount", "evidence", "reason", "dropped")

    def __init__(self, target: _Target, index: int, anonymous: int, cases: list[str], amount: Decimal | None,
                 evidence: str | None, reason: str | None) -> None:
        self.target = target
        self.index = index
        self.anonymous = anonymous
        self.cases = cases
        self.amount = amount
        self.evidence = evidence
        self.reason = reason
        self.dropped = False

    @property
    def count(self) -> int:
        return self.anonymous + len(self.cases)

    @property
    def value(self) -> Decimal:
        return self.amount if self.amount is not None else self.target.magnitude


class _Refused(Exception):
    """Not for the hot path: the straightforward path decides (and words any error)."""


def _amount(value: Any, points: Decimal) -> Decimal:
    """A discretionary amount the straightforward checker would accept as it is, else `_Refused`."""
    if type(value) is int:
        amount = Decimal(value)
    elif type(value) is Decimal and value.is_finite():
        amount = value
    elif type(value) is float:
        amount = Decimal(repr(value))  # as the caller wrote it, as the straightforward checker reads it
        if not amount.is_finite():
            raise _Refused
    else:
        raise _Refused
    if amount.as_tuple().exponent < -MAX_DECIMAL_PLACES or amount.copy_abs() > MAX_COUNT or amount < 0 or amount > points:  # type: ignore[operator]
        raise _Refused
    return amount


def _collect(plan: Plan, mapping: Any) -> tuple[str, list[_Found], dict[str, list[tuple[int, int, str | None, str | None]]]]:
    """The unit's name, its clause findings and its adjustment findings, checked; else `_Refused`."""
    if not isinstance(mapping, dict) or mapping.keys() != _UNIT_KEYS:
        raise _Refused
    name = mapping["unit"]
    raw = mapping["findings"]
    if type(name) is not str or not name.strip() or not isinstance(raw, list):
        raise _Refused
    targets = plan.targets
    found: list[_Found] = []
    adjusting: dict[str, list[tuple[int, int, str | None, str | None]]] = {}
    totals: dict[str, int] | None = None
    on_cases: dict[str, set[str]] | None = None
    for index, finding in enumerate(raw, 1):
        if not isinstance(finding, dict):
            raise _Refused
        named = finding.get("clause")
        target = targets.get(named) if type(named) is str else None
        if target is None or not finding.keys() <= target.keys:
            raise _Refused
        ident = target.id
        evidence = finding.get("evidence")
        reason = finding.get("reason")
        if (evidence is not None and type(evidence) is not str) or (reason is not None and type(reason) is not str) \
                or ("evidence" in finding and evidence is None) or ("reason" in finding and reason is None):
            raise _Refused
        cases: list[str] = []
        if "cases" in finding:
            given = finding["cases"]
            if not isinstance(given, list):
                raise _Refused
            for case in given:
                if type(case) is not str or not case.strip():
                    raise _Refused
            if len(set(given)) != len(given):
                raise _Refused
            cases = list(given)
        kind = target.kind
        if kind == DISCRETIONARY:
            if "amount" not in finding or len(cases) > 1 or reason is None or not reason.strip():
                raise _Refused
            count = 1
            amount: Decimal | None = _amount(finding["amount"], target.points)  # type: ignore[arg-type]
        else:
            amount = None
            if "count" in finding:
                count = finding["count"]
                if type(count) is not int or not 0 <= count <= MAX_COUNT or ("cases" in finding and count != len(cases)):
                    raise _Refused
            elif "cases" in finding:
                count = len(cases)
            else:
                raise _Refused
            if cases and not target.cases_allowed:
                raise _Refused
        if target.of is not None:
            totals = totals if totals is not None else {}
            totals[ident] = totals.get(ident, 0) + count
            if totals[ident] > target.of:
                raise _Refused
        if target.adjustment:
            adjusting.setdefault(ident, []).append((index, count, evidence, reason))
            continue
        if cases:
            on_cases = on_cases if on_cases is not None else {}
            seen = on_cases.setdefault(ident, set())
            if not seen.isdisjoint(cases):
                raise _Refused
            seen.update(cases)
        found.append(_Found(target, index, 0 if cases else count, cases, amount, evidence, reason))
    return name, found, adjusting


# -- the trace, as records ----------------------------------------------------------------------------

# A record: the fields of a TraceEntry in order, with the note as (function, arguments) to word later.
Record = tuple[Any, ...]
Note = tuple[Callable[..., str], tuple[Any, ...]]


def _note_once(rate: Decimal) -> str:
    return _("{rate} once").format(rate=signed(rate)) if rate > 0 else _("−{rate} once").format(rate=plain(-rate))


def _note_adjust_once(rate: Decimal) -> str:
    return _("{rate} once").format(rate=signed(rate))


def _note_again() -> str:
    return _("already deducted once for this clause")


def _note_adjust_again() -> str:
    return _("already applied once")


def _note_each(unit: str | None, rate: Decimal, count: int) -> str:
    return f"每{unit or ''} {signed(rate)} × {count}"


def _note_given() -> str:
    return _("amount given by the assessor")


def _note_replaced(case: str, by: str, clause: str) -> str:
    return _("case {case} is deducted at discretion under {by}, which replaces {clause}").format(case=case, by=by, clause=clause)


def _note_removed(label: str, case: str, by: str, value: Decimal, here: Decimal) -> str:
    return _("{label}: case {case} counts once, in {by} ({value}), not here ({here})").format(
        label=label, case=case, by=by, value=plain(value), here=plain(here))


def _note_clause_cap(cap: Decimal, cut: Decimal) -> str:
    return _("the clause's cap of {cap} cuts {cut}").format(cap=plain(cap), cut=plain(cut))


def _note_item_bound(item: str, points: Decimal) -> str:
    return _("item {item} scores at most its {points} points").format(item=item, points=plain(points))


def _note_item_cap(item: str, cap: Decimal, cut: Decimal) -> str:
    return _("item {item} loses at most its cap of {cap}; {cut} of this clause is cut").format(item=item, cap=plain(cap), cut=plain(cut))


def _note_item_points(label: str, item: str, points: Decimal, cut: Decimal) -> str:
    return _("{label}: item {item} deducts at most its {points} points; {cut} of this clause is cut").format(
        label=label, item=item, points=plain(points), cut=plain(cut))


def _note_part_cap(part: str, cap: Decimal, points: Decimal, cut: Decimal) -> str:
    return _("{part} loses at most {cap} of its {points} points; {cut} is cut").format(
        part=part, cap=plain(cap), points=plain(points), cut=plain(cut))


def _note_adjustment_cap(cap: Decimal) -> str:
    return _("the adjustment's cap of {cap} applies").format(cap=plain(cap))


def _note_group_cap(group: str, cap: Decimal, cut: Decimal) -> str:
    return _("the group {group} adds up to at most {cap} either way; {cut} is cut").format(group=group, cap=plain(cap), cut=plain(cut))


def _note_ungraded(total: Decimal, grades: str) -> str:
    return _("the total {total} falls in no grade: {grades}").format(total=plain(total), grades=grades)


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


def _collected(rubric: Rubric, mapping: Any) -> tuple[Plan, str, list[_Found], dict[str, list[tuple[int, int, str | None, str | None]]]] | None:
    """The rubric's plan and ``mapping``'s findings collected by it, or None when the straightforward path must decide."""
    plan: Plan = rubric._plan
    if not plan.usable:
        return None
    try:
        return (plan, *_collect(plan, mapping))
    except _Refused:
        return None


def score_fast(rubric: Rubric, mapping: Mapping[str, Any]) -> Report | None:
    """The report of ``mapping`` on ``rubric`` by the hot path, or None when the straightforward path must decide."""
    if (collected := _collected(rubric, mapping)) is None:
        return None
    plan, name, found, adjusting = collected
    return _Scoring(plan, found, adjusting).report(name)


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
    targets = plan.targets
    found: list[_Found] = []
    adjusting: dict[str, list[tuple[int, int, str | None, str | None]]] = {}
    for f in unit.findings:
        target = targets.get(f.clause)
        if target is None:
            return None
        if target.adjustment:
            adjusting.setdefault(f.clause, []).append((f.index, f.count, f.evidence, f.reason))
        else:
            found.append(_Found(target, f.index, 0 if f.cases else f.count, list(f.cases), f.amount, f.evidence, f.reason))
    for findings in adjusting.values():
        findings.sort()
    return _Scoring(plan, found, adjusting).report(unit.name)


class _Scoring:
    """Steps 1–7 of the scoring rules for the kinds the plan takes, touching only the parts a unit touches."""

    def __init__(self, plan: Plan, found: list[_Found], adjusting: dict[str, list[tuple[int, int, str | None, str | None]]]) -> None:
        self.plan = plan
        self.found = found
        self.adjusting = adjusting

    def report(self, name: str) -> Report:
        from decimal import localcontext

        with localcontext(CONTEXT):
            return self._report(name)

    def _report(self, name: str) -> Report:
        plan, rubric = self.plan, self.plan.rubric
        found = self.found
        found.sort(key=lambda f: (f.target.order, f.index))
        losses: dict[str, list[Record]] = {}
        if any(f.target.replaces and f.cases for f in found):
            self.replace(losses)
        if plan.highest_per_case:
            self.highest_per_case(losses)
        on_clause: dict[str, list[_Found]] = {}
        for finding in found:
            on_clause.setdefault(finding.target.id, []).append(finding)
        # The items touched, in rubric order, each with its clauses' entries and amounts.
        touched: dict[int, list[tuple[str, list[Record], Decimal]]] = {}
        for ident, findings in on_clause.items():
            target = findings[0].target
            entries, amount = self.clause(target, findings)
            entries.extend(losses.get(ident, ()))
            touched.setdefault(target.item, []).append((ident, entries, amount))  # type: ignore[arg-type]
        trace: list[Record] = []
        lost: dict[str, Decimal] = {}
        items = plan.items
        sections, topics = rubric.sections, rubric.topics
        topic_lost = section_lost = ZERO
        topic_at: int | None = None
        section_at: int | None = None
        for position in sorted(touched):
            plan_item = items[position]
            if plan_item.topic != topic_at or plan_item.section != section_at:
                if topic_at is not None:
                    section_lost += self.part(topics[topic_at], topic_lost, trace, lost)
                topic_at, topic_lost = plan_item.topic, ZERO
            if plan_item.section != section_at:
                if section_at is not None:
                    self.part(sections[section_at], section_lost, trace, lost)
                section_at, section_lost = plan_item.section, ZERO
            amount = self.item(plan_item, touched[position], trace, lost)
            if topic_at is not None:
                topic_lost += amount
            else:
                section_lost += amount
        if topic_at is not None:
            section_lost += self.part(topics[topic_at], topic_lost, trace, lost)
        if section_at is not None:
            self.part(sections[section_at], section_lost, trace, lost)
        groups = self.groups(trace) if self.adjusting else plan.zero_groups
        adjustments = sum((g.total for g in groups), ZERO) if self.adjusting else ZERO
        section_scores, topic_scores, item_scores = plan.roll_up(lost)
        grade = None
        if rubric.grades:
            deductions = sum((s.deducted for s in section_scores), ZERO)
            total = rubric.points - deductions + adjustments
            grade = next((g.name for g in rubric.grades if g.holds(total)), None)
            if grade is None:
                trace.append(("", None, "ungraded", ZERO, rubric.grades_title or "",
                              (_note_ungraded, (total, "; ".join(f"{g.name} {g.text}" for g in rubric.grades))),
                              None, (), None, None, None, None))
        return Report(name, rubric.title, rubric.points, rubric.sha256, section_scores, topic_scores, item_scores,
                      adjustments, Trace(trace, current_language()), groups, grade, ())  # type: ignore[arg-type]

    # -- step 2 ------------------------------------------------------------------------------------

    def _take(self, other: _Found, case: str) -> None:
        other.cases.remove(case)
        if other.amount is not None:
            other.dropped = True

    def replace(self, losses: dict[str, list[Record]]) -> None:
        found = self.found
        for replacing in found:
            replaced = replacing.target.replaces
            if not replaced:
                continue
            by = replacing.target.id
            for case in replacing.cases:
                for other in found:
                    if other.target.id in replaced and case in other.cases:
                        self._take(other, case)
                        losses.setdefault(other.target.id, []).append(self.loss(other, "replaced", case, by, (_note_replaced, (case, by, other.target.id))))

    def highest_per_case(self, losses: dict[str, list[Record]]) -> None:
        holders: dict[str, list[_Found]] = {}
        for finding in self.found:
            for case in finding.cases:
                holders.setdefault(case, []).append(finding)
        label = self.plan.per_case_label
        for case, found in holders.items():
            if len(found) < 2 or len({f.target.id for f in found}) < 2:
                continue
            winner = min(found, key=lambda f: (-f.value, f.target.order))
            by, value = winner.target.id, winner.value
            for other in found:
                if other is winner:
                    continue
                here = other.value
                self._take(other, case)
                losses.setdefault(other.target.id, []).append(self.loss(other, "removed", case, by, (_note_removed, (label, case, by, value, here))))

    @staticmethod
    def loss(finding: _Found, effect: str, case: str, by: str, note: Note) -> Record:
        target = finding.target
        return (target.id, target.item_id, effect, ZERO, target.text, note, None, (), case, by, finding.evidence, finding.reason)

    # -- steps 1, 3 and 4 --------------------------------------------------------------------------

    def clause(self, target: _Target, findings: list[_Found]) -> tuple[list[Record], Decimal]:
        entries: list[Record] = []
        total = ZERO
        applied = False
        kind, rate, ident, item, text = target.kind, target.rate, target.id, target.item_id, target.text
        for f in findings:
            count = f.anonymous + len(f.cases)
            if f.dropped or count == 0:
                continue
            if kind == EACH:
                signed_amount = rate * count
                note: Note = (_note_each, (target.unit_word, rate, count))
            elif kind == ONCE:
                if applied:
                    signed_amount, note = ZERO, (_note_again, ())
                else:
                    signed_amount, note = rate, (_note_once, (rate,))
                applied = True
            else:
                signed_amount = -f.amount  # type: ignore[operator]
                note = (_note_given, ())
                count = None  # type: ignore[assignment]
            total -= signed_amount
            entries.append((ident, item, "awarded" if signed_amount > 0 else "deducted", -signed_amount, text, note,
                            count, tuple(f.cases), None, None, f.evidence, f.reason))
        cap = target.cap
        if cap is not None and abs(total) > cap:
            cut = abs(total) - cap
            entries.append((ident, item, "clause-cap", -(cut if total > 0 else -cut), text, (_note_clause_cap, (cap, cut)),
                            None, (), None, None, None, None))
            total = cap if total > 0 else -cap
        return entries, total

    def item(self, plan_item: _ItemPlan, clauses: list[tuple[str, list[Record], Decimal]], trace: list[Record],
             lost: dict[str, Decimal]) -> Decimal:
        item = plan_item.item
        if len(clauses) > 1:
            order = plan_item.clauses
            clauses.sort(key=lambda c: order.index(c[0]))
        net = ZERO
        for _ident, entries, amount in clauses:
            trace.extend(entries)
            net += amount
        loss = net
        if loss < 0:
            trace.append((item.id, item.id, "item-bound", -loss, item.text, (_note_item_bound, (item.id, item.points)),
                          None, (), None, None, None, None))
            loss = ZERO
        limit = plan_item.limit
        if limit is not None and loss > limit:
            targets = self.plan.targets
            for (ident, _entries, _amount), cut in zip(clauses, cap_cuts([a for _i, _e, a in clauses], limit), strict=True):
                if cut:
                    if item.cap is not None:
                        note: Note = (_note_item_cap, (item.id, limit, cut))
                    else:
                        note = (_note_item_points, (self.plan.item_cap_label, item.id, item.points, cut))
                    target = targets[ident]
                    trace.append((ident, target.item_id, "item-cap", -cut, target.text, note, None, (), None, None, None, None))
            loss = limit
        if loss:
            lost[item.id] = loss
        return loss

    def part(self, part: Any, loss: Decimal, trace: list[Record], lost: dict[str, Decimal]) -> Decimal:
        """A topic's or section's loss within its cap."""
        cap = part.cap
        if cap is not None and loss > cap:
            trace.append((part.id, part.id, "part-cap", cap - loss, part.title, (_note_part_cap, (part.id, cap, part.points, loss - cap)),
                          None, (), None, None, None, None))
            loss = cap
        if loss:
            lost[part.id] = loss
        return loss

    # -- step 6 ------------------------------------------------------------------------------------

    def groups(self, trace: list[Record]) -> tuple[GroupTotal, ...]:
        plan = self.plan
        targets = plan.targets
        out = list(plan.zero_groups)
        for g, group in enumerate(plan.rubric.adjustment_groups):
            if not any(a.id in self.adjusting for a in group.adjustments):
                continue
            total = ZERO
            for adjustment in group.adjustments:
                findings = self.adjusting.get(adjustment.id)
                if not findings:
                    continue
                target = targets[adjustment.id]
                rate, ident, text = target.rate, target.id, target.text
                subtotal = ZERO
                applied = False
                for _index, count, evidence, reason in findings:
                    if count == 0:
                        continue
                    if target.kind == ADJUST_EACH:
                        amount = rate * count
                        note: Note = (_note_each, (target.unit_word, rate, count))
                    elif applied:
                        amount, note = ZERO, (_note_adjust_again, ())
                    else:
                        amount, note = rate, (_note_adjust_once, (rate,))
                        applied = True
                    subtotal += amount
                    trace.append((ident, None, "adjusted", amount, text, note, count, (), None, None, evidence, reason))
                cap = target.cap
                if cap is not None and abs(subtotal) > cap:
                    capped = cap if subtotal > 0 else -cap
                    trace.append((ident, None, "adjustment-cap", capped - subtotal, text, (_note_adjustment_cap, (cap,)),
                                  None, (), None, None, None, None))
                    subtotal = capped
                total += subtotal
            if group.cap is not None and abs(total) > group.cap:
                capped = group.cap if total > 0 else -group.cap
                trace.append((group.id or "", None, "group-cap", capped - total, group.title,
                              (_note_group_cap, (group.id or group.title, group.cap, abs(total) - group.cap)),
                              None, (), None, None, None, None))
                total = capped
            out[g] = GroupTotal(group.id, group.title, total)
        return tuple(out)


"""The rules of the score (docs/scoring.md, “The score”), step by step, producing a `Report` with its trace."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import assert_never

import attrs

from ..i18n import _
from ..model import HIGHEST_PER_CASE, ITEM_CAP, Adjustment, Clause, ClauseRule, Discretionary, Each, Item, Once, Rubric, Section, Topic
from ..numbers import exact_arithmetic, plain, signed
from .findings import Finding, Unit
from .report import Report, Score, TraceEntry

ZERO = Decimal(0)


@attrs.define
class _Live:
    """A finding while cases are being taken from it (steps 2a and 2b)."""

    finding: Finding
    clause: Clause
    cases: list[str]
    anonymous: int  # counted without case ids: untouched by replacement and 注1
    dropped: bool = False

    @property
    def count(self) -> int:
        return self.anonymous + len(self.cases)

    @property
    def value(self) -> Decimal:
        """What one case costs here for 注1: the nominal rate, or the assessor's amount."""
        rule = self.clause.rule
        match rule:
            case Once(rate) | Each(rate):
                return -rate
            case Discretionary():
                return self.finding.amount or ZERO
            case _:
                assert_never(rule)

    def remove(self, case: str) -> None:
        self.cases.remove(case)
        if _amount_given(self.clause.rule):
            self.dropped = True  # its one case is gone, and its amount with it


def evaluate(rubric: Rubric, unit: Unit) -> Report:
    """Score ``unit`` on ``rubric``; ``unit`` has been checked by `qlrules.scoring.findings`.

    The arithmetic is qlrules' own (`qlrules.numbers.CONTEXT`): a caller's decimal context
    never changes a score.
    """
    with exact_arithmetic():
        return _evaluate(rubric, unit)


def _evaluate(rubric: Rubric, unit: Unit) -> Report:
    index = rubric.clause_index
    order = rubric.clause_order
    live: list[_Live] = []
    adjusting: list[tuple[Finding, Adjustment]] = []
    for finding in unit.findings:
        target = index[finding.clause]
        if isinstance(target, Adjustment):
            adjusting.append((finding, target))
        else:
            anonymous = 0 if finding.cases or _amount_given(target.rule) else finding.count
            live.append(_Live(finding, target, list(finding.cases), anonymous))
    # Rubric order, then the order the assessor wrote them: the trace reads like the rubric.
    live.sort(key=lambda f: (order[f.clause.id], f.finding.index))
    losses: list[TraceEntry] = []
    _replace(live, losses)
    if rubric.has_rule(HIGHEST_PER_CASE):
        _highest_per_case(rubric, live, losses)

    by_clause_id: dict[str, list[_Live]] = {}
    for found in live:
        by_clause_id.setdefault(found.clause.id, []).append(found)
    losses_by_clause: dict[str, list[TraceEntry]] = {}
    for loss in losses:
        losses_by_clause.setdefault(loss.clause, []).append(loss)
    item_cap = rubric.has_rule(ITEM_CAP)

    trace: list[TraceEntry] = []
    deducted: dict[str, Decimal] = {}
    for item_id in dict.fromkeys(f.clause.item for f in live):  # only items with findings
        item = rubric.item_index[item_id]
        amounts: list[tuple[Clause, Decimal]] = []
        for clause in item.clauses:
            on_clause = by_clause_id.get(clause.id)
            if on_clause is None:
                amounts.append((clause, ZERO))
                trace.extend(losses_by_clause.get(clause.id, ()))
                continue
            entries = _clause_entries(clause, on_clause)
            amount = sum((e.amount for e in entries), ZERO)
            if clause.cap is not None and amount > clause.cap:
                cut = amount - clause.cap
                entries.append(_cap_entry(clause, "clause-cap", cut, _("the clause's cap of {cap} cuts {cut}").format(cap=plain(clause.cap), cut=plain(cut))))
                amount = clause.cap
            trace.extend(entries)
            trace.extend(losses_by_clause.get(clause.id, ()))
            amounts.append((clause, amount))
        total = sum((a for _, a in amounts), ZERO)
        if item_cap and total > item.points:
            trace.extend(_item_cap_entries(rubric, item.id, item.points, amounts))
            total = item.points
        deducted[item.id] = total

    adjustment_total = ZERO
    for adjustment in dict.fromkeys(a for _, a in sorted(adjusting, key=lambda fa: order[fa[1].id])):
        entries, amount = _adjustment_entries(adjustment, [f for f, a in adjusting if a is adjustment])
        trace.extend(entries)
        adjustment_total += amount

    sections, topics, items = _roll_up(rubric, deducted)
    return Report(
        unit=unit.name,
        rubric_title=rubric.title,
        rubric_points=rubric.points,
        rubric_sha256=rubric.sha256,
        sections=sections,
        topics=topics,
        items=items,
        adjustments=adjustment_total,
        trace=tuple(trace),
    )


Scores = tuple[Score, ...]


@attrs.frozen
class _Layout:
    """Every section, topic and item with nothing deducted, and where each item rolls up to.

    Built once per rubric. Scores are immutable, so every report shares these
    for the parts a unit lost nothing in: most of a rubric, for most units.
    """

    sections: Scores
    topics: Scores
    items: Scores
    item_position: dict[str, tuple[int, int, int | None]]  # item id -> (item, section, topic)


@functools.lru_cache(maxsize=16)
def _layout(rubric: Rubric) -> _Layout:
    def zero(part: Section | Topic | Item) -> Score:
        return Score(part.id, part.title, part.points, ZERO)

    section_of = {i.id: n for n, s in enumerate(rubric.sections) for i in s.items}
    topic_of = {i.id: n for n, t in enumerate(rubric.topics) for i in t.items}
    return _Layout(
        sections=tuple(map(zero, rubric.sections)),
        topics=tuple(map(zero, rubric.topics)),
        items=tuple(map(zero, rubric.items)),
        item_position={i.id: (n, section_of[i.id], topic_of.get(i.id)) for n, i in enumerate(rubric.items)},
    )


def _roll_up(rubric: Rubric, deducted: dict[str, Decimal]) -> tuple[Scores, Scores, Scores]:
    """Step 5: topic and section deductions are the sums of their items'."""
    layout = _layout(rubric)
    if not deducted:
        return layout.sections, layout.topics, layout.items
    sections, topics, items = list(layout.sections), list(layout.topics), list(layout.items)
    section_lost: dict[int, Decimal] = {}
    topic_lost: dict[int, Decimal] = {}
    for item_id, amount in deducted.items():
        n, section, topic = layout.item_position[item_id]
        items[n] = Score(items[n].id, items[n].title, items[n].points, amount)
        section_lost[section] = section_lost.get(section, ZERO) + amount
        if topic is not None:
            topic_lost[topic] = topic_lost.get(topic, ZERO) + amount
    for n, amount in section_lost.items():
        sections[n] = Score(sections[n].id, sections[n].title, sections[n].points, amount)
    for n, amount in topic_lost.items():
        topics[n] = Score(topics[n].id, topics[n].title, topics[n].points, amount)
    return tuple(sections), tuple(topics), tuple(items)


def _replace(live: list[_Live], losses: list[TraceEntry]) -> None:
    """Step 2a: a case on a replacing discretionary finding leaves the clauses it replaces."""
    for replacing in live:
        replaced = replacing.clause.rule.replaces if isinstance(replacing.clause.rule, Discretionary) else ()
        if not replaced:
            continue
        for case in replacing.cases:
            for other in live:
                if other.clause.id in replaced and case in other.cases:
                    other.remove(case)
                    losses.append(_loss(other, "replaced", case, replacing.clause.id,
                                        _("case {case} is deducted at discretion under {by}, which replaces {clause}").format(case=case, by=replacing.clause.id, clause=other.clause.id)))


def _highest_per_case(rubric: Rubric, live: list[_Live], losses: list[TraceEntry]) -> None:
    """Step 2b, 注1: a case counts once, in the clause where it costs the most."""
    label = rubric.rule(HIGHEST_PER_CASE).label  # type: ignore[union-attr]
    order = rubric.clause_order
    holders: dict[str, list[_Live]] = {}
    for finding in live:
        for case in finding.cases:
            holders.setdefault(case, []).append(finding)
    for case, found in holders.items():
        if len({f.clause.id for f in found}) < 2:
            continue
        # Highest nominal value wins; a tie goes to the clause first in the rubric.
        winner = min(found, key=lambda f: (-f.value, order[f.clause.id]))
        for other in found:
            if other is winner:
                continue
            other.remove(case)
            losses.append(_loss(other, "removed", case, winner.clause.id,
                                _("{label}: case {case} counts once, in {by} ({value}), not here ({here})").format(label=label, case=case, by=winner.clause.id, value=plain(winner.value), here=plain(other.value))))


def _loss(finding: _Live, effect: str, case: str, by: str, note: str) -> TraceEntry:
    return TraceEntry(
        clause=finding.clause.id, item=finding.clause.item, effect=effect, amount=ZERO,  # type: ignore[arg-type]
        text=finding.clause.text, note=note, case=case, by=by,
        evidence=finding.finding.evidence, reason=finding.finding.reason,
    )


def _clause_entries(clause: Clause, findings: Iterable[_Live]) -> list[TraceEntry]:
    """Step 1: what each remaining finding on ``clause`` deducts."""
    entries: list[TraceEntry] = []
    once_applied = False
    rule = clause.rule
    for live in findings:
        count: int | None = live.count
        match rule:
            case Once(rate):
                if live.count == 0:
                    continue
                amount = ZERO if once_applied else -rate
                note = _("already deducted once for this clause") if once_applied else _("−{rate} once").format(rate=plain(-rate))
                once_applied = True
            case Each(rate, unit):
                if live.count == 0:
                    continue
                amount = -rate * live.count
                note = f"每{unit or ''} −{plain(-rate)} × {live.count}"
            case Discretionary():
                if live.dropped:
                    continue
                amount, note, count = live.finding.amount or ZERO, _("amount given by the assessor"), None
            case _:
                assert_never(rule)
        entries.append(TraceEntry(
            clause=clause.id, item=clause.item, effect="deducted", amount=amount, text=clause.text, note=note,
            count=count, cases=tuple(live.cases), evidence=live.finding.evidence, reason=live.finding.reason,
        ))
    return entries


def _amount_given(rule: ClauseRule) -> bool:
    """Whether a finding on ``rule`` carries the amount itself (and so stands or falls with its one case)."""
    match rule:
        case Once() | Each():
            return False
        case Discretionary():
            return True
        case _:
            assert_never(rule)


def _cap_entry(clause: Clause, effect: str, cut: Decimal, note: str) -> TraceEntry:
    return TraceEntry(clause=clause.id, item=clause.item, effect=effect, amount=-cut, text=clause.text, note=note)  # type: ignore[arg-type]


def _item_cap_entries(rubric: Rubric, item: str, points: Decimal, by_clause: list[tuple[Clause, Decimal]]) -> list[TraceEntry]:
    """注2: clauses count in rubric order until the item's points are reached; the rest is cut."""
    label = rubric.rule(ITEM_CAP).label  # type: ignore[union-attr]
    entries = []
    room = points
    for clause, amount in by_clause:
        kept = min(amount, room)
        room -= kept
        if amount > kept:
            entries.append(_cap_entry(clause, "item-cap", amount - kept,
                                      _("{label}: item {item} deducts at most its {points} points; {cut} of this clause is cut").format(label=label, item=item, points=plain(points), cut=plain(amount - kept))))
    return entries


def _adjustment_entries(adjustment: Adjustment, findings: list[Finding]) -> tuple[list[TraceEntry], Decimal]:
    """Step 6: signed rate × count, cut to the adjustment's cap if it declares one."""
    entries = []
    total = ZERO
    once_applied = False
    rule = adjustment.rule
    for finding in sorted(findings, key=lambda f: f.index):
        if finding.count == 0:
            continue
        match rule:
            case Once(rate):
                amount = ZERO if once_applied else rate
                note = _("already applied once") if once_applied else _("{rate} once").format(rate=signed(rate))
                once_applied = True
            case Each(rate, unit):
                amount = rate * finding.count
                note = f"每{unit or ''} {signed(rate)} × {finding.count}"
            case _:
                assert_never(rule)
        total += amount
        entries.append(TraceEntry(clause=adjustment.id, item=None, effect="adjusted", amount=amount, text=adjustment.text,
                                  note=note, count=finding.count, evidence=finding.evidence, reason=finding.reason))
    if adjustment.cap is not None and abs(total) > adjustment.cap:
        capped = adjustment.cap if total > 0 else -adjustment.cap
        entries.append(TraceEntry(clause=adjustment.id, item=None, effect="adjustment-cap", amount=capped - total,
                                  text=adjustment.text, note=_("the adjustment's cap of {cap} applies").format(cap=plain(adjustment.cap))))
        total = capped
    return entries, total


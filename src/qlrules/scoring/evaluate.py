"""The scoring rules (docs/scoring.md), step by step, producing a `Report` with its trace.

1. Each finding's amount, by its clause's rule; 2. replacement, then 注1 (a case counts once,
where it costs most); 3. each clause cut to its own cap; 4. each item: full items lose their
deductions and gain their awards within their points and their bound (注2 or the item's cap),
earned items gain their awards less their deductions within 0 and their points; 5. topics and
sections: what their parts lost plus their own clauses, within their caps; 6. adjustment
groups, each adjustment and each group within its cap; 7. the grade, and the vetoes that cap it.

Trace amounts are what an entry adds to its part's deduction (a deduction positive, an award or
a cap's cut negative); an adjustment's entries are its signed effect on the total.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol, TypeVar, assert_never

import attrs

from ..i18n import _
from ..model import (
    HIGHEST_PER_CASE,
    ITEM_CAP,
    Adjustment,
    AdjustmentGroup,
    AdjustmentRule,
    Clause,
    ClauseRule,
    Discretionary,
    Each,
    Item,
    Levels,
    Measure,
    Once,
    Ranged,
    Rubric,
    Section,
    Topic,
    Veto,
)
from ..numbers import exact_arithmetic, plain, signed
from .findings import Finding, Unit
from .kernel import cap_cuts
from .report import GroupTotal, Report, Score, TraceEntry

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
        """What one case costs here for 注1: the nominal rate, a level's rate, or the amount the assessor gave."""
        if self.finding.amount is not None:
            return self.finding.amount
        rule = self.clause.rule
        match rule:
            case Once(rate) | Each(rate):
                return abs(rate)
            case Levels():
                level = rule.level(self.finding.level or "")
                return abs(level.low) if level is not None else ZERO
            case Discretionary() | Ranged() | Measure():
                return ZERO  # these findings carry their amount (or, a measure, no case)
            case _:
                assert_never(rule)

    def remove(self, case: str) -> None:
        self.cases.remove(case)
        if self.finding.amount is not None:
            self.dropped = True  # its one case is gone, and its amount with it


def evaluate(rubric: Rubric, unit: Unit, *, _straightforward: bool = False) -> Report:
    """Score ``unit`` on ``rubric``; ``unit`` has been checked by `qlrules.scoring.findings`.

    The arithmetic is qlrules' own (`qlrules.numbers.CONTEXT`): a caller's decimal context
    never changes a score. The common kinds take the hot path (`qlrules.scoring.plan`), which
    gives the same report; ``_straightforward`` is this module's evaluation alone (for the tests).
    """
    if not _straightforward:
        from .plan import evaluate_fast

        report = evaluate_fast(rubric, unit)
        if report is not None:
            return report
    with exact_arithmetic():
        return _Evaluation(rubric, unit).report()


class _Evaluation:
    """One unit on one rubric: the findings sorted by clause, then the parts scored from the inside out."""

    def __init__(self, rubric: Rubric, unit: Unit) -> None:
        self.rubric = rubric
        self.unit = unit
        index, order = rubric.clause_index, rubric.clause_order
        live: list[_Live] = []
        self.adjusting: dict[str, list[Finding]] = {}
        self.vetoing: dict[str, list[Finding]] = {}
        for finding in unit.findings:
            target = index[finding.clause]
            if isinstance(target, Adjustment):
                self.adjusting.setdefault(target.id, []).append(finding)
            elif isinstance(target, Veto):
                self.vetoing.setdefault(target.id, []).append(finding)
            else:
                anonymous = 0 if finding.cases else finding.count
                live.append(_Live(finding, target, list(finding.cases), anonymous))
        # Rubric order, then the order the assessor wrote them: the trace reads like the rubric.
        live.sort(key=lambda f: (order[f.clause.id], f.finding.index))
        losses: list[TraceEntry] = []
        _replace(live, losses)
        if rubric.has_rule(HIGHEST_PER_CASE):
            _highest_per_case(rubric, live, losses)
        self.on_clause: dict[str, list[_Live]] = {}
        for found in live:
            self.on_clause.setdefault(found.clause.id, []).append(found)
        self.losses: dict[str, list[TraceEntry]] = {}
        for loss in losses:
            self.losses.setdefault(loss.clause, []).append(loss)
        self.trace: list[TraceEntry] = []
        self.lost: dict[str, Decimal] = {}  # part id -> points − score, for every part with anything to say

    def report(self) -> Report:
        rubric = self.rubric
        for section in rubric.sections:
            self.section(section)
        groups = tuple(self.group(g) for g in rubric.adjustment_groups)
        adjustments = sum((g.total for g in groups), ZERO)
        sections, topics, items = _roll_up(rubric, self.lost)
        deductions = sum((s.deducted for s in sections), ZERO)
        total = rubric.points - deductions + adjustments
        grade, vetoes = self.grade(total)
        return Report(
            unit=self.unit.name,
            rubric_title=rubric.title,
            rubric_points=rubric.points,
            rubric_sha256=rubric.sha256,
            sections=sections,
            topics=topics,
            items=items,
            adjustments=adjustments,
            trace=tuple(self.trace),
            adjustment_groups=groups,
            grade=grade,
            vetoes=vetoes,
        )

    # -- parts -----------------------------------------------------------------------------------

    def section(self, section: Section) -> None:
        lost = self.own_clauses(section.clauses)
        for item in section.direct_items:
            lost += self.item(item)
        for topic in section.topics:
            lost += self.topic(topic)
        self.lost_by(section.id, section.title, section.points, section.cap, lost)

    def topic(self, topic: Topic) -> Decimal:
        lost = self.own_clauses(topic.clauses)
        for item in topic.items:
            lost += self.item(item)
        return self.lost_by(topic.id, topic.title, topic.points, topic.cap, lost)

    def own_clauses(self, clauses: Sequence[Clause]) -> Decimal:
        """What a section's or topic's own clauses deduct (each within its cap)."""
        lost = ZERO
        for clause in clauses:
            entries, amount = self.clause(clause)
            self.trace.extend(entries)
            lost += amount
        return lost

    def lost_by(self, ident: str, title: str, points: Decimal, cap: Decimal | None, lost: Decimal) -> Decimal:
        """A topic's or section's loss, bounded by its cap (减完为止, 本项限扣N分)."""
        if cap is not None and lost > cap:
            self.trace.append(TraceEntry(
                clause=ident, item=ident, effect="part-cap", amount=cap - lost, text=title,
                note=_("{part} loses at most {cap} of its {points} points; {cut} is cut").format(
                    part=ident, cap=plain(cap), points=plain(points), cut=plain(lost - cap))))
            lost = cap
        if lost:
            self.lost[ident] = lost
        return lost

    def item(self, item: Item) -> Decimal:
        """Steps 1–4 for one item: its clauses, their caps, then its own bounds. Returns what it lost."""
        if not item.earned and not any(c.id in self.on_clause or c.id in self.losses for c in item.clauses):
            return ZERO  # nothing found: the item keeps its points (an earned item still has to earn them)
        entries: list[TraceEntry] = []
        if item.earned:
            entries.append(TraceEntry(clause=item.id, item=item.id, effect="unearned", amount=item.points, text=item.text,
                                      note=_("item {item} is earned: it starts at 0 of its {points} points").format(
                                          item=item.id, points=plain(item.points))))
        by_clause: list[tuple[Clause, Decimal]] = []
        for clause in item.clauses:
            clause_entries, amount = self.clause(clause)
            entries.extend(clause_entries)
            by_clause.append((clause, amount))
        net = sum((a for _c, a in by_clause), ZERO)  # deductions less awards
        lost = (item.points if item.earned else ZERO) + net
        if item.earned:
            lost, bound = _within(lost, ZERO, item.points)
            if bound:
                entries.append(self.bound_entry(item, bound, _("item {item} earns between 0 and its {points} points").format(
                    item=item.id, points=plain(item.points))))
        else:
            if lost < 0:  # awards beyond what was deducted: a full item scores at most its points
                entries.append(self.bound_entry(item, -lost, _("item {item} scores at most its {points} points").format(
                    item=item.id, points=plain(item.points))))
                lost = ZERO
            limit = item.cap if item.cap is not None else item.points if self.rubric.has_rule(ITEM_CAP) else None
            if limit is not None and lost > limit:
                entries.extend(self.item_cap_entries(item, limit, by_clause))
                lost = limit
        self.trace.extend(entries)
        if lost:
            self.lost[item.id] = lost
        return lost

    def bound_entry(self, item: Item, amount: Decimal, note: str) -> TraceEntry:
        return TraceEntry(clause=item.id, item=item.id, effect="item-bound", amount=amount, text=item.text, note=note)

    def item_cap_entries(self, item: Item, limit: Decimal, by_clause: list[tuple[Clause, Decimal]]) -> list[TraceEntry]:
        """注2 (or the item's cap): deductions count in rubric order until the bound is reached; the rest is cut.

        An item's awards make room: an item with 1 awarded may lose its bound plus 1 before the cut.
        """
        entries = []
        rule = self.rubric.rule(ITEM_CAP)
        for (clause, _amount), cut in zip(by_clause, cap_cuts([a for _c, a in by_clause], limit), strict=True):
            if cut:
                if item.cap is not None:
                    note = _("item {item} loses at most its cap of {cap}; {cut} of this clause is cut").format(
                        item=item.id, cap=plain(limit), cut=plain(cut))
                else:
                    note = _("{label}: item {item} deducts at most its {points} points; {cut} of this clause is cut").format(
                        label=rule.label if rule else "注2", item=item.id, points=plain(item.points), cut=plain(cut))
                entries.append(_cap_entry(clause, "item-cap", cut, note))
        return entries

    # -- clauses ---------------------------------------------------------------------------------

    def clause(self, clause: Clause) -> tuple[list[TraceEntry], Decimal]:
        """Steps 1 and 3: what each finding on ``clause`` deducts (or awards), then the clause's cap."""
        found = self.on_clause.get(clause.id)
        losses = self.losses.get(clause.id, [])
        if found is None:
            return list(losses), ZERO
        entries = _clause_entries(clause, found)
        amount = sum((e.amount for e in entries), ZERO)
        if clause.cap is not None and abs(amount) > clause.cap:
            cut = abs(amount) - clause.cap
            entries.append(_cap_entry(clause, "clause-cap", cut if amount > 0 else -cut,
                                      _("the clause's cap of {cap} cuts {cut}").format(cap=plain(clause.cap), cut=plain(cut))))
            amount = clause.cap if amount > 0 else -clause.cap
        return entries + losses, amount

    # -- adjustments, grades ------------------------------------------------------------------------

    def group(self, group: AdjustmentGroup) -> GroupTotal:
        total = ZERO
        for adjustment in group.adjustments:
            entries, amount = _adjustment_entries(adjustment, self.adjusting.get(adjustment.id, []))
            self.trace.extend(entries)
            total += amount
        if group.cap is not None and abs(total) > group.cap:
            capped = group.cap if total > 0 else -group.cap
            self.trace.append(TraceEntry(
                clause=group.id or "", item=None, effect="group-cap", amount=capped - total, text=group.title,
                note=_("the group {group} adds up to at most {cap} either way; {cut} is cut").format(
                    group=group.id or group.title, cap=plain(group.cap), cut=plain(abs(total) - group.cap))))
            total = capped
        return GroupTotal(group.id, group.title, total)

    def grade(self, total: Decimal) -> tuple[str | None, tuple[str, ...]]:
        """Step 7: the band the total falls in, capped by every veto that applies (grades are best first)."""
        rubric = self.rubric
        applied = [v for v in rubric.vetoes if any(f.count >= 1 for f in self.vetoing.get(v.id, []))]
        if not rubric.grades:
            return None, tuple(v.id for v in applied)
        earned = next((n for n, g in enumerate(rubric.grades) if g.holds(total)), None)
        worst = earned
        for veto in applied:
            position = rubric.grade_index(veto.grade)
            assert position is not None  # the compiler checks every veto names a grade
            findings = self.vetoing[veto.id]
            self.trace.append(TraceEntry(
                clause=veto.id, item=None, effect="vetoed", amount=ZERO, text=veto.text,
                note=_("一票否决: the grade is at most {grade}").format(grade=veto.grade), count=sum(f.count for f in findings),
                evidence=next((f.evidence for f in findings if f.evidence), None), reason=next((f.reason for f in findings if f.reason), None)))
            worst = position if worst is None else max(worst, position)
        if worst is None:
            self.trace.append(TraceEntry(
                clause="", item=None, effect="ungraded", amount=ZERO, text=rubric.grades_title or "",
                note=_("the total {total} falls in no grade: {grades}").format(
                    total=plain(total), grades="; ".join(f"{g.name} {g.text}" for g in rubric.grades))))
            return None, tuple(v.id for v in applied)
        return rubric.grades[worst].name, tuple(v.id for v in applied)


def _within(value: Decimal, low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """``value`` held within [low, high], and what holding it there added to it."""
    held = min(max(value, low), high)
    return held, held - value


# -- step 1: what each finding on a clause (or an adjustment) comes to ------------------------------


def _clause_entries(clause: Clause, findings: Iterable[_Live]) -> list[TraceEntry]:
    """Step 1 for a clause: one entry per finding that still counts, ``amount`` added to the deduction."""
    entries: list[TraceEntry] = []
    for live, signed_amount, note, extra in _amounts(clause.rule, list(findings)):
        entries.append(TraceEntry(
            clause=clause.id, item=clause.item, effect="awarded" if signed_amount > 0 else "deducted", amount=-signed_amount,
            text=clause.text, note=note, count=extra.get("count", live.count), cases=tuple(live.cases),
            evidence=live.finding.evidence, reason=live.finding.reason,
            level=live.finding.level, value=live.finding.value, steps=extra.get("steps"),
        ))
    return entries


def _adjustment_entries(adjustment: Adjustment, findings: list[Finding]) -> tuple[list[TraceEntry], Decimal]:
    """Step 6 for one adjustment: its findings' signed amounts, cut to the adjustment's cap if it declares one."""
    entries = []
    total = ZERO
    counted = [_Whole(f) for f in sorted(findings, key=lambda f: f.index)]
    for live, signed_amount, note, extra in _amounts(adjustment.rule, counted, adjustment=True):
        total += signed_amount
        entries.append(TraceEntry(clause=adjustment.id, item=None, effect="adjusted", amount=signed_amount, text=adjustment.text,
                                  note=note, count=extra.get("count", live.finding.count), evidence=live.finding.evidence,
                                  reason=live.finding.reason, level=live.finding.level, value=live.finding.value,
                                  steps=extra.get("steps")))
    if adjustment.cap is not None and abs(total) > adjustment.cap:
        capped = adjustment.cap if total > 0 else -adjustment.cap
        entries.append(TraceEntry(clause=adjustment.id, item=None, effect="adjustment-cap", amount=capped - total,
                                  text=adjustment.text, note=_("the adjustment's cap of {cap} applies").format(cap=plain(adjustment.cap))))
        total = capped
    return entries, total


Extra = dict[str, int | None]


class _Counting(Protocol):
    """A finding as step 1 sees it: after 注1 and replacement for a clause, whole for an adjustment."""

    @property
    def finding(self) -> Finding: ...

    @property
    def count(self) -> int: ...

    @property
    def dropped(self) -> bool: ...


@attrs.frozen
class _Whole:
    """An adjustment's finding: adjustments take no cases, so nothing is ever taken from it."""

    finding: Finding
    dropped: bool = False

    @property
    def count(self) -> int:
        return self.finding.count


C = TypeVar("C", bound=_Counting)


def _amounts(rule: ClauseRule | AdjustmentRule, findings: list[C], adjustment: bool = False) -> list[tuple[C, Decimal, str, Extra]]:
    """Each finding that counts, with its signed amount (−1.5 deducts, +1 adds) and the note that explains it."""
    out: list[tuple[C, Decimal, str, Extra]] = []
    applied = False  # a once rule applies once
    for live in findings:
        finding = live.finding
        if live.dropped or (live.count == 0 and finding.value is None):
            continue  # count 0 (or every case taken by 注1 or a replacement): nothing to apply
        match rule:
            case Once(rate):
                if applied:
                    note = _("already applied once") if adjustment else _("already deducted once for this clause")
                    out.append((live, ZERO, note, {}))
                else:
                    note = _("{rate} once").format(rate=signed(rate)) if adjustment or rate > 0 else _("−{rate} once").format(rate=plain(-rate))
                    out.append((live, rate, note, {}))
                applied = True
            case Each(rate, unit):
                out.append((live, rate * live.count, f"每{unit or ''} {signed(rate)} × {live.count}", {}))
            case Discretionary():
                out.append((live, -(finding.amount or ZERO), _("amount given by the assessor"), {"count": None}))
            case Ranged(low, high, each, unit):
                amount = finding.amount or ZERO
                sign = -1 if high < 0 else 1
                if each:
                    note = _("{amount} given within {low} to {high} per {unit} × {count}").format(
                        amount=plain(amount), low=plain(abs(low)), high=plain(abs(high)), unit=unit or _("time"), count=live.count)
                else:
                    note = _("{amount} given within {low} to {high}").format(amount=plain(amount), low=plain(abs(low)), high=plain(abs(high)))
                out.append((live, sign * amount, note, {}))
            case Levels(each=each, unit=unit):
                level = rule.level(finding.level or "")
                assert level is not None  # the findings checks name a declared level
                if level.ranged:
                    magnitude = finding.amount or ZERO
                    amount = magnitude if level.high > 0 else -magnitude
                    note = _("level {level}: {amount} given within {low} to {high}").format(
                        level=level.name, amount=plain(magnitude), low=plain(abs(level.low)), high=plain(abs(level.high)))
                elif each:
                    amount = level.low * live.count
                    note = f"{level.name} 每{unit or ''} {signed(level.low)} × {live.count}"
                else:
                    amount = level.low
                    note = _("level {level}: {rate}").format(level=level.name, rate=signed(level.low))
                out.append((live, amount, note, {}))
            case Measure():
                amount, steps, note = _measured(rule, finding.value if finding.value is not None else ZERO)
                out.append((live, amount, note, {"steps": steps, "count": None}))
            case _:
                assert_never(rule)
    if isinstance(rule, Levels) and not rule.each and out:
        out = _once_at_the_highest_level(rule, out)
    return out


def _once_at_the_highest_level(rule: Levels, found: list[tuple[C, Decimal, str, Extra]]) -> list[tuple[C, Decimal, str, Extra]]:
    """A `once` levels clause applies once, at the level largest in magnitude among its findings (同一项目就高).

    Ties go to the level declared first; the other findings stay in the trace at 0.
    """
    order = {lv.name: n for n, lv in enumerate(rule.levels)}
    chosen = min(range(len(found)), key=lambda n: (-abs(found[n][1]), order[found[n][0].finding.level or ""], n))
    out = []
    for n, (live, amount, note, extra) in enumerate(found):
        if n == chosen:
            out.append((live, amount, note, extra))
        else:
            out.append((live, ZERO, _("level {level} is not the highest: the clause applies once, at level {chosen}").format(
                level=live.finding.level, chosen=found[chosen][0].finding.level), extra))
    return out


def _measured(rule: Measure, value: Decimal) -> tuple[Decimal, int | None, str]:
    """The amount a measured value comes to, the whole steps counted (None without steps), and the note."""
    bands = rule.bands
    if rule.way in ("at-least", "at-most"):
        for band in bands:
            holds = value >= band.threshold if rule.way == "at-least" else value <= band.threshold
            if holds:
                words = _("at least") if rule.way == "at-least" else _("at most")
                return band.rate, None, _("value {value}: {bound} {threshold}, {rate}").format(
                    value=plain(value), bound=words, threshold=plain(band.threshold), rate=signed(band.rate))
        return ZERO, None, _("value {value}: no tier applies").format(value=plain(value))
    below = rule.way == "below"
    total, steps, notes = ZERO, 0, []
    for n, band in enumerate(bands):
        past = value < band.threshold if below else value > band.threshold
        if not past:
            continue
        if band.step is None:
            total += band.rate
            notes.append(_("{way} {threshold}: {rate}").format(way=rule.way, threshold=plain(band.threshold), rate=signed(band.rate)))
            continue
        # This band counts the shortfall between its threshold and the next band's (or the value).
        nearer = bands[n + 1].threshold if n + 1 < len(bands) else None
        end = value if nearer is None else (max(value, nearer) if below else min(value, nearer))
        counted = int((abs(band.threshold - end) / band.step).to_integral_value(rounding=ROUND_FLOOR))
        steps += counted
        total += band.rate * counted
        notes.append(_("{way} {threshold}: {steps} × {step} at {rate}").format(
            way=rule.way, threshold=plain(band.threshold), steps=counted, step=plain(band.step), rate=signed(band.rate)))
    stepped = any(b.step is not None for b in bands)
    if not notes:
        return ZERO, 0 if stepped else None, _("value {value}: within every threshold").format(value=plain(value))
    return total, steps if stepped else None, _("value {value}: {bands}").format(value=plain(value), bands="; ".join(notes))


def _cap_entry(clause: Clause, effect: str, cut: Decimal, note: str) -> TraceEntry:
    return TraceEntry(clause=clause.id, item=clause.item, effect=effect, amount=-cut, text=clause.text, note=note)  # type: ignore[arg-type]


# -- step 2: replacement, then 注1 ------------------------------------------------------------------


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
        evidence=finding.finding.evidence, reason=finding.finding.reason, level=finding.finding.level,
    )


# -- step 5: the parts' scores ----------------------------------------------------------------------

Scores = tuple[Score, ...]


@attrs.frozen
class _Layout:
    """Every section, topic and item with nothing lost, and where each stands.

    Built once per rubric. Scores are immutable, so every report shares these
    for the parts a unit lost nothing in: most of a rubric, for most units.
    """

    sections: Scores
    topics: Scores
    items: Scores
    position: dict[str, tuple[str, int]]  # part id -> (kind, index)


@functools.lru_cache(maxsize=16)
def _layout(rubric: Rubric) -> _Layout:
    def zero(part: Section | Topic | Item) -> Score:
        return Score(part.id, part.title, part.points, ZERO)

    position = {s.id: ("section", n) for n, s in enumerate(rubric.sections)}
    position.update({t.id: ("topic", n) for n, t in enumerate(rubric.topics)})
    position.update({i.id: ("item", n) for n, i in enumerate(rubric.items)})
    return _Layout(sections=tuple(map(zero, rubric.sections)), topics=tuple(map(zero, rubric.topics)),
                   items=tuple(map(zero, rubric.items)), position=position)


def _roll_up(rubric: Rubric, lost: dict[str, Decimal]) -> tuple[Scores, Scores, Scores]:
    """Every part's score: its points less what it lost (already bounded part by part)."""
    layout = _layout(rubric)
    if not lost:
        return layout.sections, layout.topics, layout.items
    parts = {"section": list(layout.sections), "topic": list(layout.topics), "item": list(layout.items)}
    for ident, amount in lost.items():
        kind, n = layout.position[ident]
        old = parts[kind][n]
        parts[kind][n] = Score(old.id, old.title, old.points, amount)
    return tuple(parts["section"]), tuple(parts["topic"]), tuple(parts["item"])

"""The scoring hot path on plain data: a rubric's plan, a unit checked as it is collected, and its outcome.

Nothing here imports attrs or the model classes (`qlrules.model`): a plan is built from a
compiled rubric once (`qlrules.scoring.plan.build_plan`) and can be stored as JSON beside it in
the cache (`Plan.to_data`, `Plan.from_data`), so that `qlrules score` with a cached rubric
scores one unit and writes its JSON report (`qlrules.render.fragments.outcome_json`) without
loading either. `qlrules.scoring.plan` turns the same outcome into a `Report` for the library.

The kernel scores the common kinds — once, each, discretionary and ranged clauses on items,
and once/each adjustments — and refuses anything else, and any finding the straightforward
checker (`qlrules.scoring.findings`) would refuse, by raising `Refused`: the caller then takes
the straightforward path, which gives the report or words the error exactly. The differential
tests (tests/test_fast_path.py, tests/test_light_score.py) prove both paths agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, localcontext
from typing import Any

from ..i18n import _, current_language
from ..numbers import CONTEXT, plain, signed

ZERO = Decimal(0)
#: The largest count (and amount) a finding may give, and the most decimal places of an amount.
MAX_COUNT = 10**9
MAX_DECIMAL_PLACES = 10
#: The stored shape of `Plan.to_data`: bump when it changes.
PLAN_FORMAT = 1

#: Effects whose ``amount`` is already their signed effect on the total: adjustments and their caps.
ON_TOTAL: frozenset[str] = frozenset({"adjusted", "adjustment-cap", "group-cap"})

# What a finding may name, by kind: the keys the straightforward checker accepts for it.
ONCE, EACH, DISCRETIONARY, ADJUST_ONCE, ADJUST_EACH, RANGED = range(6)
_KEYS = {
    ONCE: frozenset({"clause", "count", "cases", "evidence", "reason"}),
    EACH: frozenset({"clause", "count", "cases", "evidence", "reason"}),
    DISCRETIONARY: frozenset({"clause", "amount", "cases", "evidence", "reason"}),
    ADJUST_ONCE: frozenset({"clause", "count", "evidence", "reason"}),
    ADJUST_EACH: frozenset({"clause", "count", "evidence", "reason"}),
    RANGED: frozenset({"clause", "count", "cases", "amount", "evidence", "reason"}),
}
_UNIT_KEYS = frozenset({"unit", "findings"})


def cap_cuts(amounts: Sequence[Decimal], limit: Decimal) -> list[Decimal]:
    """What an item's bound of ``limit`` cuts from each of its clauses' ``amounts`` (deductions
    positive, awards negative, in rubric order): deductions count in order until the bound is
    reached, and the rest is cut; awards make room. The one statement of the rule, for both paths.
    """
    room = limit + sum((-a for a in amounts if a < 0), ZERO)
    cuts = []
    for amount in amounts:
        kept = min(amount, room) if amount > 0 else amount
        if amount > 0:
            room -= kept
        cuts.append(amount - kept)
    return cuts


# -- the plan -----------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


class Target:
    """A clause or adjustment as the hot path sees it: kind, rate, bounds, and where it stands."""

    __slots__ = ("id", "kind", "keys", "rate", "magnitude", "order", "of", "cap", "replaces", "points",
                 "item", "item_id", "text", "adjustment", "cases_allowed", "unit_word", "low", "high", "each")

    def __init__(self, id: str, kind: int, rate: Decimal, order: int, of: int | None, cap: Decimal | None,  # noqa: A002
                 replaces: Sequence[str], points: Decimal | None, item: int | None, item_id: str | None, text: str,
                 unit_word: str | None, low: Decimal = ZERO, high: Decimal = ZERO, each: bool = False) -> None:
        """``low``, ``high`` and ``each`` are a ranged rule's (扣1-3分, 每例扣1-2分), signed as its rate would be."""
        self.id = id
        self.kind = kind
        self.keys = _KEYS[kind]
        self.rate = rate
        self.magnitude = abs(rate)
        self.order = order
        self.of = of
        self.cap = cap
        self.replaces = frozenset(replaces)
        self.points = points
        self.item = item  # position in the plan's items, None for an adjustment
        self.item_id = item_id
        self.text = text
        self.adjustment = kind in (ADJUST_ONCE, ADJUST_EACH)
        self.cases_allowed = not self.adjustment and rate <= 0 and high <= 0  # cases are for deductions (注1)
        self.unit_word = unit_word
        self.low, self.high, self.each = low, high, each

    def to_data(self) -> list[Any]:
        return [self.id, self.kind, str(self.rate), self.order, self.of, _number(self.cap), sorted(self.replaces),
                _number(self.points), self.item, self.item_id, self.text, self.unit_word, str(self.low), str(self.high), self.each]

    @classmethod
    def from_data(cls, data: list[Any]) -> Target:
        ident, kind, rate, order, of, cap, replaces, points, item, item_id, text, unit_word, low, high, each = data
        if type(each) is not bool:
            raise ValueError("expected true or false")
        return cls(ident, kind, Decimal(rate), order, of, _decimal(cap), replaces, _decimal(points), item, item_id, text, unit_word,
                   Decimal(low), Decimal(high), each)


class Part:
    """A section or topic: what its line in a report shows, and its cap."""

    __slots__ = ("id", "title", "points", "cap")

    def __init__(self, id: str, title: str, points: Decimal, cap: Decimal | None) -> None:  # noqa: A002
        self.id, self.title, self.points, self.cap = id, title, points, cap

    def to_data(self) -> list[Any]:
        return [self.id, self.title, str(self.points), _number(self.cap)]

    @classmethod
    def from_data(cls, data: list[Any]) -> Part:
        return cls(data[0], data[1], Decimal(data[2]), _decimal(data[3]))


class PlanItem:
    """An item: its clauses in rubric order, its bound, and the section and topic it is in (their positions)."""

    __slots__ = ("id", "text", "points", "cap", "position", "clauses", "limit", "section", "topic")

    def __init__(self, id: str, text: str, points: Decimal, cap: Decimal | None, position: int, clauses: Sequence[str],  # noqa: A002
                 limit: Decimal | None, section: int, topic: int | None) -> None:
        self.id, self.text, self.points, self.cap = id, text, points, cap
        self.position = position
        self.clauses = tuple(clauses)
        self.limit = limit  # the item's cap, or its points under 注2, or None
        self.section = section
        self.topic = topic

    def to_data(self) -> list[Any]:
        return [self.id, self.text, str(self.points), _number(self.cap), self.position, list(self.clauses), _number(self.limit),
                self.section, self.topic]

    @classmethod
    def from_data(cls, data: list[Any]) -> PlanItem:
        ident, text, points, cap, position, clauses, limit, section, topic = data
        return cls(ident, text, Decimal(points), _decimal(cap), position, clauses, _decimal(limit), section, topic)


class Group:
    """An adjustment group: its adjustments' ids in rubric order, and its cap either way."""

    __slots__ = ("id", "title", "cap", "adjustments")

    def __init__(self, id: str | None, title: str, cap: Decimal | None, adjustments: Sequence[str]) -> None:  # noqa: A002
        self.id, self.title, self.cap, self.adjustments = id, title, cap, tuple(adjustments)


class Grade:
    """A grade band: its name, its wording, and the totals it holds."""

    __slots__ = ("name", "text", "low", "high")

    def __init__(self, name: str, text: str, low: Decimal | None, high: Decimal | None) -> None:
        self.name, self.text, self.low, self.high = name, text, low, high

    def holds(self, total: Decimal) -> bool:
        return (self.low is None or total >= self.low) and (self.high is None or total <= self.high)


class Plan:
    """A rubric compiled for scoring, as plain data: every clause indexed with its rule, item position and bounds.

    ``usable`` says whether the hot path applies to the rubric at all: it does not score earned
    items (which count without findings), so such a rubric always takes the straightforward path.
    """

    def __init__(self, *, title: str, points: Decimal, sha256: str, usable: bool, highest_per_case: bool,
                 per_case_label: str, item_cap_label: str, sections: list[Part], topics: list[Part], items: list[PlanItem],
                 targets: list[Target], groups: list[Group], grades: list[Grade], grades_title: str) -> None:
        self.title, self.points, self.sha256 = title, points, sha256
        self.usable = usable
        self.highest_per_case = highest_per_case
        self.per_case_label = per_case_label
        self.item_cap_label = item_cap_label
        self.sections, self.topics, self.items = sections, topics, items
        self.targets = {t.id: t for t in targets}
        self.groups = groups
        self.grades = grades
        self.grades_title = grades_title
        #: Each section's, topic's and item's id -> ("section" | "topic" | "item", its position).
        self.position: dict[str, tuple[str, int]] = {s.id: ("section", n) for n, s in enumerate(sections)}
        self.position.update({t.id: ("topic", n) for n, t in enumerate(topics)})
        self.position.update({i.id: ("item", n) for n, i in enumerate(items)})
        #: Report lines already written, shared by every report of the rubric (`qlrules.render.fragments`).
        self.lines: dict[Any, str] = {}
        #: By depth: the sections', topics' and items' lines of a unit that lost nothing.
        self.zero_lines: dict[int, tuple[list[str], list[str], list[str]]] = {}

    def to_data(self) -> dict[str, Any]:
        """The plan as JSON-ready data (numbers as exact strings), for the cache."""
        return {
            "format": PLAN_FORMAT, "title": self.title, "points": str(self.points), "sha256": self.sha256, "usable": self.usable,
            "highest_per_case": self.highest_per_case, "per_case_label": self.per_case_label, "item_cap_label": self.item_cap_label,
            "sections": [s.to_data() for s in self.sections], "topics": [t.to_data() for t in self.topics],
            "items": [i.to_data() for i in self.items], "targets": [t.to_data() for t in self.targets.values()],
            "groups": [[g.id, g.title, _number(g.cap), list(g.adjustments)] for g in self.groups],
            "grades": [[g.name, g.text, _number(g.low), _number(g.high)] for g in self.grades], "grades_title": self.grades_title,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Plan:
        """The plan `to_data` gave. Raises `ValueError` (or `KeyError`, `TypeError`) for anything else."""
        if data.get("format") != PLAN_FORMAT:
            raise ValueError("another plan format")
        return cls(
            title=data["title"], points=Decimal(data["points"]), sha256=data["sha256"], usable=data["usable"],
            highest_per_case=data["highest_per_case"], per_case_label=data["per_case_label"], item_cap_label=data["item_cap_label"],
            sections=[Part.from_data(s) for s in data["sections"]], topics=[Part.from_data(t) for t in data["topics"]],
            items=[PlanItem.from_data(i) for i in data["items"]], targets=[Target.from_data(t) for t in data["targets"]],
            groups=[Group(g[0], g[1], _decimal(g[2]), g[3]) for g in data["groups"]],
            grades=[Grade(g[0], g[1], _decimal(g[2]), _decimal(g[3])) for g in data["grades"]], grades_title=data["grades_title"],
        )


# -- the unit, checked as it is collected -------------------------------------------------------------


class Found:
    """A finding on a clause while cases are taken from it (replacement, 注1)."""

    __slots__ = ("target", "index", "anonymous", "cases", "amount", "evidence", "reason", "dropped")

    def __init__(self, target: Target, index: int, anonymous: int, cases: list[str], amount: Decimal | None,
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


#: An adjustment's findings: (index in the unit, count, evidence, reason) each.
Adjusting = dict[str, list[tuple[int, int, str | None, str | None]]]


class Refused(Exception):
    """Not for the hot path: the straightforward path decides (and words any error)."""


def _amount(value: Any, most: Decimal, least: Decimal = ZERO) -> Decimal:
    """An amount within ``least`` … ``most`` the straightforward checker would accept as it is, else `Refused`."""
    if type(value) is int:
        amount = Decimal(value)
    elif type(value) is Decimal and value.is_finite():
        amount = value
    elif type(value) is float:
        amount = Decimal(repr(value))  # as the caller wrote it, as the straightforward checker reads it
        if not amount.is_finite():
            raise Refused
    else:
        raise Refused
    if amount.as_tuple().exponent < -MAX_DECIMAL_PLACES or amount.copy_abs() > MAX_COUNT or amount < least or amount > most:  # type: ignore[operator]
        raise Refused
    return amount


def _count(finding: dict[str, Any], cases: list[str], default: int | None = None) -> int:
    """A finding's count, or its number of cases (both given: they agree), else ``default``; else `Refused`."""
    if "count" in finding:
        count = finding["count"]
        if type(count) is not int or not 0 <= count <= MAX_COUNT or ("cases" in finding and count != len(cases)):
            raise Refused
        return count
    if "cases" in finding:
        return len(cases)
    if default is None:
        raise Refused
    return default


def collect(plan: Plan, mapping: Any) -> tuple[str, list[Found], Adjusting]:
    """The unit's name, its clause findings and its adjustment findings, checked; else `Refused`."""
    if not plan.usable or not isinstance(mapping, dict) or mapping.keys() != _UNIT_KEYS:
        raise Refused
    name = mapping["unit"]
    raw = mapping["findings"]
    if type(name) is not str or not name.strip() or not isinstance(raw, list):
        raise Refused
    targets = plan.targets
    found: list[Found] = []
    adjusting: Adjusting = {}
    totals: dict[str, int] | None = None
    on_cases: dict[str, set[str]] | None = None
    once_ranged: set[str] = set()  # a range given once is one amount for the unit: a second finding is refused
    for index, finding in enumerate(raw, 1):
        if not isinstance(finding, dict):
            raise Refused
        named = finding.get("clause")
        target = targets.get(named) if type(named) is str else None
        if target is None or not finding.keys() <= target.keys:
            raise Refused
        ident = target.id
        evidence = finding.get("evidence")
        reason = finding.get("reason")
        if (evidence is not None and type(evidence) is not str) or (reason is not None and type(reason) is not str) \
                or ("evidence" in finding and evidence is None) or ("reason" in finding and reason is None):
            raise Refused
        cases: list[str] = []
        if "cases" in finding:
            given = finding["cases"]
            if not isinstance(given, list):
                raise Refused
            for case in given:
                if type(case) is not str or not case.strip():
                    raise Refused
            if len(set(given)) != len(given):
                raise Refused
            cases = list(given)
        kind = target.kind
        if kind == DISCRETIONARY:
            if "amount" not in finding or len(cases) > 1 or reason is None or not reason.strip():
                raise Refused
            count = 1
            amount: Decimal | None = _amount(finding["amount"], target.points)  # type: ignore[arg-type]
        elif kind == RANGED:
            if "amount" not in finding or len(cases) > 1 or reason is None or not reason.strip() or (cases and not target.cases_allowed):
                raise Refused
            count = _count(finding, cases, None if target.each else 1)
            if not target.each:
                if ident in once_ranged:
                    raise Refused
                once_ranged.add(ident)
            low, high = abs(target.low), abs(target.high)
            amount = _amount(finding["amount"], high * count, low * count) if target.each else _amount(finding["amount"], high, low)
        else:
            amount = None
            count = _count(finding, cases)
            if cases and not target.cases_allowed:
                raise Refused
        if target.of is not None:
            totals = totals if totals is not None else {}
            totals[ident] = totals.get(ident, 0) + count
            if totals[ident] > target.of:
                raise Refused
        if target.adjustment:
            adjusting.setdefault(ident, []).append((index, count, evidence, reason))
            continue
        if cases:
            on_cases = on_cases if on_cases is not None else {}
            seen = on_cases.setdefault(ident, set())
            if not seen.isdisjoint(cases):
                raise Refused
            seen.update(cases)
        found.append(Found(target, index, 0 if cases else count, cases, amount, evidence, reason))
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


def _note_ranged(amount: Decimal, low: Decimal, high: Decimal) -> str:
    return _("{amount} given within {low} to {high}").format(amount=plain(amount), low=plain(abs(low)), high=plain(abs(high)))


def _note_ranged_each(amount: Decimal, low: Decimal, high: Decimal, unit: str | None, count: int) -> str:
    return _("{amount} given within {low} to {high} per {unit} × {count}").format(
        amount=plain(amount), low=plain(abs(low)), high=plain(abs(high)), unit=unit or _("time"), count=count)


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


# -- scoring ------------------------------------------------------------------------------------------


class Outcome:
    """A unit scored by the kernel: what each part lost, the adjustment groups' totals, the grade, the trace's records.

    ``language`` is the language of the moment it was scored: its notes are worded in it whenever
    they are written. ``groups`` is None when the unit has no adjustment finding (every group 0).
    """

    __slots__ = ("unit", "lost", "groups", "adjustments", "grade", "records", "language")

    def __init__(self, unit: str, lost: dict[str, Decimal], groups: list[tuple[str | None, str, Decimal]] | None,
                 adjustments: Decimal, grade: str | None, records: list[Record], language: str) -> None:
        self.unit, self.lost, self.groups, self.adjustments = unit, lost, groups, adjustments
        self.grade, self.records, self.language = grade, records, language


def score(plan: Plan, mapping: Any) -> Outcome:
    """``mapping`` (a findings unit) scored on ``plan``; `Refused` when the straightforward path must decide."""
    name, found, adjusting = collect(plan, mapping)
    return Scoring(plan, found, adjusting).outcome(name)


class Scoring:
    """Steps 1–7 of the scoring rules for the kinds the plan takes, touching only the parts a unit touches."""

    def __init__(self, plan: Plan, found: list[Found], adjusting: Adjusting) -> None:
        self.plan = plan
        self.found = found
        self.adjusting = adjusting

    def outcome(self, name: str) -> Outcome:
        with localcontext(CONTEXT):
            return self._outcome(name)

    def _outcome(self, name: str) -> Outcome:
        plan = self.plan
        found = self.found
        found.sort(key=lambda f: (f.target.order, f.index))
        losses: dict[str, list[Record]] = {}
        if any(f.target.replaces and f.cases for f in found):
            self.replace(losses)
        if plan.highest_per_case:
            self.highest_per_case(losses)
        on_clause: dict[str, list[Found]] = {}
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
        items, sections, topics = plan.items, plan.sections, plan.topics
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
        groups = self.groups(trace) if self.adjusting else None
        adjustments = sum((total for _id, _title, total in groups), ZERO) if groups else ZERO
        grade = None
        if plan.grades:
            deductions = sum((lost.get(s.id, ZERO) for s in sections), ZERO)
            total = plan.points - deductions + adjustments
            grade = next((g.name for g in plan.grades if g.holds(total)), None)
            if grade is None:
                trace.append(("", None, "ungraded", ZERO, plan.grades_title,
                              (_note_ungraded, (total, "; ".join(f"{g.name} {g.text}" for g in plan.grades))),
                              None, (), None, None, None, None))
        return Outcome(name, lost, groups, adjustments, grade, trace, current_language())

    # -- step 2 ------------------------------------------------------------------------------------

    def _take(self, other: Found, case: str) -> None:
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
        holders: dict[str, list[Found]] = {}
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
    def loss(finding: Found, effect: str, case: str, by: str, note: Note) -> Record:
        target = finding.target
        return (target.id, target.item_id, effect, ZERO, target.text, note, None, (), case, by, finding.evidence, finding.reason)

    # -- steps 1, 3 and 4 --------------------------------------------------------------------------

    def clause(self, target: Target, findings: list[Found]) -> tuple[list[Record], Decimal]:
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
            elif kind == RANGED:
                given: Decimal = f.amount  # type: ignore[assignment]  # a ranged finding always gives its amount
                signed_amount = -given if target.high < 0 else given
                if target.each:
                    note = (_note_ranged_each, (f.amount, target.low, target.high, target.unit_word, count))
                else:
                    note = (_note_ranged, (f.amount, target.low, target.high))
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

    def item(self, plan_item: PlanItem, clauses: list[tuple[str, list[Record], Decimal]], trace: list[Record],
             lost: dict[str, Decimal]) -> Decimal:
        if len(clauses) > 1:
            order = plan_item.clauses
            clauses.sort(key=lambda c: order.index(c[0]))
        net = ZERO
        for _ident, entries, amount in clauses:
            trace.extend(entries)
            net += amount
        loss = net
        if loss < 0:
            trace.append((plan_item.id, plan_item.id, "item-bound", -loss, plan_item.text,
                          (_note_item_bound, (plan_item.id, plan_item.points)), None, (), None, None, None, None))
            loss = ZERO
        limit = plan_item.limit
        if limit is not None and loss > limit:
            targets = self.plan.targets
            for (ident, _entries, _amount), cut in zip(clauses, cap_cuts([a for _i, _e, a in clauses], limit), strict=True):
                if cut:
                    if plan_item.cap is not None:
                        note: Note = (_note_item_cap, (plan_item.id, limit, cut))
                    else:
                        note = (_note_item_points, (self.plan.item_cap_label, plan_item.id, plan_item.points, cut))
                    target = targets[ident]
                    trace.append((ident, target.item_id, "item-cap", -cut, target.text, note, None, (), None, None, None, None))
            loss = limit
        if loss:
            lost[plan_item.id] = loss
        return loss

    def part(self, part: Part, loss: Decimal, trace: list[Record], lost: dict[str, Decimal]) -> Decimal:
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

    def groups(self, trace: list[Record]) -> list[tuple[str | None, str, Decimal]]:
        targets = self.plan.targets
        out = []
        for group in self.plan.groups:
            total = ZERO
            if not any(a in self.adjusting for a in group.adjustments):
                out.append((group.id, group.title, total))
                continue
            for adjustment in group.adjustments:
                findings = self.adjusting.get(adjustment)
                if not findings:
                    continue
                target = targets[adjustment]
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
            out.append((group.id, group.title, total))
        return out

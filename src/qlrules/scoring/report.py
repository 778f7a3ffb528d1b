"""A scored unit (`Report`): data only, with its JSON shape; `qlrules.render` turns it into each format."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

import attrs

from ..model import Frozen
from ..numbers import CONTEXT, exact, exact_arithmetic, negated
from .kernel import ON_TOTAL

Effect = Literal[
    "deducted", "awarded", "adjusted", "replaced", "removed", "clause-cap", "item-cap", "adjustment-cap",
    "unearned", "item-bound", "part-cap", "group-cap", "vetoed", "ungraded",
]



@attrs.frozen
class Score(Frozen):
    """Points, deduction and score of one section, topic or item."""

    id: str
    title: str
    points: Decimal
    deducted: Decimal

    @property
    def score(self) -> Decimal:
        return CONTEXT.subtract(self.points, self.deducted)

    @functools.cached_property
    def _line(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "points": exact(self.points),
                "deducted": exact(self.deducted), "score": exact(self.score)}

    @functools.cached_property
    def _texts(self) -> dict[Any, str]:
        """This line as renderers have written it, by how (`qlrules.render.json`): a line is shared by many reports."""
        return {}

    def to_dict(self, with_title: bool = True) -> dict[str, Any]:
        """This line of the report's JSON (items carry no title there: :ref:`scoring-report`)."""
        line = dict(self._line)
        if not with_title:
            del line["title"]
        return line


@attrs.frozen
class TraceEntry(Frozen):
    """One line of the explanation: what a finding cost, or why it cost less.

    ``amount`` is what the entry adds to its item's deduction (a cap's cut is
    negative) or, for an adjustment, its signed effect on the total; the
    entries of an item add up to the item's deduction.

    `change` is the one signed number every human output shows for the entry:
    its effect on the unit's total (a deduction −1, a cap's cut given back +2,
    an award +0.5, 0 for an entry that counts for nothing).
    """

    clause: str
    item: str | None
    effect: Effect
    amount: Decimal
    text: str
    note: str
    count: int | None = None
    cases: tuple[str, ...] = ()
    case: str | None = None
    by: str | None = None
    evidence: str | None = None
    reason: str | None = None
    level: str | None = None
    value: Decimal | None = None
    steps: int | None = None

    @property
    def change(self) -> Decimal:
        """The entry's signed effect on the unit's total; the changes of a report add up to total − points."""
        return exact(self.amount) if self.effect in ON_TOTAL else negated(self.amount)

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "item": self.item,
            "effect": self.effect,
            "amount": exact(self.amount),
            "change": self.change,
            "count": self.count,
            "cases": list(self.cases),
            "case": self.case,
            "by": self.by,
            "level": self.level,
            "value": exact(self.value) if self.value is not None else None,
            "steps": self.steps,
            "note": self.note,
            "text": self.text,
            "evidence": self.evidence,
            "reason": self.reason,
        }


@attrs.frozen
class GroupTotal(Frozen):
    """One adjustment group's net total in a report."""

    id: str | None
    title: str
    total: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "total": exact(self.total)}


def _entries(trace: Any) -> tuple[TraceEntry, ...]:
    """A trace as its entries: a fast report keeps records until its trace is read (`qlrules.scoring.plan.Trace`)."""
    return trace if type(trace) is tuple else trace.entries()


@attrs.frozen
class Report(Frozen):
    """The score of one unit on one rubric, with the trace that explains every point."""

    unit: str
    rubric_title: str
    rubric_points: Decimal
    rubric_sha256: str
    sections: tuple[Score, ...]
    topics: tuple[Score, ...]
    items: tuple[Score, ...]
    adjustments: Decimal
    _trace: tuple[TraceEntry, ...] = attrs.field(eq=_entries, repr=False)
    adjustment_groups: tuple[GroupTotal, ...] = ()
    grade: str | None = None
    vetoes: tuple[str, ...] = ()

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """The explanation, entry by entry, in rubric order (built on first reading when the report was scored fast)."""
        trace: Any = self._trace
        if type(trace) is not tuple:
            trace = trace.entries()
            object.__setattr__(self, "_trace", trace)
        return trace  # type: ignore[no-any-return]

    def trace_amounts(self) -> Iterator[tuple[str, str, str, Decimal]]:
        """Each trace entry's clause, item, effect and amount, without building the entries of a fast report."""
        trace: Any = self._trace
        if type(trace) is tuple:
            return ((e.clause, e.item, e.effect, e.amount) for e in trace)
        return ((r[0], r[1], r[2], r[3]) for r in trace.records)

    @property
    def deductions(self) -> Decimal:
        """What the sections lost, together: the rubric's points less the sections' scores."""
        with exact_arithmetic():
            return sum((s.deducted for s in self.sections), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Rubric points − deductions + adjustments (step 6 of :ref:`scoring-rules`)."""
        with exact_arithmetic():
            return exact(self.rubric_points - self.deductions + self.adjustments)

    def to_dict(self) -> dict[str, Any]:
        """The report's JSON shape (:ref:`scoring-report`), with exact `Decimal` numbers."""

        return {
            "unit": self.unit,
            "rubric": {"title": self.rubric_title, "points": exact(self.rubric_points), "sha256": self.rubric_sha256},
            "total": self.total,
            "deductions": exact(self.deductions),
            "adjustments": exact(self.adjustments),
            "adjustment_groups": [g.to_dict() for g in self.adjustment_groups],
            "grade": self.grade,
            "vetoes": list(self.vetoes),
            "sections": [s.to_dict() for s in self.sections],
            "topics": [t.to_dict() for t in self.topics],
            "items": [i.to_dict(with_title=False) for i in self.items],
            "trace": [t.to_dict() for t in self.trace],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text with numbers written exactly (93.5, never 93.49999; whole numbers as 7)."""
        from ..render.json import dumps, report_json

        return report_json(self) if indent == 2 else dumps(self.to_dict(), indent=indent)

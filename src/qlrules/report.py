"""A scored unit (`Report`) and its renderings: JSON, CSV and the terminal table."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from .i18n import _
from .model import Frozen, exact, plain

Effect = Literal["deducted", "adjusted", "replaced", "removed", "clause-cap", "item-cap", "adjustment-cap"]


@attrs.frozen
class Score(Frozen):
    """Points, deduction and score of one section, topic or item."""

    id: str
    title: str
    points: Decimal
    deducted: Decimal

    @property
    def score(self) -> Decimal:
        return self.points - self.deducted

    @functools.cached_property
    def _line(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "points": exact(self.points),
                "deducted": exact(self.deducted), "score": exact(self.score)}

    def to_dict(self, with_title: bool = True) -> dict[str, Any]:
        """This line of the report's JSON (items carry no title in the contract's shape)."""
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "item": self.item,
            "effect": self.effect,
            "amount": exact(self.amount),
            "count": self.count,
            "cases": list(self.cases),
            "case": self.case,
            "by": self.by,
            "note": self.note,
            "text": self.text,
            "evidence": self.evidence,
            "reason": self.reason,
        }


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
    trace: tuple[TraceEntry, ...]

    @property
    def deductions(self) -> Decimal:
        return sum((i.deducted for i in self.items), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Rubric points − deductions + adjustments (contract §3.6)."""
        return exact(self.rubric_points - self.deductions + self.adjustments)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (§4), with exact `Decimal` numbers."""

        return {
            "unit": self.unit,
            "rubric": {"title": self.rubric_title, "points": exact(self.rubric_points), "sha256": self.rubric_sha256},
            "total": self.total,
            "deductions": exact(self.deductions),
            "adjustments": exact(self.adjustments),
            "sections": [s.to_dict() for s in self.sections],
            "topics": [t.to_dict() for t in self.topics],
            "items": [i.to_dict(with_title=False) for i in self.items],
            "trace": [t.to_dict() for t in self.trace],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text with numbers written exactly (93.5, never 93.49999; whole numbers as 7)."""
        return dumps(self.to_dict(), indent=indent)


def dumps(value: Any, indent: int | None = 2) -> str:
    import simplejson

    return str(simplejson.dumps(value, use_decimal=True, ensure_ascii=False, indent=indent))


def to_json(reports: Sequence[Report], batch: bool) -> str:
    """One unit: an object; a batch: ``{"units": [...]}`` in input order."""
    if not batch:
        return dumps(reports[0].to_dict())
    return dumps({"units": [r.to_dict() for r in reports]})


def csv_header(report: Report) -> list[str]:
    return ["unit", "total", "deductions", "adjustments", *(s.id for s in report.sections)]


def csv_row(report: Report) -> list[str]:
    return [report.unit, plain(report.total), plain(report.deductions), plain(report.adjustments), *(plain(s.score) for s in report.sections)]


def to_csv(reports: Iterable[Report]) -> str:
    """One row per unit: total, deductions, adjustments and each section's score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, report in enumerate(reports):
        if n == 0:
            writer.writerow(csv_header(report))
        writer.writerow(csv_row(report))
    return out.getvalue()


def to_table(reports: Sequence[Report], width: int | None = None) -> str:
    """What an assessor reads at a terminal: total, sections, then every deduction in words."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=width or 100, force_terminal=False, color_system=None, soft_wrap=False)
    for n, report in enumerate(reports):
        if n:
            console.print()
        console.print(f"[bold]{escape(report.unit)}[/bold]  —  {escape(report.rubric_title)}")
        console.print(
            _("total {total} / {points}   (deductions −{deductions}, adjustments {adjustments})").format(
                total=plain(report.total), points=plain(report.rubric_points),
                deductions=plain(report.deductions), adjustments=_signed(report.adjustments),
            )
        )
        sections = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for header, justify in ((_("section"), "left"), ("", "left"), (_("points"), "right"), (_("deducted"), "right"), (_("score"), "right")):
            sections.add_column(header, justify=justify)  # type: ignore[arg-type]
        for s in report.sections:
            sections.add_row(escape(s.id), escape(s.title), plain(s.points), plain(s.deducted), plain(s.score))
        console.print(sections)
        if report.trace:
            trace = Table(box=box.SIMPLE_HEAD, show_edge=False)
            trace.add_column(_("clause"))
            trace.add_column(_("amount"), justify="right")
            trace.add_column(_("official wording · what happened"), overflow="fold")
            for entry in report.trace:
                trace.add_row(escape(entry.clause), _trace_amount(entry), f"{escape(entry.text)}\n[dim]{escape(entry.note)}[/dim]")
            console.print(trace)
        else:
            console.print(_("no deductions or adjustments"))
    return out.getvalue()


def _signed(number: Decimal) -> str:
    return f"+{plain(number)}" if number > 0 else ("−" + plain(-number) if number < 0 else "0")


def _trace_amount(entry: TraceEntry) -> str:
    if entry.effect in ("adjusted", "adjustment-cap"):
        return _signed(entry.amount)
    if entry.effect in ("replaced", "removed"):
        return "0"
    return _signed(-entry.amount)

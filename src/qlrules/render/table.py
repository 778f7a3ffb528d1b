"""The report as an assessor reads it at a terminal: total, sections, then every deduction in words."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from ..i18n import _
from ..model import Rubric
from ..numbers import negated, plain, signed
from ..scoring.report import Report
from .safe import terminal_text
from .words import missing_text

if TYPE_CHECKING:
    from ..io.stream import Missing


def outcome_lines(report: Report) -> list[str]:
    """The grade, the vetoes and each named group's total, where the rubric has them (v1 rubrics have none)."""
    lines = []
    if report.grade is not None or report.vetoes:
        grade = _("grade {grade}").format(grade=report.grade or "—")
        lines.append(grade + (_("   (vetoes {vetoes})").format(vetoes=", ".join(report.vetoes)) if report.vetoes else ""))
    named = [g for g in report.adjustment_groups if g.id is not None]
    if named:
        lines.append("   ".join(f"{g.id} {g.title} {signed(g.total)}" for g in named))
    return lines


def to_table(reports: Sequence[Report], width: int | None = None) -> str:
    """What an assessor reads at a terminal: total, sections, then every deduction in words."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=width or 100, force_terminal=False, color_system=None, soft_wrap=False,
                      emoji=False)  # a unit named :thumbs_up: is shown as written
    for n, report in enumerate(reports):
        if n:
            console.print()
        console.print(f"[bold]{terminal_text(report.unit)}[/bold]  —  {terminal_text(report.rubric_title)}")
        console.print(
            _("total {total} / {points}   (deductions {deductions}, adjustments {adjustments})").format(
                total=plain(report.total), points=plain(report.rubric_points),
                deductions=signed(negated(report.deductions)), adjustments=signed(report.adjustments),
            )
        )
        for line in outcome_lines(report):
            console.print(terminal_text(line))
        sections = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for header, justify in ((_("section"), "left"), ("", "left"), (_("points"), "right"), (_("deducted"), "right"), (_("score"), "right")):
            sections.add_column(header, justify=justify)  # type: ignore[arg-type]
        for s in report.sections:
            sections.add_row(terminal_text(s.id), terminal_text(s.title), plain(s.points), signed(negated(s.deducted)), plain(s.score))
        console.print(sections)
        if report.trace:
            trace = Table(box=box.SIMPLE_HEAD, show_edge=False)
            trace.add_column(_("clause"))
            trace.add_column(_("± points"), justify="right")
            trace.add_column(_("official wording · what happened"), overflow="fold")
            for entry in report.trace:
                trace.add_row(terminal_text(entry.clause), signed(entry.change), f"{terminal_text(entry.text)}\n[dim]{terminal_text(entry.note)}[/dim]")
            console.print(trace)
        else:
            console.print(_("no deductions or adjustments"))
    return out.getvalue()


class TableRenderer:
    binary = False

    def __init__(self, out: IO[str], rubric: Rubric | None = None, width: int | None = None) -> None:
        self.out, self.width = out, width
        self.count = 0

    def add(self, report: Report, batch: bool) -> None:
        self.out.write(("\n" if self.count else "") + to_table([report], width=self.width))
        self.count += 1

    def missing(self, units: Sequence[Missing]) -> None:
        self.out.write(("\n" if self.count else "") + missing_text(units))

    def finish(self, batch: bool) -> None:
        pass

    def discard(self) -> None:
        pass

"""The report as CSV: one row per unit, its total, deductions, adjustments and each section's score.

The UTF-8 byte order mark that starts the file by default is written by `qlrules.scoring.batch`
(`qlrules.render.BOM_FORMATS`): `to_csv` gives the text alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

from ..i18n import _
from ..model import Rubric
from ..numbers import negated, plain
from ..scoring.report import Report
from .safe import csv_cell

if TYPE_CHECKING:
    from ..io.stream import Missing


def csv_header(report: Report) -> list[str]:
    """The header in the output's language (unit, total, … or 单位, 总分, …); sections by id, never translated."""
    return [_("unit"), _("total"), _("deductions"), _("adjustments"), *(csv_cell(s.id) for s in report.sections)]


def csv_row(report: Report) -> list[str]:
    """A unit's row: its name neutralised as text (OWASP), the numbers as they are (``-0.5`` stays a number).

    Deductions are negative, as in every report (``-7``: the unit lost 7); adjustments keep their sign.
    """
    return [csv_cell(report.unit), plain(report.total), plain(negated(report.deductions)), plain(report.adjustments), *(plain(s.score) for s in report.sections)]


def to_csv(reports: Iterable[Report]) -> str:
    """The CSV text of ``reports``, header first."""
    out = io.StringIO()
    renderer = CsvRenderer(out)
    for report in reports:
        renderer.add(report, True)
    return out.getvalue()


class CsvRenderer:
    binary = False

    def __init__(self, out: IO[str], rubric: Rubric | None = None, width: int | None = None) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.started = False

    def add(self, report: Report, batch: bool) -> None:
        if not self.started:
            self.writer.writerow(csv_header(report))
            self.started = True
        self.writer.writerow(csv_row(report))

    def missing(self, units: Sequence[Missing]) -> None:
        pass  # CSV has no place for them: they are on stderr only

    def finish(self, batch: bool) -> None:
        pass

    def discard(self) -> None:
        pass

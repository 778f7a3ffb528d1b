"""The report in Markdown, for a written report: a ranked summary first (it needs every total), then each unit."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from ..i18n import _
from ..model import Rubric
from ..numbers import negated, plain, signed
from ..scoring.report import Report
from .safe import markdown_text
from .table import outcome_lines
from .words import missing_text

if TYPE_CHECKING:
    from ..io.stream import Missing


class MarkdownRenderer:
    """Units are written to a temporary file as they come, and copied after the summary."""

    binary = False

    def __init__(self, out: IO[str], rubric: Rubric, width: int | None = None) -> None:
        self.out, self.rubric = out, rubric
        self.markdown_rows: list[tuple[str, Decimal, Decimal, Decimal, tuple[Decimal, ...]]] = []
        self.details: IO[str] | None = None
        self.left_out: Sequence[Missing] = ()

    def add(self, report: Report, batch: bool) -> None:
        if self.details is None:
            self.details = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.markdown_rows.append((report.unit, report.total, report.deductions, report.adjustments,
                                   tuple(s.score for s in report.sections)))
        self.details.write(markdown_unit(report, self.rubric))

    def finish(self, batch: bool) -> None:
        from .words import competition_ranks

        sections = self.rubric.sections
        out = self.out
        out.write(f"# {_md(_('{title}: results').format(title=self.rubric.title))}\n\n")
        header = [_("Rank"), _("Unit"), _("Total"), _("Deducted"), _("Adjustments"), *(f"{s.id} {s.title}" for s in sections)]
        out.write(_md_row(header) + "\n" + "|" + "|".join(["---", "---", *["---:"] * (len(header) - 2)]) + "|\n")
        ranks = competition_ranks([row[1] for row in self.markdown_rows])
        for rank, (unit, total, deducted, adjusted, scores) in sorted(zip(ranks, self.markdown_rows), key=lambda pair: pair[0]):
            out.write(_md_row([str(rank), unit, plain(total), signed(negated(deducted)), signed(adjusted), *map(plain, scores)]) + "\n")
        if self.details is not None:
            self.details.seek(0)
            shutil.copyfileobj(self.details, out)
            self.details.close()
        if self.left_out:
            out.write("\n" + missing_text(self.left_out, markdown=True))

    def missing(self, units: Sequence[Missing]) -> None:
        self.left_out = units

    def discard(self) -> None:
        if self.details is not None:
            self.details.close()


#: Every text of the Markdown report, the rubric's included: escaped, one line, no HTML, no links.
_md = markdown_text


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_md(c) for c in cells) + " |"


def markdown_unit(report: Report, rubric: Rubric) -> str:
    """One unit in Markdown, for pasting into a written report: sections, then each deduction."""
    from .words import effect_words

    lines = [
        "", f"## {_md(report.unit)}", "",
        _("total {total} / {points}   (deductions {deductions}, adjustments {adjustments})").format(
            total=plain(report.total), points=plain(report.rubric_points), deductions=signed(negated(report.deductions)),
            adjustments=signed(report.adjustments)),
        *(_md(line) for line in outcome_lines(report)),
        "",
        _md_row([_("section"), "", _("points"), _("deducted"), _("score")]),
        "|---|---|---:|---:|---:|",
    ]
    lines += [_md_row([s.id, s.title, plain(s.points), signed(negated(s.deducted)), plain(s.score)]) for s in report.sections]
    lines.append("")
    if report.trace:
        lines += [_md_row([_("clause"), _("± points"), _("Effect"), _("official wording · what happened")]), "|---|---:|---|---|"]
        for entry in report.trace:
            what = f"{entry.text} — {entry.note}"
            extra = "；".join(x for x in (entry.evidence, entry.reason) if x)
            if extra:
                what += f" ({extra})"
            lines.append(_md_row([entry.clause, signed(entry.change), effect_words(entry, rubric), what]))
    else:
        lines.append(_("no deductions or adjustments"))
    return "\n".join(lines) + "\n"

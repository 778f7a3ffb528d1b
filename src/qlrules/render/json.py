"""The report as JSON (docs/scoring.md, “The report”): one unit an object, a batch ``{"units": [...]}``, numbers exact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..model import Rubric
from ..numbers import exact_arithmetic
from ..scoring.report import Report, Score
from .fragments import entry_layout, entry_text, json_list, json_object, json_value, record_texts, rubric_text

if TYPE_CHECKING:
    from ..io.stream import Missing


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON text of ``value`` with `Decimal` numbers written exactly (93.5, never 93.49999; 7, not 7.0)."""
    import simplejson

    return str(simplejson.dumps(value, use_decimal=True, ensure_ascii=False, indent=indent))


def to_json(reports: Sequence[Report], batch: bool) -> str:
    """One unit: an object; a batch: ``{"units": [...]}`` in input order."""
    if not batch:
        return report_json(reports[0])
    return dumps({"units": [r.to_dict() for r in reports]})


def _score_text(score: Score, with_title: bool, depth: int = 0) -> str:
    """A section's, topic's or item's line, in the list of a report at ``depth``.

    Kept with the score, which reports share: most lines are written once (a cache keyed by the
    score would hash its four fields for each of a report's ~70 lines).
    """
    texts = score._texts
    text = texts.get((with_title, depth))
    if text is None:
        line = score.to_dict(with_title)
        text = texts[with_title, depth] = json_object([(k, json_value(v)) for k, v in line.items()], depth + 2)
    return text


def _trace_texts(report: Report, depth: int) -> list[str]:
    from ..scoring.plan import Trace

    trace = report._trace
    layout = entry_layout(depth)
    if isinstance(trace, Trace):  # not read yet: written from its records, never built as entries
        return record_texts(trace.records, trace.language, depth)
    return [entry_text(layout, e.clause, e.item, e.effect, e.amount, e.count, e.cases, e.case, e.by, e.level, e.value, e.steps,
                        e.note, e.text, e.evidence, e.reason) for e in report.trace]


def report_json(report: Report, depth: int = 0) -> str:
    """``dumps(report.to_dict())``, byte for byte, written from fragments; ``depth``: indented as inside that many containers.

    A batch's report is written at depth 2 (``{"units": [...]}``) directly, never re-indented afterwards.
    """
    d = depth
    with exact_arithmetic():
        return json_object([
            ("unit", json_value(report.unit)),
            ("rubric", rubric_text(report.rubric_title, report.rubric_points, report.rubric_sha256, d)),
            ("total", json_value(report.total)),
            ("deductions", json_value(report.deductions)),
            ("adjustments", json_value(report.adjustments)),
            ("adjustment_groups", json_list([json_object([("id", json_value(g.id)), ("title", json_value(g.title)), ("total", json_value(g.total))], d + 2)
                                         for g in report.adjustment_groups], d + 1)),
            ("grade", json_value(report.grade)),
            ("vetoes", json_list([json_value(v) for v in report.vetoes], d + 1)),
            ("sections", json_list([_score_text(s, True, d) for s in report.sections], d + 1)),
            ("topics", json_list([_score_text(t, True, d) for t in report.topics], d + 1)),
            ("items", json_list([_score_text(i, False, d) for i in report.items], d + 1)),
            ("trace", json_list(_trace_texts(report, d), d + 1)),
        ], d)


def batch_report_json(report: Report) -> str:
    """A report as it stands in a batch's ``{"units": [...]}``: at depth 2."""
    return report_json(report, 2)


class JsonRenderer:
    """A batch is written unit by unit, indented as `to_json` would indent the whole."""

    binary = False

    def __init__(self, out: IO[str], rubric: Rubric, width: int | None = None) -> None:
        self.out = out
        self.count = 0
        self.left_out: Sequence[Missing] = ()

    def add(self, report: Report, batch: bool) -> None:
        self.add_text(report_json(report, 2 if batch else 0), batch)

    @staticmethod
    def text_for(batch: bool) -> Callable[[Report], str]:
        """What a ``--jobs`` worker renders a report to (text travels between processes faster than a report)."""
        return batch_report_json if batch else report_json

    def add_text(self, text: str, batch: bool) -> None:
        """A report already written at its depth (`report_json`: 2 in a batch, 0 alone)."""
        if batch:
            self.out.write("{\n  \"units\": [\n    " if self.count == 0 else ",\n    ")
        self.count += 1
        self.out.write(text)

    def missing(self, units: Sequence[Missing]) -> None:
        self.left_out = units

    def finish(self, batch: bool) -> None:
        if batch:
            self.out.write("\n  ]" if self.count else "{\n  \"units\": []")
            if self.left_out:
                # Beside units: the units --keep-going left out, each with its errors.
                text = dumps([m.to_dict() for m in self.left_out])
                self.out.write(",\n  \"missing\": " + "\n".join(("  " if n else "") + line for n, line in enumerate(text.split("\n"))))
            self.out.write("\n}")

    def discard(self) -> None:
        pass


class JsonLinesRenderer:
    """JSON Lines for pipelines: each unit's report object (as ``--format json`` gives it) on one line.

    One line per unit, for one unit or a batch alike, with nothing around them; the units
    ``--keep-going`` leaves out are on standard error only, as with CSV.
    """

    binary = False

    def __init__(self, out: IO[str], rubric: Rubric, width: int | None = None) -> None:
        self.out = out

    @staticmethod
    def text_for(batch: bool) -> Callable[[Report], str]:
        """What a ``--jobs`` worker renders a report to: its line, in a batch or not."""
        return report_line

    def add(self, report: Report, batch: bool) -> None:
        self.add_text(report_line(report), batch)

    def add_text(self, text: str, batch: bool) -> None:
        self.out.write(text + "\n")

    def missing(self, units: Sequence[Missing]) -> None:
        pass  # a line is a report: the units left out are on stderr only

    def finish(self, batch: bool) -> None:
        pass

    def discard(self) -> None:
        pass


def report_line(report: Report) -> str:
    """A report's JSON object on one line, compact (``","`` and ``":"`` between its parts)."""
    import simplejson

    return str(simplejson.dumps(report.to_dict(), use_decimal=True, ensure_ascii=False, separators=(",", ":")))

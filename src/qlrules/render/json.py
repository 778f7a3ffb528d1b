"""The report as JSON (docs/scoring.md, “The report”): one unit an object, a batch ``{"units": [...]}``, numbers exact."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from json.encoder import encode_basestring as _encode_text
from typing import IO, TYPE_CHECKING, Any

from ..model import Rubric
from ..numbers import exact, exact_arithmetic, negated
from ..scoring.report import ON_TOTAL, Report, Score

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


# -- a report's JSON from fragments -----------------------------------------------------------------
#
# `dumps(report.to_dict())` goes through simplejson's pure-Python encoder (indenting disables its C
# one) and builds every dict first. `report_json` writes the same text directly: the parts that
# repeat from report to report (the rubric, every section's, topic's and item's line) are written
# once and kept, the trace is written from its records. tests/test_fast_path.py proves the texts equal.


def _text(value: str | None) -> str:
    """A text (or null) as simplejson writes it with ``ensure_ascii=False``: the standard library's C encoder escapes alike."""
    return "null" if value is None else _encode_text(value)


def _value(value: Any) -> str:
    """One JSON value as simplejson writes it (``use_decimal``, ``ensure_ascii=False``)."""
    if value is None or isinstance(value, str):
        return _text(value)
    if isinstance(value, Decimal):
        return str(exact(value))
    return str(int(value))


def _object(pairs: Sequence[tuple[str, str]], depth: int) -> str:
    """An object of already-written values, indented as at ``depth``."""
    inner = "\n" + "  " * (depth + 1)
    return "{" + inner + ("," + inner).join(f'"{key}": {text}' for key, text in pairs) + "\n" + "  " * depth + "}"


def _list(texts: Sequence[str], depth: int) -> str:
    """A list of already-written values, each written as at ``depth + 1``."""
    if not texts:
        return "[]"
    inner = "\n" + "  " * (depth + 1)
    return "[" + inner + ("," + inner).join(texts) + "\n" + "  " * depth + "]"


def _score_text(score: Score, with_title: bool, depth: int = 0) -> str:
    """A section's, topic's or item's line, in the list of a report at ``depth``.

    Kept with the score, which reports share: most lines are written once (a cache keyed by the
    score would hash its four fields for each of a report's ~70 lines).
    """
    texts = score._texts
    text = texts.get((with_title, depth))
    if text is None:
        line = score.to_dict(with_title)
        text = texts[with_title, depth] = _object([(k, _value(v)) for k, v in line.items()], depth + 2)
    return text


@functools.lru_cache(maxsize=64)
def _rubric_text(title: str, points: Decimal, sha256: str, depth: int = 0) -> str:
    return _object([("title", _value(title)), ("points", _value(points)), ("sha256", _value(sha256))], depth + 1)


#: A trace entry's keys, in the order of `TraceEntry.to_dict`.
_ENTRY_KEYS = ("clause", "item", "effect", "amount", "change", "count", "cases", "case", "by", "level", "value", "steps", "note", "text",
               "evidence", "reason")


@functools.lru_cache(maxsize=8)
def _entry_layout(depth: int) -> tuple[str, str, str]:
    """A trace entry in the trace of a report at ``depth``: its ``%s`` template, and the opening and closing of its cases."""
    return (_object([(key, "%s") for key in _ENTRY_KEYS], depth + 2), "\n" + "  " * (depth + 4), "\n" + "  " * (depth + 3) + "]")


def _entry_text(layout: tuple[str, str, str], clause: str, item: str | None, effect: str, amount: Decimal, count: int | None,
                cases: Sequence[str], case: str | None, by: str | None, level: str | None, value: Decimal | None, steps: int | None,
                note: str, text: str, evidence: str | None, reason: str | None) -> str:
    t = _text
    template, case_indent, cases_end = layout
    listed = "[" + case_indent + ("," + case_indent).join(map(t, cases)) + cases_end if cases else "[]"
    change = exact(amount) if effect in ON_TOTAL else negated(amount)
    return template % (t(clause), t(item), t(effect), exact(amount), change, "null" if count is None else count, listed, t(case), t(by),
                       t(level), "null" if value is None else exact(value), "null" if steps is None else steps, t(note), t(text),
                       t(evidence), t(reason))


def _trace_texts(report: Report, depth: int) -> list[str]:
    from ..scoring.plan import Trace

    trace = report._trace
    layout = _entry_layout(depth)
    if isinstance(trace, Trace):  # not read yet: written from its records, never built as entries
        from ..i18n import use_language

        with use_language(trace.language):
            return [_entry_text(layout, clause, item, effect, amount, count, cases, case, by, None, None, None, note(*args), text,
                                evidence, reason)
                    for clause, item, effect, amount, text, (note, args), count, cases, case, by, evidence, reason in trace.records]
    return [_entry_text(layout, e.clause, e.item, e.effect, e.amount, e.count, e.cases, e.case, e.by, e.level, e.value, e.steps,
                        e.note, e.text, e.evidence, e.reason) for e in report.trace]


def report_json(report: Report, depth: int = 0) -> str:
    """``dumps(report.to_dict())``, byte for byte, written from fragments; ``depth``: indented as inside that many containers.

    A batch's report is written at depth 2 (``{"units": [...]}``) directly, never re-indented afterwards.
    """
    d = depth
    with exact_arithmetic():
        return _object([
            ("unit", _value(report.unit)),
            ("rubric", _rubric_text(report.rubric_title, report.rubric_points, report.rubric_sha256, d)),
            ("total", _value(report.total)),
            ("deductions", _value(report.deductions)),
            ("adjustments", _value(report.adjustments)),
            ("adjustment_groups", _list([_object([("id", _value(g.id)), ("title", _value(g.title)), ("total", _value(g.total))], d + 2)
                                         for g in report.adjustment_groups], d + 1)),
            ("grade", _value(report.grade)),
            ("vetoes", _list([_value(v) for v in report.vetoes], d + 1)),
            ("sections", _list([_score_text(s, True, d) for s in report.sections], d + 1)),
            ("topics", _list([_score_text(t, True, d) for t in report.topics], d + 1)),
            ("items", _list([_score_text(i, False, d) for i in report.items], d + 1)),
            ("trace", _list(_trace_texts(report, d), d + 1)),
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

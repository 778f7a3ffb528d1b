"""A report's JSON written from fragments: the lines that repeat from report to report written once and kept.

`dumps(report.to_dict())` goes through simplejson's pure-Python encoder (indenting disables its C
one) and builds every dict first. These functions write the same text directly: the parts that
repeat (the rubric, every section's, topic's and item's line) are written once and kept, the
trace is written from its records. `qlrules.render.json.report_json` writes a `Report` with them;
`outcome_json` writes the kernel's outcome (`qlrules.scoring.kernel`) without any report object,
and imports neither attrs nor the model. tests/test_fast_path.py proves the texts equal.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from json.encoder import encode_basestring as _encode_text
from typing import Any

from ..i18n import use_language
from ..numbers import exact, exact_arithmetic, negated
from ..scoring.kernel import ON_TOTAL, ZERO, Outcome, Part, Plan, Record


def json_text(value: str | None) -> str:
    """A text (or null) as simplejson writes it with ``ensure_ascii=False``: the standard library's C encoder escapes alike."""
    return "null" if value is None else _encode_text(value)


def json_value(value: Any) -> str:
    """One JSON value as simplejson writes it (``use_decimal``, ``ensure_ascii=False``)."""
    if value is None or isinstance(value, str):
        return json_text(value)
    if isinstance(value, Decimal):
        return str(exact(value))
    return str(int(value))


def json_object(pairs: Sequence[tuple[str, str]], depth: int) -> str:
    """An object of already-written values, indented as at ``depth``."""
    inner = "\n" + "  " * (depth + 1)
    return "{" + inner + ("," + inner).join(f'"{key}": {text}' for key, text in pairs) + "\n" + "  " * depth + "}"


def json_list(texts: Sequence[str], depth: int) -> str:
    """A list of already-written values, each written as at ``depth + 1``."""
    if not texts:
        return "[]"
    inner = "\n" + "  " * (depth + 1)
    return "[" + inner + ("," + inner).join(texts) + "\n" + "  " * depth + "]"


@functools.lru_cache(maxsize=64)
def rubric_text(title: str, points: Decimal, sha256: str, depth: int = 0) -> str:
    return json_object([("title", json_value(title)), ("points", json_value(points)), ("sha256", json_value(sha256))], depth + 1)


#: A trace entry's keys, in the order of `TraceEntry.to_dict`.
ENTRY_KEYS = ("clause", "item", "effect", "amount", "change", "count", "cases", "case", "by", "level", "value", "steps", "note", "text",
               "evidence", "reason")


@functools.lru_cache(maxsize=8)
def entry_layout(depth: int) -> tuple[str, str, str]:
    """A trace entry in the trace of a report at ``depth``: its ``%s`` template, and the opening and closing of its cases."""
    return (json_object([(key, "%s") for key in ENTRY_KEYS], depth + 2), "\n" + "  " * (depth + 4), "\n" + "  " * (depth + 3) + "]")


def entry_text(layout: tuple[str, str, str], clause: str, item: str | None, effect: str, amount: Decimal, count: int | None,
                cases: Sequence[str], case: str | None, by: str | None, level: str | None, value: Decimal | None, steps: int | None,
                note: str, text: str, evidence: str | None, reason: str | None) -> str:
    t = json_text
    template, case_indent, cases_end = layout
    listed = "[" + case_indent + ("," + case_indent).join(map(t, cases)) + cases_end if cases else "[]"
    change = exact(amount) if effect in ON_TOTAL else negated(amount)
    return template % (t(clause), t(item), t(effect), exact(amount), change, "null" if count is None else count, listed, t(case), t(by),
                       t(level), "null" if value is None else exact(value), "null" if steps is None else steps, t(note), t(text),
                       t(evidence), t(reason))


def _line(plan: Plan, part: Any, kind: str, deducted: Decimal, depth: int) -> str:
    """A section's, topic's or item's line (items carry no title), kept on the plan: reports share most lines."""
    key = (kind, part.id, deducted, depth)
    text = plan.lines.get(key)
    if text is None:
        pairs = [("id", json_text(part.id))]
        if kind != "item":
            pairs.append(("title", json_text(part.title)))
        pairs += [("points", str(exact(part.points))), ("deducted", str(exact(deducted))),
                  ("score", str(exact(part.points - deducted)))]
        text = json_object(pairs, depth + 2)
        if len(plan.lines) < 100_000:
            plan.lines[key] = text
    return text


def _part_lines(plan: Plan, lost: dict[str, Decimal], depth: int) -> list[tuple[str, str]]:
    """The sections, topics and items of a report: the lines of a unit that lost nothing, with those of the parts it touched."""
    zero = plan.zero_lines.get(depth)
    if zero is None:
        zero = plan.zero_lines[depth] = ([_line(plan, s, "section", ZERO, depth) for s in plan.sections],
                                         [_line(plan, t, "topic", ZERO, depth) for t in plan.topics],
                                         [_line(plan, i, "item", ZERO, depth) for i in plan.items])
    lines = [list(texts) for texts in zero]
    kinds: dict[str, tuple[int, Sequence[Any]]] = {"section": (0, plan.sections), "topic": (1, plan.topics), "item": (2, plan.items)}
    for ident, amount in lost.items():
        kind, n = plan.position[ident]
        which, parts = kinds[kind]
        lines[which][n] = _line(plan, parts[n], kind, amount, depth)
    return [(key, json_list(texts, depth + 1)) for key, texts in zip(("sections", "topics", "items"), lines, strict=True)]


#: Trace entries already written, by record, language and depth: units of a batch repeat most of them.
_ENTRY_TEXTS: dict[tuple[Any, ...], str] = {}


def record_texts(records: Sequence[Record], language: str, depth: int) -> list[str]:
    """The trace entries of a report at ``depth`` written from the kernel's records, their notes in ``language``."""
    layout = entry_layout(depth)
    known = _ENTRY_TEXTS
    texts = []
    with use_language(language):
        for record in records:
            key = (record, language, depth)
            text = known.get(key)
            if text is None:
                clause, item, effect, amount, text_of, (note, args), count, cases, case, by, evidence, reason = record
                text = entry_text(layout, clause, item, effect, amount, count, cases, case, by, None, None, None, note(*args), text_of,
                                  evidence, reason)
                if len(known) >= 50_000:
                    known.clear()  # a bound no one report reaches: memory stays flat over any batch
                known[key] = text
            texts.append(text)
    return texts


def outcome_json(plan: Plan, outcome: Outcome, depth: int = 0) -> str:
    """The report of ``outcome`` as `qlrules.render.json.report_json` writes it, byte for byte, from the plan alone."""
    d = depth
    lost = outcome.lost
    with exact_arithmetic():
        sections: list[Part] = plan.sections
        deductions = sum((lost.get(s.id, ZERO) for s in sections), ZERO)
        groups = outcome.groups if outcome.groups is not None else [(g.id, g.title, ZERO) for g in plan.groups]
        trace = record_texts(outcome.records, outcome.language, d)
        return json_object([
            ("unit", json_text(outcome.unit)),
            ("rubric", rubric_text(plan.title, plan.points, plan.sha256, d)),
            ("total", str(exact(plan.points - deductions + outcome.adjustments))),
            ("deductions", str(exact(deductions))),
            ("adjustments", str(exact(outcome.adjustments))),
            ("adjustment_groups", json_list([json_object([("id", json_text(i)), ("title", json_text(t)), ("total", str(exact(total)))], d + 2)
                                             for i, t, total in groups], d + 1)),
            ("grade", json_text(outcome.grade)),
            ("vetoes", "[]"),
            *_part_lines(plan, lost, d),
            ("trace", json_list(trace, d + 1)),
        ], d)

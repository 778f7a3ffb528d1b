"""A JSON Schema (2020-12) of a valid findings document for one rubric, generated from it.

Other systems validate what they send before they send it, and editors complete clause ids
from it. The schema says what `qlrules.scoring.findings` checks that a schema can say: the
clause ids, which keys each clause takes by its kind (count, cases, amount, level, value,
evidence, reason), its levels and bounds, one unit or ``units:``. What needs more than one
value at a time (count agreeing with cases, counts adding up past ``of``, one case on two
findings, unit names unique in a batch) is left to the checker: a document the schema refuses
is invalid, one it accepts may still be refused by ``qlrules score``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, assert_never

from ..language.unparse import rule_source
from ..model import Adjustment, Clause, Discretionary, Each, Levels, Measure, Once, Ranged, Rubric, Veto
from .kernel import MAX_COUNT

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: A decimal written as text, as the checker reads it (``"1.5"``).
DECIMAL_TEXT = r"^\s*[-+]?[0-9]+(\.[0-9]+)?\s*$"
#: Text with something other than white space in it.
NOT_BLANK = r"\S"


def _number(minimum: Decimal | None = None, maximum: Decimal | None = None) -> dict[str, Any]:
    """A number, or a decimal string (read exactly); bounds apply to the number form."""
    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number["minimum"] = minimum
    if maximum is not None:
        number["maximum"] = maximum
    return {"anyOf": [number, {"type": "string", "pattern": DECIMAL_TEXT}]}


def _count(of: int | None) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": min(of, MAX_COUNT) if of is not None else MAX_COUNT}


def _cases(of: int | None, most: int | None = None) -> dict[str, Any]:
    cases: dict[str, Any] = {"type": "array", "items": {"type": "string", "pattern": NOT_BLANK}, "uniqueItems": True}
    bounds = [b for b in (of, most) if b is not None]
    if bounds:
        cases["maxItems"] = min(bounds)
    return cases


_TEXT = {"type": "string"}
_REASON = {"type": "string", "pattern": NOT_BLANK}


def _shape(properties: dict[str, Any], required: list[str], *extra: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "object", "properties": {"clause": True, "evidence": _TEXT, "reason": _TEXT, **properties},
                             "required": ["clause", *required], "additionalProperties": False}
    if extra:
        shape["allOf"] = list(extra)
    return shape


_COUNT_OR_CASES: dict[str, Any] = {"anyOf": [{"required": ["count"]}, {"required": ["cases"]}]}


def clause_schema(target: Clause | Adjustment | Veto, rubric: Rubric) -> dict[str, Any]:
    """What a finding on ``target`` may hold: the keys its kind takes, with its bounds."""
    if isinstance(target, Veto):
        shape = _shape({"count": _count(None)}, ["count"])
        shape["description"] = target.text
        return shape
    of = target.of
    rule = target.rule
    adjustment = isinstance(target, Adjustment)
    match rule:
        case Once() | Each():
            if adjustment or rule.rate > 0:  # awards and adjustments take no cases
                shape = _shape({"count": _count(of)}, ["count"])
            else:
                shape = _shape({"count": _count(of), "cases": _cases(of)}, [], _COUNT_OR_CASES)
        case Discretionary():
            assert isinstance(target, Clause)
            points = rubric.part_index[target.item].points
            shape = _shape({"amount": _number(Decimal(0), points), "cases": _cases(of, 1), "reason": _REASON},
                           ["amount", "reason"])
        case Ranged():
            awards = adjustment or rule.high > 0
            properties: dict[str, Any] = {"count": _count(of), "reason": _REASON,
                                          "amount": _number(Decimal(0)) if rule.each else _number(abs(rule.low), abs(rule.high))}
            if not awards:
                properties["cases"] = _cases(of, 1)
            shape = _shape(properties, ["amount", "reason"], *([_COUNT_OR_CASES] if rule.each and not awards else []))
            if rule.each and awards:
                shape["required"].append("count")
        case Levels():
            names = [lv.name for lv in rule.levels]
            properties = {"level": {"enum": names}, "count": _count(of)}
            if not adjustment and any(lv.high <= 0 for lv in rule.levels):  # as the checker: an award level takes no cases
                properties["cases"] = _cases(of)
            ranged = [lv for lv in rule.levels if lv.ranged]
            if ranged:
                properties["amount"] = _number(Decimal(0))
            conditions: list[dict[str, Any]] = [_COUNT_OR_CASES] if "cases" in properties else []
            for lv in rule.levels:  # a fixed level takes no amount; a range level needs one, and a reason
                then: dict[str, Any] = ({"required": ["amount", "reason"], "properties": {"reason": _REASON}} if lv.ranged
                                        else {"not": {"required": ["amount"]}})
                if "cases" in properties and lv.high > 0:
                    then = {"allOf": [then, {"not": {"required": ["cases"]}}, {"required": ["count"]}]}
                conditions.append({"if": {"properties": {"level": {"const": lv.name}}, "required": ["level"]}, "then": then})
            shape = _shape(properties, ["level"] if "cases" in properties else ["level", "count"], *conditions)
        case Measure():
            shape = _shape({"value": _number()}, ["value"])
        case _:
            assert_never(rule)
    shape["description"] = f"{target.text} — {rule_source(rule)}"
    return shape


def _pointer(ident: str) -> str:
    """``ident`` as one step of a JSON Pointer (RFC 6901)."""
    return ident.replace("~", "~0").replace("/", "~1")


def findings_schema(rubric: Rubric) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a findings document for ``rubric``: one unit, or ``units:``."""
    targets = rubric.clause_index
    ids = list(targets)
    dispatch = [{"if": {"properties": {"clause": {"const": ident}}, "required": ["clause"]},
                 "then": {"$ref": f"#/$defs/clauses/{_pointer(ident)}"}} for ident in ids]
    return {
        "$schema": DIALECT,
        "$id": f"urn:qlrules:findings:{rubric.sha256}",
        "title": f"Findings for {rubric.title}",
        "description": f"A findings document (one unit, or a batch with units:) for the rubric {rubric.title} "
                       f"(sha256 {rubric.sha256}), as `qlrules score` reads it.",
        "oneOf": [{"$ref": "#/$defs/unit"}, {"$ref": "#/$defs/batch"}],
        "$defs": {
            "unit": {
                "type": "object",
                "properties": {"unit": {"type": "string", "pattern": NOT_BLANK},
                               "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}}},
                "required": ["unit", "findings"],
                "additionalProperties": False,
            },
            "batch": {
                "type": "object",
                "properties": {"units": {"type": "array", "items": {"$ref": "#/$defs/unit"}}},
                "required": ["units"],
                "additionalProperties": False,
            },
            "finding": {
                "type": "object",
                "properties": {"clause": {"enum": ids}},
                "required": ["clause"],
                **({"allOf": dispatch} if dispatch else {}),
            },
            "clauses": {ident: clause_schema(target, rubric) for ident, target in targets.items()},
        },
    }

"""The seed scoring written for two general rules engines, in their own idioms.

Both take the unit's findings mapping exactly as qlrules does and return the
total; `run.py` checks that they agree with qlrules on every benchmark unit
before it times them. The rubric's numbers come from `baseline.py` (plain
data: clause → item, kind, rate; item points; adjustments).

zen-engine (GoRules, Rust core): a JDM decision graph, built once, evaluated
per unit through ``ZenEngine.evaluate(key, unit)``:

  request → clauses (decision table, loop over findings: one row per clause
  and adjustment, first hit; outputs item, points, kind, rate, rubric order
  and the clauses it replaces) → cases (expression node: every case
  occurrence, the replacing ones, the live ones after replacement, the kept
  ones after 注1) → amounts (expression node, loop over findings: the count
  left after cases were taken, what the finding deducts, whether a once
  clause fires) → totals (expression node: a once clause once, sums per item,
  注2 cap, deductions, adjustments, total) → response.

rule-engine (pure Python): six rules compiled once and evaluated on plain dicts,
per case occurrence, clause, item and adjustment; Python around them looks the
rubric's numbers up, groups, and adds up (rule-engine's $sum, $min, $any and
comprehensions cost 100-300 µs an evaluation, so the rules keep to arithmetic
and comparisons, as a careful embedder would):

  replaced  (per occurrence of a case also named on 6.1h) does 6.1h replace this clause?
  beats     (per pair of clauses holding one case, 注1) is this one worth more, or equal and earlier?
  deduct    (per clause with findings) once: the rate if any count is left; each: rate × count; 6.1h: amount
  capped    (per item with deductions, 注2) at most the item's points
  adjust    (per adjustment finding) signed rate × count
  total     (per unit) points − deductions + adjustments

Each engine is optional: ``ZEN`` and ``RULE_ENGINE`` are None when the package
is not installed, with the reason in ``MISSING``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

try:
    from baseline import ADJUSTMENTS, CLAUSES, ITEM_POINTS, ORDER, REPLACES, RUBRIC_POINTS
except ImportError:  # imported as benchmarks.peers
    from .baseline import ADJUSTMENTS, CLAUSES, ITEM_POINTS, ORDER, REPLACES, RUBRIC_POINTS  # type: ignore[no-redef]

MISSING: dict[str, str] = {}
Scorer = Callable[[dict[str, Any]], Decimal]


def _number(value: Decimal) -> str:
    """A decimal as a ZEN number literal."""
    return format(value, "f")


# -- zen-engine ------------------------------------------------------------------------------------------


def zen_graph() -> dict[str, Any]:
    """The seed scoring as a JDM decision graph."""
    rows = []
    for cid, (item, kind, rate) in CLAUSES.items():
        replaces = "[" + ", ".join(f"'{c}'" for c in sorted(REPLACES.get(cid, ()))) + "]"
        rows.append({"_id": cid, "clause": f"'{cid}'", "item": f"'{item}'", "points": _number(ITEM_POINTS[item]),
                     "kind": f"'{kind}'", "rate": _number(rate) if rate is not None else "0",
                     "order": str(ORDER[cid]), "replaces": replaces})
    for n, (aid, rate) in enumerate(ADJUSTMENTS.items(), len(CLAUSES)):
        rows.append({"_id": aid, "clause": f"'{aid}'", "item": "''", "points": "0", "kind": "'adjust'",
                     "rate": _number(rate), "order": str(n), "replaces": "[]"})
    outputs = ["item", "points", "kind", "rate", "order", "replaces"]
    table = {
        "hitPolicy": "first",
        "inputField": "findings", "outputPath": "findings", "executionMode": "loop", "passThrough": True,
        "inputs": [{"id": "clause", "name": "Clause", "field": "clause"}],
        "outputs": [{"id": o, "name": o, "field": o} for o in outputs],
        "rules": rows,
    }

    def expressions(*pairs: tuple[str, str]) -> list[dict[str, str]]:
        return [{"id": key, "key": key, "value": value} for key, value in pairs]

    cases = {"passThrough": True, "expressions": expressions(
        # Every (case, clause) a finding names, with what the case costs there (注1's measure).
        ("occurrences", "flatMap(findings, f = #; map(f.cases ?? [], {case: #, clause: f.clause, "
                        "value: f.kind == 'discretionary' ? f.amount : f.rate, order: f.order}))"),
        # 2a. Cases named on a replacing discretionary finding (6.1h), and the clauses it replaces.
        ("replacing", "flatMap(filter(findings, len(#.replaces) > 0), r = #; "
                      "map(r.cases ?? [], {case: #, replaces: r.replaces}))"),
        ("live", "filter($.occurrences, o = #; none($.replacing, #.case == o.case and o.clause in #.replaces))"),
        # 2b. 注1: a case stays only where its value is highest, ties to the clause first in the rubric.
        ("kept", "filter($.live, o = #; none($.live, #.case == o.case and #.clause != o.clause and "
                 "(#.value > o.value or (#.value == o.value and #.order < o.order))))"),
    )}
    amounts = {"inputField": "findings", "outputPath": "findings", "executionMode": "loop", "passThrough": True,
               "expressions": expressions(
        ("left", "(kind == 'discretionary' ? 1 : (count ?? len(cases))) - "
                 "count(cases ?? [], c = #; none($nodes.cases.kept, #.clause == clause and #.case == c))"),
        ("deduct", "kind == 'each' or kind == 'adjust' ? rate * $.left : "
                   "(kind == 'discretionary' and $.left > 0 ? amount : 0)"),
        ("fires", "kind == 'once' and $.left > 0"),
    )}
    totals = {"expressions": expressions(
        # A once clause deducts its rate once, at its first finding that fires; then sum per item, cap (注2).
        ("items", "F = filter(findings, #.kind != 'adjust'); last = len(F) - 1; "
                  "amounts = map([0..last], i = #; f = F[i]; f.kind != 'once' ? f.deduct : "
                  "(f.fires and (i == 0 or none(F[0:i-1], #.clause == f.clause and #.fires)) ? f.rate : 0)); "
                  "firsts = filter([0..last], i = #; i == 0 or none(F[0:i-1], #.item == F[i].item)); "
                  "map(firsts, i = #; {item: F[i].item, deducted: "
                  "min([sum(map(filter([0..last], F[#].item == F[i].item), amounts[#])), F[i].points])})"),
        ("deductions", "sum(map($.items, #.deducted))"),
        ("adjustments", "sum(map(filter(findings, #.kind == 'adjust'), #.deduct))"),
        ("total", f"{_number(RUBRIC_POINTS)} - $.deductions + $.adjustments"),
    )}
    nodes = [
        {"id": "request", "name": "request", "type": "inputNode"},
        {"id": "clauses", "name": "clauses", "type": "decisionTableNode", "content": table},
        {"id": "cases", "name": "cases", "type": "expressionNode", "content": cases},
        {"id": "amounts", "name": "amounts", "type": "expressionNode", "content": amounts},
        {"id": "totals", "name": "totals", "type": "expressionNode", "content": totals},
        {"id": "response", "name": "response", "type": "outputNode"},
    ]
    for x, node in enumerate(nodes):
        node["position"] = {"x": 200 * x, "y": 100}
    edges = [{"id": f"e{n}", "type": "edge", "sourceId": a["id"], "targetId": b["id"]}
             for n, (a, b) in enumerate(zip(nodes, nodes[1:]))]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def make_zen() -> Scorer | None:
    try:
        import zen
    except ImportError as exc:
        MISSING["zen-engine"] = f"cannot be imported ({exc})"
        return None
    # A static loader and ZenEngine.evaluate(key, …): the fastest of the binding's ways to evaluate a
    # graph here (ZenDecision.evaluate from create_decision costs several hundred µs more per call).
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"seed": zen_graph()}}})

    def score(unit: dict[str, Any]) -> Decimal:
        result = engine.evaluate("seed", unit)["result"]
        return Decimal(repr(result["total"]))  # ZEN computes in decimals; the binding hands back a float

    return score


# -- rule-engine -----------------------------------------------------------------------------------------


def make_rule_engine() -> Scorer | None:
    try:
        import rule_engine
    except ImportError as exc:
        MISSING["rule-engine"] = f"cannot be imported ({exc})"
        return None
    context = rule_engine.Context(default_value=None)

    def rule(text: str) -> Any:
        return rule_engine.Rule(text, context=context)

    # Arithmetic and comparisons only: rule-engine's $sum/$min/$any and comprehensions cost
    # 100-300 µs an evaluation here, so sums and groupings are left to the Python around them.
    replaced = rule("clause in replaces")
    beats = rule("value > other_value or (value == other_value and order < other_order)")
    deduct = rule("kind == 'once' ? (count > 0 ? rate : 0) : (kind == 'each' ? rate * count : amount)")
    capped = rule("deducted > points ? points : deducted")
    adjust = rule("rate * count")
    total = rule("points - deductions + adjustments")
    replaces = {cid: tuple(sorted(c)) for cid, c in REPLACES.items()}

    def score(unit: dict[str, Any]) -> Decimal:
        findings: list[dict[str, Any]] = []  # deduction findings, with the cases they lose
        adjustments = Decimal(0)
        occurrences: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # (case, facts for the rules, finding)
        by_case: dict[str, list[str]] = {}  # case -> the replacing clauses (6.1h) that name it
        for f in unit["findings"]:
            cid = f["clause"]
            if cid in ADJUSTMENTS:
                adjustments += adjust.evaluate({"rate": ADJUSTMENTS[cid], "count": f["count"]})
                continue
            kind = CLAUSES[cid][1]
            record = {"finding": f, "clause": cid, "lost": 0}
            findings.append(record)
            value = Decimal(str(f["amount"])) if kind == "discretionary" else CLAUSES[cid][2]
            for case in f.get("cases", ()):
                occurrences.append((case, {"clause": cid, "value": value, "order": ORDER[cid]}, record))
                if cid in replaces:
                    by_case.setdefault(case, []).append(cid)
        # 2a. Replacement: a case on 6.1h leaves the clauses 6.1h replaces.
        live = []
        for case, facts, record in occurrences:
            if any(replaced.evaluate({"clause": facts["clause"], "replaces": replaces[r]}) for r in by_case.get(case, ())):
                record["lost"] += 1
            else:
                live.append((case, facts, record))
        # 2b. 注1: an occurrence beaten by another clause holding the same case loses it.
        holders: dict[str, list[dict[str, Any]]] = {}
        for case, facts, _record in live:
            holders.setdefault(case, []).append(facts)
        for case, facts, record in live:
            for other in holders[case]:
                if other is not facts and not beats.evaluate(
                        {**facts, "other_value": other["value"], "other_order": other["order"]}):
                    record["lost"] += 1
                    break
        # 1, 3. Per clause: counts (and amounts) left after 2, added up over its findings.
        by_clause: dict[str, list[Decimal | int]] = {}
        for r in findings:
            f, cid = r["finding"], r["clause"]
            left = f.get("count", len(f.get("cases", ()))) - r["lost"]
            amount = Decimal(str(f["amount"])) if CLAUSES[cid][1] == "discretionary" and not r["lost"] else 0
            sums = by_clause.setdefault(cid, [0, 0])
            sums[0] += left
            sums[1] += amount
        by_item: dict[str, Decimal] = {}
        for cid, (count, amount) in by_clause.items():
            item, kind, rate = CLAUSES[cid]
            by_item[item] = by_item.get(item, Decimal(0)) + deduct.evaluate(
                {"kind": kind, "rate": rate, "count": count, "amount": amount})
        # 4. 注2, then the total.
        deductions = sum((capped.evaluate({"deducted": d, "points": ITEM_POINTS[item]}) for item, d in by_item.items()),
                         Decimal(0))
        return Decimal(total.evaluate({"points": RUBRIC_POINTS, "deductions": deductions, "adjustments": adjustments}))

    return score


ZEN = make_zen()
RULE_ENGINE = make_rule_engine()
PEERS: dict[str, Scorer | None] = {"zen-engine": ZEN, "rule-engine": RULE_ENGINE}


if __name__ == "__main__":  # the JDM graph, for a look in the GoRules editor
    print(json.dumps(zen_graph(), ensure_ascii=False, indent=2))

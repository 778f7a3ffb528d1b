"""The hand-written baseline: the seed rubric scored by plain Python with ``Decimal``.

This is the "simplest possible code for the same rubric" that the benchmark
holds qlrules against (issue 6): the rubric as dicts, one loop over the
findings, replacement (6.1h), 注1 by the highest nominal value, the item cap
(注2) and the adjustments. It trusts its input (no validation), keeps no trace
and returns the total with each item's capped deduction. It must give the same
total as qlrules on every benchmark unit; `run.py` checks that before timing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

D = Decimal
ZERO = D(0)
RUBRIC_POINTS = D(100)

# item id -> points (注2 caps an item's deduction at these).
ITEM_POINTS = {
    "0.1": D(2), "0.2": D(2), "0.3": D(1),
    "1.1": D(2), "1.2": D(2), "1.3": D(2), "1.4": D(2), "2.1": D(3), "2.2": D(2),
    "3.1": D(2), "3.2": D(3), "3.3": D(1), "4.1": D(3), "4.2": D(1), "4.3": D(1), "4.4": D(1),
    "5.1": D(2), "5.2": D(2), "5.3": D(3), "5.4": D(2), "5.5": D(2), "6.1": D(10), "6.2": D(1), "6.3": D(1),
    "7.1": D(2), "7.2": D(1), "7.3": D(1), "7.4": D(2), "7.5": D(1),
    "8.1": D(2), "8.2": D(1), "8.3": D(1), "8.4": D(1), "8.5": D(1), "8.6": D(1), "9.1": D(2), "9.2": D(1), "9.3": D(1),
    "10.1": D(3), "10.2": D(2), "11.1": D(2), "11.2": D(2), "11.3": D(3), "11.4": D(2),
    "12.1": D(2), "12.2": D(1), "12.3": D(1), "13.1": D(2), "13.2": D(2), "14.1": D(2), "14.2": D(2),
    "15.1": D(2), "15.2": D(1),
}

# clause id -> (item id, kind, rate), in rubric order; rate is None for the discretionary 6.1h.
CLAUSES: dict[str, tuple[str, str, Decimal | None]] = {
    "0.1a": ("0.1", "each", D("0.5")), "0.2a": ("0.2", "each", D(1)), "0.3a": ("0.3", "each", D("0.5")),
    "1.1a": ("1.1", "once", D(1)), "1.1b": ("1.1", "each", D("0.5")), "1.2a": ("1.2", "each", D(1)),
    "1.3a": ("1.3", "each", D("0.5")), "1.3b": ("1.3", "once", D("0.5")),
    "1.4a": ("1.4", "once", D(1)), "1.4b": ("1.4", "once", D(1)),
    "2.1a": ("2.1", "once", D(2)), "2.1b": ("2.1", "once", D(1)), "2.2a": ("2.2", "each", D(1)),
    "3.1a": ("3.1", "each", D(1)), "3.2a": ("3.2", "each", D(1)), "3.3a": ("3.3", "each", D("0.5")),
    "4.1a": ("4.1", "each", D("0.5")), "4.1b": ("4.1", "each", D("0.5")),
    "4.2a": ("4.2", "once", D("0.5")), "4.2b": ("4.2", "once", D("0.5")),
    "4.3a": ("4.3", "once", D("0.5")), "4.3b": ("4.3", "once", D("0.5")), "4.4a": ("4.4", "each", D("0.5")),
    "5.1a": ("5.1", "each", D("0.5")),
    "5.2a": ("5.2", "once", D("0.5")), "5.2b": ("5.2", "once", D(1)), "5.2c": ("5.2", "each", D("0.5")),
    "5.3a": ("5.3", "once", D(2)), "5.3b": ("5.3", "each", D("0.5")),
    "5.4a": ("5.4", "once", D(1)), "5.4b": ("5.4", "once", D(1)), "5.5a": ("5.5", "each", D("0.5")),
    "6.1a": ("6.1", "once", D(10)), "6.1b": ("6.1", "each", D(1)), "6.1c": ("6.1", "each", D(2)),
    "6.1d": ("6.1", "each", D(5)), "6.1e": ("6.1", "each", D("0.5")), "6.1f": ("6.1", "each", D(1)),
    "6.1g": ("6.1", "each", D(2)), "6.1h": ("6.1", "discretionary", None), "6.1i": ("6.1", "once", D(1)),
    "6.2a": ("6.2", "once", D(1)), "6.2b": ("6.2", "once", D("0.5")), "6.3a": ("6.3", "once", D(1)),
    "7.1a": ("7.1", "each", D("0.5")), "7.1b": ("7.1", "each", D(1)),
    "7.2a": ("7.2", "once", D(1)), "7.2b": ("7.2", "each", D("0.5")), "7.3a": ("7.3", "each", D(1)),
    "7.4a": ("7.4", "once", D(1)), "7.4b": ("7.4", "once", D(2)), "7.5a": ("7.5", "each", D(1)),
    "8.1a": ("8.1", "once", D(2)), "8.2a": ("8.2", "each", D("0.5")), "8.3a": ("8.3", "each", D("0.5")),
    "8.4a": ("8.4", "once", D(1)), "8.4b": ("8.4", "once", D("0.5")), "8.5a": ("8.5", "each", D("0.5")),
    "8.6a": ("8.6", "once", D("0.5")), "8.6b": ("8.6", "once", D("0.5")),
    "9.1a": ("9.1", "each", D("0.5")), "9.2a": ("9.2", "each", D("0.5")),
    "9.3a": ("9.3", "once", D("0.5")), "9.3b": ("9.3", "each", D("0.5")),
    "10.1a": ("10.1", "once", D(1)), "10.1b": ("10.1", "once", D(2)),
    "10.2a": ("10.2", "once", D(2)), "10.2b": ("10.2", "each", D(1)),
    "11.1a": ("11.1", "once", D("1.5")), "11.1b": ("11.1", "once", D("0.5")),
    "11.2a": ("11.2", "once", D(1)), "11.2b": ("11.2", "once", D(1)),
    "11.3a": ("11.3", "each", D(1)), "11.3b": ("11.3", "once", D("0.5")),
    "11.4a": ("11.4", "each", D("0.5")), "11.4b": ("11.4", "once", D(2)),
    "12.1a": ("12.1", "once", D(1)), "12.1b": ("12.1", "once", D(1)), "12.2a": ("12.2", "once", D(1)),
    "12.3a": ("12.3", "once", D(1)), "13.1a": ("13.1", "once", D(2)), "13.2a": ("13.2", "each", D(2)),
    "14.1a": ("14.1", "once", D(1)), "14.1b": ("14.1", "once", D(1)),
    "14.2a": ("14.2", "once", D(1)), "14.2b": ("14.2", "once", D(1)),
    "15.1a": ("15.1", "once", D(2)), "15.1b": ("15.1", "each", D(1)), "15.2a": ("15.2", "once", D(1)),
}

# 6.1h 主动报告线索或查处问题的酌情扣分 stands in for the per-person clauses of 6.1 for the cases it names.
REPLACES = {"6.1h": frozenset({"6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g"})}

# 加减分项: signed rate per count, no cap.
ADJUSTMENTS = {
    "A1": D(1), "A2": D(-1), "A3": D("0.5"), "A4": D("-0.5"),
    "A5": D(1), "A6": D(-1), "A7": D("0.5"), "A8": D("-0.5"),
}

# Position in the rubric: 注1 ties go to the clause that comes first.
ORDER = {cid: n for n, cid in enumerate(CLAUSES)}


def score(unit: dict[str, Any]) -> tuple[Decimal, dict[str, Decimal]]:
    """Score one valid unit: its total, and each deducted item's (capped) deduction."""
    adjustments = ZERO
    # One record per deduction finding: [clause, item, kind, value, cases left, count without case ids].
    # value is the rate (each, once) or the assessor's amount (discretionary): also 注1's measure.
    live = []
    for finding in unit["findings"]:
        clause = finding["clause"]
        if clause in ADJUSTMENTS:
            adjustments += ADJUSTMENTS[clause] * finding["count"]
            continue
        item, kind, rate = CLAUSES[clause]
        cases = list(finding.get("cases", ()))
        if kind == "discretionary":
            live.append([clause, item, kind, D(str(finding["amount"])), cases, 0 if cases else 1])
        else:
            live.append([clause, item, kind, rate, cases, 0 if cases else finding["count"]])

    # 2a. A case on 6.1h leaves the per-person clauses it replaces.
    for record in live:
        replaced = REPLACES.get(record[0])
        if replaced:
            for case in record[4]:
                for other in live:
                    if other[0] in replaced and case in other[4]:
                        other[4].remove(case)

    # 2b. 注1: a case named on several clauses counts once, where its value is highest.
    holders: dict[str, list[list[Any]]] = {}
    for record in live:
        for case in record[4]:
            holders.setdefault(case, []).append(record)
    for case, records in holders.items():
        if len(records) > 1:
            best = records[0]
            for record in records[1:]:
                if record[3] > best[3] or (record[3] == best[3] and ORDER[record[0]] < ORDER[best[0]]):
                    best = record
            for record in records:
                if record is not best:
                    record[4].remove(case)

    # 1. What each clause deducts (a once clause once), summed per item.
    per_item: dict[str, Decimal] = {}
    once_done = set()
    for clause, item, kind, value, cases, anonymous in live:
        count = anonymous + len(cases)
        if count == 0:
            continue
        if kind == "once":
            if clause in once_done:
                continue
            once_done.add(clause)
            amount = value
        else:
            amount = value * count
        per_item[item] = per_item.get(item, ZERO) + amount

    # 注2: an item deducts at most its points. Then the total.
    deductions = ZERO
    for item, amount in per_item.items():
        points = ITEM_POINTS[item]
        if amount > points:
            per_item[item] = amount = points
        deductions += amount
    return RUBRIC_POINTS - deductions + adjustments, per_item

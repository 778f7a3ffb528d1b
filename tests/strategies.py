"""Hypothesis strategies shared by the property tests: random rubrics and random valid findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

import qlrules
from qlrules.numbers import plain
from tests import rules

CASES = ["C1", "C2", "C3", "C4"]
HALVES = [Decimal(n) / 2 for n in range(1, 7)]  # 0.5 … 3


def _num(value: Decimal) -> str:
    return plain(value)


@st.composite
def rubric_texts(draw: st.DrawFn) -> str:
    """The text of a random valid rubric: sections, optional topics, items, every clause kind."""
    lines = []
    rules = draw(st.sampled_from([("highest-per-case", "item-cap"), ("item-cap",), ("highest-per-case",), ()]))
    sections = []
    clause_count = 0
    for s in range(draw(st.integers(1, 3))):
        use_topics = draw(st.booleans())
        groups = []
        for t in range(draw(st.integers(1, 2)) if use_topics else 1):
            prefix = f"{s}{t}" if use_topics else f"{s}"
            items = []
            for i in range(1, draw(st.integers(1, 3)) + 1):
                points = draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(3), Decimal("1.5"), Decimal(10)]))
                clauses = []
                for c in "abcd"[: draw(st.integers(1, 4))]:
                    kind = draw(st.sampled_from(["once", "each", "each", "discretionary"]))
                    clause_id = f"{prefix}.{i}{c}"
                    if kind == "discretionary":
                        earlier = [x[0] for x in clauses if x[1] != "discretionary"]
                        replaces = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
                        rule = "discretionary" + (f" replaces {', '.join(replaces)}" if replaces else "")
                    else:
                        rate = draw(st.sampled_from(HALVES))
                        rule = f"once −{_num(rate)}" if kind == "once" else f"each 项 −{_num(rate)}"
                        if kind == "each" and draw(st.booleans()):
                            rule += f" of {draw(st.integers(1, 4))}"
                    if kind != "once" and draw(st.integers(0, 4)) == 0:
                        rule += f" cap {_num(draw(st.sampled_from(HALVES)))}"
                    clauses.append((clause_id, kind, rule))
                    clause_count += 1
                items.append((f"{prefix}.{i}", points, clauses))
            groups.append((prefix, items))
        sections.append((f"S{s}", use_topics, groups))
    # An adjustment's signed rate and, two times in three, a cap. A cap bounds the adjustment's total
    # either way, so a negative rate with a cap (a capped deduction from the total) is drawn as often
    # as a positive one.
    adjustments = []
    for n in range(1, draw(st.sampled_from([0, 1, 2, 3])) + 1):  # as often none as three (integers() favours 0)
        rule = draw(st.sampled_from(["+", "−"])) + _num(draw(st.sampled_from(HALVES)))
        if draw(st.integers(0, 2)):
            rule += f" cap {_num(draw(st.sampled_from(HALVES)))}"
        adjustments.append((f"A{n}", rule))

    def item_points(items: list[Any]) -> Decimal:
        return sum((p for _, p, _ in items), Decimal(0))

    total = sum((item_points(items) for _, _, groups in sections for _, items in groups), Decimal(0))
    lines.append(f'rubric "随机考评" points {_num(total)}')
    for name in rules:
        lines.append(f'  rule {name} "规则 {name}"')
    for sid, use_topics, groups in sections:
        spoints = sum((item_points(items) for _, items in groups), Decimal(0))
        lines.append(f'section {sid} "部分 {sid}" points {_num(spoints)} owners "机关纪委"')
        for prefix, items in groups:
            indent = "  "
            if use_topics:
                lines.append(f'  topic {prefix} "主题 {prefix}" points {_num(item_points(items))}')
                indent = "    "
            for iid, points, clauses in items:
                lines.append(f'{indent}item {iid} points {_num(points)}')
                lines.append(f'{indent}  text "具体内容 {iid}"')
                for cid, _, rule in clauses:
                    lines.append(f'{indent}  {cid} "考评标准 {cid}" {rule}')
    if adjustments:
        lines.append('adjustments "加减分项"')
        for aid, rule in adjustments:
            lines.append(f'  {aid} "加减 {aid}" each 项 {rule}')
    return "\n".join(lines) + "\n"


@st.composite
def rubrics(draw: st.DrawFn) -> qlrules.Rubric:
    return qlrules.compile_rubric(draw(rubric_texts()), "random.qlr")


@st.composite
def findings_for(draw: st.DrawFn, rubric: qlrules.Rubric, max_clauses: int = 8) -> list[dict[str, Any]]:
    """A random valid findings list for ``rubric``, with case ids shared across clauses.

    Up to ``max_clauses`` clauses or adjustments are drawn from the whole rubric; besides them,
    each adjustment has even odds of a finding of its own, so that adjustments (and their caps,
    either way) are exercised on every rubric that has them, not only once in a while.
    """
    targets = list(rubric.clause_index.values())
    chosen = draw(st.lists(st.sampled_from(targets), max_size=max_clauses, unique_by=lambda t: t.id))
    drawn = {target.id for target in chosen}
    chosen += [a for a in rubric.adjustments if a.id not in drawn and draw(st.booleans())]
    findings: list[dict[str, Any]] = []
    for target in chosen:
        if isinstance(target, qlrules.Adjustment):
            findings.append({"clause": target.id, "count": draw(st.integers(0, 4))})
            continue
        if rules.kind(target) == "discretionary":
            points = rubric.item_index[target.item].points
            free = list(CASES)
            for _ in range(draw(st.integers(1, 2))):
                quarters = draw(st.integers(0, int(points * 4)))
                finding: dict[str, Any] = {"clause": target.id, "amount": str(Decimal(quarters) / 4), "reason": "酌情"}
                if free and draw(st.booleans()):
                    case = draw(st.sampled_from(free))
                    free.remove(case)
                    finding["cases"] = [case]
                findings.append(finding)
            continue
        budget = target.of if target.of is not None else 6
        free = list(CASES)
        for _ in range(draw(st.integers(1, 2))):
            if budget <= 0:
                break
            if free and draw(st.booleans()):
                cases = draw(st.lists(st.sampled_from(free), min_size=1, max_size=min(budget, len(free)), unique=True))
                for case in cases:
                    free.remove(case)
                budget -= len(cases)
                findings.append({"clause": target.id, "cases": cases})
            else:
                count = draw(st.integers(0, min(budget, 3)))
                budget -= count
                findings.append({"clause": target.id, "count": count})
    return draw(st.permutations(findings))


@st.composite
def rubric_and_findings(draw: st.DrawFn) -> tuple[qlrules.Rubric, list[dict[str, Any]]]:
    rubric = draw(rubrics())
    return rubric, draw(findings_for(rubric))

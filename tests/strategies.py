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


# ---------------------------------------------------------------------------------------------------------------
# Language 2: random rubrics as a plain description (dicts, Decimals) AND their source text, so that the
# independent reference scorer (tests/reference_scorer.py) reads the description and never needs qlrules to parse.
#
# A description:
#   {"points": D, "rules": ["item-cap", "highest-per-case"], "sections": [part], "groups": [group],
#    "grades": [{"name", "lo": D | None, "hi": D | None}] (best first), "vetoes": [{"id", "grade"}]}
#   part   = {"kind": "section" | "topic" | "item", "id", "points", "cap": D | None, "earned": bool (items),
#             "clauses": [clause], "children": [part]}        (a section holds topics or items, never both)
#   group  = {"id": "B" | None, "cap": D | None, "clauses": [clause]}
#   clause = {"id", "rule": rule, "cap": D | None, "of": int | None}
#   rule   = {"form": "once" | "each", "rate": D}                                  (signed: − deducts, + awards)
#          | {"form": "range", "mode": "once" | "each", "lo": D, "hi": D}           (signed alike, |lo| ≤ |hi|)
#          | {"form": "discretionary", "replaces": [clause id]}
#          | {"form": "levels", "mode": "once" | "each", "levels": [{"name", "rate": D} | {"name", "lo", "hi"}]}
#          | {"form": "bands", "dir": "below" | "above", "bands": [{"t": D, "per": D | None, "rate": D}]}
#          | {"form": "tiers", "dir": "least" | "most", "tiers": [{"t": D, "rate": D}]}
# ---------------------------------------------------------------------------------------------------------------

MINUS = ["−", "−", "-", "－"]
QUARTERS = [Decimal(n) / 4 for n in range(1, 13)]  # 0.25 … 3
LEVEL_NAMES = ["甲", "乙", "丙", "丁"]
GRADE_NAMES = ["优秀", "良好", "达标", "不达标"]
GROUP_IDS = ["B", "N", "G2", "J"]
L2_CASES = ["C1", "C2", "C3"]  # few, so that clauses share them


def plain(value: Decimal) -> str:
    """A decimal as written in a rubric (2, 0.5, 10), without qlrules."""
    value = Decimal(value).normalize()
    return format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value, "f")


def _signed(draw: st.DrawFn, value: Decimal, zero: str = "+") -> str:
    """A signed rate; a zero is written 0, +0 or −0 as ``zero`` says (the sign of the range it starts)."""
    if value == 0:
        return draw(st.sampled_from(["0", zero + "0"]))
    return ("+" if value > 0 else draw(st.sampled_from(MINUS))) + plain(abs(value))


def _sign_of(rule: dict[str, Any]) -> int:
    """+1 for an award rule, −1 for a deduction, 0 for a levels rule mixing both."""
    form = rule["form"]
    if form == "discretionary":
        return -1
    if form in ("once", "each"):
        return 1 if rule["rate"] > 0 else -1
    if form == "range":
        return 1 if rule["hi"] > 0 else -1
    if form == "levels":
        signs = {1 if (lv.get("rate", lv.get("hi"))) > 0 else -1 for lv in rule["levels"]}
        return signs.pop() if len(signs) == 1 else 0
    rates = rule["bands"] if form == "bands" else rule["tiers"]
    return 1 if rates[0]["rate"] > 0 else -1


@st.composite
def l2_rules(draw: st.DrawFn, where: str, sign: int, earlier: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A random rule: ``where`` is item, part or group; ``sign`` +1 award, −1 deduction (0: either)."""
    forms = ["once", "each", "range", "levels", "bands", "tiers"]
    if where == "item" and sign <= 0:
        forms.append("discretionary")
    form = draw(st.sampled_from(forms))
    if sign == 0:
        sign = draw(st.sampled_from([1, -1]))
    if form in ("once", "each"):
        return {"form": form, "rate": sign * draw(st.sampled_from(QUARTERS))}
    if form == "range":
        lo = draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(2)]))
        # equal ends (−1..−1) are one amount written as a range; a range of 0..0 would be no rule at all
        hi = lo + draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(3)]) if lo else st.sampled_from([Decimal("0.5"), Decimal(1)]))
        return {"form": "range", "mode": draw(st.sampled_from(["once", "each"])), "lo": sign * lo, "hi": sign * hi}
    if form == "discretionary":
        targets = [cid for cid, rule in earlier if rule["form"] in ("once", "each", "range", "levels") and _sign_of(rule) < 0]
        return {"form": "discretionary", "replaces": draw(st.lists(st.sampled_from(targets), unique=True, max_size=2)) if targets else []}
    if form == "levels":
        mode = draw(st.sampled_from(["once", "each"]))
        # mixed signs (优秀 +2, 良好 +1, 不合格 −1..−2) only on a once clause of an item
        mixed = where == "item" and mode == "once" and draw(st.booleans())
        levels = []
        for name in LEVEL_NAMES[: draw(st.integers(1, 4))]:
            s = draw(st.sampled_from([1, -1])) if mixed else sign
            if draw(st.integers(0, 3)) == 0:
                lo = draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)]))
                hi = lo + draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2)]))
                levels.append({"name": name, "lo": s * lo, "hi": s * hi})
            else:
                levels.append({"name": name, "rate": s * draw(st.sampled_from(QUARTERS))})
        return {"form": "levels", "mode": mode, "levels": levels}
    first = draw(st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal(90), Decimal(100)]))
    if form == "bands":
        direction = draw(st.sampled_from(["below", "above"]))
        per = draw(st.booleans())
        bands, t = [], first
        for _ in range(draw(st.integers(1, 3))):
            bands.append({"t": t, "per": draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal(2)])) if per else None,
                          "rate": sign * draw(st.sampled_from(QUARTERS))})
            gap = draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(3), Decimal("4.5"), Decimal(6)]))
            t = t - gap if direction == "below" else t + gap
        return {"form": "bands", "dir": direction, "bands": bands}
    direction = draw(st.sampled_from(["least", "most"]))
    tiers, t = [], first
    for _ in range(draw(st.integers(1, 3))):
        tiers.append({"t": t, "rate": sign * draw(st.sampled_from(QUARTERS))})
        gap = draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(5)]))
        t = t - gap if direction == "least" else t + gap  # at least: falling; at most: rising
    return {"form": "tiers", "dir": direction, "tiers": tiers}


@st.composite
def l2_clauses(draw: st.DrawFn, where: str, prefix: str, letters: int, sign_choices: list[int]) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for letter in "abcdef"[:letters]:
        rule = draw(l2_rules(where, draw(st.sampled_from(sign_choices)), [(c["id"], c["rule"]) for c in clauses]))
        of = None
        if rule.get("mode", rule["form"]) == "each" and rule["form"] in ("each", "range", "levels") and draw(st.integers(0, 3)) == 0:
            of = draw(st.integers(1, 4))
        cap = draw(st.sampled_from(QUARTERS + [Decimal(4)])) if draw(st.integers(0, 3)) == 0 else None
        clauses.append({"id": f"{prefix}{letter}", "rule": rule, "cap": cap, "of": of})
    return clauses


@st.composite
def l2_descriptions(draw: st.DrawFn) -> dict[str, Any]:
    """A random language-2 rubric description using every construct."""
    rules = draw(st.sampled_from([["item-cap", "highest-per-case"], ["item-cap"], ["highest-per-case"], []]))
    counter = 0
    sections = []
    for s in range(1, draw(st.integers(0, 3)) + 1):
        def items(prefix: str) -> list[dict[str, Any]]:
            out = []
            for i in range(1, draw(st.integers(1, 3)) + 1):
                earned = draw(st.integers(0, 2)) == 0
                points = draw(st.sampled_from([Decimal(0), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3), Decimal(5)]))
                cap = None if earned or draw(st.integers(0, 2)) else draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2), Decimal(4)]))
                # earned items mostly award, full items mostly deduct, each sometimes does the other
                signs = [1, 1, 1, -1] if earned else [-1, -1, -1, 1]
                clauses = draw(l2_clauses("item", f"{prefix}.{i}", draw(st.integers(1, 4)), signs))
                out.append({"kind": "item", "id": f"{prefix}.{i}", "points": points, "earned": earned, "cap": cap,
                            "clauses": clauses, "children": []})
            return out

        def part_cap() -> Decimal | None:
            return draw(st.sampled_from([Decimal(1), Decimal("2.5"), Decimal(5)])) if draw(st.integers(0, 2)) == 0 else None

        sid = f"S{s}"
        own = draw(l2_clauses("part", sid, draw(st.integers(0, 2)), [-1]))
        if draw(st.booleans()):
            children = []
            for _ in range(draw(st.integers(1, 2))):
                counter += 1
                tid = str(counter)
                tchildren = items(tid)
                children.append({"kind": "topic", "id": tid, "points": sum((c["points"] for c in tchildren), Decimal(0)),
                                 "cap": part_cap(), "clauses": draw(l2_clauses("part", tid, draw(st.integers(0, 1)), [-1])),
                                 "children": tchildren})
        else:
            counter += 1
            children = items(str(counter))
        sections.append({"kind": "section", "id": sid, "points": sum((c["points"] for c in children), Decimal(0)),
                         "cap": part_cap(), "clauses": own, "children": children})
    groups = []
    if draw(st.integers(0, 5)) == 0:
        groups.append({"id": None, "cap": None, "clauses": draw(l2_clauses("group", "A", draw(st.integers(1, 3)), [1, -1]))})
        for c, n in zip(groups[0]["clauses"], range(1, 10)):
            c["id"] = f"A{n}"
    else:
        for gid in draw(st.lists(st.sampled_from(GROUP_IDS), unique=True, max_size=3)):
            cap = draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(3), Decimal(10)])) if draw(st.booleans()) else None
            clauses = draw(l2_clauses("group", gid, draw(st.integers(1, 3)), [1, -1]))
            for c, n in zip(clauses, range(1, 10)):
                c["id"] = f"{gid}{n}"
            groups.append({"id": gid, "cap": cap, "clauses": clauses})
    points = sum((s["points"] for s in sections), Decimal(0))
    grades: list[dict[str, Any]] = []
    vetoes: list[dict[str, Any]] = []
    if draw(st.integers(0, 3)):
        # bands from best to worst, with gaps of 0.5 or 1 between them (totals land in them)
        count = draw(st.integers(1, 4))
        top = points + draw(st.sampled_from([Decimal(-2), Decimal(-1), Decimal(0), Decimal(1)]))
        hi: Decimal | None = None if draw(st.integers(0, 3)) else top + 3
        for n, name in enumerate(GRADE_NAMES[:count]):
            lo = top - draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(2)]))
            last = n == count - 1
            grades.append({"name": name, "lo": None if last and draw(st.integers(0, 3)) else lo, "hi": hi})
            gap = draw(st.sampled_from([Decimal("0.5"), Decimal(1)]))
            hi = lo - gap
            top = hi - draw(st.sampled_from([Decimal(0), Decimal(1), Decimal(2)]))
        if grades[-1]["lo"] is None and grades[-1]["hi"] is None:
            grades[-1]["hi"] = points
        for v in range(1, draw(st.integers(0, 2)) + 1):
            vetoes.append({"id": f"V{v}", "grade": draw(st.sampled_from(grades))["name"]})
    return {"points": points, "rules": rules, "sections": sections, "groups": groups, "grades": grades, "vetoes": vetoes}


@st.composite
def _rule_text(draw: st.DrawFn, clause: dict[str, Any]) -> str:
    rule = clause["rule"]
    form = rule["form"]

    def rng(lo: Decimal, hi: Decimal) -> str:
        return _signed(draw, lo, zero="+" if hi > 0 else "−") + ".." + _signed(draw, hi)

    if form == "once":
        text = "once " + _signed(draw, rule["rate"])
    elif form == "each":
        text = f"each {draw(st.sampled_from(['项', '例', '人次']))} " + _signed(draw, rule["rate"])
    elif form == "range":
        text = ("once " if rule["mode"] == "once" else "each 例 ") + rng(rule["lo"], rule["hi"])
    elif form == "discretionary":
        text = "discretionary" + (f" replaces {', '.join(rule['replaces'])}" if rule["replaces"] else "")
    elif form == "levels":
        levels = [f"{lv['name']} " + (_signed(draw, lv["rate"]) if "rate" in lv else rng(lv["lo"], lv["hi"])) for lv in rule["levels"]]
        text = ("once" if rule["mode"] == "once" else "each 次") + " levels " + ", ".join(levels)
    elif form == "bands":
        bands = [f"{rule['dir']} {plain(b['t'])}" + (f" per {plain(b['per'])}" if b["per"] is not None else "") + " " + _signed(draw, b["rate"])
                 for b in rule["bands"]]
        text = "measure % " + ", ".join(bands)
    else:
        word = "at least" if rule["dir"] == "least" else "at most"
        text = "measure 位 tiers " + ", ".join(f"{word} {plain(t['t'])} {_signed(draw, t['rate'])}" for t in rule["tiers"])
    if clause["of"] is not None:
        text += f" of {clause['of']}"
    if clause["cap"] is not None:
        text += f" cap {plain(clause['cap'])}"
    return text


@st.composite
def l2_source(draw: st.DrawFn, desc: dict[str, Any]) -> str:
    """The rubric source text of a description (the spelling of signs and zeros varies)."""
    lines = [f'rubric "随机考评二" points {plain(desc["points"])}']
    for name in desc["rules"]:
        lines.append(f'  rule {name} "规则 {name}"')

    def clause_lines(indent: str, clauses: list[dict[str, Any]]) -> None:
        for c in clauses:
            lines.append(f'{indent}{c["id"]} "考评标准 {c["id"]}" {draw(_rule_text(c))}')

    def part(indent: str, p: dict[str, Any]) -> None:
        head = f'{indent}{p["kind"]} {p["id"]}'
        if p["kind"] != "item":
            head += f' "{p["kind"]} {p["id"]}"'
        head += f' points {plain(p["points"])}'
        if p.get("earned"):
            head += " earned"
        if p["cap"] is not None:
            head += f' cap {plain(p["cap"])}'
        lines.append(head)
        if p["kind"] == "item":
            lines.append(f'{indent}  text "具体内容 {p["id"]}"')
        clause_lines(indent + "  ", p["clauses"])
        for child in p["children"]:
            part(indent + "  ", child)

    for section in desc["sections"]:
        part("", section)
    for g in desc["groups"]:
        head = "adjustments" + (f" {g['id']}" if g["id"] else "") + f' "调整 {g["id"] or ""}"'
        if g["cap"] is not None:
            head += f" cap {plain(g['cap'])}"
        lines.append(head)
        if draw(st.booleans()):
            lines.append('  text "说明"')
        clause_lines("  ", g["clauses"])
    if desc["grades"]:
        lines.append('grades "考核结果"')
        for gr in desc["grades"]:
            if gr["lo"] is not None and gr["hi"] is not None:
                band = f"from {plain(gr['lo'])} to {plain(gr['hi'])}"
            elif gr["lo"] is not None:
                band = f"at least {plain(gr['lo'])}"
            else:
                band = f"at most {plain(gr['hi'])}"
            lines.append(f'  {gr["name"]} "等次 {gr["name"]}" {band}')
    if desc["vetoes"]:
        lines.append('vetoes "否决项"')
        for v in desc["vetoes"]:
            lines.append(f'  {v["id"]} "一票否决 {v["id"]}" veto {v["grade"]}')
    return "\n".join(lines) + "\n"


def l2_clause_table(desc: dict[str, Any]) -> list[tuple[dict[str, Any], str, dict[str, Any] | None]]:
    """Every clause in rubric order, with where it sits (item, part, group, veto) and its item (or None)."""
    out: list[tuple[dict[str, Any], str, dict[str, Any] | None]] = []

    def walk(p: dict[str, Any]) -> None:
        for c in p["clauses"]:
            out.append((c, "item" if p["kind"] == "item" else "part", p if p["kind"] == "item" else None))
        for child in p["children"]:
            walk(child)

    for s in desc["sections"]:
        walk(s)
    for g in desc["groups"]:
        for c in g["clauses"]:
            out.append((c, "group", None))
    for v in desc["vetoes"]:
        out.append(({"id": v["id"], "rule": {"form": "veto"}, "cap": None, "of": None}, "veto", None))
    return out


def _amount_between(draw: st.DrawFn, lo: Decimal, hi: Decimal) -> str:
    """A quarter-grid amount in [lo, hi] (magnitudes), the ends drawn often."""
    choice = draw(st.integers(0, 3))
    if choice == 0 or lo == hi:
        return plain(lo)
    if choice == 1:
        return plain(hi)
    k = draw(st.integers(int(lo * 4), int(hi * 4)))
    return plain(Decimal(k) / 4)


@st.composite
def _measured_value(draw: st.DrawFn, rule: dict[str, Any]) -> Any:
    marks = [b["t"] for b in rule["bands"]] if rule["form"] == "bands" else [t["t"] for t in rule["tiers"]]
    mark = draw(st.sampled_from(marks))
    delta = draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("0.25"), Decimal("-0.25"), Decimal("0.5"), Decimal("-0.5"),
                                  Decimal(1), Decimal(-1), Decimal("-2.4"), Decimal("2.4"), Decimal("-3.75"), Decimal(7), Decimal(-7),
                                  Decimal("-11.5"), Decimal("0.01"), Decimal("-0.01")]))
    value = mark + delta
    # a number or a decimal string, both read exactly
    return int(value) if value == value.to_integral_value() and draw(st.booleans()) else plain(value)


@st.composite
def l2_findings(draw: st.DrawFn, desc: dict[str, Any], max_clauses: int = 8) -> list[dict[str, Any]]:
    """A random VALID findings list for a description: amounts within bounds, declared levels, values around the
    thresholds (exactly at one, often), case ids shared across deduction clauses (注1, replacement)."""
    table = l2_clause_table(desc)
    if not table:
        return []
    chosen = draw(st.lists(st.sampled_from(range(len(table))), unique=True, max_size=max_clauses))
    findings: list[dict[str, Any]] = []
    for index in chosen:
        clause, where, item = table[index]
        rule = clause["rule"]
        form = rule["form"]
        cid = clause["id"]
        free = list(L2_CASES)
        # cases only on deductions in items and parts: awards, adjustments and vetoes refuse them
        casey = where in ("item", "part") and form not in ("bands", "tiers") and _sign_of(rule) < 0
        budget = clause["of"] if clause["of"] is not None else 4

        def take_case(casey: bool = casey, free: list[str] = free) -> list[str] | None:
            if casey and free and draw(st.integers(0, 2)):
                case = draw(st.sampled_from(free))
                free.remove(case)
                return [case]
            return None

        if form == "veto":
            findings.append({"clause": cid, "count": draw(st.integers(0, 2))})
        elif form in ("bands", "tiers"):
            findings.append({"clause": cid, "value": draw(_measured_value(rule))})
        elif form == "discretionary":
            for _ in range(draw(st.integers(1, 2))):
                f: dict[str, Any] = {"clause": cid, "amount": _amount_between(draw, Decimal(0), item["points"] if item else Decimal(0)),
                                     "reason": "酌情"}
                cases = take_case()
                if cases:
                    f["cases"] = cases
                findings.append(f)
        elif form == "range" and rule["mode"] == "once":
            f = {"clause": cid, "amount": _amount_between(draw, abs(rule["lo"]), abs(rule["hi"])), "reason": "视情节"}
            cases = take_case()
            if cases:
                f["cases"] = cases
            elif draw(st.booleans()):
                f["count"] = 1
            findings.append(f)
        elif form == "range":
            for _ in range(draw(st.integers(1, 2))):
                cases = take_case()
                count = 1 if cases else draw(st.integers(0, min(budget, 3)))
                if count > budget:
                    break
                budget -= count
                f = {"clause": cid, "amount": _amount_between(draw, abs(rule["lo"]) * count, abs(rule["hi"]) * count), "reason": "视情节"}
                f.update({"cases": cases} if cases else {"count": count})
                findings.append(f)
        elif form in ("once", "each"):
            for _ in range(draw(st.integers(1, 2))):
                cases = take_case()
                if cases and draw(st.booleans()) and free and budget >= 2:
                    more = draw(st.sampled_from(free))
                    free.remove(more)
                    cases.append(more)
                count = len(cases) if cases else draw(st.integers(0, min(budget, 3)))
                if count > budget:
                    break
                budget -= count
                f = {"clause": cid}
                f.update({"cases": cases} if cases else {"count": count})
                findings.append(f)
        else:  # levels
            level_casey = casey and all((lv.get("rate", lv.get("hi"))) < 0 for lv in rule["levels"])
            for _ in range(draw(st.integers(1, 3))):
                if budget < 1:
                    break
                level = draw(st.sampled_from(rule["levels"]))
                cases = take_case() if level_casey else None
                if "rate" in level:
                    count = len(cases) if cases else draw(st.integers(0 if rule["mode"] == "each" else 1, min(budget, 2)))
                else:
                    count = 1 if cases or rule["mode"] == "once" else draw(st.integers(1, 2))
                if count > budget:
                    break
                budget -= count
                f = {"clause": cid, "level": level["name"]}
                f.update({"cases": cases} if cases else {"count": count})
                if "rate" not in level:
                    f.update(amount=_amount_between(draw, abs(level["lo"]) * count, abs(level["hi"]) * count), reason="视情节")
                findings.append(f)
    return list(draw(st.permutations(findings)))


@st.composite
def l2_cases(draw: st.DrawFn, units: int = 1) -> tuple[dict[str, Any], str, list[list[dict[str, Any]]]]:
    """A description, its source text and ``units`` random valid findings lists for it."""
    desc = draw(l2_descriptions())
    return desc, draw(l2_source(desc)), [draw(l2_findings(desc)) for _ in range(units)]

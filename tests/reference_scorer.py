"""Independent reference implementation of the scoring contract (scoring.md §3)
for the seed rubric (seed-clauses.md).

Written from the two spec documents only, without reading the library, to
cross-check it.  Plain Python, stdlib only, exact Decimal arithmetic
throughout.  It scores VALID input only: nothing is validated here.

Readings of the contract chosen where its text leaves room (see also the
comments in ``score``):

* A finding's effective count is its ``count`` if given, else ``len(cases)``
  (valid input has them equal when both are given).  Removing a case lowers
  the effective count by one for ``each`` and ``once`` findings alike; a
  ``once`` finding applies while its effective count is >= 1, which for a
  finding with cases is exactly "while one of its cases is left".
* A ``once`` clause deducts its rate once if at least one of its findings
  still applies after step 2.
* Replacement (2a) runs to completion before 注1 (2b); 注1 only sees the
  occurrences of a case that are still present after replacement.  A
  replacing discretionary finding that later loses its case under 注1 has
  already done its replacing.
* In 注1 the "value" of an occurrence is the clause's nominal rate
  (``each``/``once``) or that finding's amount (``discretionary``); ties go to
  the clause that comes first in rubric order.  The winning occurrence keeps
  the case; every other occurrence loses it.
* 注1 applies to every case id, on any clause, across items.
"""

from decimal import Decimal

D = Decimal

RUBRIC_POINTS = D(100)

# section id -> points
SECTIONS = {
    "S0": D(5),
    "S1": D(25),
    "S2": D(30),
    "S3": D(25),
    "S4": D(15),
}

# topic id -> (section id, points)
TOPICS = {
    "1": ("S1", D(8)),
    "2": ("S1", D(5)),
    "3": ("S1", D(6)),
    "4": ("S1", D(6)),
    "5": ("S2", D(11)),
    "6": ("S2", D(12)),
    "7": ("S2", D(7)),
    "8": ("S3", D(7)),
    "9": ("S3", D(4)),
    "10": ("S3", D(5)),
    "11": ("S3", D(9)),
    "12": ("S4", D(4)),
    "13": ("S4", D(4)),
    "14": ("S4", D(4)),
    "15": ("S4", D(3)),
}


def _each(cid, rate, of=None):
    return (cid, "each", D(rate), of, ())


def _once(cid, rate):
    return (cid, "once", D(rate), None, ())


def _disc(cid, replaces=()):
    return (cid, "discretionary", None, None, tuple(replaces))


# The seed rubric, in rubric order.
# Each item: (item id, points, section id, topic id or None, clauses)
# Each clause: (clause id, kind, rate or None, of or None, replaces tuple)
SEED = (
    # S0 强化组织领导 (5) -- no topic level
    ("0.1", D(2), "S0", None, (_each("0.1a", "0.5", 3),)),
    ("0.2", D(2), "S0", None, (_each("0.2a", "1", 2),)),
    ("0.3", D(1), "S0", None, (_each("0.3a", "0.5", 2),)),
    # S1 突出政治引领 (25)
    # topic 1 (8)
    ("1.1", D(2), "S1", "1", (_once("1.1a", "1"), _each("1.1b", "0.5", 2))),
    ("1.2", D(2), "S1", "1", (_each("1.2a", "1", 2),)),
    ("1.3", D(2), "S1", "1", (_each("1.3a", "0.5"), _once("1.3b", "0.5"))),
    ("1.4", D(2), "S1", "1", (_once("1.4a", "1"), _once("1.4b", "1"))),
    # topic 2 (5)
    ("2.1", D(3), "S1", "2", (_once("2.1a", "2"), _once("2.1b", "1"))),
    ("2.2", D(2), "S1", "2", (_each("2.2a", "1"),)),
    # topic 3 (6)
    ("3.1", D(2), "S1", "3", (_each("3.1a", "1", 2),)),
    ("3.2", D(3), "S1", "3", (_each("3.2a", "1"),)),
    ("3.3", D(1), "S1", "3", (_each("3.3a", "0.5", 2),)),
    # topic 4 (6)
    ("4.1", D(3), "S1", "4", (_each("4.1a", "0.5", 3), _each("4.1b", "0.5", 3))),
    ("4.2", D(1), "S1", "4", (_once("4.2a", "0.5"), _once("4.2b", "0.5"))),
    ("4.3", D(1), "S1", "4", (_once("4.3a", "0.5"), _once("4.3b", "0.5"))),
    ("4.4", D(1), "S1", "4", (_each("4.4a", "0.5"),)),
    # S2 规范权力运行 (30)
    # topic 5 (11)
    ("5.1", D(2), "S2", "5", (_each("5.1a", "0.5"),)),
    ("5.2", D(2), "S2", "5", (_once("5.2a", "0.5"), _once("5.2b", "1"), _each("5.2c", "0.5"))),
    ("5.3", D(3), "S2", "5", (_once("5.3a", "2"), _each("5.3b", "0.5"))),
    ("5.4", D(2), "S2", "5", (_once("5.4a", "1"), _once("5.4b", "1"))),
    ("5.5", D(2), "S2", "5", (_each("5.5a", "0.5"),)),
    # topic 6 (12)
    ("6.1", D(10), "S2", "6", (
        _once("6.1a", "10"),
        _each("6.1b", "1"),
        _each("6.1c", "2"),
        _each("6.1d", "5"),
        _each("6.1e", "0.5"),
        _each("6.1f", "1"),
        _each("6.1g", "2"),
        _disc("6.1h", ("6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g")),
        _once("6.1i", "1"),
    )),
    ("6.2", D(1), "S2", "6", (_once("6.2a", "1"), _once("6.2b", "0.5"))),
    ("6.3", D(1), "S2", "6", (_once("6.3a", "1"),)),
    # topic 7 (7)
    ("7.1", D(2), "S2", "7", (_each("7.1a", "0.5"), _each("7.1b", "1"))),
    ("7.2", D(1), "S2", "7", (_once("7.2a", "1"), _each("7.2b", "0.5"))),
    ("7.3", D(1), "S2", "7", (_each("7.3a", "1"),)),
    ("7.4", D(2), "S2", "7", (_once("7.4a", "1"), _once("7.4b", "2"))),
    ("7.5", D(1), "S2", "7", (_each("7.5a", "1"),)),
    # S3 强化监督管理 (25)
    # topic 8 (7)
    ("8.1", D(2), "S3", "8", (_once("8.1a", "2"),)),
    ("8.2", D(1), "S3", "8", (_each("8.2a", "0.5"),)),
    ("8.3", D(1), "S3", "8", (_each("8.3a", "0.5", 3),)),
    ("8.4", D(1), "S3", "8", (_once("8.4a", "1"), _once("8.4b", "0.5"))),
    ("8.5", D(1), "S3", "8", (_each("8.5a", "0.5"),)),
    ("8.6", D(1), "S3", "8", (_once("8.6a", "0.5"), _once("8.6b", "0.5"))),
    # topic 9 (4)
    ("9.1", D(2), "S3", "9", (_each("9.1a", "0.5"),)),
    ("9.2", D(1), "S3", "9", (_each("9.2a", "0.5"),)),
    ("9.3", D(1), "S3", "9", (_once("9.3a", "0.5"), _each("9.3b", "0.5", 2))),
    # topic 10 (5)
    ("10.1", D(3), "S3", "10", (_once("10.1a", "1"), _once("10.1b", "2"))),
    ("10.2", D(2), "S3", "10", (_once("10.2a", "2"), _each("10.2b", "1"))),
    # topic 11 (9)
    ("11.1", D(2), "S3", "11", (_once("11.1a", "1.5"), _once("11.1b", "0.5"))),
    ("11.2", D(2), "S3", "11", (_once("11.2a", "1"), _once("11.2b", "1"))),
    ("11.3", D(3), "S3", "11", (_each("11.3a", "1"), _once("11.3b", "0.5"))),
    ("11.4", D(2), "S3", "11", (_each("11.4a", "0.5"), _once("11.4b", "2"))),
    # S4 树立崇廉导向 (15)
    # topic 12 (4)
    ("12.1", D(2), "S4", "12", (_once("12.1a", "1"), _once("12.1b", "1"))),
    ("12.2", D(1), "S4", "12", (_once("12.2a", "1"),)),
    ("12.3", D(1), "S4", "12", (_once("12.3a", "1"),)),
    # topic 13 (4)
    ("13.1", D(2), "S4", "13", (_once("13.1a", "2"),)),
    ("13.2", D(2), "S4", "13", (_each("13.2a", "2"),)),
    # topic 14 (4)
    ("14.1", D(2), "S4", "14", (_once("14.1a", "1"), _once("14.1b", "1"))),
    ("14.2", D(2), "S4", "14", (_once("14.2a", "1"), _once("14.2b", "1"))),
    # topic 15 (3)
    ("15.1", D(2), "S4", "15", (_once("15.1a", "2"), _each("15.1b", "1"))),
    ("15.2", D(1), "S4", "15", (_once("15.2a", "1"),)),
)

# Adjustments: clause id -> signed rate per count (no cap).
ADJUSTMENTS = {
    "A1": D("1"),
    "A2": D("-1"),
    "A3": D("0.5"),
    "A4": D("-0.5"),
    "A5": D("1"),
    "A6": D("-1"),
    "A7": D("0.5"),
    "A8": D("-0.5"),
}

# Derived lookups.
ITEMS = {item[0]: item for item in SEED}
# clause id -> (item id, kind, rate, of, replaces, rubric order index)
CLAUSES = {}
for _item_id, _pts, _sid, _tid, _clauses in SEED:
    for _cid, _kind, _rate, _of, _repl in _clauses:
        CLAUSES[_cid] = (_item_id, _kind, _rate, _of, _repl, len(CLAUSES))
CLAUSE_IDS = tuple(CLAUSES)  # rubric order


def score(unit):
    """Score one VALID unit of the seed rubric (scoring.md §3)."""
    # Normalise the deduction findings into mutable records; sum adjustments.
    recs = []
    adjustments = D(0)
    for f in unit.get("findings", []):
        cid = f["clause"]
        if cid in ADJUSTMENTS:
            adjustments += ADJUSTMENTS[cid] * int(f["count"])
            continue
        kind = CLAUSES[cid][1]
        cases = list(f.get("cases") or [])
        rec = {"clause": cid, "kind": kind, "cases": cases, "dropped": False}
        if kind == "discretionary":
            rec["amount"] = D(str(f["amount"]))
        else:
            rec["count"] = int(f["count"]) if "count" in f else len(cases)
        recs.append(rec)

    def remove(rec, case):
        rec["cases"].remove(case)
        if rec["kind"] == "discretionary":
            rec["dropped"] = True
        else:
            # each: count drops by one; once: applies while count >= 1, i.e.
            # while any of its cases is left.
            rec["count"] -= 1

    # 2a. Replacement: a case named on a replacing discretionary finding is
    # removed from the findings of the clauses it replaces.
    for rec in recs:
        replaces = CLAUSES[rec["clause"]][4]
        if rec["kind"] != "discretionary" or not replaces:
            continue
        for case in list(rec["cases"]):
            for other in recs:
                if other["clause"] in replaces and case in other["cases"]:
                    remove(other, case)

    # 2b. 注1: a case on findings of two or more different clauses is kept
    # only where its value is highest (nominal rate, or the finding's
    # amount for discretionary); ties to the clause first in rubric order.
    def value(rec):
        if rec["kind"] == "discretionary":
            return rec["amount"]
        return CLAUSES[rec["clause"]][2]

    all_cases = []
    for rec in recs:
        for case in rec["cases"]:
            if case not in all_cases:
                all_cases.append(case)
    for case in all_cases:
        holders = [r for r in recs if not r["dropped"] and case in r["cases"]]
        if len({r["clause"] for r in holders}) < 2:
            continue
        best = max(holders, key=lambda r: (value(r), -CLAUSES[r["clause"]][5]))
        for r in holders:
            if r is not best:
                remove(r, case)

    # 1 (after 2). Clause deductions.  (3: the seed declares no clause caps.)
    clause_ded = {}
    once_applies = set()
    for rec in recs:
        cid = rec["clause"]
        if rec["kind"] == "each":
            clause_ded[cid] = clause_ded.get(cid, D(0)) + CLAUSES[cid][2] * rec["count"]
        elif rec["kind"] == "once":
            if rec["count"] >= 1:
                once_applies.add(cid)
        elif not rec["dropped"]:
            clause_ded[cid] = clause_ded.get(cid, D(0)) + rec["amount"]
    for cid in once_applies:
        clause_ded[cid] = CLAUSES[cid][2]

    # 4. 注2: item deduction = sum of its clauses', at most its points.
    items = {}
    for item_id, pts, _sid, _tid, clauses in SEED:
        total = sum((clause_ded.get(c[0], D(0)) for c in clauses), D(0))
        items[item_id] = min(total, pts)

    # 5. Roll-up.
    sec_ded = {sid: D(0) for sid in SECTIONS}
    top_ded = {tid: D(0) for tid in TOPICS}
    for item_id, _pts, sid, tid, _clauses in SEED:
        sec_ded[sid] += items[item_id]
        if tid is not None:
            top_ded[tid] += items[item_id]
    deductions = sum(items.values(), D(0))

    # 6. Adjustments and total.
    return {
        "total": RUBRIC_POINTS - deductions + adjustments,
        "deductions": deductions,
        "adjustments": adjustments,
        "items": items,
        "sections": {sid: SECTIONS[sid] - sec_ded[sid] for sid in SECTIONS},
        "topics": {tid: TOPICS[tid][1] - top_ded[tid] for tid in TOPICS},
    }


# ===========================================================================
# Language 2 (docs/language.md and docs/scoring.md, with qlrules' choices), for any
# rubric given as a plain description (see tests/strategies.py: the
# description format is documented there).  Independent of qlrules: it
# reads the description, never the source text.  VALID input only.
#
# Readings (qlrules' choices where the language leaves room, as the docs write them):
# * per clause, a signed amount: once fixed = rate if a finding counts >= 1;
#   each fixed = rate x count; range = the findings' amounts (magnitudes,
#   with the clause's sign); levels each = each finding at its own level;
#   levels once = the applying finding whose amount is largest in
#   magnitude (ties: the level declared first); measure bands progressive
#   (whole steps between a band's threshold and the next one's), no-per
#   bands: each passed threshold adds its rate; strictly past; tiers: the
#   first tier (written order) that holds, inclusive.  Then the clause cap
#   (magnitude).
# * replacement before 注1; 注1 value = the fixed rate, a level's rate, or
#   the finding's amount (range, range level, discretionary); ties to the
#   clause first in rubric order (textual: a part's own clauses before its
#   topics/items).  Taking a case away: count - 1, or the finding is dropped
#   when it carries an amount.
# * full item: points + net, at most points, at least points - bound
#   (bound = own cap, else points under item-cap, else none); earned item:
#   net clamped to 0..points.  Topic/section: points - what its parts lost
#   + its own clauses' (negative) amounts, at least points - cap; no upper
#   clamp.  Group: sum of capped adjustments, |total| <= cap.  Total =
#   rubric points - sum of section losses + sum of group totals.
# * grade: first band (best first) with lo <= total <= hi; vetoes with a
#   count >= 1 apply; the lowest (latest declared) of the vetoes' grades and
#   the total's grade; gap and no veto: None.
# ===========================================================================


def _l2_sign(rule):
    form = rule["form"]
    if form == "discretionary":
        return -1
    if form in ("once", "each"):
        return 1 if rule["rate"] > 0 else -1
    if form == "range":
        return 1 if rule["hi"] > 0 else -1
    raise ValueError(form)


def _l2_clauses(desc):
    """clause id -> (clause, where, item or None, rubric order)"""
    table = {}

    def walk(part):
        for c in part["clauses"]:
            table[c["id"]] = (c, "item" if part["kind"] == "item" else "part",
                              part if part["kind"] == "item" else None, len(table))
        for child in part["children"]:
            walk(child)

    for s in desc["sections"]:
        walk(s)
    for g in desc["groups"]:
        for c in g["clauses"]:
            table[c["id"]] = (c, "group", None, len(table))
    for v in desc["vetoes"]:
        table[v["id"]] = ({"id": v["id"], "rule": {"form": "veto", "grade": v["grade"]}, "cap": None, "of": None},
                          "veto", None, len(table))
    return table


def _level(rule, name):
    for n, lv in enumerate(rule["levels"]):
        if lv["name"] == name:
            return n, lv
    raise KeyError(name)


def _measure(rule, value):
    amount = D(0)
    if rule["form"] == "tiers":
        for t in rule["tiers"]:
            if (value >= t["t"]) if rule["dir"] == "least" else (value <= t["t"]):
                return t["rate"]
        return amount
    bands = rule["bands"]
    below = rule["dir"] == "below"
    for i, b in enumerate(bands):
        t = b["t"]
        nxt = bands[i + 1]["t"] if i + 1 < len(bands) else None
        if not (value < t if below else value > t):
            continue
        if b["per"] is None:
            amount += b["rate"]
            continue
        if below:
            span = t - (value if nxt is None else max(value, nxt))
        else:
            span = (value if nxt is None else min(value, nxt)) - t
        amount += b["rate"] * (span // b["per"])
    return amount


def _capped(amount, cap):
    if cap is None or abs(amount) <= cap:
        return amount
    return cap if amount > 0 else -cap


def score_l2(desc, unit):
    """Score one VALID unit against a language-2 description.

    Returns {"total", "items": {id: score}, "topics": {id: score},
    "sections": {id: score}, "groups": [total, ...] (rubric order),
    "adjustments", "grade", "vetoes": [ids in rubric order]}.
    """
    table = _l2_clauses(desc)
    recs = []
    for f in unit.get("findings", []):
        clause, where, item, order = table[f["clause"]]
        rule = clause["rule"]
        cases = list(f.get("cases") or [])
        count = int(f["count"]) if "count" in f else (len(cases) if cases else 1)
        rec = {"clause": f["clause"], "rule": rule, "order": order, "cases": cases, "count": count,
               "amount": D(str(f["amount"])) if "amount" in f else None,
               "level": f.get("level"), "value": D(str(f["value"])) if "value" in f else None,
               "dropped": False}
        if "count" not in f and not cases and rule["form"] in ("once", "each"):
            rec["count"] = 0  # not valid input; never generated
        recs.append(rec)

    def remove(rec, case):
        rec["cases"].remove(case)
        if rec["amount"] is not None:
            rec["dropped"] = True
        else:
            rec["count"] -= 1

    # 2a. replacement
    for rec in recs:
        rule = rec["rule"]
        if rule["form"] != "discretionary" or not rule["replaces"] or rec["dropped"]:
            continue
        for case in list(rec["cases"]):
            for other in recs:
                if other["clause"] in rule["replaces"] and case in other["cases"] and not other["dropped"]:
                    remove(other, case)

    # 2b. 注1
    def value(rec):
        rule = rec["rule"]
        if rec["amount"] is not None:
            return rec["amount"]
        if rule["form"] == "levels":
            return abs(_level(rule, rec["level"])[1]["rate"])
        return abs(rule["rate"])

    if "highest-per-case" in desc["rules"]:
        seen = []
        for rec in recs:
            for case in rec["cases"]:
                if case not in seen:
                    seen.append(case)
        for case in seen:
            holders = [r for r in recs if not r["dropped"] and case in r["cases"]]
            if len({r["clause"] for r in holders}) < 2:
                continue
            best = max(holders, key=lambda r: (value(r), -r["order"]))
            for r in holders:
                if r is not best:
                    remove(r, case)

    # 1. per clause signed amounts, then 3. clause caps
    by_clause = {}
    for rec in recs:
        by_clause.setdefault(rec["clause"], []).append(rec)
    amounts = {}
    vetoed = []
    for cid, (clause, where, item, order) in table.items():
        rs = [r for r in by_clause.get(cid, []) if not r["dropped"]]
        rule = clause["rule"]
        form = rule["form"]
        amount = D(0)
        if form == "veto":
            if sum(r["count"] for r in rs) >= 1:
                vetoed.append(cid)
            continue
        if form == "once":
            if any(r["count"] >= 1 for r in rs):
                amount = rule["rate"]
        elif form == "each":
            amount = rule["rate"] * sum(r["count"] for r in rs)
        elif form in ("range", "discretionary"):
            amount = _l2_sign(rule) * sum((r["amount"] for r in rs), D(0))
        elif form == "levels":
            worth = []  # (signed amount, level index)
            for r in rs:
                n, lv = _level(rule, r["level"])
                if "rate" in lv:
                    if r["count"] >= 1 or rule["mode"] == "each":
                        worth.append((lv["rate"] * (r["count"] if rule["mode"] == "each" else 1), n))
                else:
                    sign = 1 if lv["hi"] > 0 else -1
                    if r["count"] >= 1:
                        worth.append((sign * r["amount"], n))
            if rule["mode"] == "each":
                amount = sum((w for w, _ in worth), D(0))
            elif worth:
                amount = min(worth, key=lambda w: (-abs(w[0]), w[1]))[0]
        else:  # measure
            if rs:
                amount = _measure(rule, rs[0]["value"])
        amounts[cid] = _capped(amount, clause["cap"])

    items, topics, sections = {}, {}, {}
    item_cap = "item-cap" in desc["rules"]

    def walk(part):
        """the part's score"""
        if part["kind"] == "item":
            net = sum((amounts[c["id"]] for c in part["clauses"]), D(0))
            pts = part["points"]
            if part["earned"]:
                s = min(max(net, D(0)), pts)
            else:
                s = min(pts + net, pts)
                bound = part["cap"] if part["cap"] is not None else (pts if item_cap else None)
                if bound is not None:
                    s = max(s, pts - bound)
            items[part["id"]] = s
            return s
        lost = sum((child["points"] - walk(child) for child in part["children"]), D(0))
        own = sum((amounts[c["id"]] for c in part["clauses"]), D(0))
        s = part["points"] - lost + own
        if part["cap"] is not None:
            s = max(s, part["points"] - part["cap"])
        (topics if part["kind"] == "topic" else sections)[part["id"]] = s
        return s

    for sec in desc["sections"]:
        walk(sec)
    # walk() fills topics before their section: put every dict in rubric order
    groups = []
    for g in desc["groups"]:
        t = sum((amounts[c["id"]] for c in g["clauses"]), D(0))
        groups.append(_capped(t, g["cap"]))
    adjustments = sum(groups, D(0))
    total = desc["points"] - sum((s["points"] - sections[s["id"]] for s in desc["sections"]), D(0)) + adjustments

    grade = None
    names = [g["name"] for g in desc["grades"]]
    ranks = []
    for n, g in enumerate(desc["grades"]):
        if (g["lo"] is None or g["lo"] <= total) and (g["hi"] is None or total <= g["hi"]):
            ranks.append(n)
            break
    for cid in vetoed:
        ranks.append(names.index(table[cid][0]["rule"]["grade"]))
    if ranks:
        grade = names[max(ranks)]
    return {"total": total, "items": items, "topics": topics, "sections": sections, "groups": groups,
            "adjustments": adjustments, "grade": grade, "vetoes": vetoed}

"""Cross-check the qlrules library against the independent reference scorer.

* ``test_agreement_with_reference`` generates random VALID units for the seed
  rubric with Hypothesis and requires the library's report to agree with
  ``reference_scorer.score`` on the total, deductions, adjustments and every
  item, topic and section.  It imports qlrules inside the test so that the
  reference-only tests below run even before the library exists.
* The ``test_reference_*`` tests check the reference scorer itself on small
  cases worked out by hand; they never import qlrules.
"""

import copy
import functools
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_scorer import (  # noqa: E402
    ADJUSTMENTS,
    CLAUSE_IDS,
    CLAUSES,
    ITEMS,
    RUBRIC_POINTS,
    SECTIONS,
    SEED,
    TOPICS,
    score,
    score_l2,
)

D = Decimal

# --------------------------------------------------------------------------
# Strategy: random VALID units for the seed rubric
# --------------------------------------------------------------------------

POOL = ["C1", "C2", "C3", "C4"]

# Clauses that carry case ids in practice (党员干部违纪违法案件 and friends),
# drawn often so that the same case lands on several clauses: that is what
# exercises 注1 and 6.1h's replacement.  6.1a (once 10, fills item 6.1 on its
# own) is left to the general draw so it does not mask everything else in 6.1.
HOT = [
    "6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g", "6.1h", "6.1h", "6.1i",
    "11.4a", "11.4b", "7.5a", "13.2a", "10.2b", "6.3a", "0.1a", "8.3a",
]
REPLACED = ["6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g"]
REASONS = ["主动报告线索,从轻扣分", "自查发现", "查处问题,酌情扣分"]
EVIDENCE = ["省委办公厅通报 2024-3号", "市纪委函 2024-17号"]


def _maybe_evidence(draw, finding):
    if draw(st.integers(0, 4)) == 0:
        finding["evidence"] = draw(st.sampled_from(EVIDENCE))
    return finding


@st.composite
def units(draw):
    # Half the time, start from 6.1h plus clauses it replaces (and maybe
    # 11.4b), so that replacement followed by 注1 is exercised often.
    chosen = []
    if draw(st.booleans()):
        chosen = ["6.1h"] + draw(
            st.lists(st.sampled_from(REPLACED), unique=True, min_size=1, max_size=3))
        if draw(st.booleans()):
            chosen.append("11.4b")
    for cid in draw(st.lists(
            st.one_of(st.sampled_from(HOT), st.sampled_from(CLAUSE_IDS)),
            max_size=8)):
        if cid not in chosen:
            chosen.append(cid)
    findings = []
    for cid in chosen:
        _item, kind, _rate, of, _repl, _order = CLAUSES[cid]
        used = []  # case ids already on this clause (no case twice per clause)
        total = 0  # counts on this clause so far (must stay <= of)
        for _ in range(draw(st.integers(1, 3))):
            free = [c for c in POOL if c not in used]
            if kind == "discretionary":
                amount = D(draw(st.integers(0, 20))) / 2  # 0, 0.5, ..., 10
                f = {"clause": cid, "amount": str(amount),
                     "reason": draw(st.sampled_from(REASONS))}
                if free and draw(st.integers(0, 3)) > 0:
                    case = draw(st.sampled_from(free))
                    f["cases"] = [case]
                    used.append(case)
                findings.append(_maybe_evidence(draw, f))
                continue
            room = (of - total) if of is not None else 4
            if draw(st.booleans()):
                count = draw(st.integers(0, room))
                f = {"clause": cid, "count": count}
            else:
                m = min(room, len(free))
                cases = (
                    draw(st.lists(st.sampled_from(free), unique=True, max_size=m))
                    if m > 0 else []
                )
                count = len(cases)
                used.extend(cases)
                f = {"clause": cid, "cases": cases}
                if draw(st.booleans()):
                    f["count"] = count
            total += count
            findings.append(_maybe_evidence(draw, f))
    for aid in draw(st.lists(st.sampled_from(sorted(ADJUSTMENTS)), max_size=4)):
        findings.append(_maybe_evidence(
            draw, {"clause": aid, "count": draw(st.integers(0, 3))}))
    findings = draw(st.permutations(findings))
    return {"unit": "单位%d" % draw(st.integers(1, 50)), "findings": list(findings)}


# --------------------------------------------------------------------------
# Agreement with the library
# --------------------------------------------------------------------------


@functools.cache
def _seed_rubric():
    import qlrules

    return qlrules.load_rubric()


def _dec(x):
    return D(str(x))


@settings(max_examples=300, deadline=None)
@given(unit=units())
def test_agreement_with_reference(unit):
    import qlrules  # noqa: F401  (here, not at module top: see module doc)

    ref = score(copy.deepcopy(unit))
    note("reference: %r" % (ref,))
    report = _seed_rubric().score(copy.deepcopy(unit))

    assert isinstance(report.total, D)
    assert report.total == ref["total"]

    d = report.to_dict()
    note("library: %r" % (d,))
    assert _dec(d["total"]) == ref["total"]
    assert _dec(d["deductions"]) == ref["deductions"]
    assert _dec(d["adjustments"]) == ref["adjustments"]

    assert [e["id"] for e in d["items"]] == list(ref["items"])
    for e in d["items"]:
        assert _dec(e["deducted"]) == ref["items"][e["id"]], e["id"]
    assert [e["id"] for e in d["sections"]] == list(ref["sections"])
    for e in d["sections"]:
        assert _dec(e["score"]) == ref["sections"][e["id"]], e["id"]
    assert [e["id"] for e in d["topics"]] == list(ref["topics"])
    for e in d["topics"]:
        assert _dec(e["score"]) == ref["topics"][e["id"]], e["id"]


# --------------------------------------------------------------------------
# Language 2: random rubrics (a description + its source text) and units
# --------------------------------------------------------------------------

L2_UNITS = 5  # units scored per random rubric


@functools.lru_cache(maxsize=64)
def _compile(text):
    import qlrules

    return qlrules.compile_rubric(text, "random.qlr")


def _l2_library(rubric, findings):
    d = rubric.score({"unit": "单位", "findings": copy.deepcopy(findings)}).to_dict()
    return {
        "total": _dec(d["total"]),
        "items": {e["id"]: _dec(e["score"]) for e in d["items"]},
        "topics": {e["id"]: _dec(e["score"]) for e in d["topics"]},
        "sections": {e["id"]: _dec(e["score"]) for e in d["sections"]},
        "groups": [_dec(g["total"]) for g in d["adjustment_groups"]],
        "adjustments": _dec(d["adjustments"]),
        "grade": d["grade"],
        "vetoes": list(d["vetoes"]),
    }, d


def _l2_agree(desc, text, findings):
    ref = score_l2(desc, {"unit": "单位", "findings": copy.deepcopy(findings)})
    lib, full = _l2_library(_compile(text), findings)
    note("rubric:\n" + text)
    note(f"findings: {findings!r}")
    note(f"reference: {ref!r}")
    note(f"library: { {k: v for k, v in full.items() if k != 'trace'}!r}")
    # every part's score, in rubric order, then groups, total, grade and vetoes
    assert list(lib["items"].items()) == sorted(ref["items"].items(), key=lambda kv: list(lib["items"]).index(kv[0]))
    assert lib["items"] == ref["items"]
    assert lib["topics"] == ref["topics"]
    assert lib["sections"] == ref["sections"]
    assert lib["groups"] == ref["groups"]
    assert lib["adjustments"] == ref["adjustments"]
    assert lib["total"] == ref["total"]
    assert lib["grade"] == ref["grade"]
    assert lib["vetoes"] == ref["vetoes"]


@settings(deadline=None)
@given(data=st.data())
def test_l2_agreement_with_reference(data):
    """Language 2: the library agrees with the reference on random rubrics
    using every construct, L2_UNITS random valid units each."""
    from tests.strategies import l2_cases

    desc, text, units = data.draw(l2_cases(L2_UNITS))
    for findings in units:
        _l2_agree(desc, text, findings)


# --------------------------------------------------------------------------
# The reference scorer itself (no qlrules)
# --------------------------------------------------------------------------


def _unit(*findings):
    return {"unit": "单位1", "findings": list(findings)}


def test_reference_seed_table_is_consistent():
    # 5 + 25 + 30 + 25 + 15 = 100; every topic's items and every section's
    # topics/items add up to its points.
    assert sum(SECTIONS.values()) == RUBRIC_POINTS == 100
    for tid, (sid, pts) in TOPICS.items():
        assert sum(i[1] for i in SEED if i[3] == tid) == pts, tid
    for sid, pts in SECTIONS.items():
        assert sum(i[1] for i in SEED if i[2] == sid) == pts, sid
    assert [i[0] for i in SEED if i[3] is None] == ["0.1", "0.2", "0.3"]
    assert len(CLAUSE_IDS) == 89 and len(ITEMS) == 53 and len(ADJUSTMENTS) == 8
    assert score(_unit()) == {
        "total": D(100), "deductions": D(0), "adjustments": D(0),
        "items": {i: D(0) for i in ITEMS},
        "sections": dict(SECTIONS),
        "topics": {t: p for t, (_s, p) in TOPICS.items()},
    }


def test_reference_note1_tie_goes_first_in_rubric_order():
    """C1 on 6.1c (each, rate 2) and on 11.4b (once, rate 2).

    Values 2 vs 2: tie -> 6.1c comes first in rubric order and keeps C1.
    6.1c: 2 x 1 = 2; 11.4b: its only case removed -> stops applying = 0.
    deductions = 2; total = 100 - 2 = 98; topic 6 = 12 - 2 = 10;
    topic 11 = 9; S2 = 30 - 2 = 28; S3 = 25.
    """
    r = score(_unit({"clause": "11.4b", "cases": ["C1"]},
                    {"clause": "6.1c", "cases": ["C1"]}))
    assert r["items"]["6.1"] == 2 and r["items"]["11.4"] == 0
    assert r["deductions"] == 2 and r["total"] == 98
    assert r["topics"]["6"] == 10 and r["topics"]["11"] == 9
    assert r["sections"]["S2"] == 28 and r["sections"]["S3"] == 25


def test_reference_note1_winner_later_in_rubric():
    """C1 on 6.1b (each, rate 1) and on 11.4b (once, rate 2).

    2 > 1 -> C1 counts in 11.4b only.  6.1b: count 1 - 1 = 0 -> 0;
    11.4b: 2.  total = 100 - 2 = 98; topic 6 = 12; topic 11 = 9 - 2 = 7.
    """
    r = score(_unit({"clause": "6.1b", "cases": ["C1"]},
                    {"clause": "11.4b", "cases": ["C1"]}))
    assert r["items"]["6.1"] == 0 and r["items"]["11.4"] == 2
    assert r["total"] == 98
    assert r["topics"]["6"] == 12 and r["topics"]["11"] == 7


def test_reference_replacement():
    """C1 on 6.1d (each, rate 5) and on 6.1h (discretionary, amount 1.5).

    6.1h replaces 6.1b-6.1g for C1: 6.1d's count 1 - 1 = 0 -> 0.
    After replacement C1 is only on 6.1h, so 注1 has nothing to do.
    6.1 = 1.5; total = 100 - 1.5 = 98.5; topic 6 = 12 - 1.5 = 10.5.
    """
    r = score(_unit({"clause": "6.1d", "cases": ["C1"]},
                    {"clause": "6.1h", "amount": "1.5", "reason": "主动报告",
                     "cases": ["C1"]}))
    assert r["items"]["6.1"] == D("1.5")
    assert r["deductions"] == D("1.5") and r["total"] == D("98.5")
    assert r["topics"]["6"] == D("10.5") and r["sections"]["S2"] == D("28.5")


def test_reference_replacement_then_note1():
    """C1 on 6.1c (rate 2), on 6.1h (amount 1) and on 11.4b (once 2).

    2a: 6.1h replaces 6.1c for C1 -> 6.1c count 0.
    2b: C1 left on 6.1h (value 1) and 11.4b (value 2) -> 11.4b wins;
        the 6.1h finding loses its case and is dropped.
    6.1 = 0; 11.4 = 2; total = 100 - 2 = 98.
    """
    r = score(_unit({"clause": "6.1c", "cases": ["C1"]},
                    {"clause": "6.1h", "amount": 1, "reason": "自查",
                     "cases": ["C1"]},
                    {"clause": "11.4b", "cases": ["C1"]}))
    assert r["items"]["6.1"] == 0 and r["items"]["11.4"] == 2
    assert r["deductions"] == 2 and r["total"] == 98


def test_reference_note2_item_cap():
    """6.1d count 3: 5 x 3 = 15, capped by 注2 at item 6.1's 10 points.

    total = 100 - 10 = 90; topic 6 = 12 - 10 = 2; S2 = 30 - 10 = 20.
    """
    r = score(_unit({"clause": "6.1d", "count": 3}))
    assert r["items"]["6.1"] == 10
    assert r["deductions"] == 10 and r["total"] == 90
    assert r["topics"]["6"] == 2 and r["sections"]["S2"] == 20


def test_reference_once_survives_with_another_case():
    """11.4b with cases [C1, C2]; C1 also on 6.1d (rate 5).

    注1 for C1: 6.1d (5) beats 11.4b (2) -> C1 counts in 6.1d.
    11.4b still has C2 -> still deducts its flat 2.
    6.1 = 5 x 1 = 5; 11.4 = 2; deductions = 7; total = 93;
    topic 6 = 7; topic 11 = 7; S2 = 25; S3 = 23.
    """
    r = score(_unit({"clause": "11.4b", "cases": ["C1", "C2"]},
                    {"clause": "6.1d", "cases": ["C1"]}))
    assert r["items"]["6.1"] == 5 and r["items"]["11.4"] == 2
    assert r["deductions"] == 7 and r["total"] == 93
    assert r["topics"]["6"] == 7 and r["topics"]["11"] == 7
    assert r["sections"]["S2"] == 25 and r["sections"]["S3"] == 23


def test_reference_adjustments():
    """A1 count 2 (+1 each) and A4 count 1 (-0.5 each).

    adjustments = 2 x 1 + 1 x (-0.5) = 1.5; no deductions;
    total = 100 - 0 + 1.5 = 101.5 (no ceiling in the seed).
    """
    r = score(_unit({"clause": "A1", "count": 2},
                    {"clause": "A4", "count": 1, "evidence": "市委通报"}))
    assert r["adjustments"] == D("1.5") and r["deductions"] == 0
    assert r["total"] == D("101.5")
    assert all(v == 0 for v in r["items"].values())


@settings(max_examples=200, deadline=None)
@given(unit=units(), data=st.data())
def test_reference_invariants(unit, data):
    """scoring.md §3 invariants, on the reference itself: bounded items,
    order independence, exact roll-up."""
    r = score(copy.deepcopy(unit))
    for item_id, ded in r["items"].items():
        assert 0 <= ded <= ITEMS[item_id][1]
    shuffled = dict(unit, findings=data.draw(st.permutations(unit["findings"])))
    assert score(shuffled) == r
    assert r["total"] == RUBRIC_POINTS - r["deductions"] + r["adjustments"]
    assert sum(r["sections"].values()) == RUBRIC_POINTS - r["deductions"]


# --------------------------------------------------------------------------
# Language 2: the reference on cases worked out by hand (no qlrules)
# --------------------------------------------------------------------------


def _cl(cid, rule, cap=None, of=None):
    return {"id": cid, "rule": rule, "cap": cap, "of": of}


def _item(iid, points, clauses, earned=False, cap=None):
    return {"kind": "item", "id": iid, "points": D(points), "earned": earned, "cap": cap,
            "clauses": clauses, "children": []}


def _l2_desc(sections=(), groups=(), grades=(), vetoes=(), rules=()):
    return {"points": sum((s["points"] for s in sections), D(0)), "rules": list(rules),
            "sections": list(sections), "groups": list(groups), "grades": list(grades), "vetoes": list(vetoes)}


def _section(sid, children, cap=None, clauses=()):
    return {"kind": "section", "id": sid, "points": sum((c["points"] for c in children), D(0)), "cap": cap,
            "clauses": list(clauses), "children": list(children)}


MEASURE = {"form": "bands", "dir": "below", "bands": [
    {"t": D(96), "per": D(1), "rate": D("-0.25")}, {"t": D(90), "per": D(1), "rate": D("-0.5")}]}


def test_reference_l2_measures():
    """docs/language.md (measured values): 88 on below 96 per 1 −0.25, below 90 per 1 −0.5 → 6×0.25 + 2×0.5 = 2.5;
    93.6 → 2 whole steps = 0.5; exactly 96 → 0.  qlrules' choice: 85 on below 96 −1, below 90 −2 → 3.
    Tiers at least 10 −2, at least 5 −1: 10 → 2, 9.9 → 1, 4 → 0."""
    nper = {"form": "bands", "dir": "below", "bands": [
        {"t": D(96), "per": None, "rate": D(-1)}, {"t": D(90), "per": None, "rate": D(-2)}]}
    tiers = {"form": "tiers", "dir": "least", "tiers": [{"t": D(10), "rate": D(-2)}, {"t": D(5), "rate": D(-1)}]}
    desc = _l2_desc([_section("S1", [_item("1.1", 10, [_cl("1.1a", MEASURE), _cl("1.1b", nper), _cl("1.1c", tiers)])])])
    for value, ded in [("88", "2.5"), ("93.6", "0.5"), ("96", "0"), (95, "0.25")]:
        assert score_l2(desc, _unit({"clause": "1.1a", "value": value}))["items"]["1.1"] == 10 - D(ded)
    assert score_l2(desc, _unit({"clause": "1.1b", "value": "85"}))["total"] == 7
    assert score_l2(desc, _unit({"clause": "1.1b", "value": "90"}))["total"] == 9
    for value, ded in [("10", 2), ("9.9", 1), ("5", 1), ("4", 0)]:
        assert score_l2(desc, _unit({"clause": "1.1c", "value": value}))["total"] == 10 - ded


def test_reference_l2_items_parts_groups_grades():
    """Earned item 1.1 (2): +1 once, −0.25 each ×2 → 0.5.  Full item 1.2 (2, cap 1): −1..−2 each, amount 3 → 1.
    Topic-less section S1 cap 2 with own clause S1a once −1: 2 + 2 − (1.5 + 1) − 1 = 1.5, bound 4 − 2 = 2 → 2.
    Group B cap 3: +2 ×2 = 4 → 3.  Group N: −1.  Total = 4 − 2 + 3 − 1 = 4.
    Grades 优 ≥ 5, 中 from 3 to 4, 差 ≤ 2: 中; a veto to 差 → 差."""
    desc = _l2_desc(
        [_section("S1", [
            _item("1.1", 2, [_cl("1.1a", {"form": "once", "rate": D(1)}), _cl("1.1b", {"form": "each", "rate": D("-0.25")})],
                  earned=True),
            _item("1.2", 2, [_cl("1.2a", {"form": "range", "mode": "each", "lo": D(-1), "hi": D(-2)})], cap=D(1)),
        ], cap=D(2), clauses=[_cl("S1a", {"form": "once", "rate": D(-1)})])],
        groups=[{"id": "B", "cap": D(3), "clauses": [_cl("B1", {"form": "each", "rate": D(2)})]},
                {"id": "N", "cap": None, "clauses": [_cl("N1", {"form": "each", "rate": D(-1)})]}],
        grades=[{"name": "优", "lo": D(5), "hi": None}, {"name": "中", "lo": D(3), "hi": D(4)},
                {"name": "差", "lo": None, "hi": D(2)}],
        vetoes=[{"id": "V1", "grade": "差"}])
    findings = [{"clause": "1.1a", "count": 1}, {"clause": "1.1b", "count": 2},
                {"clause": "1.2a", "count": 2, "amount": "3", "reason": "r"}, {"clause": "S1a", "count": 1},
                {"clause": "B1", "count": 2}, {"clause": "N1", "count": 1}]
    r = score_l2(desc, _unit(*findings))
    assert r["items"] == {"1.1": D("0.5"), "1.2": D(1)}
    assert r["sections"] == {"S1": D(2)} and r["groups"] == [D(3), D(-1)]
    assert r["total"] == 4 and r["grade"] == "中" and r["vetoes"] == []
    r = score_l2(desc, _unit(*findings, {"clause": "V1", "count": 1}))
    assert r["total"] == 4 and r["grade"] == "差" and r["vetoes"] == ["V1"]
    # a total in the gap (4 < t < 5) gets no grade; with a veto, the veto's grade
    # (S1 = 4 − 1.5 = 2.5, B = +2: total 4.5)
    gap = [{"clause": "B1", "count": 1}, {"clause": "1.1a", "count": 1}, {"clause": "1.1b", "count": 2}]
    r = score_l2(desc, _unit(*gap))
    assert r["total"] == D("4.5") and r["grade"] is None
    r = score_l2(desc, _unit(*gap, {"clause": "V1", "count": 2}))
    assert r["total"] == D("4.5") and r["grade"] == "差" and r["vetoes"] == ["V1"]


def test_reference_l2_levels_once_and_note1():
    """Once levels 甲 −1, 乙 −2..−3, 丙 −2: findings 丙 ×1 and 乙 amount 2 → tie at 2 → 乙 (declared first) = 2.
    注1: C1 on 1.1a at 乙 amount 2.5 and on 1.2a (each −2): 2.5 > 2 → 1.2a loses C1."""
    levels = {"form": "levels", "mode": "once", "levels": [
        {"name": "甲", "rate": D(-1)}, {"name": "乙", "lo": D(-2), "hi": D(-3)}, {"name": "丙", "rate": D(-2)}]}
    desc = _l2_desc([_section("S1", [_item("1.1", 5, [_cl("1.1a", levels)]),
                                     _item("1.2", 5, [_cl("1.2a", {"form": "each", "rate": D(-2)})])])],
                    rules=["highest-per-case"])
    r = score_l2(desc, _unit({"clause": "1.1a", "level": "丙", "count": 1},
                             {"clause": "1.1a", "level": "乙", "count": 1, "amount": "2", "reason": "r"}))
    assert r["items"]["1.1"] == 3
    r = score_l2(desc, _unit({"clause": "1.1a", "level": "乙", "cases": ["C1"], "amount": "2.5", "reason": "r"},
                             {"clause": "1.2a", "cases": ["C1", "C2"]}))
    assert r["items"] == {"1.1": D("2.5"), "1.2": D(3)} and r["total"] == D("5.5")


# --------------------------------------------------------------------------
# Disagreements found: the library is wrong (kept failing until fixed)
# --------------------------------------------------------------------------


def _compiles(text):
    import qlrules

    return qlrules.compile_rubric(text, "bug.qlr")


def test_l2_grade_bands_with_negative_bounds():
    good = _compiles('rubric "t" points 0\ngrades "g"\n  优秀 "x" from -2 to 1\n')
    assert (good.grades[0].low, good.grades[0].high) == (D(-2), D(1))
    import qlrules

    with pytest.raises(qlrules.RubricError):
        _compiles('rubric "t" points 0\ngrades "g"\n  优秀 "x" from -1 to -3\n')


def test_l2_range_with_equal_ends_compiles():
    _compiles('rubric "t" points 1\nsection S1 "s" points 1\n  item 1.1 points 1\n    text "x"\n'
              '    1.1a "每例扣1分" each 例 −1..−1\n')

"""The scoring hot path (`qlrules.scoring.plan`) and the fragments of `qlrules.render.json` against the straightforward path.

`Rubric.score` takes the hot path when it can; ``_straightforward=True`` takes the checker of
`qlrules.scoring.findings` and the evaluator of `qlrules.scoring.evaluate`. On random and mutated
units, on the seed rubric, the language-2 examples and random rubrics, both must give the same
report, byte for byte in every text format, or the same error, word for word.
"""

from __future__ import annotations

import io
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qlrules
from qlrules.i18n import use_language
from qlrules.render import renderer
from qlrules.render.fragments import outcome_json
from qlrules.render.json import dumps, report_json
from qlrules.scoring import kernel
from qlrules.scoring.evaluate import evaluate
from qlrules.scoring.findings import _UnitChecker, read_unit
from qlrules.scoring.plan import Trace

from .strategies import findings_for, l2_cases, rubric_and_findings

ROOT = Path(__file__).resolve().parents[1]
#: The differential tests need many units to reach the rarer paths (注1 over three clauses, a cap): at least 200.
MANY = settings(max_examples=max(200, settings.default.max_examples))
SEED = qlrules.load_rubric()
LANGUAGE_2 = {path.stem: qlrules.load_rubric(path) for path in sorted((ROOT / "examples" / "rubrics").glob("*.qlr"))}
RUBRICS = {"seed": SEED, **LANGUAGE_2}
TEXT_FORMATS = ("json", "jsonl", "csv", "table", "markdown")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**12), max_value=10**12), st.integers(-3, 12),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=False, places=12),
    st.text(max_size=6), st.sampled_from(["", " ", "C1", "C2", "0.5", "1", "６", "6.1c", "A1"]),
)


def rendered(rubric: qlrules.Rubric, report: qlrules.Report, fmt: str) -> str:
    out = io.StringIO()
    sink = renderer(fmt, out, rubric, 100)
    sink.add(report, False)
    sink.finish(False)
    return out.getvalue()


def batch_json(rubric: qlrules.Rubric, reports: list[qlrules.Report]) -> str:
    """``reports`` as ``--format json`` writes a batch of them."""
    out = io.StringIO()
    sink = renderer("json", out, rubric, 100)
    for report in reports:
        sink.add(report, True)
    sink.finish(True)
    return out.getvalue()


def outcome(rubric: qlrules.Rubric, unit: Any, straightforward: bool) -> qlrules.Report | qlrules.FindingsError:
    try:
        return rubric.score(unit, _straightforward=straightforward)
    except qlrules.FindingsError as error:
        return error


def assert_same(rubric: qlrules.Rubric, unit: Any, formats: tuple[str, ...] = TEXT_FORMATS) -> None:
    """Both paths: the same error, or reports equal as objects and in every text format (``formats``)."""
    fast, slow = outcome(rubric, unit, False), outcome(rubric, unit, True)
    plan = stored_plan(rubric)
    if isinstance(slow, qlrules.FindingsError):
        assert isinstance(fast, qlrules.FindingsError), f"the hot path scored a unit the checker refuses: {slow}"
        assert fast.problems == slow.problems and str(fast) == str(slow)
        with pytest.raises(kernel.Refused):
            kernel.score(plan, unit)
        return
    assert isinstance(fast, qlrules.Report), f"the hot path refused a valid unit: {fast}"
    checked = _UnitChecker(unit, rubric, "<findings>").check()
    assert read_unit(unit, rubric) == checked  # checked by the hot path when it can: the same Unit
    expected = dumps(slow.to_dict())
    assert report_json(evaluate(rubric, checked)) == expected  # a checked Unit, by the hot path when it can
    assert report_json(fast) == expected  # from the records, the trace not read yet
    assert report_json(slow) == expected  # from the entries
    try:
        scored = kernel.score(plan, unit)  # the plan as the cache stores it, and no report object at all
    except kernel.Refused:
        assert not score_fast_takes(rubric, unit)  # the stored plan refuses what the rubric's own plan refuses
    else:
        assert outcome_json(plan, scored) == expected
        assert outcome_json(plan, scored, 2) == report_json(slow, 2)
    for fmt in formats:
        assert rendered(rubric, fast, fmt) == rendered(rubric, slow, fmt), fmt
    # In a batch each report is written at the depth of {"units": [...]}, from records and from entries alike.
    assert batch_json(rubric, [fast, slow]) == dumps({"units": [slow.to_dict(), slow.to_dict()]})
    assert fast.to_dict() == slow.to_dict()
    assert fast == slow and fast.trace == slow.trace and repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow


def score_fast_takes(rubric: qlrules.Rubric, unit: Any) -> bool:
    from qlrules.scoring.plan import score_fast

    return score_fast(rubric, unit) is not None


def stored_plan(rubric: qlrules.Rubric) -> kernel.Plan:
    """The rubric's kernel plan after the JSON round trip of the cache (`qlrules.language.cache.store_plan`)."""
    return kernel.Plan.from_data(json.loads(json.dumps(rubric._plan.kernel.to_data(), ensure_ascii=False)))


@st.composite
def mutated(draw: st.DrawFn, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """A unit with its findings, most often one of them changed: a value, a key added or taken away, a finding twice."""
    findings = [dict(f) for f in findings]
    if findings and not draw(st.integers(0, 2)):
        n = draw(st.integers(0, len(findings) - 1))
        finding = findings[n]
        change = draw(st.sampled_from(["value", "drop", "twice", "replace"]))
        if change == "value":
            key = draw(st.sampled_from(["clause", "count", "cases", "amount", "reason", "evidence", "level", "value", "extra"]))
            finding[key] = draw(st.sampled_from([-1, 0, 10**9 + 1, True, None, "1", 1.5, Decimal("NaN")]) | scalars | st.lists(scalars, max_size=3))
        elif change == "drop" and finding:
            del finding[draw(st.sampled_from(sorted(finding)))]
        elif change == "twice":
            findings.append(dict(finding))
        else:
            findings[n] = draw(scalars)  # type: ignore[call-overload]
    name = draw(st.sampled_from(["市财政局", "单位"])) if draw(st.integers(0, 5)) else draw(st.sampled_from(["", " ", 1, None]) | st.text(max_size=3))
    unit: dict[str, Any] = {"unit": name, "findings": findings}
    if not draw(st.integers(0, 9)):
        unit[draw(st.sampled_from(["units", "extra", "findings", "unit"]))] = draw(scalars)
    return unit


@st.composite
def any_findings(draw: st.DrawFn, rubric: qlrules.Rubric) -> list[dict[str, Any]]:
    """Findings for any compiled rubric, each with the keys its rule takes and plausible values (not always valid)."""
    targets = list(rubric.clause_index.values())
    findings: list[dict[str, Any]] = []
    for target in draw(st.lists(st.sampled_from(targets), max_size=10, unique_by=lambda t: t.id)):
        rule = getattr(target, "rule", None)
        finding: dict[str, Any] = {"clause": target.id}
        if isinstance(rule, qlrules.model.Discretionary | qlrules.model.Ranged) or (
                isinstance(rule, qlrules.model.Levels) and draw(st.booleans())):
            finding["amount"] = draw(st.sampled_from([Decimal(n) / 2 for n in range(7)]) | st.integers(0, 3))
            finding["reason"] = "酌情"
        if isinstance(rule, qlrules.model.Levels):
            finding["level"] = draw(st.sampled_from([lv.name for lv in rule.levels]))
        if isinstance(rule, qlrules.model.Measure):
            finding["value"] = draw(st.sampled_from([Decimal(n) / 2 for n in range(-4, 200)]))
        elif draw(st.booleans()) and not isinstance(rule, qlrules.model.Discretionary):
            finding["count"] = draw(st.integers(0, 3))
        elif not isinstance(target, qlrules.Adjustment) and draw(st.booleans()):
            finding["cases"] = draw(st.lists(st.sampled_from(["C1", "C2", "C3"]), min_size=1, max_size=2, unique=True))
        elif not isinstance(rule, qlrules.model.Discretionary):
            finding["count"] = 1
        findings.append(finding)
    return findings


@st.composite
def units_for(draw: st.DrawFn, rubric: qlrules.Rubric) -> dict[str, Any]:
    findings = draw(findings_for(rubric)) if rubric is SEED and draw(st.booleans()) else draw(any_findings(rubric))
    return draw(mutated(findings))


@MANY
@pytest.mark.parametrize("name", sorted(RUBRICS))
@given(data=st.data())
def test_both_paths_agree_on_the_family(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    assert_same(rubric, data.draw(units_for(rubric)))


@MANY
@given(rubric_and_findings(), st.data())
def test_both_paths_agree_on_random_rubrics(case: tuple[qlrules.Rubric, list[dict[str, Any]]], data: st.DataObject) -> None:
    rubric, findings = case
    assert_same(rubric, data.draw(mutated(findings)))


@given(l2_cases())
def test_both_paths_agree_on_random_language_2_rubrics(case: tuple[dict[str, Any], str, list[list[dict[str, Any]]]]) -> None:
    _desc, source, units = case
    rubric = qlrules.compile_rubric(source, "random.qlr")
    for findings in units:
        assert_same(rubric, {"unit": "单位", "findings": findings})


def test_the_hot_path_is_taken() -> None:
    """The units of the differential test are not all sent down the straightforward path."""
    unit = {"unit": "市财政局", "findings": [{"clause": "6.1c", "cases": ["C1"]}, {"clause": "11.4b", "cases": ["C1"]},
                                          {"clause": "6.1h", "amount": Decimal("0.5"), "cases": ["C2"], "reason": "主动报告"},
                                          {"clause": "6.1b", "cases": ["C2"]}, {"clause": "A1", "count": 1}]}
    report = SEED.score(unit)
    assert isinstance(report._trace, Trace)
    assert isinstance(evaluate(SEED, read_unit(unit, SEED))._trace, Trace)
    assert_same(SEED, unit)


def test_the_trace_keeps_the_language_it_was_scored_in() -> None:
    unit = {"unit": "市财政局", "findings": [{"clause": "1.1a", "count": 1}, {"clause": "1.1a", "count": 1}]}
    with use_language("zh"):
        fast, slow = SEED.score(unit), SEED.score(unit, _straightforward=True)
    with use_language("en"):
        assert fast.trace == slow.trace
        assert report_json(fast) == dumps(slow.to_dict())
    assert fast.trace[1].note != SEED.score(unit).trace[1].note  # English now, Chinese then


def test_score_many_refuses_a_repeated_name_as_the_checker_does() -> None:
    unit = {"unit": "甲", "findings": []}
    with pytest.raises(qlrules.FindingsError) as fast:
        list(SEED.score_many([unit, unit]))
    with pytest.raises(qlrules.FindingsError) as slow:
        list(qlrules.scoring.findings.check_units([unit, unit], SEED))
    assert str(fast.value) == str(slow.value)


EDGES: list[Any] = [
    None, True, False, -1, 0, 1, 2, 3, 10**9, 10**9 + 1, -0.5, 0.5, 1.5, 2.0, float("nan"), Decimal("0.5"), Decimal("-0.5"),
    Decimal("1E-11"), Decimal("NaN"), Decimal("20"), "", " ", "1", "0.5", "２", "6.1c", "6.1C", "C1", [], ["C1"], ["C1", "C1"],
    ["C1", "C2"], [" "], [1], {"a": 1},
]
BASE = {"unit": "市财政局", "findings": [
    {"clause": "6.1c", "cases": ["C1"]}, {"clause": "11.4b", "cases": ["C1"], "evidence": "记录"},
    {"clause": "6.1h", "amount": Decimal("0.5"), "cases": ["C2"], "reason": "主动报告"}, {"clause": "6.1b", "cases": ["C2", "C3"]},
    {"clause": "1.1a", "count": 1}, {"clause": "0.1a", "count": 2, "reason": "见记录"}, {"clause": "A1", "count": 1},
    {"clause": "A2", "count": 0},
]}


@pytest.mark.parametrize("key", ["clause", "count", "cases", "amount", "reason", "evidence", "level", "value", "extra"])
def test_every_finding_with_every_key_set_to_every_edge(key: str) -> None:
    """Exhaustively: each finding of a unit that takes every kind of the hot path, one key set to each edge value."""
    assert_same(SEED, BASE)
    for n in range(len(BASE["findings"])):
        for value in EDGES:
            findings = [dict(f) for f in BASE["findings"]]
            findings[n][key] = value
            assert_same(SEED, {"unit": "市财政局", "findings": findings}, ("csv",))
            del findings[n][key]
            assert_same(SEED, {"unit": "市财政局", "findings": findings}, ("csv",))


@pytest.mark.parametrize("value", EDGES)
def test_every_unit_key_set_to_every_edge(value: Any) -> None:
    for key in ("unit", "findings", "units"):
        assert_same(SEED, {**BASE, key: value}, ("csv",))
    assert_same(SEED, {**BASE, "findings": [*BASE["findings"], value]}, ("csv",))

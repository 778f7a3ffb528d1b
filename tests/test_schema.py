"""The findings JSON Schema (`qlrules schema`): it accepts every valid findings document the repository
ships and every random valid one, and refuses invalid ones the checker refuses too.

JSON's data model cannot tell ``2.0`` from ``2``, so a count written ``2.0`` passes the schema and is
refused by the checker: one of the things the schema leaves to it (`qlrules.scoring.schema`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given

import qlrules
from qlrules.errors import FindingsError
from qlrules.scoring.findings import read_units
from qlrules.scoring.schema import findings_schema

from .conftest import ROOT, Cli, cli, seed  # noqa: F401
from .strategies import l2_cases

RUBRICS = [None, *sorted((ROOT / "examples" / "rubrics").glob("*.qlr")), ROOT / "tests" / "fixtures" / "lang2.qlr",
           ROOT / "tests" / "fixtures" / "mini.qlr"]


def _validator(rubric: qlrules.Rubric) -> jsonschema.Draft202012Validator:
    schema = json.loads(json.dumps(findings_schema(rubric), default=float))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def rubrics() -> list[tuple[qlrules.Rubric, jsonschema.Draft202012Validator]]:
    loaded = [qlrules.load_rubric(path) for path in RUBRICS]
    return [(r, _validator(r)) for r in loaded]


def _documents() -> list[tuple[Path, Any]]:
    """Every findings document shipped: examples/, tests/golden/, and the worked examples beside the rubrics."""
    found: list[tuple[Path, Any]] = []
    for path in [*sorted((ROOT / "examples").glob("*.yaml")), *sorted((ROOT / "tests" / "golden").glob("*.yaml"))]:
        found.append((path, yaml.safe_load(path.read_text("utf-8-sig"))))
    for path in sorted((ROOT / "examples" / "rubrics").glob("*.examples.yaml")):
        units = yaml.safe_load(path.read_text("utf-8"))
        found.append((path, {"units": [{k: v for k, v in u.items() if k != "expect"} for u in units]}))
    return found


def _valid_for(document: Any, rubric: qlrules.Rubric) -> bool:
    try:
        for _unit in read_units(document, rubric):
            pass
    except FindingsError:
        return False
    return True


def test_every_shipped_valid_document_is_valid_under_the_schema(rubrics: list[tuple[qlrules.Rubric, Any]]) -> None:
    checked = 0
    for path, document in _documents():
        for rubric, validator in rubrics:
            if _valid_for(document, rubric):
                errors = [e.message for e in validator.iter_errors(document)]
                assert not errors, (path, rubric.source, errors[:3])
                checked += 1
    assert checked >= 25  # the repository's examples, its goldens and the three families' worked examples


@given(l2_cases(units=2))
def test_random_valid_findings_are_valid_under_the_schema(case: tuple[dict[str, Any], str, list[list[dict[str, Any]]]]) -> None:
    _desc, source, findings = case
    rubric = _compile(source)
    document = {"units": [{"unit": f"单位{n}", "findings": f} for n, f in enumerate(findings)]}
    assert _valid_for(document, rubric)
    errors = [e.message for e in _validator(rubric).iter_errors(json.loads(json.dumps(document)))]
    assert not errors, errors[:3]


def _compile(source: str) -> qlrules.Rubric:
    from qlrules.language.build import compile_rubric

    return compile_rubric(source)


INVALID_ON_SEED = [
    {"unit": "甲", "findings": [{"clause": "9.9z", "count": 1}]},            # unknown clause
    {"unit": "甲", "findings": [{"clause": "0.1a", "count": 2.5}]},          # a count is whole
    {"unit": "甲", "findings": [{"clause": "0.1a", "count": "2"}]},
    {"unit": "甲", "findings": [{"clause": "0.1a", "count": -1}]},
    {"unit": "甲", "findings": [{"clause": "0.1a"}]},                        # no count nor cases
    {"unit": "甲", "findings": [{"clause": "0.1a", "count": 1, "colour": "red"}]},
    {"unit": "甲", "findings": [{"clause": "0.1a", "amount": 1}]},           # amount on an each clause
    {"unit": "甲", "findings": [{"clause": "6.1h", "amount": 1}]},           # discretionary without reason
    {"unit": "甲", "findings": [{"clause": "6.1h", "amount": 1, "reason": "  "}]},
    {"unit": "甲", "findings": [{"clause": "6.1h", "amount": 99, "reason": "过多"}]},
    {"unit": "甲", "findings": [{"clause": "6.1h", "count": 1, "amount": 1, "reason": "r"}]},
    {"unit": "甲", "findings": [{"clause": "A1", "count": 1, "cases": ["C-1"]}]},   # cases on an adjustment
    {"unit": "甲", "findings": [{"clause": "0.1a", "cases": ["C-1", "C-1"]}]},
    {"unit": "甲", "findings": [{"clause": "0.1a", "cases": [""]}]},
    {"unit": "甲", "findings": [{"clause": "0.1a", "count": 1, "evidence": 3}]},
    {"unit": "甲", "findings": [{"clause": 1.1, "count": 1}]},
    {"unit": "", "findings": []},
    {"findings": []},
    {"unit": "甲"},
    {"unit": "甲", "findings": {}},
    {"units": [{"unit": "甲", "findings": []}], "extra": 1},
    [],
]


@pytest.mark.parametrize("document", INVALID_ON_SEED)
def test_invalid_documents_the_checker_refuses_the_schema_refuses(document: Any, seed: qlrules.Rubric) -> None:
    assert not _valid_for(document, seed)
    assert not _validator(seed).is_valid(document)


def test_a_level_ranging_from_zero_deducts_and_takes_cases_an_award_level_does_not() -> None:
    """A level 0..−0.5 deducts (its lower end is 0, its upper end negative): cases allowed, as the checker allows them."""
    rubric = _compile(
        'rubric "级别" points 2\n'
        'section S1 "一" points 2\n'
        '  item 1.1 points 2\n'
        '    text "具体内容"\n'
        '    1.1a "情节较轻的扣0-0.5分,表现突出的加1分" once levels 较轻 0..−0.5, 突出 +1\n')
    validator = _validator(rubric)
    deducting = {"clause": "1.1a", "level": "较轻", "cases": ["C1"], "amount": 0.5, "reason": "视情节"}
    awarding = {"clause": "1.1a", "level": "突出", "cases": ["C1"]}
    for finding, valid in ((deducting, True), (awarding, False), ({"clause": "1.1a", "level": "突出", "count": 1}, True)):
        document = {"unit": "甲", "findings": [finding]}
        assert _valid_for(document, rubric) is valid, finding
        assert validator.is_valid(json.loads(json.dumps(document))) is valid, finding


def test_levels_and_measures_take_their_own_keys() -> None:
    rubric = qlrules.load_rubric(ROOT / "tests" / "fixtures" / "lang2.qlr")
    validator = _validator(rubric)
    levels = next(c for c, t in rubric.clause_index.items() if getattr(getattr(t, "rule", None), "levels", None))
    measure = next(c for c, t in rubric.clause_index.items() if getattr(getattr(t, "rule", None), "bands", None))
    for bad in ({"clause": levels, "level": "无此级", "count": 1}, {"clause": measure, "count": 1}, {"clause": measure}):
        document = {"unit": "甲", "findings": [bad]}
        assert not _valid_for(document, rubric)
        assert not validator.is_valid(document), bad


def test_the_command_prints_the_schema(cli: Cli, tmp_path: Path) -> None:
    run = cli("schema", "--rubric", ROOT / "examples" / "rubrics" / "guoqi-dflz.qlr")
    assert run.exit_code == 0, run.stderr
    schema = json.loads(run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    rubric = qlrules.load_rubric(ROOT / "examples" / "rubrics" / "guoqi-dflz.qlr")
    assert set(schema["$defs"]["clauses"]) == set(rubric.clause_index)
    assert schema["$id"].endswith(rubric.sha256)
    out = tmp_path / "schema.json"
    assert cli("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["$defs"]["finding"]["properties"]["clause"]["enum"] == list(qlrules.load_rubric().clause_index)


def test_check_json_gives_every_problem_with_its_code(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qlr"
    bad.write_text('rubric "x" points 10\nsection S1 "a" points 5\n  item 1.1 "b" points 5\n    text "t"\n    1.1a "c" oncex -1\n', "utf-8")
    good = ROOT / "rubrics" / "qinglian-jiguan.qlr"
    run = cli("check", "--format", "json", bad, good, tmp_path / "missing.qlr")
    assert run.exit_code == 1
    files = json.loads(run.stdout)["files"]
    assert [f["ok"] for f in files] == [False, True, False]
    (problem,) = files[0]["diagnostics"]
    assert problem["code"] == "syntax" and problem["severity"] == "error"
    assert (problem["file"], problem["line"], problem["column"]) == (str(bad), 5, 18)  # as `qlrules check` draws it: the rate `once` lacks
    assert files[1]["diagnostics"] == []
    assert files[2]["diagnostics"][0]["code"] == "unreadable" and files[2]["diagnostics"][0]["line"] is None


def test_check_json_warnings_have_codes_and_strict_fails_them(cli: Cli, tmp_path: Path) -> None:
    rubric = tmp_path / "gap.qlr"
    rubric.write_text(
        'rubric "x" points 10\nsection S1 "a" points 10\n  item 1.1 "b" points 10\n    text "t"\n'
        '    1.1a "每项扣1分" each 项 -1\n'
        'grades "结果"\n  好 "8分以上为好" at least 8\n  差 "6分以下为差" at most 6\n', "utf-8")
    run = cli("check", "--format", "json", rubric)
    assert run.exit_code == 0, run.stdout
    diagnostics = json.loads(run.stdout)["files"][0]["diagnostics"]
    assert diagnostics and all(d["code"] and d["severity"] == "warning" for d in diagnostics)
    assert "grade-gap" in {d["code"] for d in diagnostics}
    strict = cli("check", "--format", "json", "--strict", rubric)
    assert strict.exit_code == 1 and json.loads(strict.stdout)["files"][0]["ok"] is False

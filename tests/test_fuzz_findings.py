"""Any findings document yields a report or a QlrulesError — never another exception."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

import qlrules
from qlrules.io.documents import parse_document
from qlrules.scoring.findings import read_units

from .strategies import findings_for

SEED = qlrules.load_rubric()
CLAUSES = list(SEED.clause_index)
KEYS = ["unit", "findings", "units", "clause", "count", "cases", "amount", "reason", "evidence", "cuont", "", "ｃｌａｕｓｅ"]
# Look-alikes of real ids: full-width digits, Cyrillic а, the ideographic full stop.
CONFUSABLES = ["０.１a", "0.1а", "6。1c", "6.1c ", "S1", "A９", "6.1C", "\u200b6.1c"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(CLAUSES + CONFUSABLES + ["1e999999", "-0", "NaN", "1_0"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)),
    max_leaves=30,
)


@given(documents)
def test_random_documents(document: Any) -> None:
    try:
        units = list(read_units(document, SEED, "fuzz"))
    except qlrules.QlrulesError:
        return
    for unit in units:
        qlrules.evaluate(SEED, unit)


@st.composite
def mutated_units(draw: st.DrawFn) -> dict[str, Any]:
    findings = draw(findings_for(SEED, max_clauses=6))
    if findings:
        finding = draw(st.sampled_from(findings))
        key = draw(st.sampled_from(["clause", "count", "cases", "amount", "reason", "evidence", "extra"]))
        finding[key] = draw(scalars | st.lists(scalars, max_size=3))
    return {"unit": draw(st.text(max_size=5)), "findings": findings}


@given(mutated_units())
def test_mutated_units(unit: dict[str, Any]) -> None:
    try:
        SEED.score(unit)
    except qlrules.QlrulesError as error:
        assert str(error)


@given(documents, st.sampled_from(["json", "yaml"]))
def test_random_files(document: Any, fmt: str) -> None:
    """Through the text formats too, as the command line reads them."""
    try:
        text = json.dumps(document, default=str) if fmt == "json" else yaml.safe_dump(document, allow_unicode=True)
    except (ValueError, yaml.YAMLError):
        return
    try:
        parsed = parse_document(text, f"fuzz.{fmt}")
        for unit in read_units(parsed, SEED, f"fuzz.{fmt}"):
            qlrules.evaluate(SEED, unit)
    except qlrules.QlrulesError as error:
        assert str(error).startswith("fuzz.")


@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    for source in ("fuzz.json", "fuzz.yaml"):
        try:
            for unit in read_units(parse_document(data, source), SEED, source):
                qlrules.evaluate(SEED, unit)
        except qlrules.QlrulesError:
            pass


def test_hostile_documents() -> None:
    """Deep nesting, a 10 MB string, huge numbers, too many decimal places: refused or scored, never a crash."""
    ten_mb = "案" * (10 * 1024 * 1024 // 3)
    texts = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "deep.yaml": "[" * 100_000 + "]" * 100_000,
        "huge-string.json": json.dumps({"unit": ten_mb, "findings": [{"clause": "0.1a", "count": 1, "evidence": ten_mb}]}),
        "huge-int.json": '{"unit": "x", "findings": [{"clause": "6.1c", "count": ' + "9" * 5000 + "}]}",
        "huge-int.yaml": "unit: x\nfindings: [{clause: 6.1c, count: " + "9" * 4000 + "}]",
        "huge-amount.json": '{"unit": "x", "findings": [{"clause": "6.1h", "amount": "1e999999999", "reason": "r"}]}',
        "tiny-amount.yaml": "unit: x\nfindings: [{clause: 6.1h, amount: 1e-999999999, reason: r}]",
        "places.json": '{"unit": "x", "findings": [{"clause": "6.1h", "amount": 0.12345678901234567, "reason": "r"}]}',
        "anchors.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nunit: [*c, *c, *c]\n",
    }
    for source, text in texts.items():
        try:
            reports = [qlrules.evaluate(SEED, u) for u in read_units(parse_document(text, source), SEED, source)]
        except qlrules.QlrulesError as error:
            assert str(error).startswith(source) or source in str(error) or "unit" in str(error)
        else:
            assert all(isinstance(r.total, Decimal) for r in reports), source

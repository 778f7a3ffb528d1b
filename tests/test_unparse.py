"""The one unparser: the model written back as source compiles to the same model, and fmt proves it each time."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

import qlrules
from qlrules.authoring import fmt
from qlrules.authoring.fmt import FormatError, format_text
from qlrules.language import unparse
from qlrules.model import Discretionary, Each, Once, meaning

from .conftest import ROOT

SEED = ROOT / "rubrics" / "qinglian-jiguan.qlr"


def test_rubric_source_of_the_seed_compiles_to_the_same_model() -> None:
    """Writing the bundled rubric from its model and compiling that gives the same rubric, part by part."""
    seed = qlrules.load_rubric(SEED, use_cache=False)
    again = qlrules.compile_rubric(unparse.rubric_source(seed), "again.qlr")
    assert meaning(again) == meaning(seed)


def test_fmt_of_a_file_without_comments_is_the_rubric_source() -> None:
    """fmt lays constructs out exactly as the unparser writes them: one layout, written in one place."""
    text = "\n".join(line for line in SEED.read_text(encoding="utf-8").split("\n") if not line.lstrip().startswith("#"))
    assert format_text(text) == unparse.rubric_source(qlrules.compile_rubric(text))


@pytest.mark.parametrize(
    ("rule", "source"),
    [
        (Once(Decimal("-1")), "once −1"),
        (Once(Decimal("0.5")), "once +0.5"),
        (Each(Decimal("-0.5"), "项"), "each 项 −0.5"),
        (Each(Decimal("1")), "each +1"),
        (Discretionary(), "discretionary"),
        (Discretionary(("6.1b", "6.1c", "6.1d", "6.1g")), "discretionary replaces 6.1b..6.1d, 6.1g"),
    ],
)
def test_rule_source(rule: Once | Each | Discretionary, source: str) -> None:
    """Each rule kind is written as the language reads it; runs of replaced clauses read as ranges."""
    order = ["6.1a", "6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g", "6.1h"]
    assert unparse.rule_source(rule, order) == source


def test_fmt_refuses_a_layout_that_changes_the_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing a clause lost its cap, fmt would change the rubric: it raises instead of returning text."""
    text = 'rubric "t" points 2\nsection S1 "s" points 2\n  item 1.1 points 2\n    text "t"\n    1.1a "每项扣1分" each 项 −1 cap 1\n'
    assert "cap 1" in format_text(text)
    monkeypatch.setattr(fmt.unparse, "clause_line", lambda clause, order=(): f"{clause.id} {unparse.quote(clause.text)} each 项 −1")
    with pytest.raises(FormatError, match="change what the rubric means"):
        format_text(text)


def test_a_callers_decimal_context_changes_no_score() -> None:
    """With the caller's precision at 4 digits, 100 − 1.0000000001 is still 98.9999999999, in the report and its JSON."""
    seed = qlrules.load_rubric()
    unit = {"unit": "甲", "findings": [{"clause": "6.1h", "amount": "1.0000000001", "reason": "酌情"}]}
    with decimal.localcontext() as caller:
        caller.prec = 4
        report = seed.score(unit)
        assert report.total == Decimal("98.9999999999")
        assert report.to_dict()["total"] == Decimal("98.9999999999")
        assert '"total": 98.9999999999' in report.to_json()
        assert report.sections[2].score == Decimal("28.9999999999")


def test_meaning_sees_a_changed_rate_and_ignores_positions() -> None:
    """Two compiles of one text have one meaning, wherever it was written; a changed rate is another meaning."""
    text = 'rubric "t" points 2\nsection S1 "s" points 2\n  item 1.1 points 2\n    text "t"\n    1.1a "x" each 项 −1\n'
    assert meaning(qlrules.compile_rubric(text, "a.qlr")) == meaning(qlrules.compile_rubric("\n\n" + text, "b.qlr"))
    assert meaning(qlrules.compile_rubric(text)) != meaning(qlrules.compile_rubric(text.replace("−1", "−0.5")))

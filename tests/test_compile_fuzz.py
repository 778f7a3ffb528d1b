"""Mutated rubric text compiles to a rubric or fails with a QlrulesError — nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import qlrules

from .strategies import rubric_texts

FRAGMENTS = ["section", "topic", "item", "points", "once", "each", "discretionary", "replaces", "of", "cap",
             "rule", "adjustments", "text", '"', "−", "-", "－", "..", ",", "0", "0.5", "-1", "项", "S9", "\ufeff", "\r\n", "#", "\\"]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(rubric_texts())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "fragment", "duplicate-line"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif action == "insert":
            text = text[:at] + draw(st.text(max_size=5)) + text[at:]
        elif action == "fragment":
            text = text[:at] + " " + draw(st.sampled_from(FRAGMENTS)) + " " + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            n = draw(st.integers(0, len(lines) - 1))
            lines.insert(n, lines[n])
            text = "".join(lines)
    return text


def _compile(text: str) -> None:
    try:
        rubric = qlrules.compile_rubric(text, "fuzz.qlr")
    except qlrules.QlrulesError as error:
        assert str(error).startswith("fuzz.qlr:")
    else:
        assert isinstance(rubric, qlrules.Rubric)


@given(mutated())
def test_mutated_rubrics(text: str) -> None:
    _compile(text)


@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    _compile(text)


@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        qlrules.compile_rubric(data, "fuzz.qlr")
    except qlrules.QlrulesError:
        pass

"""Syntax errors in an author's words: the table of common mistakes, and misspelt keywords."""

from __future__ import annotations

import pytest

import qlrules
from qlrules.language.parse import COMMON_MISTAKES

CASES = [(label, snippet) for label, snippets in COMMON_MISTAKES.items() for snippet in snippets]


@pytest.mark.parametrize(("label", "snippet"), CASES, ids=[f"{n}" for n in range(len(CASES))])
def test_each_common_mistake_gets_its_message(label: str, snippet: str) -> None:
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(snippet, "m.qlr")
    problem = info.value.problems[0]
    assert problem.message.startswith(label), problem.message


@pytest.mark.parametrize(
    ("line", "word", "suggestion"),
    [('sektion S1 "x" points 1', "sektion", "section"), ('  item 0.2 "b" pionts 1', "pionts", "points")],
)
def test_misspelt_keywords_get_did_you_mean(line: str, word: str, suggestion: str) -> None:
    text = f'rubric "t" points 2\nsection S0 "a" points 1\n  item 0.1 "b" points 1\n    text "c"\n    0.1a "d" once −1\n{line}\n'
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(text, "m.qlr")
    problem = info.value.problems[0]
    assert problem.line == 6
    assert word in problem.message and f"did you mean {suggestion}?" in problem.message


def test_a_number_never_swallows_the_next_id() -> None:
    """`once` followed by the next clause's id is a missing rate, not a rate of 0.1."""
    text = 'rubric "t" points 1\nsection S0 "a" points 1\n  item 0.1 points 1\n    text "c"\n    0.1a "d" once\n    0.1b "e" once −1\n'
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(text, "m.qlr")
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (6, 5)
    assert "needs a rate" in problem.message


def test_several_syntax_errors_are_reported_in_one_run() -> None:
    """Each broken line is reported; what only follows from setting a line aside is not."""
    text = (
        'rubric "t" points 3\nsection S0 "a" points 3\n'
        '  item 0.1 "b" points 1\n    text "c"\n    0.1a "d" once\n'
        '  item 0.2 "b" points 1\n    text "c"\n    0.2a "d" once −1 of\n'
        '  item 0.3 "b" points 1\n    text "c"\n    0.3a "d" each 项 −0.5 cap\n'
    )
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(text, "m.qlr")
    assert [(p.line, p.column) for p in info.value.problems] == [(6, 3), (9, 3), (11, 26)]
    assert "needs a rate" in info.value.problems[0].message


def test_a_broken_block_header_sets_its_block_aside() -> None:
    """An item whose header does not parse is skipped whole: its clauses are not blamed on the item before."""
    text = (
        'rubric "t" points 2\nsection S0 "a" points 2\n'
        '  item 0.1 "b" points 1\n    text "c"\n    0.1a "d" once −1\n'
        '  item 0.2 "b" pionts 1\n    text "c"\n    0.2a "d" once −1\n'
    )
    with pytest.raises(qlrules.RubricError) as info:
        qlrules.compile_rubric(text, "m.qlr")
    assert [(p.line, p.column) for p in info.value.problems] == [(6, 16)]

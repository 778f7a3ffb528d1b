"""`qlrules check` warns about empty wording: a placeholder ("") where the document's text belongs."""

from __future__ import annotations

from pathlib import Path

import pytest

import qlrules
from qlrules.language.validate import EMPTY_WORDING

from .conftest import Cli
from .golden_messages import golden_check

FILLED = """\
rubric "考评" points 2
section S1 "组织领导" points 2
  topic 1 "责任落实" points 2
    item 1.1 points 2
      text "签订责任书,2分。"
      1.1a "未签订责任书的,扣1分" once −1
adjustments "加减分项"
  A1 "受到表彰的每次加1分" each 次 +1
"""


def warned(text: str) -> list[tuple[int, str]]:
    rubric = qlrules.compile_rubric(text, "x.qlr")
    return [(w.line, w.message) for w in rubric.warnings if w.code == EMPTY_WORDING]


def test_a_filled_rubric_has_no_such_warning() -> None:
    assert warned(FILLED) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "what"),
    [
        ('"未签订责任书的,扣1分"', '""', 6, "clause 1.1a"),
        ('"未签订责任书的,扣1分"', '"  "', 6, "clause 1.1a"),
        ('"未签订责任书的,扣1分"', '"……,。"', 6, "clause 1.1a"),
        ("\"签订责任书,2分。\"", "\"\"", 4, "item 1.1"),  # on the item's line
        ('"责任落实"', '""', 3, "topic 1"),
        ('"组织领导"', '"、"', 2, "section S1"),
        ('"受到表彰的每次加1分"', '""', 8, "adjustment A1"),
    ],
)
def test_empty_or_punctuation_only_wording_is_warned(old: str, new: str, line: int, what: str) -> None:
    assert warned(FILLED.replace(old, new)) == [
        (line, f"{what} has no wording ({new}): write the document's text, or remove it if the document has none")]


def test_the_warning_is_translated() -> None:
    with qlrules.use_language("zh_CN"):
        rubric = qlrules.compile_rubric(FILLED.replace('"未签订责任书的,扣1分"', '""'), "x.qlr")
    assert [w.message for w in rubric.warnings] == ['条款 1.1a 没有文字(""):请写入文件原文;文件中没有的,请删除']


def test_it_can_be_acknowledged_where_it_stands() -> None:
    text = FILLED.replace('"未签订责任书的,扣1分" once −1', '"" once −1  # qlrules: accept empty-wording')
    assert warned(text) == []


def test_check_prints_it_and_strict_fails(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "x.qlr"
    path.write_text(FILLED.replace('"未签订责任书的,扣1分"', '""'), encoding="utf-8")
    result = cli("check", path)
    assert result.returncode == 0, result.stderr
    golden_check("check_empty_wording", result.stderr.replace(str(path), "<FILE>"))
    assert cli("check", "--strict", path).returncode == 1

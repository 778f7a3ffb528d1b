"""The one-shot entry points: load a rubric, score findings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ._data import data_file
from .compile import compile_file, compile_rubric
from .findings import read_file, read_units
from .model import Rubric
from .report import Report

#: The file name of the bundled seed rubric (附件2 清廉机关建设任务分工).
BUNDLED_RUBRIC = "qinglian-jiguan.qlr"


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Compile a rubric file; with no argument, the bundled seed rubric.

    Raises:
        RubricError: the file does not compile (every problem, with its line).
        InputError: the file cannot be read.
    """
    if path is None:
        bundled = data_file("rubrics", BUNDLED_RUBRIC)
        data = bundled.read_bytes()
        return compile_rubric(data, f"rubrics/{BUNDLED_RUBRIC}")
    return compile_file(path)


def score_file(path: str | Path, rubric: Rubric | None = None) -> Iterator[Report]:
    """Score every unit of a findings file (YAML or JSON, one unit or a batch)."""
    rubric = rubric or load_rubric()
    from .evaluate import evaluate

    for unit in read_units(read_file(path), rubric, str(path)):
        yield evaluate(rubric, unit)


__all__ = ["BUNDLED_RUBRIC", "compile_rubric", "load_rubric", "score_file"]

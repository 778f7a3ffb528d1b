"""The one-shot entry points: load a rubric, score findings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ._data import BUNDLED_RUBRIC, bundled_rubric
from .io.documents import read_file
from .io.text import read_bytes
from .language import cache
from .model import Rubric
from .scoring.findings import read_units
from .scoring.report import Report


def load_rubric(path: str | Path | None = None, *, use_cache: bool = True) -> Rubric:
    """Compile a rubric file; with no argument, the bundled seed rubric.

    A rubric compiled before from the same bytes comes from the cache
    (`qlrules.language.cache`) without touching the parser.

    Raises:
        RubricError: the file does not compile (every problem, with its line).
        InputError: the file cannot be read.
    """
    if path is None:
        file, source = bundled_rubric()
    else:
        file, source = Path(path), str(path)
    return rubric_from_bytes(read_bytes(file, "rubric"), source, use_cache=use_cache)


def rubric_from_bytes(data: bytes, source: str, *, use_cache: bool = True) -> Rubric:
    """Compile a rubric file's bytes already read (through the cache, as `load_rubric` does)."""
    if use_cache and (cached := cache.load(data, source)) is not None:
        return cached
    from .language.build import compile_rubric

    rubric = compile_rubric(data, source)
    if use_cache:
        cache.store(data, source, rubric)
    return rubric


def score_file(path: str | Path, rubric: Rubric | None = None) -> Iterator[Report]:
    """Score every unit of a findings file (YAML or JSON, one unit or a batch).

    Units are scored as they are read: the first invalid unit raises (every problem of that
    unit); ``qlrules score`` reports every bad unit of a batch.
    """
    rubric = rubric or load_rubric()
    from .scoring.evaluate import evaluate

    for unit in read_units(read_file(path), rubric, str(path)):
        yield evaluate(rubric, unit)


__all__ = ["BUNDLED_RUBRIC", "load_rubric", "rubric_from_bytes", "score_file"]

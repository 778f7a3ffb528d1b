"""Scoring many units as a stream: inputs in, one unit at a time, reports rendered as they come.

Memory stays flat with the number of units: each unit is read, checked, scored and rendered
before the next is read, and no `Report` is kept. The output only becomes the output when every
unit has been scored (`qlrules.io.output`): one invalid unit and nothing is written (docs/scoring.md, “Findings documents”).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from ..i18n import _
from ..io.stream import UnitStream
from ..model import Rubric
from ..numbers import exact_arithmetic
from .evaluate import evaluate
from .findings import Unit
from .report import Report


def _progress(stream: UnitStream, show: bool) -> Iterator[Unit]:
    """The units, with a progress bar on a terminal (never in pipes or CI logs)."""
    if not show:
        yield from stream
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn(_("scoring")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("score", total=stream.known_count)
        for unit in stream:
            yield unit
            progress.advance(task)


def show_progress() -> bool:
    """A progress bar only for a person at a terminal: not when stderr is a pipe, a file or a CI log."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


_worker_rubric: Rubric | None = None
_worker_text: Callable[[Report], str] | None = None


def _start_worker(rubric: Rubric, text_of: Callable[[Report], str] | None = None) -> None:
    global _worker_rubric, _worker_text
    _worker_rubric, _worker_text = rubric, text_of


def _evaluate_in_worker(unit: Unit) -> Report:
    assert _worker_rubric is not None
    return evaluate(_worker_rubric, unit)


def _render_in_worker(unit: Unit) -> str:
    assert _worker_rubric is not None and _worker_text is not None
    return _worker_text(evaluate(_worker_rubric, unit))


def rendered(units: Iterable[Unit], rubric: Rubric, jobs: int, text_for: Callable[[], Callable[[Report], str]]) -> Iterator[str]:
    """The reports of ``units`` in order, each scored and written as text by one of ``jobs`` processes.

    A report's text crosses back to this process faster than the report would (pickling a
    report costs more than scoring it). ``text_for`` gives the function that writes it, asked
    once the first units are read (when the stream knows whether it is a batch).
    """
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    iterator = iter(units)
    chunk = list(islice(iterator, jobs * 128))
    if not chunk:
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rubric, text_for())) as pool:
        while chunk:
            yield from pool.map(_render_in_worker, chunk, chunksize=32)
            chunk = list(islice(iterator, jobs * 128))


def evaluated(units: Iterable[Unit], rubric: Rubric, jobs: int = 1) -> Iterator[Report]:
    """The reports of ``units`` in order; with ``jobs`` > 1, scored by that many processes.

    Units are read and checked here, then sent in bounded chunks, so memory stays flat
    however long the batch; each worker receives the compiled rubric once.
    """
    if jobs <= 1:
        for unit in units:
            yield evaluate(rubric, unit)
        return
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    iterator = iter(units)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rubric,)) as pool:
        while chunk := list(islice(iterator, jobs * 128)):
            yield from pool.map(_evaluate_in_worker, chunk, chunksize=32)


def score(inputs: Sequence[str | Path], rubric: Rubric, fmt: str, output: str | Path | None,
          width: int | None = None, progress: bool | None = None, stdout: IO[Any] | None = None,
          jobs: int = 1, inputs_not_to_overwrite: Iterable[str | Path] = (), any_rubric: bool = False,
          keep_going: bool = False, names: Mapping[Path, str] | None = None,
          contents: Mapping[Path, bytes] | None = None, bom: bool = True) -> None:
    """Score every unit of ``inputs`` into ``output`` (``None`` or ``-``: ``stdout``) in ``fmt``, or write nothing.

    With ``keep_going``, the invalid units of a batch are left out: the others are scored, the
    report is written and says which units are missing (but CSV, which has no place for it),
    and then their problems are raised.

    Raises:
        QlrulesError: an input is invalid, or the output is one of the inputs; nothing has been
            written (with ``keep_going``, for a batch: the report without the invalid units has).

    ``any_rubric`` scores forms made for another rubric too (`qlrules.io.form.read_form`);
    ``names`` names inputs in messages other than by their path, and ``contents`` holds inputs
    already in memory (`UnitStream`). ``bom``: CSV starts with a UTF-8 byte order mark, for
    Excel on Windows (`qlrules.render.BOM_FORMATS`).
    """
    from ..io.output import refuse_inputs

    refuse_inputs(output, [*inputs, *inputs_not_to_overwrite])
    with exact_arithmetic():  # renderers add up scores too (the office sheet, the ranking)
        _score(inputs, rubric, fmt, output, width, progress, stdout, jobs, any_rubric, keep_going, names, contents, bom)


def _score(inputs: Sequence[str | Path], rubric: Rubric, fmt: str, output: str | Path | None,
           width: int | None, progress: bool | None, stdout: IO[Any] | None, jobs: int, any_rubric: bool = False,
           keep_going: bool = False, names: Mapping[Path, str] | None = None,
           contents: Mapping[Path, bytes] | None = None, bom: bool = True) -> None:
    from ..io.output import open_output
    from ..render import BINARY_FORMATS, BOM, BOM_FORMATS, renderer

    stream = UnitStream(inputs, rubric, exclude=[Path(output)] if output is not None and str(output) != "-" else [],
                        any_rubric=any_rubric, keep_going=keep_going, names=names, contents=contents)
    for path, reason in stream.skipped:  # a folder's other files: named, so none is left out unseen
        sys.stderr.write(_("{path}: skipped: {reason}").format(path=path, reason=reason) + "\n")
    units = _progress(stream, show_progress() if progress is None else progress)
    with open_output(output, binary=fmt in BINARY_FORMATS, stdout=stdout) as out:
        if bom and fmt in BOM_FORMATS:
            out.write(BOM)
        sink = renderer(fmt, out, rubric, width)
        try:
            text_for = getattr(sink, "text_for", None)
            if jobs > 1 and text_for is not None:  # workers write the text (json, jsonl)
                for text in rendered(units, rubric, jobs, lambda: text_for(bool(stream.batch))):
                    sink.add_text(text, bool(stream.batch))  # type: ignore[attr-defined]
            else:
                for report in evaluated(units, rubric, jobs):
                    sink.add(report, bool(stream.batch))
            if stream.missing:
                sink.missing(stream.missing)
        except BaseException:
            sink.discard()
            raise
        sink.finish(bool(stream.batch))
    stream.problems.check()  # what --keep-going left out, once the report is written


def score_reports(inputs: Sequence[str | Path], rubric: Rubric) -> Iterator[Report]:
    """The reports of ``inputs``, one by one (for embedding: nothing is kept between units)."""
    for unit in UnitStream(inputs, rubric):
        yield evaluate(rubric, unit)

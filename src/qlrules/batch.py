"""Scoring many units as a stream: inputs in, one unit at a time, reports written as they come.

A batch may be a YAML/JSON file with ``units:``, a folder of filled forms (.xlsx), or several of
these given together. Memory stays flat with the number of units: each unit is read, checked,
scored and written before the next is read, and no `Report` is kept. A ``units:`` file is read
item by item (from the YAML event stream, sliced per unit) rather than parsed whole.

Output goes to a temporary file that only becomes the output (renamed, or copied to standard
output) when every unit has been scored: one invalid unit and nothing is written (contract §2).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from .errors import FindingsError, InputError
from .evaluate import evaluate
from .findings import Unit, parse_document, read_unit, read_units
from .i18n import _
from .model import Rubric, plain
from .report import Report, to_csv, to_json, to_table

FORMATS = ("table", "json", "csv", "xlsx", "markdown")
JSON_LINES = (".jsonl", ".ndjson")
T = TypeVar("T")


# -- reading units -------------------------------------------------------------------------------------


def _is_workbook(path: Path) -> bool:
    """Whether ``path`` is read as a filled form rather than a YAML/JSON findings document."""
    return path.suffix.lower() in (".xlsx", ".xlsm", ".xls")


class _NotSimple(Exception):
    """The document is not a plain ``units:`` list: read it whole instead."""


class UnitStream:
    """The checked units of one or more inputs, in order, each read only when it is needed.

    ``batch`` says whether the output is a batch: several inputs, a folder, or a file with
    ``units:``. For a single findings file it is known once the first unit has been read (or
    the stream is exhausted).
    """

    def __init__(self, inputs: Sequence[str | Path], rubric: Rubric, exclude: Sequence[Path] = ()) -> None:
        self.rubric = rubric
        self.inputs = [Path(p) for p in inputs]
        self.files: list[tuple[Path, str]] = []  # (path, the name messages give it)
        folders = False
        for given in self.inputs:
            if given.is_dir():
                folders = True
                from .excel import workbooks_in

                found = workbooks_in(given, exclude)
                if not found:
                    raise InputError(_("{path}: no Excel workbooks (.xlsx) in this folder").format(path=given))
                self.files.extend((p, str(p)) for p in found)
            else:
                self.files.append((given, str(given)))
        self.batch: bool | None = True if folders or len(self.inputs) > 1 else None
        if self.batch is None and _is_workbook(self.inputs[0]):
            self.batch = False
        self.seen: dict[str, str] = {}

    @property
    def known_count(self) -> int | None:
        """How many units there will be, when the inputs say it without being read (forms only)."""
        if all(_is_workbook(p) for p, _name in self.files):
            return len(self.files)
        return None

    def __iter__(self) -> Iterator[Unit]:
        for path, source in self.files:
            if _is_workbook(path):
                from .excel import read_form

                unit, name_cell = read_form(path, self.rubric, source)
                self._unique(unit, source, None, name_cell)
                yield unit
            else:
                yield from self._document(path, source)
        if self.batch is None:  # pragma: no cover - a findings file always sets it
            self.batch = False

    def _unique(self, unit: Unit, source: str, position: tuple[int | None, int | None] | None, cell: str | None = None) -> None:
        """Unit names are unique over the whole batch, whichever inputs they come from."""
        first = self.seen.get(unit.name)
        if first is not None:
            line, column = position or (None, None)
            if first == source:
                message = _("the same unit name appears twice in this batch")
            else:
                message = _("the same unit name appears twice in this batch: also in {source}").format(source=first)
            raise FindingsError(message, source=cell or source, unit=unit.name, line=line, column=column)
        self.seen[unit.name] = source

    def _document(self, path: Path, source: str) -> Iterator[Unit]:
        if path.suffix.lower() in JSON_LINES:
            yield from self._json_lines(path, source)
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _unreadable(path, exc) from None
        read = 0
        try:
            text = data.decode("utf-8-sig")
            del data  # the text is enough while streaming; the rare whole-document read reads the file again
            for offset, item in _units_of_batch(text, self._batch_found):
                mapping = _shifted(parse_document, offset, item, source) if item.strip() else None
                unit = _shifted(read_unit, offset, mapping, self.rubric, source)
                locate = getattr(mapping, "position", None)
                position = locate("unit") if callable(locate) else None
                if position is not None and position[0] is not None:
                    position = (position[0] + offset, position[1])
                self._unique(unit, source, position)
                read += 1
                yield unit
            return
        except (_NotSimple, UnicodeDecodeError):
            pass
        # Anything but a plain units: list (one unit, anchors, an invalid file) is read whole, as
        # `read_units` reads it, skipping the units already read from the stream.
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _unreadable(path, exc) from None
        document = parse_document(data, source)
        if self.batch is None:
            self.batch = isinstance(document, Mapping) and "units" in document
        for n, unit in enumerate(read_units(document, self.rubric, source)):
            if n < read:
                continue
            self._unique(unit, source, None)
            yield unit
        del document

    def _json_lines(self, path: Path, source: str) -> Iterator[Unit]:
        """JSON Lines: one unit per line, read a line at a time (a batch of any length)."""
        self._batch_found()
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        mapping = _shifted(parse_document, number - 1, line, source, "json")
                        unit = read_unit(mapping, self.rubric, source)
                    except FindingsError as error:
                        if error.line is not None:
                            raise
                        # JSON gives no positions inside a line; the line itself is known.
                        raise FindingsError(error.message, source=error.source, unit=error.unit, clause=error.clause,
                                            where=error.where, line=number) from None
                    self._unique(unit, source, (number, 1))
                    yield unit
        except OSError as exc:
            raise _unreadable(path, exc) from None

    def _batch_found(self) -> None:
        if self.batch is None:
            self.batch = True


def _unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(_("{path}: cannot read the findings: {reason}").format(path=path, reason=exc.strerror or exc))


def _shifted(check: Callable[..., T], offset: int, *args: Any) -> T:
    """``check(*args)``, its error's line moved by ``offset`` (a slice parsed apart from its file)."""
    try:
        return check(*args)
    except FindingsError as error:
        if error.line is None or not offset:
            raise
        raise FindingsError(error.message, source=error.source, unit=error.unit, clause=error.clause, where=error.where,
                            line=error.line + offset, column=error.column) from None


def _units_of_batch(text: str, found: Callable[[], None]) -> Iterator[tuple[int, str]]:
    """Each unit of a ``units:`` document as (line offset, its text), read from the YAML events.

    The text of a unit is the slice of the file it occupies, its first line padded to its column
    so the indentation holds; positions in it are then off only by the line offset. Anchors,
    aliases, other top-level keys or a second document raise `_NotSimple`, and so does an error
    (the whole-document reader then gives the proper message).
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    events = yaml.parse(text, Loader=loader)

    def take(kind: type) -> Any:
        event = next(events, None)
        if not isinstance(event, kind) or getattr(event, "anchor", None) is not None:
            raise _NotSimple
        return event

    try:
        take(yaml.StreamStartEvent)
        take(yaml.DocumentStartEvent)
        take(yaml.MappingStartEvent)
        key = take(yaml.ScalarEvent)
        if key.value != "units":
            raise _NotSimple
        take(yaml.SequenceStartEvent)
        found()
        while True:
            event = next(events, None)
            if isinstance(event, yaml.SequenceEndEvent):
                break
            if event is None or isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise _NotSimple
            start: Any = event.start_mark
            end: Any = event.end_mark
            if isinstance(event, yaml.CollectionStartEvent):
                depth = 1
                while depth:
                    inner = next(events, None)
                    if inner is None or isinstance(inner, yaml.AliasEvent) or getattr(inner, "anchor", None) is not None:
                        raise _NotSimple
                    if isinstance(inner, yaml.CollectionStartEvent):
                        depth += 1
                    elif isinstance(inner, yaml.CollectionEndEvent):
                        depth -= 1
                    end = inner.end_mark
            elif not isinstance(event, yaml.ScalarEvent):
                raise _NotSimple
            yield start.line, " " * start.column + text[start.index:end.index]
        take(yaml.MappingEndEvent)
        take(yaml.DocumentEndEvent)
        take(yaml.StreamEndEvent)
    except yaml.YAMLError:
        raise _NotSimple from None


# -- writing reports as they come ---------------------------------------------------------------------


class Sink(Protocol):
    """Where reports go, one by one; ``finish`` writes what can only be written at the end."""

    def add(self, report: Report, batch: bool) -> None: ...

    def finish(self, batch: bool) -> None: ...


class TextSink:
    """A text format written to ``out`` as reports come: json, csv, table or markdown."""

    def __init__(self, fmt: str, out: IO[str], rubric: Rubric, width: int | None) -> None:
        self.fmt, self.out, self.rubric, self.width = fmt, out, rubric, width
        self.count = 0
        self.markdown_rows: list[tuple[str, Decimal, Decimal, Decimal, tuple[Decimal, ...]]] = []
        self.details: IO[str] | None = None

    def add(self, report: Report, batch: bool) -> None:
        n, self.count = self.count, self.count + 1
        if self.fmt == "json":
            text = to_json([report], False)
            if batch:
                text = ("{\n  \"units\": [\n" if n == 0 else ",\n") + "\n".join("    " + line for line in text.split("\n"))
            self.out.write(text)
        elif self.fmt == "csv":
            text = to_csv([report])
            self.out.write(text if n == 0 else text.split("\n", 1)[1])
        elif self.fmt == "table":
            self.out.write(("\n" if n else "") + to_table([report], width=self.width))
        else:
            self._markdown(report)

    def finish(self, batch: bool) -> None:
        if self.fmt == "json" and batch:
            self.out.write("\n  ]\n}" if self.count else "{\n  \"units\": []\n}")
        elif self.fmt == "markdown":
            self._markdown_finish()

    # Markdown: a ranked summary first (it needs every total), then each unit as it came.

    def _markdown(self, report: Report) -> None:
        if self.details is None:
            self.details = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.markdown_rows.append((report.unit, report.total, report.deductions, report.adjustments,
                                   tuple(s.score for s in report.sections)))
        self.details.write(markdown_unit(report, self.rubric))

    def _markdown_finish(self) -> None:
        from .workbook_report import competition_ranks

        sections = self.rubric.sections
        out = self.out
        out.write(f"# {_md(_('{title}: results').format(title=self.rubric.title))}\n\n")
        header = [_("Rank"), _("Unit"), _("Total"), _("Deducted"), _("Adjustments"), *(f"{s.id} {s.title}" for s in sections)]
        out.write(_md_row(header) + "\n" + "|" + "|".join(["---", "---", *["---:"] * (len(header) - 2)]) + "|\n")
        ranks = competition_ranks([row[1] for row in self.markdown_rows])
        for rank, (unit, total, deducted, adjusted, scores) in sorted(zip(ranks, self.markdown_rows), key=lambda pair: pair[0]):
            out.write(_md_row([str(rank), unit, plain(total), plain(deducted), _signed(adjusted), *map(plain, scores)]) + "\n")
        if self.details is not None:
            self.details.seek(0)
            shutil.copyfileobj(self.details, out)
            self.details.close()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_md(c) for c in cells) + " |"


def _signed(number: Decimal) -> str:
    return f"+{plain(number)}" if number > 0 else ("−" + plain(-number) if number < 0 else "0")


def markdown_unit(report: Report, rubric: Rubric) -> str:
    """One unit in Markdown, for pasting into a written report: sections, then each deduction."""
    from .workbook_report import _effect

    lines = [
        "", f"## {_md(report.unit)}", "",
        _("total {total} / {points}   (deductions −{deductions}, adjustments {adjustments})").format(
            total=plain(report.total), points=plain(report.rubric_points), deductions=plain(report.deductions),
            adjustments=_signed(report.adjustments)),
        "",
        _md_row([_("section"), "", _("points"), _("deducted"), _("score")]),
        "|---|---|---:|---:|---:|",
    ]
    lines += [_md_row([s.id, s.title, plain(s.points), plain(s.deducted), plain(s.score)]) for s in report.sections]
    lines.append("")
    if report.trace:
        lines += [_md_row([_("clause"), _("amount"), _("Effect"), _("official wording · what happened")]), "|---|---:|---|---|"]
        for entry in report.trace:
            amount = entry.amount if entry.item is None else -entry.amount
            what = f"{entry.text} — {entry.note}"
            extra = "；".join(x for x in (entry.evidence, entry.reason) if x)
            if extra:
                what += f" ({extra})"
            lines.append(_md_row([entry.clause, _signed(amount), _effect(entry, rubric), what]))
    else:
        lines.append(_("no deductions or adjustments"))
    return "\n".join(lines) + "\n"


# -- the whole command ---------------------------------------------------------------------------------


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


def _start_worker(rubric: Rubric) -> None:
    global _worker_rubric
    _worker_rubric = rubric


def _evaluate_in_worker(unit: Unit) -> Report:
    assert _worker_rubric is not None
    return evaluate(_worker_rubric, unit)


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


def score(inputs: Sequence[str | Path], rubric: Rubric, fmt: str, output: Path | None,
          width: int | None = None, progress: bool | None = None, stdout: IO[str] | None = None,
          jobs: int = 1) -> None:
    """Score every unit of ``inputs`` into ``output`` (or ``stdout``) in ``fmt``, or write nothing.

    Raises:
        QlrulesError: an input is invalid; nothing has been written.
        OSError: the output cannot be written.
    """
    exclude = [output] if output is not None else []
    stream = UnitStream(inputs, rubric, exclude)
    units = _progress(stream, show_progress() if progress is None else progress)
    if fmt == "xlsx":
        if output is None:
            raise ValueError("xlsx needs an output file")
        from .workbook_report import WorkbookReport

        book = WorkbookReport(rubric)
        try:
            for report in evaluated(units, rubric, jobs):
                book.add(report)
        except BaseException:
            book.discard()
            raise
        book.save(output)
        return
    if output is not None:
        handle, temporary = tempfile.mkstemp(dir=output.resolve().parent, prefix=".qlrules-", suffix=".part")
        out: IO[str] = os.fdopen(handle, "w", encoding="utf-8", newline="")
    else:
        temporary = None
        out = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
    try:
        sink = TextSink(fmt, out, rubric, width)
        for report in evaluated(units, rubric, jobs):
            sink.add(report, bool(stream.batch))
        sink.finish(bool(stream.batch))
        if temporary is not None:
            out.close()
            os.replace(temporary, str(output))
            temporary = None
            return
        _copy_to_stdout(out, stdout)
    finally:
        out.close()
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _copy_to_stdout(out: IO[str], stdout: IO[str] | None) -> None:
    """What was written, on standard output, ending with a newline as `click.echo` would end it."""
    import click

    out.flush()
    out.seek(0)
    last = ""
    while True:
        chunk = out.read(1 << 16)
        if not chunk:
            break
        last = chunk[-1]
        if stdout is None:
            click.echo(chunk, nl=False)
        else:
            stdout.write(chunk)
    if last != "\n":
        if stdout is None:
            click.echo("")
        else:
            stdout.write("\n")


def score_reports(inputs: Sequence[str | Path], rubric: Rubric) -> Iterator[Report]:
    """The reports of ``inputs``, one by one (for embedding: nothing is kept between units)."""
    for unit in UnitStream(inputs, rubric):
        yield evaluate(rubric, unit)


__all__ = ["FORMATS", "TextSink", "UnitStream", "markdown_unit", "score", "score_reports", "show_progress"]

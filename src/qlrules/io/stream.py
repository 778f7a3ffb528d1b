"""Units to score, read one at a time from any mix of inputs: findings files, JSON Lines, forms, folders.

A batch may be a YAML/JSON file with ``units:``, a folder of filled forms (.xlsx), JSON Lines
(one unit per line) or several of these given together; ``-`` is one findings document on
standard input. Memory stays flat with the number of units: a ``units:`` file is read item by
item (from the YAML event stream, sliced per unit) rather than parsed whole.

Every problem of a batch is reported in one run: after an invalid unit the stream yields no
more units, but it reads and checks the rest of the inputs and then raises one `FindingsError`
with all the problems found (at most `qlrules.errors.LIMIT` kept, the others counted).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import FindingsCollector, FindingsError, FindingsProblem, InputError
from ..i18n import _
from ..model import Rubric
from ..scoring.findings import Unit, read_unit, unit_mappings
from .documents import parse_document
from .text import cannot_read, read_bytes

JSON_LINES = (".jsonl", ".ndjson")
#: How messages name standard input (``-``).
STDIN = "<stdin>"
T = TypeVar("T")


def _is_workbook(path: Path) -> bool:
    """Whether ``path`` is read as a filled form rather than a YAML/JSON findings document."""
    from .form import OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES

    return path.suffix.lower() in WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS


@attrs.frozen
class Missing:
    """A unit ``--keep-going`` left out: its name (None when it has none, or the whole file failed), its file and its errors."""

    unit: str | None
    source: str
    errors: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "source": self.source, "errors": list(self.errors)}


def _missing(error: FindingsError | InputError, source: str) -> Missing:
    if isinstance(error, InputError):
        return Missing(None, source, (str(error),))
    units = {p.unit for p in error.problems}
    unit = error.problems[0].unit if len(units) == 1 else None
    errors = [p.render() for p in error.problems]
    if error.more:
        errors.append(_("… and {more} more").format(more=error.more))
    return Missing(unit, source, tuple(errors))


class _NotSimple(Exception):
    """The document is not a plain ``units:`` list: read it whole instead."""


class UnitStream:
    """The checked units of one or more inputs, in order, each read only when it is needed.

    ``batch`` says whether the output is a batch: several inputs, a folder, or a file with
    ``units:``. For a single findings file it is known once the first unit has been read (or
    the stream is exhausted). A folder's spreadsheets in another format (.xls, .ods, .et) are
    each one problem, asking to save them as .xlsx; ``any_rubric`` reads forms made for another rubric.

    Iterating raises, once every input has been read, every problem found: each invalid unit,
    each unit name given twice, each file that cannot be read or parsed (one problem for the
    file). No unit is yielded after the first problem. One problem alone is raised as it is
    (an `InputError` stays one); several are one `FindingsError`.

    With ``keep_going``, a batch goes on past its invalid units: the valid ones are yielded,
    each invalid unit (or unreadable file) is recorded in `missing` and its problems in
    `problems`, and iterating raises nothing; the caller reports them. A single unit that is
    invalid still raises.
    """

    def __init__(self, inputs: Sequence[str | Path], rubric: Rubric, exclude: Sequence[Path] = (), *,
                 any_rubric: bool = False, keep_going: bool = False) -> None:
        self.rubric = rubric
        self.any_rubric = any_rubric  # read forms made for another rubric too (`qlrules.io.form.read_form`)
        self.keep_going = keep_going
        self.missing: list[Missing] = []
        self.problems = FindingsCollector()
        self.inputs = [Path(p) for p in inputs]
        self.files: list[tuple[Path, str]] = []  # (path, the name messages give it)
        folders = False
        for given in self.inputs:
            if given.is_dir():
                folders = True
                from .form import workbooks_in

                found = workbooks_in(given, exclude)
                if not found:
                    raise InputError(_("{path}: no Excel workbooks (.xlsx) in this folder").format(path=given))
                self.files.extend((p, str(p)) for p in found)
            else:
                self.files.append((given, STDIN if str(given) == "-" else str(given)))
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
        problems = self.problems
        for path, source in self.files:
            try:
                for unit in self._read(path, source):
                    if isinstance(unit, FindingsError):
                        problems.add(unit)
                        if self.keep_going:
                            self.missing.append(_missing(unit, source))
                    elif not problems or self.keep_going:
                        yield unit
            except (FindingsError, InputError) as error:  # the file itself: one problem, on to the next file
                problems.add(error, source)
                if self.keep_going:
                    self.missing.append(_missing(error, source))
        if self.batch is None:  # pragma: no cover - a findings file always sets it
            self.batch = False
        if not (self.keep_going and self.batch):
            problems.check()

    def _read(self, path: Path, source: str) -> Iterator[Unit | FindingsError]:
        """The units of one input, and a `FindingsError` in place of each invalid one."""
        if _is_workbook(path):
            from .form import read_form

            unit, name_cell = read_form(path, self.rubric, source, any_rubric=self.any_rubric)
            yield self._unique(unit, source, None, name_cell)
        else:
            yield from self._document(path, source)

    def _unique(self, unit: Unit, source: str, position: tuple[int | None, int | None] | None,
                cell: str | None = None) -> Unit | FindingsError:
        """Unit names are unique over the whole batch, whichever inputs they come from."""
        first = self.seen.get(unit.name)
        if first is not None:
            line, column = position or (None, None)
            if first == source:
                message = _("the same unit name appears twice in this batch")
            else:
                message = _("the same unit name appears twice in this batch: also in {source}").format(source=first)
            return FindingsError(message, source=cell or source, unit=unit.name, line=line, column=column)
        self.seen[unit.name] = source
        return unit

    def _document(self, path: Path, source: str) -> Iterator[Unit | FindingsError]:
        if path.suffix.lower() in JSON_LINES:
            yield from self._json_lines(path, source)
            return
        data = read_bytes(path, "findings")
        kept = data if str(path) == "-" else None  # standard input cannot be read twice
        read = 0
        try:
            text = data.decode("utf-8-sig")
            del data  # the text is enough while streaming; the rare whole-document read reads the file again
            for offset, shift, item in _units_of_batch(text, self._batch_found):
                read += 1
                try:
                    mapping = _shifted(parse_document, offset, shift, item, source) if item.strip() else None
                    unit = _shifted(read_unit, offset, shift, mapping, self.rubric, source)
                except FindingsError as error:
                    yield error
                    continue
                locate = getattr(mapping, "position", None)
                position = locate("unit") if callable(locate) else None
                if position is not None and position[0] is not None:
                    position = _moved(position[0], position[1], offset, shift)
                yield self._unique(unit, source, position)
            return
        except (_NotSimple, UnicodeDecodeError):
            pass
        # Anything but a plain units: list (one unit, anchors, an invalid file) is read whole, as
        # `read_units` reads it, skipping the units already read from the stream.
        document = parse_document(kept if kept is not None else read_bytes(path, "findings"), source)
        if self.batch is None:
            self.batch = isinstance(document, Mapping) and "units" in document
        for n, mapping in enumerate(unit_mappings(document, source)):
            if n < read:
                continue
            try:
                unit = read_unit(mapping, self.rubric, source)
            except FindingsError as error:
                yield error
                continue
            yield self._unique(unit, source, _position(mapping, "unit"))
        del document

    def _json_lines(self, path: Path, source: str) -> Iterator[Unit | FindingsError]:
        """JSON Lines: one unit per line, read a line at a time (a batch of any length)."""
        self._batch_found()
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        mapping = _shifted(parse_document, number - 1, 0, line, source, "json")
                        unit = read_unit(mapping, self.rubric, source)
                    except FindingsError as error:
                        # JSON gives no positions inside a line; the line itself is known.
                        yield error.map(functools.partial(_on_line, line=number))
                        continue
                    yield self._unique(unit, source, (number, 1))
        except OSError as exc:
            raise _unreadable(path, exc) from None

    def _batch_found(self) -> None:
        if self.batch is None:
            self.batch = True


def _unreadable(path: Path, exc: OSError) -> InputError:
    return cannot_read(path, "findings", exc)


def _shifted(check: Callable[..., T], offset: int, shift: int, *args: Any) -> T:
    """``check(*args)``, its error's place moved to the file: lines by ``offset``, and columns
    of the slice's first line by ``shift`` (a slice parsed apart from its file)."""
    try:
        return check(*args)
    except FindingsError as error:
        if not offset and not shift:
            raise

        def move(p: FindingsProblem) -> FindingsProblem:
            if p.line is None:
                return p
            line, column = _moved(p.line, p.column, offset, shift)
            return attrs.evolve(p, line=line, column=column)
        raise error.map(move) from None


def _moved(line: int, column: int | None, offset: int, shift: int) -> tuple[int, int | None]:
    """A place in a slice as a place in its file: the slice starts ``offset`` lines and, on its first line, ``shift`` columns in."""
    if line == 1 and column is not None:
        column += shift
    return line + offset, column


def _position(mapping: Any, key: str) -> tuple[int | None, int | None] | None:
    locate = getattr(mapping, "position", None)
    return locate(key) if callable(locate) else None


def _units_of_batch(text: str, found: Callable[[], None]) -> Iterator[tuple[int, int, str]]:
    """Each unit of a ``units:`` document as (line offset, column shift, its text), read from the YAML events.

    The text of a unit is the slice of the file it occupies. A block mapping's first line is
    padded to its column so the indentation holds (positions in it are then off only by the
    line offset); a flow mapping (``{…}``, all of JSON) needs no indentation and is not padded,
    which would cost as much as the file up to it on a one-line file: its first line's columns
    are off by the shift instead. Anchors,
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
            if getattr(event, "flow_style", False):
                yield start.line, start.column, text[start.index:end.index]
            else:
                yield start.line, 0, " " * start.column + text[start.index:end.index]
        take(yaml.MappingEndEvent)
        take(yaml.DocumentEndEvent)
        take(yaml.StreamEndEvent)
    except yaml.YAMLError:
        raise _NotSimple from None


def _on_line(problem: FindingsProblem, line: int) -> FindingsProblem:
    """A JSON Lines problem without a position (JSON gives none inside a line) placed on its line."""
    return problem if problem.line is not None else attrs.evolve(problem, line=line, column=None)

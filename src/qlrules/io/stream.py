"""Units to score, read one at a time from any mix of inputs: findings files, JSON Lines, forms, folders.

A batch may be a YAML/JSON file with ``units:``, a folder of filled forms (.xlsx), JSON Lines
(one unit per line) or several of these given together; ``-`` is one findings document on
standard input. Memory stays flat with the number of units: a ``units:`` file is read item by
item (from the YAML event stream, each unit built from its events, or parsed from its slice of
the file where the events cannot build it) rather than parsed whole.

Every problem of a batch is reported in one run: after an invalid unit the stream yields no
more units, but it reads and checks the rest of the inputs and then raises one `FindingsError`
with all the problems found (at most `qlrules.errors.LIMIT` kept, the others counted).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ..errors import FindingsCollector, FindingsError, FindingsProblem, InputError
from ..i18n import _
from ..model import Rubric
from ..scoring.findings import Unit, read_unit, unit_mappings
from .documents import NotBuilt, from_events, parse_document, read_as_json
from .suffixes import JSON_LINES, OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES
from .text import cannot_read, read_bytes

#: How messages name standard input (``-``).
STDIN = "<stdin>"
T = TypeVar("T")


def _is_workbook(path: Path) -> bool:
    """Whether ``path`` is read as a filled form rather than a YAML/JSON findings document."""
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

    ``names`` gives some inputs the name messages call them by, instead of their path (the
    server's uploads are named as the client named them); ``contents`` holds the bytes of
    findings documents already in memory (a request's body), under a path that only names
    them: they are never looked for on disk.

    With ``keep_going``, a batch goes on past its invalid units: the valid ones are yielded,
    each invalid unit (or unreadable file) is recorded in `missing` and its problems in
    `problems`, and iterating raises nothing; the caller reports them. A single unit that is
    invalid still raises.
    """

    def __init__(self, inputs: Sequence[str | Path], rubric: Rubric, exclude: Sequence[Path] = (), *,
                 any_rubric: bool = False, keep_going: bool = False, names: Mapping[Path, str] | None = None,
                 contents: Mapping[Path, bytes] | None = None) -> None:
        self.rubric = rubric
        self.any_rubric = any_rubric  # read forms made for another rubric too (`qlrules.io.form.read_form`)
        self.keep_going = keep_going
        self.missing: list[Missing] = []
        self.problems = FindingsCollector()
        self.inputs = [Path(p) for p in inputs]
        self.contents = contents or {}
        self.files: list[tuple[Path, str]] = []  # (path, the name messages give it)
        #: What the folders hold that is not read, each with why (the command names them on stderr).
        self.skipped: list[tuple[Path, str]] = []
        folders = False
        for given in self.inputs:
            if given not in self.contents and given.is_dir():
                folders = True
                from .form import workbooks_in

                found, skipped = workbooks_in(given, exclude)
                self.skipped.extend(skipped)
                if not found:
                    raise InputError(_("{path}: no Excel workbooks (.xlsx) in this folder").format(path=given))
                self.files.extend((p, str(p)) for p in found)
            elif names is not None and given in names:
                self.files.append((given, names[given]))
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
        data = self._bytes(path)
        kept = data if _read_once(path) else None  # standard input, a FIFO or a device cannot be read twice
        skip = 0  # units of this file already yielded by the plain JSON reading
        if _is_json(source, data):
            plain = yield from self._plain_json(data, source)
            if plain is None:
                return
            skip = plain
        read = 0
        try:
            text = data.decode("utf-8-sig")
            del data  # the text is enough while streaming; the rare whole-document read reads the file again
            for offset, shift, item, events in _units_of_batch(text, self._batch_found):
                read += 1
                if read <= skip:
                    continue
                try:
                    mapping = _unit_value(offset, shift, item, events, source)
                    unit = shifted(read_unit, offset, mapping, self.rubric, source, shift=shift)
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
        document = parse_document(kept if kept is not None else self._bytes(path), source)
        if self.batch is None:
            self.batch = isinstance(document, Mapping) and "units" in document
        for n, mapping in enumerate(unit_mappings(document, source)):
            if n < max(read, skip):
                continue
            try:
                unit = read_unit(mapping, self.rubric, source)
            except FindingsError as error:
                yield error
                continue
            yield self._unique(unit, source, _position(mapping, "unit"))
        del document

    def _plain_json(self, data: bytes, source: str) -> Generator[Unit, None, int | None]:
        """A JSON document read by the json module alone, without the YAML reader: None once every unit is yielded.

        JSON keeps no positions, so on the first problem (the document, a unit, a name given
        twice) this stops and returns how many units it yielded; the caller reads the file again
        the way YAML is read, which gives every problem with where it stands, skipping those units.
        """
        try:
            document = parse_document(data, source, "json")
            mappings = list(unit_mappings(document, source))  # the document holds them already
        except FindingsError:
            return 0
        if self.batch is None:
            self.batch = isinstance(document, Mapping) and "units" in document
        yielded = 0
        for mapping in mappings:
            try:
                unit = read_unit(mapping, self.rubric, source)
            except FindingsError:
                return yielded
            if unit.name in self.seen:
                return yielded
            self.seen[unit.name] = source
            yield unit
            yielded += 1
        return None

    def _json_lines(self, path: Path, source: str) -> Iterator[Unit | FindingsError]:
        """JSON Lines: one unit per line, read a line at a time (a batch of any length)."""
        self._batch_found()
        try:
            with io.BytesIO(self.contents[path]) if path in self.contents else path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        mapping = shifted(parse_document, number - 1, line, source, "json")
                        unit = read_unit(mapping, self.rubric, source)
                    except FindingsError as error:
                        # JSON gives no positions inside a line; the line itself is known.
                        yield error.map(functools.partial(_on_line, line=number))
                        continue
                    yield self._unique(unit, source, (number, 1))
        except OSError as exc:
            raise _unreadable(path, exc) from None

    def _bytes(self, path: Path) -> bytes:
        return self.contents[path] if path in self.contents else read_bytes(path, "findings")

    def _batch_found(self) -> None:
        if self.batch is None:
            self.batch = True


def _read_once(path: Path | str) -> bool:
    """Whether the input can be read only once (standard input, a FIFO, a device): its bytes must be kept, not read again."""
    if str(path) == "-":
        return True
    try:
        return not Path(path).is_file()
    except OSError:
        return True


def _is_json(source: str, data: bytes) -> bool:
    """Whether a findings document is read as JSON (as `parse_document` decides: the suffix, or ``{``/``[`` on stdin)."""
    if source.lower().endswith(".json"):
        return True
    return source == STDIN and data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


def _unreadable(path: Path, exc: OSError) -> InputError:
    return cannot_read(path, "findings", exc)


def unit_mappings_of(path: str | Path, source: str) -> Iterator[tuple[Any, int, int]]:
    """The unit mappings of one findings document (a file, or ``-``), one at a time as they are read.

    Each comes with the line offset its positions are off by, and the column shift of its first
    line (`shifted` puts an error's place right). A plain ``units:`` list in YAML is read a unit at a time from its events, as a batch
    is scored; JSON is read whole by the json module (it keeps no positions); anything else is
    read whole, as `qlrules.io.documents.read_file` reads it.

    Raises:
        FindingsError: the document, or a unit's text, is not findings.
        InputError: it cannot be read.
    """
    data = read_bytes(path, "findings")
    kept = data if _read_once(path) else None  # standard input, a FIFO or a device cannot be read twice
    read = 0
    if not source.lower().endswith(".json"):
        try:
            text = data.decode("utf-8-sig")
            del data  # the text is enough while streaming; the rare whole-document read reads the file again
            for offset, shift, item, events in _units_of_batch(text, lambda: None):
                read += 1
                yield _unit_value(offset, shift, item, events, source), offset, shift
            return
        except (_NotSimple, UnicodeDecodeError):
            pass
    else:
        kept = data
    whole = parse_document(kept if kept is not None else read_bytes(path, "findings"), source)
    for n, mapping in enumerate(unit_mappings(whole, source)):
        if n >= read:
            yield mapping, 0, 0


def shifted(check: Callable[..., T], offset: int, *args: Any, shift: int = 0) -> T:
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
            return p._replace(line=line, column=column)
        raise error.map(move) from None


def _moved(line: int, column: int | None, offset: int, shift: int) -> tuple[int, int | None]:
    """A place in a slice as a place in its file: the slice starts ``offset`` lines and, on its first line, ``shift`` columns in."""
    if line == 1 and column is not None:
        column += shift
    return line + offset, column


def _position(mapping: Any, key: str) -> tuple[int | None, int | None] | None:
    locate = getattr(mapping, "position", None)
    return locate(key) if callable(locate) else None


def _units_of_batch(text: str, found: Callable[[], None]) -> Iterator[tuple[int, int, str, list[Any]]]:
    """Each unit of a ``units:`` document as (line offset, column shift, its text, its events), read from the YAML events.

    The text of a unit is the slice of the file it occupies. A block mapping's first line is
    padded to its column so the indentation holds (positions in it are then off only by the
    line offset); a flow mapping (``{…}``, all of JSON) needs no indentation and is not padded,
    which would cost as much as the file up to it on a one-line file: its first line's columns
    are off by the shift instead. Anchors,
    aliases, other top-level keys or a second document raise `_NotSimple`, and so does an error
    (the whole-document reader then gives the proper message). `_unit_value` makes the unit's
    value from its events.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    events = yaml.parse(text, Loader=loader)
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

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
            unit = [event]
            if isinstance(event, yaml.CollectionStartEvent):
                # The hot loop of a batch (every event of every unit): exact types, no attribute look-ups.
                depth = 1
                inner: Any
                for inner in events:
                    kind = type(inner)
                    if kind is scalar:
                        if inner.anchor is not None:
                            raise _NotSimple
                    elif kind is mapping_start or kind is sequence_start:
                        if inner.anchor is not None:
                            raise _NotSimple
                        depth += 1
                    elif kind is mapping_end or kind is sequence_end:
                        depth -= 1
                    else:
                        raise _NotSimple  # an alias, or what no collection holds
                    unit.append(inner)
                    if not depth:
                        end = inner.end_mark
                        break
                else:
                    raise _NotSimple
            elif not isinstance(event, yaml.ScalarEvent):
                raise _NotSimple
            if getattr(event, "flow_style", False):
                yield start.line, start.column, text[start.index:end.index], unit
            else:
                yield start.line, 0, " " * start.column + text[start.index:end.index], unit
        take(yaml.MappingEndEvent)
        take(yaml.DocumentEndEvent)
        take(yaml.StreamEndEvent)
    except yaml.YAMLError:
        raise _NotSimple from None


def _unit_value(offset: int, shift: int, text: str, events: list[Any], source: str) -> Any:
    """One unit of a ``units:`` list: built from its events, or (for what they cannot build, errors
    included) read from its text, so a message is the loader's own."""
    if not text.strip():
        return None
    if not read_as_json(source, text):  # JSON keeps no positions: its units are read as JSON
        try:
            return from_events(events, offset, shift)
        except NotBuilt:
            pass
    return shifted(parse_document, offset, text, source, shift=shift)


def _on_line(problem: FindingsProblem, line: int) -> FindingsProblem:
    """A JSON Lines problem without a position (JSON gives none inside a line) placed on its line."""
    return problem if problem.line is not None else problem._replace(line=line, column=None)

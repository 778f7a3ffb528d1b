"""Findings documents as written: YAML or JSON text to plain data that remembers where each value stands.

Numbers are read exactly (``1.5`` is ``Decimal("1.5")``, never a binary float),
keys may not repeat, and every error names the file, line and column.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Generator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import FindingsError
from ..i18n import _
from .text import decode, read_bytes

# -- positions ------------------------------------------------------------


class Located(dict[str, Any]):
    """A mapping read from YAML that remembers where it and each of its values stand."""

    line: int | None = None
    column: int | None = None
    value_positions: dict[str, tuple[int, int]]

    def position(self, key: str | None = None) -> tuple[int | None, int | None]:
        if key is not None and key in getattr(self, "value_positions", {}):
            return self.value_positions[key]
        return self.line, self.column


class LocatedList(list[Any]):
    """A sequence read from YAML that remembers where each element stands."""

    positions: list[tuple[int, int]]


@functools.cache
def yaml_loader() -> type:
    """The safe YAML loader findings are read with: positions, exact decimals, no duplicate keys."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe YAML with positions, exact decimals and no duplicate keys."""

    def construct_mapping(loader: Any, node: Any) -> Generator[Located, None, None]:
        mapping = Located()
        mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
        mapping.value_positions = {}
        yield mapping
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _yaml_error(key_node, _("keys are words like clause or count, not {key!r}").format(key=key))
            if key in mapping:
                raise _yaml_error(key_node, _("key {key!r} is given twice in one mapping").format(key=key))
            try:
                mapping[key] = loader.construct_object(value_node, deep=True)
            except YamlPositionError as error:
                if not error.keyed and value_node.tag in _NUMBER_TAGS:
                    error.message, error.keyed = f"{key}: {error.message}", True
                if error.unit is None:
                    error.unit = _unit_named(node)
                raise
            mapping.value_positions[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)

    def construct_sequence(loader: Any, node: Any) -> Generator[LocatedList, None, None]:
        sequence = LocatedList()
        sequence.positions = [(n.start_mark.line + 1, n.start_mark.column + 1) for n in node.value]
        yield sequence
        sequence.extend(loader.construct_object(n, deep=True) for n in node.value)

    def construct_int(loader: Any, node: Any) -> int:
        # YAML 1.1 reads 010 as 8, 1:00 as 60, 0x2 and 1_0 as numbers: only plain decimal is a number here.
        text = str(node.value)
        if not WHOLE.fullmatch(text):
            raise _yaml_error(node, not_a_number(text, decimal=False))
        return int(text)

    def construct_float(loader: Any, node: Any) -> Decimal:
        # Amounts are read exactly as written: 1.5 stays Decimal("1.5"), never a binary float.
        text = str(node.value)
        if text.lstrip("+-").lower() in (".inf", ".nan"):
            raise _yaml_error(node, _("{text!r} is not a number a score can use").format(text=node.value))
        if not DECIMAL.fullmatch(text):
            raise _yaml_error(node, not_a_number(text, decimal=True))
        return Decimal(text)

    def construct_str(loader: Any, node: Any) -> str:
        text = loader.construct_scalar(node)
        assert isinstance(text, str)
        message = surrogate_message(text)
        if message is not None:
            raise _yaml_error(node, message)
        return text

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:str", construct_str)
    return Loader


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class NotBuilt(Exception):
    """A value `from_events` leaves to the loader: anything but plain maps, lists, texts, numbers, yes/no and null."""


def from_events(events: Sequence[Any], line_offset: int, shift: int = 0) -> Any:
    """The value one node's YAML events make, exactly as `yaml_loader` would read its text.

    ``events`` are those of one node (a unit of a ``units:`` list), already parsed to find where
    it ends; building the value from them saves reading its text a second time. Positions are
    those of the node's text read apart: lines counted from ``line_offset``, and columns of its
    first line from ``shift`` (`qlrules.io.stream` pads a block node's first line instead). Whatever would need
    the loader's own handling, an error included, raises `NotBuilt`: read the text then, and its
    message is the loader's.
    """
    import yaml

    read = _scalar_value
    position = iter(events)
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def place(mark: Any) -> tuple[int, int]:
        line = mark.line - line_offset
        return line + 1, mark.column + 1 - (shift if line == 0 else 0)

    def value(event: Any) -> Any:
        kind = type(event)
        if event.tag not in (None, "!"):
            raise NotBuilt
        if kind is scalar:
            return read(event.value, event.implicit[0])
        if kind is mapping_start:
            mapping = Located()
            mapping.line, mapping.column = place(event.start_mark)
            positions: dict[str, tuple[int, int]] = {}
            mapping.value_positions = positions
            for key_event in position:
                if type(key_event) is mapping_end:
                    return mapping
                if type(key_event) is not scalar:
                    raise NotBuilt
                key = value(key_event)
                if not isinstance(key, str) or key in mapping:
                    raise NotBuilt
                value_event = next(position)
                mapping[key] = value(value_event)
                positions[key] = place(value_event.start_mark)
            raise NotBuilt
        if kind is sequence_start:
            sequence = LocatedList()
            sequence.positions = []
            for element in position:
                if type(element) is sequence_end:
                    return sequence
                sequence.positions.append(place(element.start_mark))
                sequence.append(value(element))
            raise NotBuilt
        raise NotBuilt

    try:
        return value(next(position))
    except (StopIteration, RecursionError, AttributeError):
        raise NotBuilt from None


@functools.lru_cache(maxsize=4096)
def _scalar_value(text: str, plain: bool) -> Any:
    """A scalar as `yaml_loader` reads it (the values of findings repeat: kept; each is immutable)."""
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (plain, not plain))  # type: ignore[no-untyped-call]
    return _scalar(tag, text)


def _scalar(tag: str, text: str) -> Any:
    """A scalar as `yaml_loader` constructs it, or `NotBuilt` where it would refuse it or do more."""
    if tag == "tag:yaml.org,2002:str":
        if surrogate_message(text) is not None:
            raise NotBuilt
        return text
    if tag == "tag:yaml.org,2002:int":
        if not WHOLE.fullmatch(text):
            raise NotBuilt
        return int(text)
    if tag == "tag:yaml.org,2002:float":
        if not DECIMAL.fullmatch(text):
            raise NotBuilt
        return Decimal(text)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("yes", "true", "on")
    raise NotBuilt
#: The numbers findings may contain (docs/scoring.md, “Findings documents”): ASCII digits in decimal,
#: an optional sign, and for a decimal one point with a digit on each side. Nothing else is a number:
#: not 010, 0x2, 0b11, 1_0, 1:00, .5, 1e3, nor full-width or other non-ASCII digits (２, ٢).
WHOLE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
DECIMAL = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")


def not_a_number(text: str, decimal: bool) -> str:
    """Why ``text``, written where a number (a ``decimal`` one, or a whole one) goes, is not one qlrules reads."""
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return _("{text} is not a number qlrules reads: type the digits 0-9 (ASCII), not full-width or other digits").format(text=text)
    if decimal:
        return _("{text} is not a number qlrules reads: write decimals with the digits 0-9 and one point, like 1.5 or 0.5").format(text=text)
    return _("{text} is not a number qlrules reads: write whole numbers in decimal, like 10").format(text=text)


def surrogate_message(text: str) -> str | None:
    """Why ``text`` is refused when it holds a lone surrogate (U+D800–DFFF), which no output can write; else None."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return _("this text holds a lone surrogate (\\u{code:04x}), which is not a character: remove it or write the character itself").format(
        code=ord(found.group()))


def _unit_named(node: Any) -> str | None:
    """The name a unit mapping node gives itself (``unit: …`` as a plain text), for messages."""
    import yaml

    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "unit" and isinstance(value_node, yaml.ScalarNode):
            name = str(value_node.value)
            return None if _SURROGATE.search(name) else name
    return None


class YamlPositionError(Exception):
    """A YAML value refused while loading, with where it stands (and the unit, when known)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column
        self.unit: str | None = None
        self.keyed = False  # whether the message already names the key


def _yaml_error(node: Any, message: str) -> YamlPositionError:
    return YamlPositionError(message, node.start_mark.line + 1, node.start_mark.column + 1)


# -- reading files ----------------------------------------------------------


#: The names of inputs without a suffix to tell their format: standard input, an HTTP request's body.
UNNAMED = ("<stdin>", "<request>")


def parse_document(data: bytes | str, source: str = "<findings>", fmt: str | None = None) -> Any:
    """Parse findings text as JSON or YAML (UTF-8, with or without BOM)."""
    text = decode(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if not text.strip():
        raise FindingsError(_("the file is empty; expected a unit (unit:, findings:) or a batch (units:)"), source=source)
    if fmt is None:
        fmt = "json" if read_as_json(source, text) else "yaml"
    if fmt == "json":
        return _parse_json(text, source)
    return parse_yaml(text, source)


def read_as_json(source: str, text: str) -> bool:
    """Whether `parse_document` reads ``text`` as JSON: by its name, or, on standard input (and a
    request's body), which have none, when it opens with { or [."""
    return source.lower().endswith(".json") or (source in UNNAMED and text.lstrip()[:1] in ("{", "["))


class _KeyTwice(Exception):
    """A key given twice in one JSON object (worded by `_parse_json`, which knows the source)."""


class _Constant(Exception):
    """NaN or Infinity in JSON (worded by `_parse_json`, which knows the text)."""


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(items)
    if len(mapping) != len(items):
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                raise _KeyTwice(key)
            seen.add(key)
    return mapping


def _no_constants(name: str) -> Any:
    raise _Constant(name)


#: One decoder for every document (a JSON Lines batch parses a document per line: `json.loads` with options builds a decoder each time).
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constants, object_pairs_hook=_pairs)


def _constant_error(name: str, text: str, source: str) -> FindingsError:
    # json does not say where the constant stands: find the first one outside a string.
    found = re.search(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text)
    while found and not found.group(1):
        found = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)').search(text, found.end())
    line = column = None
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return FindingsError(_("{name} is not a number a score can use").format(name=name), source=source, line=line, column=column)


def _parse_json(text: str, source: str) -> Any:
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        document = _DECODER.decode(text)
    except _KeyTwice as twice:
        raise FindingsError(_("key {key!r} is given twice in one object").format(key=twice.args[0]), source=source) from None
    except _Constant as constant:
        raise _constant_error(constant.args[0], text, source) from None
    except json.JSONDecodeError as exc:
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc.msg), source=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise FindingsError(_("not valid findings: nested too deeply"), source=source) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc), source=source) from None
    if _SURROGATE.search(text) or _SURROGATE_ESCAPE.search(text):
        _refuse_json_surrogates(text, document, source)
    return document


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\.|[\ud800-\udfff]")


def _refuse_json_surrogates(text: str, document: Any, source: str) -> None:
    """JSON lets ``"\\ud800"`` stand alone; no output can write it: refuse it where it stands, naming the unit."""
    for string in _JSON_STRING.finditer(text):
        high: re.Match[str] | None = None
        lone: re.Match[str] | None = None
        for escape in _JSON_ESCAPE.finditer(text, string.start(), string.end()):
            code = int(escape.group(1), 16) if escape.group(1) else ord(escape.group()) if len(escape.group()) == 1 else None
            if high is not None and (code is None or not 0xDC00 <= code <= 0xDFFF or escape.start() != high.end()):
                lone = high
                break
            if high is not None:
                high = None  # a pair: one character
            elif code is not None and 0xD800 <= code <= 0xDBFF:
                high = escape
            elif code is not None and 0xDC00 <= code <= 0xDFFF:
                lone = escape
                break
        lone = lone or high
        if lone is not None:
            line = text.count("\n", 0, lone.start()) + 1
            column = lone.start() - (text.rfind("\n", 0, lone.start()) + 1) + 1
            char = chr(int(lone.group(1), 16)) if lone.group(1) else lone.group()
            message = surrogate_message(char)
            assert message is not None
            raise FindingsError(message, source=source, unit=_json_unit(document), line=line, column=column)


def _json_unit(document: Any) -> str | None:
    """The name of the first unit of ``document`` holding a lone surrogate (itself, for one unit), if it has a usable one."""
    units = document.get("units") if isinstance(document, dict) else None
    for unit in units if isinstance(units, list) else [document]:
        if isinstance(unit, dict) and _holds_surrogate(unit):
            name = unit.get("unit")
            return name if isinstance(name, str) and surrogate_message(name) is None else None
    return None


def _holds_surrogate(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and surrogate_message(item) is not None:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def parse_yaml(text: str, source: str, loader: type | None = None) -> Any:
    """Load YAML text with the findings loader (or a subclass of it); errors name the place."""
    import yaml

    raw = _SURROGATE.search(text)  # text handed in as str, never from a file: UTF-8 cannot hold one
    if raw is not None:
        raise FindingsError(surrogate_message(raw.group()) or "", source=source, line=text.count("\n", 0, raw.start()) + 1,
                            column=raw.start() - (text.rfind("\n", 0, raw.start()) + 1) + 1)
    try:
        return yaml.load(text, Loader=loader or yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except YamlPositionError as exc:
        raise FindingsError(exc.message, source=source, unit=exc.unit, line=exc.line, column=exc.column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc.problem), source=source, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc), source=source) from None
    except RecursionError:
        raise FindingsError(_("not valid findings: nested too deeply"), source=source) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc), source=source) from None


def read_file(path: str | Path) -> Any:
    """Read and parse a findings file."""
    return parse_document(read_bytes(path, "findings"), str(path))

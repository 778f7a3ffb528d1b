"""Findings documents as written: YAML or JSON text to plain data that remembers where each value stands.

Numbers are read exactly (``1.5`` is ``Decimal("1.5")``, never a binary float),
keys may not repeat, and every error names the file, line and column.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Generator
from decimal import Decimal, InvalidOperation
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
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.value_positions[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)

    def construct_sequence(loader: Any, node: Any) -> Generator[LocatedList, None, None]:
        sequence = LocatedList()
        sequence.positions = [(n.start_mark.line + 1, n.start_mark.column + 1) for n in node.value]
        yield sequence
        sequence.extend(loader.construct_object(n, deep=True) for n in node.value)

    def construct_float(loader: Any, node: Any) -> Decimal:
        # Amounts are read exactly as written: 1.5 stays Decimal("1.5"), never a binary float.
        text = str(node.value).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _yaml_error(node, _("{text!r} is not a number a score can use").format(text=node.value)) from None
        if not value.is_finite():
            raise _yaml_error(node, _("{text!r} is not a number a score can use").format(text=node.value))
        return value

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    return Loader


class YamlPositionError(Exception):
    """A YAML value refused while loading, with where it stands."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _yaml_error(node: Any, message: str) -> YamlPositionError:
    return YamlPositionError(message, node.start_mark.line + 1, node.start_mark.column + 1)


# -- reading files ----------------------------------------------------------


def parse_document(data: bytes | str, source: str = "<findings>", fmt: str | None = None) -> Any:
    """Parse findings text as JSON or YAML (UTF-8, with or without BOM)."""
    text = decode(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if not text.strip():
        raise FindingsError(_("the file is empty; expected a unit (unit:, findings:) or a batch (units:)"), source=source)
    if fmt is None:
        # Standard input has no suffix: a document that opens with { or [ is JSON.
        sniffed = source == "<stdin>" and text.lstrip()[:1] in ("{", "[")
        fmt = "json" if source.lower().endswith(".json") or sniffed else "yaml"
    if fmt == "json":
        return _parse_json(text, source)
    return parse_yaml(text, source)


def _parse_json(text: str, source: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in items:
            if key in mapping:
                raise FindingsError(_("key {key!r} is given twice in one object").format(key=key), source=source)
            mapping[key] = value
        return mapping

    def no_constants(name: str) -> Any:
        # json does not say where the constant stands: find the first one outside a string.
        found = re.search(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text)
        while found and not found.group(1):
            found = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)').search(text, found.end())
        line = column = None
        if found:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise FindingsError(_("{name} is not a number a score can use").format(name=name), source=source, line=line, column=column)

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=no_constants, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc.msg), source=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise FindingsError(_("not valid findings: nested too deeply"), source=source) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc), source=source) from None


def parse_yaml(text: str, source: str, loader: type | None = None) -> Any:
    """Load YAML text with the findings loader (or a subclass of it); errors name the place."""
    import yaml

    try:
        return yaml.load(text, Loader=loader or yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except YamlPositionError as exc:
        raise FindingsError(exc.message, source=source, line=exc.line, column=exc.column) from None
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

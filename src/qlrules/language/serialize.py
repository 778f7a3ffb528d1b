"""A compiled rubric as plain data: JSON that names only the model's own classes.

What the rubric cache writes instead of a pickle, so that reading an entry can
never run code: decoding looks each object's class up in a fixed registry
(`CLASSES`) and checks every field against the class's annotation before
calling the class. Nothing named in the data is imported or called.

The encoding is compact and positional: a model object is a list, its class
name then its fields in `attrs.fields` order (``["Span", 1, 1, 1, 9]``); a
tuple is a list; a `~decimal.Decimal` is its string (``"-0.5"``); ``str``,
``int``, ``bool`` and ``None`` are themselves. The fields' types say how to
read each value, so a number where a string belongs, a missing or an extra
field, a class where another is expected, a malformed Decimal: each refuses
the whole document (`ValueError`), never giving a different rubric.
"""

from __future__ import annotations

import functools
import json
import operator
import types
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ..errors import Problem
from ..model import (
    Adjustment,
    AdjustmentGroup,
    AdjustmentRule,
    Band,
    Clause,
    ClauseRule,
    Discretionary,
    Each,
    Grade,
    Item,
    Level,
    Levels,
    Measure,
    Once,
    Ranged,
    Rubric,
    Rule,
    Section,
    Span,
    Topic,
    Veto,
)

#: Every class the data may name: the model's own, and the compiler's warnings.
CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Span, Rule, Once, Each, Discretionary, Ranged, Level, Levels, Band, Measure, Clause, Item, Topic,
                Section, Adjustment, AdjustmentGroup, Grade, Veto, Rubric, Problem)
}

Decoder = Callable[[Any], Any]


class _Refused(ValueError):
    """The data is not a rubric this module wrote."""


# -- writing ----------------------------------------------------------------------------------


def _fields(cls: type) -> list[tuple[str, Any]]:
    """A model class's fields, in order, each with its annotation: an attrs class's, or a named tuple's (`Problem`)."""
    if attrs.has(cls):
        fields = attrs.fields(cls)
        assert all(f.init and not f.kw_only for f in fields), cls.__name__
        return [(f.name, f.type) for f in fields]
    annotations = cls.__annotations__  # a named tuple keeps each as a ForwardRef: its text is what `_annotation` reads
    return [(name, getattr(annotations[name], "__forward_arg__", annotations[name])) for name in cls._fields]  # type: ignore[attr-defined]


def _is_model(value: Any) -> bool:
    cls = type(value)
    return attrs.has(cls) or (isinstance(value, tuple) and hasattr(cls, "_fields"))


def _plain(value: Any) -> Any:
    if _is_model(value):
        cls = type(value)
        if CLASSES.get(cls.__name__) is not cls:
            raise TypeError(f"{cls.__name__} is not a model class")
        return [cls.__name__, *(_plain(getattr(value, name)) for name, _type in _fields(cls))]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int)):  # bool is an int
        return value
    raise TypeError(f"cannot write {type(value).__name__}")


def to_data(rubric: Rubric) -> bytes:
    """``rubric`` (with its warnings) as UTF-8 JSON."""
    return json.dumps(_plain(rubric), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- reading ----------------------------------------------------------------------------------


def _string(value: Any) -> str:
    if type(value) is not str:
        raise _Refused("expected a string")
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise _Refused("expected an integer")
    return value


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise _Refused("expected true or false")
    return value


def _none(value: Any) -> None:
    if value is not None:
        raise _Refused("expected null")


_NUMBERS: dict[str, Decimal] = {}


def _decimal(value: Any) -> Decimal:
    if type(value) is str and (known := _NUMBERS.get(value)) is not None:
        return known
    if type(value) is not str:
        raise _Refused("expected a number as a string")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Refused("expected a number") from None
    if not number.is_finite() or str(number) != value:  # exactly as `to_data` writes it
        raise _Refused("expected a finite number in its canonical form")
    if len(_NUMBERS) < 4096:  # a rubric has few distinct numbers; Decimals are immutable
        _NUMBERS[value] = number
    return number


_SCALARS: dict[Any, Decoder] = {str: _string, int: _integer, bool: _boolean, type(None): _none, Decimal: _decimal}

_DECODERS: dict[type, Decoder] = {}


def _object(cls: type) -> Decoder:
    """The decoder of ``cls``'s list: its name, then each field read by its type."""
    if (known := _DECODERS.get(cls)) is not None:
        return known
    name = cls.__name__
    fields = _fields(cls)
    size = len(fields) + 1
    # Fields of one exact type (str, int, bool) are checked together, in one comparison of
    # their values' types; the others each through their own decoder.
    exact: list[int] = []
    kinds: list[type] = []
    others: list[tuple[int, Decoder]] = []

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != size or value[0] != name:
            raise _Refused(f"expected {name}")
        args = value[1:]
        if exact and pick(tuple(map(type, args))) != expected:
            raise _Refused(f"{name}: a field of the wrong type")
        for n, d in others:
            args[n] = d(args[n])
        return cls(*args)

    _DECODERS[cls] = decode  # before the fields', should a class ever hold its own kind
    for n, (_name, written) in enumerate(fields):
        tp = _annotation(written)
        if tp in (str, int, bool):
            exact.append(n)
            kinds.append(tp)
        else:
            others.append((n, _decoder(tp)))
    pick: Callable[[tuple[type, ...]], Any] = operator.itemgetter(*exact) if exact else tuple
    expected: Any = kinds[0] if len(kinds) == 1 else tuple(kinds)  # as itemgetter gives them
    return decode


def _tuple(element: Decoder) -> Decoder:
    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _Refused("expected a list")
        return tuple(map(element, value))

    return decode


def _optional(decoder: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        return None if value is None else decoder(value)

    return decode


def _union(classes: tuple[type, ...]) -> Decoder:
    by_name = {cls.__name__: _object(cls) for cls in classes}

    def decode(value: Any) -> Any:
        if type(value) is not list or not value or type(value[0]) is not str or value[0] not in by_name:
            raise _Refused(f"expected one of {', '.join(by_name)}")
        return by_name[value[0]](value)

    return decode


#: The names the model's field annotations use.
_NAMES: dict[str, Any] = {"str": str, "int": int, "bool": bool, "None": type(None), "Decimal": Decimal,
                          "ClauseRule": ClauseRule, "AdjustmentRule": AdjustmentRule, **CLASSES}


def _annotation(written: Any) -> Any:
    """The type a field's annotation names (a string, under postponed evaluation).

    Read here, from the closed set of forms the model uses (``X``, ``X | Y``,
    ``tuple[X, ...]``), rather than through `typing.get_type_hints`, which would
    compile each string and make the first cache read slow.
    """
    if not isinstance(written, str):
        return written
    if written.startswith("tuple[") and written.endswith(", ...]"):
        return tuple[_annotation(written[6:-6]), ...]  # type: ignore[misc]
    if " | " in written:
        return functools.reduce(operator.or_, (_annotation(part) for part in written.split(" | ")))
    if written not in _NAMES:
        raise TypeError(f"no plain-data form for {written!r}")
    return _NAMES[written]


def _decoder(tp: Any) -> Decoder:
    """How to read a value of the annotated type ``tp`` (a closed set: the model's field types)."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple(_decoder(args[0]))
    if origin in (typing.Union, types.UnionType):
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            return _optional(_decoder(rest[0] if len(rest) == 1 else typing.Union[rest]))  # noqa: UP007 - built from a tuple
        if all(CLASSES.get(getattr(a, "__name__", "")) is a for a in rest):
            return _union(rest)
    if isinstance(tp, type) and CLASSES.get(tp.__name__) is tp:
        return _object(tp)
    raise TypeError(f"no plain-data form for {tp!r}")


#: Built once, at import (under the import lock, so threads never see a half-built decoder).
_RUBRIC = _object(Rubric)


def from_data(data: bytes) -> Rubric:
    """The rubric `to_data` wrote as ``data``.

    Raises:
        ValueError: ``data`` is not such a rubric (not JSON, a class outside `CLASSES`, a field
            missing or of the wrong type, a malformed number…); nothing in it was run.
    """
    try:
        return _RUBRIC(json.loads(data))  # type: ignore[no-any-return]
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, _Refused
        raise
    except (TypeError, RecursionError, ArithmeticError) as error:  # too deeply nested, or stranger
        raise _Refused(str(error)) from error

"""The report as JSON (docs/scoring.md, “The report”): one unit an object, a batch ``{"units": [...]}``, numbers exact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ..model import Rubric
from ..scoring.report import Report

if TYPE_CHECKING:
    from ..io.stream import Missing


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON text of ``value`` with `Decimal` numbers written exactly (93.5, never 93.49999; 7, not 7.0)."""
    import simplejson

    return str(simplejson.dumps(value, use_decimal=True, ensure_ascii=False, indent=indent))


def to_json(reports: Sequence[Report], batch: bool) -> str:
    """One unit: an object; a batch: ``{"units": [...]}`` in input order."""
    if not batch:
        return dumps(reports[0].to_dict())
    return dumps({"units": [r.to_dict() for r in reports]})


class JsonRenderer:
    """A batch is written unit by unit, indented as `to_json` would indent the whole."""

    binary = False

    def __init__(self, out: IO[str], rubric: Rubric, width: int | None = None) -> None:
        self.out = out
        self.count = 0
        self.left_out: Sequence[Missing] = ()

    def add(self, report: Report, batch: bool) -> None:
        text = dumps(report.to_dict())
        if batch:
            text = ("{\n  \"units\": [\n" if self.count == 0 else ",\n") + "\n".join("    " + line for line in text.split("\n"))
        self.count += 1
        self.out.write(text)

    def missing(self, units: Sequence[Missing]) -> None:
        self.left_out = units

    def finish(self, batch: bool) -> None:
        if batch:
            self.out.write("\n  ]" if self.count else "{\n  \"units\": []")
            if self.left_out:
                # Beside units: the units --keep-going left out, each with its errors.
                text = dumps([m.to_dict() for m in self.left_out])
                self.out.write(",\n  \"missing\": " + "\n".join(("  " if n else "") + line for n, line in enumerate(text.split("\n"))))
            self.out.write("\n}")

    def discard(self) -> None:
        pass

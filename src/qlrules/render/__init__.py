"""Reports to output formats: one renderer per format, behind a registry.

A renderer receives the reports of a run one by one (`add`) and writes what
it can as they come; `finish` writes what needs every report (a ranking, a
closing bracket). The command line builds its ``--format`` choice from
`FORMATS`, so a new format is one module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..io.stream import Missing
    from ..model import Rubric
    from ..scoring.report import Report


class Renderer(Protocol):
    """Writes reports into ``out`` as they come."""

    #: Whether the output is bytes (a workbook) rather than text.
    binary: bool

    def add(self, report: Report, batch: bool) -> None: ...

    def missing(self, units: Sequence[Missing]) -> None:
        """The units ``--keep-going`` left out, before `finish`: the report says which they are."""

    def finish(self, batch: bool) -> None: ...

    def discard(self) -> None:
        """The run failed: release what the renderer holds; nothing is written."""


#: format name -> "module:class", relative to this package, in the order --help lists them.
_RENDERERS = {
    "table": ".table:TableRenderer",
    "json": ".json:JsonRenderer",
    "jsonl": ".json:JsonLinesRenderer",
    "csv": ".csv:CsvRenderer",
    "xlsx": ".xlsx:XlsxRenderer",
    "markdown": ".markdown:MarkdownRenderer",
}
FORMATS = tuple(_RENDERERS)
#: Formats whose output is bytes.
BINARY_FORMATS = frozenset({"xlsx"})
#: Text formats that start with a UTF-8 byte order mark unless told not to (``--no-bom``): Excel on
#: Windows reads a CSV file as UTF-8 only after one, and shows mojibake otherwise.
BOM_FORMATS = frozenset({"csv"})
#: The byte order mark, as text.
BOM = "\ufeff"


def renderer(fmt: str, out: IO[Any], rubric: Rubric, width: int | None = None) -> Renderer:
    """The renderer of ``fmt`` writing into ``out`` (text, or bytes for a binary format)."""
    module, name = _RENDERERS[fmt].split(":")
    cls = getattr(importlib.import_module(module, __name__), name)
    made: Renderer = cls(out, rubric, width)
    return made

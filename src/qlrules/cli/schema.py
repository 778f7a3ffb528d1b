"""`qlrules schema`: the JSON Schema of a valid findings document for a rubric."""

from __future__ import annotations

from pathlib import Path

from ..i18n import N_
from .common import OUTPUT, user_errors
from .lang import PathType, command, option


@command(short_help=N_("Print the JSON Schema of a findings document for a rubric."),
         help=N_("Print a JSON Schema (2020-12) of a valid findings document for the rubric: its clause ids, "
                 "the keys each clause takes, its levels and bounds, one unit or a batch with units:."))
@option("--rubric", "rubric_path", type=PathType(dir_okay=False, path_type=Path),
        help=N_("Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric."))
@option("-o", "--output", type=OUTPUT, help=N_("Write here instead of stdout (- is stdout)."))
def schema(rubric_path: Path | None, output: Path | None) -> None:
    from ..api import load_rubric
    from ..io.output import write_output
    from ..render.json import dumps
    from ..scoring.schema import findings_schema

    with user_errors():
        rubric = load_rubric(rubric_path)
        write_output(dumps(findings_schema(rubric)) + "\n", output, inputs=[rubric_path] if rubric_path else [])

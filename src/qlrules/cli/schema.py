"""`qlrules schema`: the JSON Schema of a valid findings document for a rubric."""

from __future__ import annotations

from pathlib import Path

import click

from .common import OUTPUT, user_errors


@click.command()
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric.")
@click.option("-o", "--output", type=OUTPUT, help="Write here instead of stdout (- is stdout).")
def schema(rubric_path: Path | None, output: Path | None) -> None:
    """Print a JSON Schema (2020-12) of a valid findings document for the rubric: its clause ids,
    the keys each clause takes, its levels and bounds, one unit or a batch with units:."""
    from ..api import load_rubric
    from ..io.output import write_output
    from ..render.json import dumps
    from ..scoring.schema import findings_schema

    with user_errors():
        rubric = load_rubric(rubric_path)
        write_output(dumps(findings_schema(rubric)) + "\n", output, inputs=[rubric_path] if rubric_path else [])

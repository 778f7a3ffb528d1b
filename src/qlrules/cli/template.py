"""`qlrules template`: the Excel form an assessor fills in for one unit."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from .common import OUTPUT, user_errors


@click.command()
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric.")
@click.option("--unit", "unit", default=None, help="Write this unit's name into the form.")
@click.option("-o", "--output", type=OUTPUT, required=True, help="The workbook to write (.xlsx; - is stdout).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (it may be a form someone has filled in).")
def template(rubric_path: Path | None, unit: str | None, output: Path, force: bool) -> None:
    """Write an Excel form to fill in for one unit: one row per clause and adjustment."""
    from ..api import load_rubric
    from ..io.form import write_template
    from ..io.output import OutputError, is_stdio, refuse_inputs

    with user_errors():
        inputs = [rubric_path] if rubric_path else []
        refuse_inputs(output, inputs)
        if not force and not is_stdio(output) and output.is_file():
            raise OutputError(_("{path}: the file exists and may be a filled form; use --force to replace it").format(path=output))
        write_template(load_rubric(rubric_path), output, unit, inputs=inputs)

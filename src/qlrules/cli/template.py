"""`qlrules template`: the Excel form an assessor fills in for one unit."""

from __future__ import annotations

from pathlib import Path

from ..i18n import N_, _
from .common import OUTPUT, user_errors
from .lang import PathType, command, option


@command(short_help=N_("Write an Excel form to fill in for one unit."),
         help=N_("Write an Excel form to fill in for one unit: one row per clause and adjustment."))
@option("--rubric", "rubric_path", type=PathType(dir_okay=False, path_type=Path),
        help=N_("Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric."))
@option("--unit", "unit", default=None, metavar=N_("NAME"), help=N_("Write this unit's name into the form."))
@option("-o", "--output", type=OUTPUT, required=True, help=N_("The workbook to write (.xlsx; - is stdout)."))
@option("--force", is_flag=True, help=N_("Replace the file -o names if it exists (it may be a form someone has filled in)."))
def template(rubric_path: Path | None, unit: str | None, output: Path, force: bool) -> None:
    from ..api import load_rubric
    from ..io.form import write_template
    from ..io.output import OutputError, is_stdio, refuse_inputs

    with user_errors():
        inputs = [rubric_path] if rubric_path else []
        refuse_inputs(output, inputs)
        if not force and not is_stdio(output) and output.is_file():
            raise OutputError(_("{path}: the file exists and may be a filled form; use --force to replace it").format(path=output))
        write_template(load_rubric(rubric_path), output, unit, inputs=inputs)

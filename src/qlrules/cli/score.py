"""`qlrules score`: findings in, a report out."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import N_, _
from ..render import FORMATS
from .common import OUTPUT, user_errors
from .lang import IntRange, PathType, argument, command, option

#: What the suffix of -o says the format is, when --format is not given.
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown"}


def format_of(output: Path | None) -> str:
    """The format the output file's suffix names (`-o batch.xlsx` writes a workbook), else the table."""
    return SUFFIXES.get(output.suffix.lower(), "table") if output is not None else "table"


def _terminal_width() -> int:
    import shutil  # only the table is laid out for the terminal

    return shutil.get_terminal_size().columns


@command(short_help=N_("Score units: findings in, a report out."),
         help=N_("Score the units in FINDINGS: YAML or JSON files (one unit, or a batch with units:), JSON Lines "
                 "(.jsonl, one unit per line), filled forms (.xlsx, from `qlrules template`) or folders of forms; "
                 "a FINDINGS of - is one findings document on standard input. Several inputs, or a folder, make a batch."))
@argument("findings", nargs=-1, required=True, type=PathType(allow_dash=True, path_type=Path), metavar=N_("FINDINGS..."))
@option("--rubric", "rubric_path", type=PathType(dir_okay=False, path_type=Path),
        help=N_("Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric."))
@option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
        help=N_("table for reading, json for other systems, jsonl one report per line for pipelines, csv one row per unit, "
                "xlsx a ranked workbook (needs -o), markdown for a written report. "
                "Default: from the suffix of -o (.json, .jsonl, .csv, .xlsx, .md), else table."))
@option("-o", "--output", type=OUTPUT, help=N_("Write here instead of stdout (- is stdout)."))
@option("-j", "--jobs", type=IntRange(min=1), default=1, show_default=True,
        help=N_("Score with this many processes (for large batches)."))
@option("--any-rubric", is_flag=True,
        help=N_("Score forms (.xlsx) made for another rubric too; their clause ids are still checked."))
@option("--keep-going", is_flag=True,
        help=N_("In a batch, leave invalid units out and score the rest: the report lists the units left out "
                "(csv cannot: they are on stderr only), their errors go to stderr, and the exit status is still 1."))
@option("--no-bom", "no_bom", is_flag=True,
        help=N_("Write csv without the UTF-8 byte order mark it starts with by default (Excel on Windows needs it "
                "to read UTF-8; some other programs show it as a stray character)."))
def score(findings: tuple[Path, ...], rubric_path: Path | None, fmt: str | None, output: Path | None, jobs: int,
          any_rubric: bool, keep_going: bool, no_bom: bool) -> None:
    fmt = fmt or format_of(output)
    if fmt == "xlsx" and output is None:
        raise click.UsageError(_("--format xlsx writes a workbook: name the file with -o"))
    if len(findings) == 1 and jobs == 1 and not keep_going:
        from ..command import score_one  # one unit to JSON from the cached plan, when it can

        with user_errors():
            if score_one(findings[0], rubric_path, fmt, output):
                return
    from ..api import load_rubric
    from ..io.output import is_stdio
    from ..scoring.batch import score as score_units

    with user_errors():
        rubric = load_rubric(rubric_path)
        inputs = [*findings, *([rubric_path] if rubric_path else [])]
        width = _terminal_width() if fmt == "table" and is_stdio(output) else None
        # Units are scored one by one into a temporary file: one bad unit, no report at all
        # (with --keep-going, a report of the others, then the errors).
        score_units(findings, rubric, fmt, output, width=width, jobs=jobs, inputs_not_to_overwrite=inputs,
                    any_rubric=any_rubric, keep_going=keep_going, bom=not no_bom)

"""`qlrules score`: findings in, a report out."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ..i18n import _
from ..render import FORMATS
from .common import OUTPUT, user_errors

#: What the suffix of -o says the format is, when --format is not given.
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown"}


def format_of(output: Path | None) -> str:
    """The format the output file's suffix names (`-o batch.xlsx` writes a workbook), else the table."""
    return SUFFIXES.get(output.suffix.lower(), "table") if output is not None else "table"


@click.command()
@click.argument("findings", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="table for reading, json for other systems, jsonl one report per line for pipelines, csv one row per unit, xlsx a ranked workbook (needs -o), "
                   "markdown for a written report. Default: from the suffix of -o (.json, .jsonl, .csv, .xlsx, .md), else table.")
@click.option("-o", "--output", type=OUTPUT, help="Write here instead of stdout (- is stdout).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Score with this many processes (for large batches).")
@click.option("--any-rubric", is_flag=True,
              help="Score forms (.xlsx) made for another rubric too; their clause ids are still checked.")
@click.option("--keep-going", is_flag=True,
              help="In a batch, leave invalid units out and score the rest: the report lists the units left out "
                   "(csv cannot: they are on stderr only), their errors go to stderr, and the exit status is still 1.")
@click.option("--no-bom", "no_bom", is_flag=True,
              help="Write csv without the UTF-8 byte order mark it starts with by default (Excel on Windows needs it "
                   "to read UTF-8; some other programs show it as a stray character).")
def score(findings: tuple[Path, ...], rubric_path: Path | None, fmt: str | None, output: Path | None, jobs: int,
          any_rubric: bool, keep_going: bool, no_bom: bool) -> None:
    """Score the units in FINDINGS: YAML or JSON files (one unit, or a batch with units:), JSON Lines
    (.jsonl, one unit per line), filled forms (.xlsx, from `qlrules template`) or folders of forms;
    a FINDINGS of - is one findings document on standard input. Several inputs, or a folder, make a batch."""
    from ..api import load_rubric
    from ..io.output import is_stdio
    from ..scoring.batch import score as score_units

    fmt = fmt or format_of(output)
    if fmt == "xlsx" and output is None:
        raise click.UsageError(_("--format xlsx writes a workbook: name the file with -o"))
    with user_errors():
        rubric = load_rubric(rubric_path)
        inputs = [*findings, *([rubric_path] if rubric_path else [])]
        width = shutil.get_terminal_size().columns if is_stdio(output) else None
        # Units are scored one by one into a temporary file: one bad unit, no report at all
        # (with --keep-going, a report of the others, then the errors).
        score_units(findings, rubric, fmt, output, width=width, jobs=jobs, inputs_not_to_overwrite=inputs,
                    any_rubric=any_rubric, keep_going=keep_going, bom=not no_bom)

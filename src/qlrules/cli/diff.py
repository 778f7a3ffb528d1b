"""`qlrules diff`: what changed between two rubrics, and what that does to scored units."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ..i18n import N_
from .common import INPUT, OUTPUT, user_errors
from .lang import argument, command, option


@command(short_help=N_("What changed between two rubrics, by id."),
         help=N_("Show what changed from rubric OLD to rubric NEW, by id; exit 0 whether or not they differ."))
@argument("old", type=INPUT, metavar=N_("OLD"))
@argument("new", type=INPUT, metavar=N_("NEW"))
@option("--findings", "findings", type=INPUT,
        help=N_("A findings file (one unit or a batch): score each unit under both rubrics and show what moved."))
@option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True,
        help=N_("table for a terminal, markdown for a review, json for other systems."))
@option("-o", "--output", type=OUTPUT, help=N_("Write here instead of stdout (- is stdout)."))
def diff(old: Path, new: Path, findings: Path | None, fmt: str, output: Path | None) -> None:
    from ..api import load_rubric
    from ..authoring.diff import diff_rubrics, replay, to_json, to_markdown, to_table
    from ..io.documents import read_file
    from ..io.output import is_stdio, refuse_inputs, write_output

    inputs = [old, new, *([findings] if findings else [])]
    with user_errors():
        refuse_inputs(output, inputs)
        before, after = load_rubric(old), load_rubric(new)
        changes = diff_rubrics(before, after)
        impacts = replay(before, after, read_file(findings), changes, str(findings)) if findings is not None else None
        if fmt == "json":
            text = to_json(before, after, changes, impacts)
        elif fmt == "markdown":
            text = to_markdown(before, after, changes, impacts, str(findings) if findings else None)
        else:
            width = shutil.get_terminal_size().columns if is_stdio(output) else None
            text = to_table(before, after, changes, impacts, str(findings) if findings else None, width)
        write_output(text, output)

"""`qlrules diff`: what changed between two rubrics, and what that does to scored units."""

from __future__ import annotations

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
    from ..authoring.diff import diff_rubrics, replay_units, to_table, write_json, write_markdown
    from ..io.output import is_stdio, open_output, refuse_inputs
    from ..io.stream import unit_mappings_of

    inputs = [old, new, *([findings] if findings else [])]
    with user_errors():
        refuse_inputs(output, inputs)
        before, after = load_rubric(old), load_rubric(new)
        changes = diff_rubrics(before, after)
        # Units are replayed one at a time into the output as they are read: memory stays flat
        # with the batch (the output is still whole or nothing: `open_output`).
        source = str(findings)
        impacts = (replay_units(before, after, unit_mappings_of(findings, source), changes, source)
                   if findings is not None else None)
        with open_output(output) as out:
            if fmt == "json":
                write_json(out, before, after, changes, impacts)
            elif fmt == "markdown":
                write_markdown(out, before, after, changes, impacts, source if findings else None)
            else:
                import shutil

                width = shutil.get_terminal_size().columns if is_stdio(output) else None
                out.write(to_table(before, after, changes, impacts, source if findings else None, width))

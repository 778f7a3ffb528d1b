"""`qlrules draft`: a first rubric file from the official document."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import N_
from .common import INPUT, OUTPUT, user_errors
from .lang import argument, command, option


@command(short_help=N_("Draft a rubric from an official document."),
         help=N_("Draft a rubric from an official DOCUMENT: the attachment as .docx or .pdf, or its text "
                 "(.txt, .md, UTF-8; - reads standard input).\n\n"
                 "Official wording is copied with a PDF extraction's stray spaces closed up; `# TODO:` comments mark what the "
                 "document leaves undecided. Prints the draft, or writes it whole with -o. "
                 "A .doc or .wps file is refused: save it as .docx first."))
@argument("document", type=INPUT, metavar=N_("DOCUMENT"))
@option("-o", "--output", type=OUTPUT, help=N_("Write the draft here instead of stdout (- is stdout)."))
def draft(document: Path, output: Path | None) -> None:
    from ..authoring.draft import draft_file
    from ..io.output import refuse_inputs, write_output

    with user_errors():
        refuse_inputs(output, [document])
        result = draft_file(document, str(document))
        write_output(result.text, output)
    click.echo(result.summary(), err=True)

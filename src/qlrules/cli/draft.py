"""`qlrules draft`: a first rubric file from the official document."""

from __future__ import annotations

from pathlib import Path

import click

from .common import INPUT, OUTPUT, user_errors


@click.command()
@click.argument("document", type=INPUT)
@click.option("-o", "--output", type=OUTPUT, help="Write the draft here instead of stdout (- is stdout).")
def draft(document: Path, output: Path | None) -> None:
    """Draft a rubric from an official DOCUMENT: the 附件 as .docx or .pdf, or its text (.txt, .md, UTF-8; - reads standard input).

    Official wording is copied verbatim; `# TODO:` comments mark what the
    document leaves undecided. Prints the draft, or writes it whole with -o.
    A .doc or .wps file is refused: save it as .docx first.
    """
    from ..authoring.draft import draft_file
    from ..io.output import refuse_inputs, write_output

    with user_errors():
        refuse_inputs(output, [document])
        result = draft_file(document, str(document))
        write_output(result.text, output)
    click.echo(result.summary(), err=True)

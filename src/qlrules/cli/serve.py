"""`qlrules serve`: the scorer over HTTP, and the assessors' page."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import N_, _
from .common import user_errors
from .lang import FloatRange, IntRange, PathType, command, option


@command(short_help=N_("Serve the scorer over HTTP, with a page for assessors."),
         help=N_("Serve the scorer over HTTP: POST /v1/score, the rubrics, their findings schema, POST /v1/check, "
                 "/openapi.json and /docs, and at / a page where assessors upload filled forms and read the scores."))
@option("--rubric", "rubric_paths", multiple=True, type=PathType(dir_okay=False, path_type=Path),
        help=N_("A rubric file (.qlr) to serve, under its file name without .qlr; repeat for several. "
                "Default: the bundled 清廉机关建设 rubric."))
@option("--host", default="127.0.0.1", show_default=True, metavar=N_("ADDRESS"),
        help=N_("Address to listen on (loopback unless you say otherwise)."))
@option("--port", type=IntRange(0, 65535), default=8080, show_default=True, help=N_("Port to listen on."))
@option("--workers", type=IntRange(min=1), default=1, show_default=True, help=N_("Server processes."))
@option("--token-file", type=PathType(dir_okay=False, exists=True, path_type=Path),
        help=N_("A file holding the token requests must send (Authorization: Bearer TOKEN); "
                "without it the service is open to whoever reaches the address."))
@option("--max-body", type=IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
        help=N_("The largest request body accepted, in bytes."))
@option("--timeout", type=FloatRange(min=0.1), default=30.0, show_default=True,
        help=N_("Seconds a request may take before it is answered 503."))
def serve(rubric_paths: tuple[Path, ...], host: str, port: int, workers: int, token_file: Path | None,
          max_body: int, timeout: float) -> None:
    try:
        from ..serve.run import run
    except ImportError as error:  # pragma: no cover - the serve extra not installed
        raise click.ClickException(_("qlrules serve needs its extra: pip install 'qlrules[serve]' ({error})").format(error=error)) from None
    with user_errors():
        run(rubric_paths, host=host, port=port, workers=workers, token_file=token_file, max_body=max_body, timeout=timeout)

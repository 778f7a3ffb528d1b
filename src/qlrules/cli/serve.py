"""`qlrules serve`: the scorer over HTTP, and the assessors' page."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from .common import user_errors


@click.command()
@click.option("--rubric", "rubric_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A rubric file (.qlr) to serve, under its file name without .qlr; repeat for several. "
                   "Default: the bundled 清廉机关建设 rubric.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless you say otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes.")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A file holding the token requests must send (Authorization: Bearer TOKEN); "
                   "without it the service is open to whoever reaches the address.")
@click.option("--max-body", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="The largest request body accepted, in bytes.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a request may take before it is answered 503.")
def serve(rubric_paths: tuple[Path, ...], host: str, port: int, workers: int, token_file: Path | None,
          max_body: int, timeout: float) -> None:
    """Serve the scorer over HTTP: POST /v1/score, the rubrics, their findings schema, POST /v1/check,
    /openapi.json and /docs, and at / a page where assessors upload filled forms and read the scores."""
    try:
        from ..serve.run import run
    except ImportError as error:  # pragma: no cover - the serve extra not installed
        raise click.ClickException(_("qlrules serve needs its extra: pip install 'qlrules[serve]' ({error})").format(error=error)) from None
    with user_errors():
        run(rubric_paths, host=host, port=port, workers=workers, token_file=token_file, max_body=max_body, timeout=timeout)

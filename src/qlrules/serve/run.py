"""Starting the service: rubrics loaded (and refused) before the port opens, then uvicorn.

Several workers are several processes, each building the app from the settings passed in
``QLRULES_SERVE`` (JSON) by `from_environment`: uvicorn imports the app by name in each.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from ..i18n import _
from .app import Settings, create_app

ENVIRONMENT = "QLRULES_SERVE"


def load_settings(rubric_paths: Sequence[str | Path], token_file: str | Path | None, max_body: int, timeout: float) -> Settings:
    """The rubrics by id (the bundled one when none is given), and the token read from its file.

    Raises:
        QlrulesError: a rubric does not compile or cannot be read, two share an id, the token file is empty.
    """
    from ..api import load_rubric
    from ..io.text import read_bytes
    from .service import rubric_id

    rubrics = {}
    paths: Sequence[str | Path | None] = rubric_paths or [None]
    for path in paths:
        rubric = load_rubric(path)
        ident = rubric_id(rubric)
        if ident in rubrics:
            raise InputError(_("{path}: another rubric is already served as {id!r}; rename one of the files").format(path=path, id=ident))
        rubrics[ident] = rubric
    token = None
    if token_file is not None:
        token = read_bytes(token_file, "document").decode("utf-8", "replace").strip()
        if not token:
            raise InputError(_("{path}: the token file is empty").format(path=token_file))
    return Settings(rubrics, token=token, max_body=max_body, timeout=timeout)


def from_environment() -> object:
    """The app of one worker process, from the settings `run` put in the environment."""
    given = json.loads(os.environ[ENVIRONMENT])
    return create_app(load_settings(given["rubrics"], given["token_file"], given["max_body"], given["timeout"]))


def run(rubric_paths: Sequence[Path], *, host: str, port: int, workers: int, token_file: Path | None,
        max_body: int, timeout: float) -> None:
    import uvicorn

    settings = load_settings(rubric_paths, token_file, max_body, timeout)  # refused here, before the port opens
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    common = {"host": host, "port": port, "access_log": False, "log_level": "info", "timeout_keep_alive": 5}
    if workers == 1:
        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]
        return
    os.environ[ENVIRONMENT] = json.dumps({"rubrics": [str(p) for p in rubric_paths], "token_file": str(token_file) if token_file else None,
                                          "max_body": max_body, "timeout": timeout})
    uvicorn.run("qlrules.serve.run:from_environment", factory=True, workers=workers, **common)  # type: ignore[arg-type]

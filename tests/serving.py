"""What the service tests share: a client on the app, the shipped rubrics, a filled form."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from starlette.testclient import TestClient

from qlrules.serve.app import MAX_BODY, TIMEOUT, create_app
from qlrules.serve.run import load_settings

from .conftest import ROOT

FAMILY = sorted((ROOT / "examples" / "rubrics").glob("*.qlr"))


def client(rubrics: Sequence[Path] = (), token_file: Path | None = None, max_body: int = MAX_BODY,
           timeout: float = TIMEOUT, raise_server_exceptions: bool = True) -> TestClient:
    settings = load_settings([*rubrics], token_file, max_body, timeout)
    return TestClient(create_app(settings), raise_server_exceptions=raise_server_exceptions)


def filled_form(out: Path, unit: str = "市财政局") -> Path:
    """A form made by `qlrules template`, filled with openpyxl as an assessor fills it (examples/unit.yaml)."""
    from qlrules.api import load_rubric
    from qlrules.io.form import write_template

    from .test_excel import UNIT_ROWS, fill

    template = out.with_name("template.xlsx")
    write_template(load_rubric(), template)
    return fill(template, out, unit, UNIT_ROWS)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(*args: str, workers: int = 1) -> Iterator[str]:
    """``qlrules serve`` in a subprocess on a free loopback port, until the block ends; yields its address.

    Its log (a line per request) goes to a file, never a pipe nobody reads, which would fill and stop it.
    """
    import tempfile

    import httpx

    port = free_port()
    command = [sys.executable, "-m", "qlrules", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise AssertionError(f"the server exited: {log.read().decode(errors='replace')}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError("the server did not start within 30 s")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
                process.kill()
                process.wait()

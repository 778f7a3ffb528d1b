"""What the service tests share: a client on the app, the shipped rubrics, a filled form."""

from __future__ import annotations

from collections.abc import Sequence
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

"""The CSV report as Excel on Windows needs it: a UTF-8 byte order mark first (unless ``--no-bom``), a header in the output's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import qlrules

from .conftest import ROOT, Cli

BOM = "\ufeff".encode()
BATCH = ROOT / "tests" / "golden" / "seed_batch.yaml"


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_a_csv_file_starts_with_one_byte_order_mark(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    done = cli("score", BATCH, "--format", "csv", "-o", out)
    assert done.exit_code == 0, done.output
    data = out.read_bytes()
    assert data.startswith(BOM + b"unit,total,") and data.count(BOM) == 1
    printed = cli("score", BATCH, "--format", "csv")  # on stdout too: `> out.csv` is how many save it
    assert printed.stdout_bytes == data


def test_no_bom_writes_the_same_csv_without_it(cli: Cli, tmp_path: Path) -> None:
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli("score", BATCH, "-o", with_bom).exit_code == 0  # the format from the suffix
    done = cli("score", BATCH, "--format", "csv", "--no-bom", "-o", without)
    assert done.exit_code == 0, done.output
    assert without.read_bytes().startswith(b"unit,total,")
    assert BOM + without.read_bytes() == with_bom.read_bytes()
    assert cli("score", BATCH, "--format", "csv", "--no-bom").stdout_bytes == without.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_only_csv_gets_a_byte_order_mark(cli: Cli, fmt: str) -> None:
    done = cli("score", BATCH, "--format", fmt)
    assert done.exit_code == 0, done.output
    assert not done.stdout_bytes.startswith(BOM)


@pytest.mark.parametrize(("language", "header"), [
    ("zh", ["单位", "总分", "扣分", "加减分"]),
    ("en", ["unit", "total", "deductions", "adjustments"]),
])
def test_the_header_speaks_the_output_language(cli: Cli, seed: qlrules.Rubric, language: str, header: list[str]) -> None:
    done = cli("--lang", language, "score", BATCH, "--format", "csv", "--no-bom")
    assert done.exit_code == 0, done.output
    rows = _rows(done.stdout_bytes)
    assert rows[0] == [*header, *(s.id for s in seed.sections)]  # section ids are ids: never translated
    english = _rows(cli("--lang", "en", "score", BATCH, "--format", "csv", "--no-bom").stdout_bytes)
    assert rows[1:] == english[1:] and len(rows) == 4  # the numbers do not depend on the language

"""What a hurried assessor does works, or is refused clearly: formats from -o's suffix, a filled form never overwritten."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .conftest import ROOT, Cli

UNIT = ROOT / "examples" / "unit.yaml"


def test_without_format_the_suffix_of_the_output_chooses_it(tmp_path: Path, cli: Cli) -> None:
    """`-o batch.xlsx` writes a workbook, `-o r.json` JSON, `-o r.csv` CSV, `-o r.md` markdown (not a text table)."""
    for name, check in (("r.xlsx", zipfile.is_zipfile), ("r.json", lambda p: "total" in json.loads(p.read_text("utf-8"))),
                        ("r.csv", lambda p: p.read_text("utf-8").lstrip("\ufeff").startswith("unit,total")),
                        ("r.md", lambda p: p.read_text("utf-8").startswith("# "))):
        out = tmp_path / name
        assert cli("score", UNIT, "-o", out).exit_code == 0
        assert check(out), name


def test_an_explicit_format_wins_over_the_suffix(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "report.txt"
    assert cli("score", UNIT, "--format", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["unit"] == "市财政局"


def test_template_refuses_to_overwrite_a_form_without_force(tmp_path: Path, cli: Cli) -> None:
    """A second `template -o form.xlsx` would lose what the assessor typed: it needs --force."""
    form = tmp_path / "form.xlsx"
    assert cli("template", "-o", form).exit_code == 0
    form.write_bytes(b"filled in")
    refused = cli("template", "-o", form)
    assert refused.exit_code == 1 and "--force" in refused.stderr and form.read_bytes() == b"filled in"
    assert cli("template", "-o", form, "--force").exit_code == 0 and zipfile.is_zipfile(form)


def test_nothing_deducted_reads_0_not_minus_0(tmp_path: Path, cli: Cli) -> None:
    """A unit that lost nothing: the table says `deductions 0`, never `−0`."""
    unit = tmp_path / "u.yaml"
    unit.write_text("unit: 甲\nfindings: []\n", encoding="utf-8")
    out = cli("score", unit).stdout
    assert "(deductions 0, adjustments 0)" in out and "−0" not in out

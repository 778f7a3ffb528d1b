"""JSON Lines input and scoring with several processes: same reports, same refusals, flat memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

BATCH = ROOT / "examples" / "batch.yaml"


def _qlrules(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qlrules", *args], capture_output=True, text=True)


def _units() -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = yaml.safe_load(BATCH.read_text(encoding="utf-8"))["units"]
    return units


def _jsonl(path: Path, units: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in units), encoding="utf-8")
    return path


def test_json_lines_score_like_the_same_batch_in_yaml(tmp_path: Path) -> None:
    lines = _jsonl(tmp_path / "batch.jsonl", _units())
    from_yaml = _qlrules("score", str(BATCH), "--format", "json")
    from_lines = _qlrules("score", str(lines), "--format", "json")
    assert from_yaml.returncode == from_lines.returncode == 0, from_lines.stderr
    assert json.loads(from_lines.stdout) == json.loads(from_yaml.stdout)


def test_a_bad_line_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    units = _units()
    units[1]["findings"][0]["clause"] = "6.1z"
    lines = _jsonl(tmp_path / "batch.jsonl", units)
    out = tmp_path / "report.json"
    done = _qlrules("score", str(lines), "--format", "json", "-o", str(out))
    assert done.returncode == 1
    assert f"{lines}:2" in done.stderr and "6.1z" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_name_repeated_across_lines_is_refused(tmp_path: Path) -> None:
    units = _units()
    units[2]["unit"] = units[0]["unit"]
    done = _qlrules("score", str(_jsonl(tmp_path / "batch.jsonl", units)), "--format", "csv")
    assert done.returncode == 1 and "twice" in done.stderr and done.stdout == ""


def test_several_processes_give_the_same_reports_in_the_same_order(tmp_path: Path) -> None:
    many = [{**u, "unit": f"{u['unit']}{n}"} for n in range(60) for u in _units()]
    lines = _jsonl(tmp_path / "many.jsonl", many)
    one = _qlrules("score", str(lines), "--format", "json")
    two = _qlrules("score", str(lines), "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert two.stdout == one.stdout
    assert [u["unit"] for u in json.loads(two.stdout)["units"]] == [u["unit"] for u in many]


def test_jobs_must_be_positive() -> None:
    assert _qlrules("score", str(BATCH), "--jobs", "0").returncode == 2


def test_an_invalid_form_in_an_xlsx_batch_leaves_no_workbook_and_no_noise(tmp_path: Path) -> None:
    """A blank form in the batch: exit 1 naming its cell; no report, nothing on stderr but the message."""
    forms = tmp_path / "forms"
    forms.mkdir()
    assert _qlrules("template", "-o", str(forms / "blank.xlsx")).returncode == 0
    out = tmp_path / "report.xlsx"
    done = _qlrules("score", str(forms / "blank.xlsx"), "--format", "xlsx", "-o", str(out))
    assert done.returncode == 1
    assert "blank.xlsx!" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert not out.exists()

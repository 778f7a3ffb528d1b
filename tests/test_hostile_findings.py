"""Hostile or damaged findings: numbers only in plain ASCII decimal, no lone surrogates, and --keep-going."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qlrules
from qlrules.io.documents import parse_document
from qlrules.scoring.findings import read_units

from .conftest import ROOT, Cli
from .test_excel import fill, template  # noqa: F401 - template is a fixture

LANG2 = ROOT / "tests" / "fixtures" / "lang2.qlr"
SEED = qlrules.load_rubric()
PLACE = re.compile(r"\.(?:yaml|json):\d+:\d+: ")


def _refused(cli: Cli, path: Path, *args: str) -> str:
    """Score ``path``; it must be refused (exit 1, nothing on stdout); its stderr."""
    done = cli("score", path, *args)
    assert done.returncode == 1, done.output
    assert done.stdout == ""
    return done.stderr


@pytest.mark.parametrize("written", ["010", "0o10", "1:00", "0x2", "0b11", "1_0", "+0x2", ".5", "00", "1.5e+3"])
def test_yaml_1_1_numbers_are_refused_in_count(cli: Cli, tmp_path: Path, written: str) -> None:
    """A count written as YAML 1.1 reads it (octal, sexagesimal, hex, binary, underscores, no leading digit) is refused at its place, naming the unit."""
    path = tmp_path / "unit.yaml"
    path.write_text(f"unit: 甲单位\nfindings:\n  - clause: 0.1a\n    count: {written}\n", encoding="utf-8")
    stderr = _refused(cli, path)
    assert "unit.yaml:4:12: unit '甲单位'" in stderr
    assert "count:" in stderr


def test_a_yaml_octal_count_says_how_to_write_it(cli: Cli, tmp_path: Path) -> None:
    """`count: 010` (8 to YAML 1.1) says to write whole numbers in decimal."""
    path = tmp_path / "unit.yaml"
    path.write_text("unit: 甲单位\nfindings:\n  - {clause: 0.1a, count: 010}\n", encoding="utf-8")
    assert "count: 010 is not a number qlrules reads: write whole numbers in decimal, like 10" in _refused(cli, path)


def test_a_sexagesimal_amount_in_a_batch_names_its_unit_and_line(cli: Cli, tmp_path: Path) -> None:
    """`amount: 1:00` in the second unit of a batch is refused at its line in the file, naming that unit."""
    path = tmp_path / "batch.yaml"
    path.write_text("units:\n  - unit: 甲\n    findings: []\n  - unit: 乙\n    findings:\n"
                    "      - {clause: 6.1h, amount: 1:00, reason: x}\n", encoding="utf-8")
    stderr = _refused(cli, path)
    assert "batch.yaml:6:32: unit '乙': amount: 1:00 is not a number qlrules reads" in stderr


def test_plain_decimal_numbers_are_still_read(cli: Cli, tmp_path: Path) -> None:
    """`count: +2`, `count: 0` and `amount: 0.5` are numbers as written."""
    path = tmp_path / "unit.yaml"
    path.write_text("unit: 甲\nfindings:\n  - {clause: 0.1a, count: +2}\n  - {clause: A1, count: 0}\n"
                    "  - {clause: 6.1h, amount: 0.5, reason: x}\n", encoding="utf-8")
    done = cli("score", path, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deductions"] == 1.5


@pytest.mark.parametrize(("fmt", "finding"), [
    ("yaml", "{clause: 0.1a, count: ３}"),
    ("yaml", "{clause: 0.1a, count: ٣}"),
    ("yaml", "{clause: 6.1h, amount: １.５, reason: x}"),
    ("yaml", "{clause: 6.1h, amount: '٠.٥', reason: x}"),
    ("json", '{"clause": "6.1h", "amount": "１.５", "reason": "x"}'),
    ("json", '{"clause": "6.1h", "amount": "٠.٥", "reason": "x"}'),
    ("json", '{"clause": "0.1a", "count": "３"}'),
])
def test_non_ascii_digits_are_refused(cli: Cli, tmp_path: Path, fmt: str, finding: str) -> None:
    """Full-width and Arabic-Indic digits in count or amount are refused, saying to type ASCII digits, naming the unit."""
    path = tmp_path / f"unit.{fmt}"
    if fmt == "yaml":
        path.write_text(f"unit: 甲单位\nfindings:\n  - {finding}\n", encoding="utf-8")
    else:
        path.write_text(f'{{"unit": "甲单位", "findings": [{finding}]}}', encoding="utf-8")
    stderr = _refused(cli, path)
    assert "unit '甲单位'" in stderr
    assert "type the digits 0-9 (ASCII)" in stderr
    if fmt == "yaml":
        assert PLACE.search(stderr), stderr


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_full_width_digits_in_a_measured_value_are_refused(cli: Cli, tmp_path: Path, fmt: str) -> None:
    """`value: ９５` on a measured clause is refused like an amount."""
    path = tmp_path / f"unit.{fmt}"
    if fmt == "yaml":
        path.write_text("unit: 甲单位\nfindings:\n  - {clause: 3.1a, value: ９５}\n", encoding="utf-8")
    else:
        path.write_text('{"unit": "甲单位", "findings": [{"clause": "3.1a", "value": "９５"}]}', encoding="utf-8")
    stderr = _refused(cli, path, "--rubric", str(LANG2))
    assert "value: ９５ is not a number qlrules reads: type the digits 0-9 (ASCII)" in stderr


def test_a_decimal_text_must_be_plain(cli: Cli, tmp_path: Path) -> None:
    """`amount: "1_0"` or `"1e0"` (which Python's Decimal reads) is refused: a decimal text is digits and one point."""
    path = tmp_path / "unit.json"
    path.write_text('{"units": [{"unit": "甲", "findings": [{"clause": "6.1h", "amount": "1_0", "reason": "x"}]},'
                    ' {"unit": "乙", "findings": [{"clause": "6.1h", "amount": "1e0", "reason": "x"}]}]}', encoding="utf-8")
    stderr = _refused(cli, path)
    assert "unit '甲', finding 1, clause 6.1h: amount: is a number like 1.5; found the text '1_0'" in stderr
    assert "unit '乙', finding 1, clause 6.1h: amount: is a number like 1.5; found the text '1e0'" in stderr


def test_full_width_digits_in_a_form_text_cell_are_refused(template: Path, tmp_path: Path, cli: Cli) -> None:  # noqa: F811
    """A form's amount typed as text in full-width digits is refused with the same rule and message."""
    form = fill(template, tmp_path / "甲.xlsx", "甲单位", {"6.1h": {"酌情扣分": "１.５", "说明": "主动查处"}})
    stderr = _refused(cli, form)
    assert "酌情扣分: １.５ is not a number qlrules reads: type the digits 0-9 (ASCII)" in stderr
    assert "unit '甲单位'" in stderr


def test_a_json_lone_surrogate_in_the_unit_name_is_refused_at_its_place(cli: Cli, tmp_path: Path) -> None:
    """`"unit": "\\ud800"` is refused with its line and column, and nothing is written that would crash later."""
    path = tmp_path / "unit.json"
    path.write_text('{\n  "unit": "甲\\ud800",\n  "findings": []\n}', encoding="utf-8")
    stderr = _refused(cli, path)
    assert "unit.json:2:13: this text holds a lone surrogate (\\ud800)" in stderr


def test_a_json_lone_surrogate_in_evidence_names_the_unit(cli: Cli, tmp_path: Path) -> None:
    """A lone low surrogate in a finding's evidence is refused at its place, naming the unit; a proper pair is kept."""
    path = tmp_path / "batch.json"
    path.write_text('{"units": [\n {"unit": "甲", "findings": []},\n'
                    ' {"unit": "乙", "findings": [{"clause": "0.1a", "count": 1, "evidence": "\\ud83d\\ude00 \\udc01"}]}\n]}',
                    encoding="utf-8")
    stderr = _refused(cli, path)
    assert "batch.json:3:86: unit '乙': this text holds a lone surrogate (\\udc01)" in stderr


def test_a_yaml_surrogate_escape_is_refused_at_its_place(cli: Cli, tmp_path: Path) -> None:
    """YAML's `"\\ud800"` escape is refused with its line and column."""
    path = tmp_path / "unit.yaml"
    path.write_text('unit: 甲\nfindings:\n  - {clause: 0.1a, count: 1, evidence: "x\\ud800"}\n', encoding="utf-8")
    assert PLACE.search(_refused(cli, path))


def test_a_lone_surrogate_given_as_text_is_refused() -> None:
    """A lone surrogate in text handed to parse_document (no file, no UTF-8 to stop it) is refused for YAML and JSON."""
    for fmt, text in (("yaml", "unit: \"a\ud800\"\nfindings: []\n"), ("json", '{"unit": "a\ud800", "findings": []}')):
        with pytest.raises(qlrules.FindingsError, match="lone surrogate"):
            parse_document(text, f"x.{fmt}", fmt)


# -- --keep-going ---------------------------------------------------------------------------------


def _batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.yaml"
    path.write_text("units:\n  - unit: 甲\n    findings: [{clause: 0.1a, count: 1}]\n"
                    "  - unit: 乙\n    findings: [{clause: 0.1a, count: 010}, {clause: nope, count: 1}]\n"
                    "  - unit: 丙\n    findings: []\n", encoding="utf-8")
    return path


def _stderr_names_the_errors(stderr: str) -> None:
    assert "batch.yaml:5:38: unit '乙': count: 010 is not a number qlrules reads" in stderr


def test_keep_going_json_scores_the_rest_and_lists_the_missing(cli: Cli, tmp_path: Path) -> None:
    """--keep-going in JSON: exit 1, two units scored, `missing` names the third with its errors, stderr too."""
    done = cli("score", _batch(tmp_path), "--format", "json", "--keep-going")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert [u["unit"] for u in report["units"]] == ["甲", "丙"]
    assert [(m["unit"], m["source"]) for m in report["missing"]] == [("乙", str(tmp_path / "batch.yaml"))]
    assert "count: 010 is not a number qlrules reads" in report["missing"][0]["errors"][0]
    _stderr_names_the_errors(done.stderr)


def test_keep_going_csv_lists_the_missing_on_stderr_only(cli: Cli, tmp_path: Path) -> None:
    """--keep-going in CSV: the two valid units' rows, exit 1, the missing unit's errors on stderr."""
    done = cli("score", _batch(tmp_path), "--format", "csv", "--keep-going")
    assert done.returncode == 1
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert [r[0] for r in rows[1:]] == ["甲", "丙"]
    _stderr_names_the_errors(done.stderr)


def test_keep_going_table_closes_with_the_missing_units(cli: Cli, tmp_path: Path) -> None:
    """--keep-going in a table: a closing section names the unit left out and its errors."""
    done = cli("score", _batch(tmp_path), "--keep-going")
    assert done.returncode == 1
    closing = done.stdout[done.stdout.index("Units left out (1)"):]
    assert "unit '乙'" in closing and "count: 010 is not a number" in closing
    _stderr_names_the_errors(done.stderr)


def test_keep_going_xlsx_has_a_missing_units_sheet(cli: Cli, tmp_path: Path) -> None:
    """--keep-going into a workbook: two unit sheets and a last sheet listing the unit left out; exit 1."""
    out = tmp_path / "report.xlsx"
    done = cli("score", _batch(tmp_path), "--format", "xlsx", "-o", out, "--keep-going")
    assert done.returncode == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "Missing units"
    assert "甲" in book.sheetnames and "丙" in book.sheetnames and "乙" not in book.sheetnames
    cells = [c.value for row in book["Missing units"].iter_rows() for c in row]
    assert "乙" in cells
    _stderr_names_the_errors(done.stderr)


def test_keep_going_on_one_invalid_unit_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    """A single-unit input that is invalid has nothing to report: exit 1 and no file, as without the flag."""
    path = tmp_path / "unit.yaml"
    path.write_text("unit: 甲\nfindings: [{clause: 0.1a, count: 010}]\n", encoding="utf-8")
    out = tmp_path / "report.json"
    done = cli("score", path, "--format", "json", "-o", out, "--keep-going")
    assert done.returncode == 1
    assert not out.exists()
    assert "count: 010" in done.stderr


def test_keep_going_with_nothing_missing_is_the_plain_report(cli: Cli, tmp_path: Path) -> None:
    """With every unit valid, --keep-going changes nothing: exit 0, the same bytes."""
    batch = ROOT / "examples" / "batch.yaml"
    plain, kept = cli("score", batch, "--format", "json"), cli("score", batch, "--format", "json", "--keep-going")
    assert (kept.returncode, kept.stdout) == (0, plain.stdout)


# -- fuzz -----------------------------------------------------------------------------------------

VALID_YAML = (ROOT / "examples" / "batch.yaml").read_text(encoding="utf-8")
VALID_JSON = json.dumps(parse_document(VALID_YAML, "batch.yaml"), default=str, ensure_ascii=False)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    fmt = draw(st.sampled_from(["yaml", "json"]))
    text = VALID_YAML if fmt == "yaml" else VALID_JSON
    for _n in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        insert = draw(st.sampled_from(["", "0", "010", "1:00", "0x2", "_", ".", "３", "٣", "\\ud800", "\ud800", "\\", '"', "'",
                                       ":", "-", "{", "[", "\n", " ", "&a", "*a", "!!int", "!!float", "e+3", ".inf"]) | st.text(max_size=3))
        text = text[:at] + insert + text[at + cut:]
    return fmt, text


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_findings_text_gives_a_report_or_a_findings_error(case: tuple[str, str]) -> None:
    """Valid findings text, mutated: a report for every unit, or a QlrulesError whose message can be written out."""
    fmt, text = case
    try:
        for unit in read_units(parse_document(text, f"fuzz.{fmt}", fmt), SEED, f"fuzz.{fmt}"):
            json.dumps(qlrules.evaluate(SEED, unit).to_dict(), default=str, ensure_ascii=False).encode("utf-8")
    except qlrules.QlrulesError as error:
        str(error).encode("utf-8")  # no lone surrogate in a message: stderr can write it

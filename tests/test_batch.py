"""Batches: many inputs scored as a stream, into json, csv, table, markdown or xlsx, or nothing at all."""

from __future__ import annotations

import csv
import io
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import qlrules
from qlrules.render.json import to_json
from qlrules.render.words import competition_ranks
from qlrules.scoring import batch
from tests import rules

from .conftest import ROOT
from .test_excel import UNIT_ROWS, fill, run, template  # noqa: F401 - template is a fixture

BATCH_YAML = ROOT / "examples" / "batch.yaml"


def forms(template: Path, folder: Path) -> Path:
    """A folder with examples/batch.yaml's three units as filled forms (and a lock file that is no form)."""
    folder.mkdir(exist_ok=True)
    fill(template, folder / "1-市财政局.xlsx", "市财政局", {
        "0.1a": {"数量": 2}, "6.1c": {"案件编号": "C-01"}, "11.4b": {"案件编号": "C-01"}, "A3": {"数量": 1}})
    fill(template, folder / "2-市统计局.xlsx", "市统计局", {
        "6.1d": {"案件编号": "C-11、C-12，C-13"}, "6.1i": {"数量": 1}, "7.1b": {"数量": 1, "说明": "检查通报第5期"}, "A4": {"数量": 1}})
    fill(template, folder / "3-市审计局.xlsx", "市审计局", {
        "4.4a": {"数量": 1}, "6.1h": {"酌情扣分": 0.5, "案件编号": "C-21", "说明": "主动查处问题,酌情扣分"},
        "6.1e": {"案件编号": "C-21"}, "A1": {"数量": 1}})
    (folder / "~$1-市财政局.xlsx").write_bytes(b"lock")
    return folder


def test_a_folder_of_forms_is_the_same_batch_as_the_yaml(template: Path, tmp_path: Path) -> None:
    """A folder of forms scores, in file-name order, exactly as examples/batch.yaml does."""
    folder = forms(template, tmp_path / "forms")
    from_forms = run("score", str(folder), "--format", "json")
    from_yaml = run("score", str(BATCH_YAML), "--format", "json")
    assert from_forms.returncode == 0, from_forms.stderr
    assert from_forms.stdout == from_yaml.stdout
    assert [u["unit"] for u in json.loads(from_forms.stdout)["units"]] == ["市财政局", "市统计局", "市审计局"]


def test_several_inputs_make_one_batch(template: Path, tmp_path: Path) -> None:
    """A form, a YAML unit and a YAML batch given together: one batch, units in the order given."""
    form = fill(template, tmp_path / "甲.xlsx", "甲单位", {"0.1a": {"数量": 1}})
    more = tmp_path / "more.json"
    more.write_text('{"units": [{"unit": "乙单位", "findings": []}, {"unit": "丙单位", "findings": [{"clause": "A1", "count": 1}]}]}',
                    encoding="utf-8")
    done = run("score", str(form), str(ROOT / "examples" / "unit.yaml"), "--format", "csv", "--", str(more))
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
    assert [(r[0], r[1]) for r in rows] == [("unit", "total"), ("甲单位", "99.5"), ("市财政局", "89.5"), ("乙单位", "100"), ("丙单位", "101")]
    one = run("score", str(form), "--format", "json")
    assert json.loads(one.stdout)["unit"] == "甲单位"  # one form alone is one unit, not a batch
    folder = tmp_path / "one"
    folder.mkdir()
    fill(template, folder / "甲.xlsx", "甲单位", {})
    assert "units" in json.loads(run("score", str(folder), "--format", "json").stdout)  # a folder is a batch


def test_a_unit_named_twice_across_inputs_fails_naming_both(template: Path, tmp_path: Path) -> None:
    """Unit names are unique over the whole batch: the message names the second input and the first."""
    form = fill(template, tmp_path / "财政.xlsx", "市财政局", {"0.1a": {"数量": 1}})
    out = tmp_path / "out.csv"
    done = run("score", str(BATCH_YAML), str(form), "--format", "csv", "-o", str(out))
    assert done.returncode == 1
    assert f"{form}!评分表!B2" in done.stderr and str(BATCH_YAML) in done.stderr and "twice" in done.stderr
    assert not out.exists() and done.stdout == ""


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "markdown", "xlsx"])
def test_one_bad_unit_and_nothing_is_written(template: Path, tmp_path: Path, fmt: str) -> None:
    """A bad unit anywhere in the batch: exit 1, an existing output untouched, nothing on stdout, no temp files."""
    folder = forms(template, tmp_path / "forms")
    fill(template, folder / "4-坏.xlsx", "坏单位", {"0.1a": {"数量": 12}})
    fill(template, folder / "5-好.xlsx", "好单位", {})
    out = tmp_path / f"report.{fmt}"
    out.write_text("old", encoding="utf-8")
    done = run("score", str(folder), "--format", fmt, "-o", str(out))
    assert done.returncode == 1 and "4-坏.xlsx!评分表!H" in done.stderr
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms", f"report.{fmt}"]
    if fmt != "xlsx":
        stdout = run("score", str(folder), "--format", fmt)
        assert stdout.returncode == 1 and stdout.stdout == ""


def test_every_bad_form_of_a_folder_is_reported(template: Path, tmp_path: Path) -> None:
    """Two bad forms in a folder: both reported, each at its workbook and cell; exit 1, nothing written."""
    from .test_excel import cell_of

    folder = forms(template, tmp_path / "forms")
    first = fill(template, folder / "0-坏.xlsx", "坏单位", {"0.1a": {"数量": 12}})
    second = fill(template, folder / "4-也坏.xlsx", "也坏单位", {"6.1h": {"酌情扣分": 11, "说明": "x"}})
    out = tmp_path / "out.json"
    done = run("score", str(folder), "--format", "json", "-o", str(out))
    assert done.returncode == 1 and done.stdout == "" and not out.exists()
    skipped, *lines = done.stderr.splitlines()  # the lock file forms() leaves, named first
    assert skipped.startswith(f"{folder / '~$1-市财政局.xlsx'}: skipped: ") and "lock file" in skipped
    assert len(lines) == 2, done.stderr
    assert lines[0].startswith(cell_of(first, "0.1a", "数量") + ": ") and "'坏单位'" in lines[0]
    assert lines[1].startswith(cell_of(second, "6.1h", "酌情扣分") + ": ") and "'也坏单位'" in lines[1]


def test_after_a_bad_unit_the_stream_yields_no_more(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """The units before the first problem come out; the rest are read and checked, not yielded, then all is raised."""
    path = tmp_path / "b.yaml"
    path.write_text("units:\n  - {unit: 甲, findings: []}\n  - {unit: 乙, findings: [{clause: 0.1z, count: 1}]}\n"
                    "  - {unit: 丙, findings: []}\n  - {unit: 丁, findings: [{clause: 0.1a, count: -1}]}\n", encoding="utf-8")
    stream = iter(batch.UnitStream([path], seed))
    assert next(stream).name == "甲"
    with pytest.raises(qlrules.FindingsError) as raised:
        next(stream)
    assert [(p.unit, p.line) for p in raised.value.problems] == [("乙", 3), ("丁", 5)]


def test_xlsx_needs_an_output_file(tmp_path: Path) -> None:
    done = run("score", str(BATCH_YAML), "--format", "xlsx")
    assert done.returncode == 2 and "-o" in done.stderr


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    done = run("score", str(tmp_path))
    assert done.returncode == 1 and "no Excel workbooks" in done.stderr


def test_the_output_file_in_the_folder_is_not_an_input(template: Path, tmp_path: Path) -> None:
    """Scoring a folder into a report inside it, twice: the report is never read as a form."""
    folder = forms(template, tmp_path / "forms")
    for _ in range(2):
        done = run("score", str(folder), "--format", "xlsx", "-o", str(folder / "report.xlsx"))
        assert done.returncode == 0, done.stderr


# -- streaming ---------------------------------------------------------------------------------------


def test_a_units_file_is_read_unit_by_unit(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """The first unit comes out before the file's broken end is read: the batch is not parsed whole."""
    path = tmp_path / "b.yaml"
    path.write_text("units:\n  - {unit: 甲, findings: []}\n  - {unit: 乙, findings: [}\n", encoding="utf-8")
    stream = iter(batch.UnitStream([path], seed))
    assert next(stream).name == "甲"
    with pytest.raises(qlrules.FindingsError, match="not valid YAML"):
        next(stream)


BATCH_TEXTS = {
    "block": "units:\n  - unit: 甲\n    findings:\n      - clause: 0.1a\n        count: 1\n"
             "  # a comment between units\n  - unit: 乙\n    findings:\n    - {clause: 0.1z, count: 1}\n",
    "indentless": "units:\n- unit: 甲\n  findings: []\n- unit: 乙\n  findings:\n  - clause: 6.1h\n    amount: 11\n    reason: x\n",
    "flow": "units: [{unit: 甲, findings: []},\n  {unit: 乙,\n   findings: [{clause: 0.1a, count: -1}]}]\n",
    "anchors": "units:\n  - &a {unit: 甲, findings: []}\n  - unit: 乙\n    findings: [{clause: 0.1a, count: 1, bad: 1}]\n",
    "duplicate": "units:\n  - {unit: 甲, findings: []}\n  - unit: 乙\n    findings: []\n  - unit: 甲\n    findings: []\n",
    "extra-key": "units:\n  - {unit: 甲, findings: []}\nother: 1\n",
    "not-a-mapping": "units:\n  - 甲\n",
    "null-item": "units:\n  -\n  - {unit: 甲, findings: []}\n",
    "json": '{"units": [\n  {"unit": "甲", "findings": []},\n  {"unit": "乙", "findings": [{"clause": "0.1a", "count": 2.0}]}\n]}\n',
    "json-tabs": '{"units": [\n\t{"unit": "甲", "findings": []},\n\t{"unit": "乙", "findings": [{"clause": "0.1a", "count": "2"}]}\n]}\n',
}


@pytest.mark.parametrize("name", sorted(BATCH_TEXTS))
def test_streamed_units_fail_exactly_as_the_whole_document_does(seed: qlrules.Rubric, tmp_path: Path, name: str) -> None:
    """Reading a batch as a stream gives the message reading it whole gives, line and column included."""
    path = tmp_path / ("b.json" if name.startswith("json") else "b.yaml")
    path.write_text(BATCH_TEXTS[name], encoding="utf-8")
    with pytest.raises(qlrules.FindingsError) as whole:
        list(qlrules.read_units(qlrules.parse_document(path.read_bytes(), str(path)), seed, str(path)))
    with pytest.raises(qlrules.FindingsError) as streamed:
        list(batch.UnitStream([path], seed))
    assert str(streamed.value) == str(whole.value)


def test_stream_and_whole_document_agree_on_a_valid_batch(seed: qlrules.Rubric) -> None:
    """Same units, same reports, same order."""
    document = qlrules.parse_document(BATCH_YAML.read_bytes(), str(BATCH_YAML))
    whole = [qlrules.evaluate(seed, u).to_dict() for u in qlrules.read_units(document, seed)]
    assert [r.to_dict() for r in batch.score_reports([BATCH_YAML], seed)] == whole


# -- a big batch ---------------------------------------------------------------------------------------


def big_batch(rubric: qlrules.Rubric, path: Path, units: int) -> list[dict[str, Any]]:
    rng = random.Random(2000)
    counted = [c for c in rubric.clauses if rules.kind(c) != "discretionary"]
    mappings = []
    for n in range(units):
        findings: list[dict[str, Any]] = [
            {"clause": c.id, "count": rng.randint(1, c.of or 3)} for c in rng.sample(counted, rng.randint(0, 4))]
        if n % 7 == 0:
            findings += [{"clause": "6.1c", "cases": [f"C{n}"]}, {"clause": "11.4b", "cases": [f"C{n}"]}]
        if n % 11 == 0:
            findings.append({"clause": "6.1h", "amount": "1.5", "cases": [f"D{n}"], "reason": "主动报告"})
        if n % 3 == 0:
            findings.append({"clause": "A3", "count": 1})
        mappings.append({"unit": f"单位{n:04d}", "findings": findings})
    path.write_text(yaml.safe_dump({"units": mappings}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return mappings


def test_a_2000_unit_batch(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """2,000 units stream through json, csv and markdown with the totals of scoring each alone, ranked 1, 2, 2, 4."""
    path = tmp_path / "big.yaml"
    mappings = big_batch(seed, path, 2000)
    expected = [seed.score(m) for m in mappings]
    out = tmp_path / "big.json"
    batch.score([path], seed, "json", out, progress=False)
    assert out.read_text(encoding="utf-8") == to_json(expected, batch=True)
    batch.score([path], seed, "csv", tmp_path / "big.csv", progress=False)
    rows = list(csv.DictReader((tmp_path / "big.csv").open(encoding="utf-8-sig")))
    assert [(r["unit"], Decimal(r["total"])) for r in rows] == [(r.unit, r.total) for r in expected]
    batch.score([path], seed, "markdown", tmp_path / "big.md", progress=False)
    table = [line.split(" | ") for line in (tmp_path / "big.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| ") and line.split(" | ")[1].startswith("单位")]
    ranks = competition_ranks([r.total for r in expected])
    by_unit = {r.unit: (rank, r.total) for rank, r in zip(ranks, expected)}
    assert len(table) == 2000
    assert all(by_unit[cells[1]] == (int(cells[0][2:]), Decimal(cells[2])) for cells in table)
    assert len(set(ranks)) < 2000  # the batch has ties, so the ranking is tested on them


def test_competition_ranking() -> None:
    d = [Decimal(x) for x in ("90", "95.5", "95.50", "80", "95.5")]
    assert competition_ranks(d) == [4, 1, 1, 5, 1]
    assert competition_ranks([]) == []


# -- formats ------------------------------------------------------------------------------------------------


def test_markdown_is_a_ranked_table_then_each_unit() -> None:
    done = run("score", str(BATCH_YAML), "--format", "markdown")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("# ") and "| Rank | Unit | Total |" in done.stdout
    ranked = [line for line in lines if line.startswith("| 1 |") or line.startswith("| 2 |") or line.startswith("| 3 |")]
    assert [row.split(" | ")[1] for row in ranked] == ["市审计局", "市财政局", "市统计局"]
    assert "## 市财政局" in done.stdout and "6.1c" in done.stdout


def test_table_of_a_batch_is_each_unit_in_turn() -> None:
    done = run("score", str(BATCH_YAML))
    assert done.returncode == 0
    assert done.stdout.index("市财政局") < done.stdout.index("市统计局") < done.stdout.index("市审计局")


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bar for a person at a terminal; never in a pipe or a CI log."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not batch.show_progress()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Terminal())
    assert batch.show_progress()
    monkeypatch.setenv("CI", "true")
    assert not batch.show_progress()


def test_progress_bar_does_not_change_the_output(seed: qlrules.Rubric, tmp_path: Path) -> None:
    batch.score([BATCH_YAML], seed, "csv", tmp_path / "a.csv", progress=True)
    batch.score([BATCH_YAML], seed, "csv", tmp_path / "b.csv", progress=False)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()

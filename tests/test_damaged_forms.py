"""Damaged or hostile forms: every one is an `InputError` or `FindingsError` naming the file, never a traceback.

Each test makes its fixture from a valid form (`write_template`) and damages it: the zip, its
XML, its values, its size, or the rubric it was made for.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qlrules
from qlrules.errors import FindingsError, InputError, QlrulesError
from qlrules.io import form as excel
from qlrules.scoring.findings import Unit

from .conftest import Run
from .test_excel import clause_rows, fill, header_row

SHEET_XML = "xl/worksheets/sheet1.xml"

SMALL_RUBRIC = """\
rubric "小细则" points 5
section S0 "组织领导" points 5
  item 0.1 "学习" points 5
    text "学习"
    0.1a "未学习的,每项扣0.5分" each 项 −0.5 of 3
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid blank form of the bundled rubric for 甲单位."""
    path = tmp_path_factory.mktemp("forms") / "甲单位.xlsx"
    excel.write_template(qlrules.load_rubric(), path, "甲单位")
    return path


def rezip(source: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Copy the zip ``source`` to ``out``, each part's bytes passed through ``change(name, data)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info)))
    return out


def replace_part(source: Path, out: Path, part: str, data: bytes) -> Path:
    return rezip(source, out, lambda name, old: data if name == part else old)


def read(path: Path) -> Unit:
    return excel.read_workbook(path, qlrules.load_rubric())


def refused(path: Path) -> str:
    """The message reading ``path`` gives; it must be a user's error naming the file."""
    with pytest.raises(QlrulesError) as caught:
        read(path)
    message = str(caught.value)
    assert str(path) in message, message
    return message


def test_a_truncated_zip_is_an_input_error(template: Path, tmp_path: Path) -> None:
    """A form cut off halfway is an InputError naming it."""
    damaged = tmp_path / "truncated.xlsx"
    data = template.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="not an Excel workbook"):
        read(damaged)
    refused(damaged)


def test_a_flipped_byte_in_the_compressed_sheet_is_an_input_error(template: Path, tmp_path: Path) -> None:
    """A byte flipped inside the sheet's compressed data (bad CRC or bad deflate) is an InputError naming the file."""
    data = bytearray(template.read_bytes())
    with zipfile.ZipFile(template) as archive:
        info = archive.getinfo(SHEET_XML)
    name_length = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0x55
    damaged = tmp_path / "crc.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(InputError):
        read(damaged)
    refused(damaged)


def test_invalid_sheet_xml_is_an_input_error(template: Path, tmp_path: Path) -> None:
    """Sheet XML that is not XML is an InputError naming the file, not an XML ParseError."""
    damaged = replace_part(template, tmp_path / "xml.xlsx", SHEET_XML, b"<worksheet><sheetData><row></sheetData>")
    with pytest.raises(InputError):
        read(damaged)
    refused(damaged)


def test_an_entity_bomb_is_refused(template: Path, tmp_path: Path) -> None:
    """A billion-laughs entity bomb in the sheet XML is refused as unsafe, never expanded."""
    damaged = replace_part(template, tmp_path / "bomb.xlsx", SHEET_XML, BILLION_LAUGHS)
    with pytest.raises(InputError, match="XML entities"):
        read(damaged)


def test_openpyxl_reads_xml_through_defusedxml(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even without qlrules' own scan, openpyxl (through defusedxml) refuses the bomb: an InputError, not an expansion."""
    import openpyxl as op

    assert op.DEFUSEDXML is True
    monkeypatch.setattr(excel, "_check_archive", lambda path, source: set())
    damaged = replace_part(template, tmp_path / "bomb.xlsx", SHEET_XML, BILLION_LAUGHS)
    with pytest.raises(InputError):
        read(damaged)


def test_a_huge_shared_string_is_refused_before_it_is_read(template: Path, tmp_path: Path) -> None:
    """A shared string declared past the size limit is refused from the zip's sizes, with the limit named."""
    huge = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + b"a" * (
        excel.MAX_XML_BYTES + 1) + b"</t></si></sst>"
    damaged = replace_part(template, tmp_path / "huge.xlsx", "xl/sharedStrings.xml", huge)
    with zipfile.ZipFile(damaged, "a", zipfile.ZIP_DEFLATED) as archive:  # the form has none of its own
        archive.writestr("xl/sharedStrings.xml", huge)
    assert damaged.stat().st_size < excel.MAX_FILE_BYTES
    with pytest.raises(InputError, match="the limit is 50.0 MB"):
        read(damaged)


def test_a_cell_past_excels_text_limit_names_the_cell(template: Path, tmp_path: Path) -> None:
    """A cell holding more than 32,767 characters is refused at that cell."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    top, columns = header_row(sheet)
    row = clause_rows(sheet)["0.1a"]
    sheet.cell(row, columns["说明"], "LONG-NOTE")  # openpyxl cuts what it writes to 32,767 characters
    book.save(tmp_path / "filled.xlsx")
    long = b"x" * (excel.MAX_CELL_TEXT + 1)
    damaged = rezip(tmp_path / "filled.xlsx", tmp_path / "long.xlsx",
                    lambda name, data: data.replace(b"LONG-NOTE", long) if name == SHEET_XML else data)
    with pytest.raises(FindingsError, match="more than a cell may") as caught:
        read(damaged)
    assert caught.value.source is not None and caught.value.source.endswith(f"!评分表!M{row}")


def _count_cell(template: Path, out: Path, value: object) -> tuple[Path, str]:
    """The form with ``value`` in 0.1a's 数量 cell, and that cell's reference."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    _top, columns = header_row(sheet)
    cell = sheet.cell(clause_rows(sheet)["0.1a"], columns["数量"], value)
    book.save(out)
    return out, cell.coordinate


def test_nan_in_the_count_column_names_the_cell(template: Path, tmp_path: Path) -> None:
    """A number cell holding 'nan' is refused at its cell, not a ValueError."""
    filled, ref = _count_cell(template, tmp_path / "filled.xlsx", 987654)
    damaged = rezip(filled, tmp_path / "nan.xlsx",
                    lambda name, data: data.replace(b"<v>987654</v>", b"<v>nan</v>") if name == SHEET_XML else data)
    with pytest.raises(FindingsError, match="'nan', which is not a number") as caught:
        read(damaged)
    assert caught.value.source == f"{damaged}!评分表!{ref}"


def test_a_formula_without_a_saved_value_asks_to_save_in_excel(template: Path, tmp_path: Path) -> None:
    """A formula cell with no saved value (not saved by Excel or WPS) is refused at its cell, asking to save it there."""
    damaged, ref = _count_cell(template, tmp_path / "formula.xlsx", "=1+1")
    with pytest.raises(FindingsError, match="open the file in Excel or WPS, save it") as caught:
        read(damaged)
    assert caught.value.source == f"{damaged}!评分表!{ref}"


def test_a_form_made_for_another_rubric_names_both(template: Path, tmp_path: Path) -> None:
    """Scoring a form made from another rubric is an error naming both rubrics and the override."""
    other = qlrules.compile_rubric(SMALL_RUBRIC, "small.qlr")
    form = tmp_path / "other.xlsx"
    excel.write_template(other, form, "甲单位")
    bundled = qlrules.load_rubric()
    with pytest.raises(FindingsError) as caught:
        excel.read_workbook(form, bundled)
    message = str(caught.value)
    assert str(form) in message and "小细则" in message and bundled.title in message and "--any-rubric" in message
    assert other.sha256[:12] in message and bundled.sha256[:12] in message


def test_any_rubric_scores_a_form_whose_ids_match(template: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    """With --any-rubric a form from another rubric whose clause ids exist is scored; without it, exit 1."""
    other = qlrules.compile_rubric(SMALL_RUBRIC, "small.qlr")
    blank = tmp_path / "blank.xlsx"
    excel.write_template(other, blank, "甲单位")
    form = fill(blank, tmp_path / "other.xlsx", "甲单位", {"0.1a": {"数量": 1}})
    assert cli("score", form, "--format", "json").exit_code == 1
    done = cli("score", form, "--format", "json", "--any-rubric")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["unit"] == "甲单位"


def test_a_form_from_before_the_record_is_read_against_any_rubric(tmp_path: Path) -> None:
    """A form with no recorded rubric (made before qlrules recorded it) is read as before, against any rubric."""
    made = tmp_path / "made.xlsx"
    excel.write_template(qlrules.compile_rubric(SMALL_RUBRIC, "small.qlr"), made, "甲单位")
    with zipfile.ZipFile(made) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    assert b"qlrules rubric sha256" in parts.pop("docProps/custom.xml")
    old = tmp_path / "old.xlsx"
    with zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"/docProps/custom.xml", b"/docProps/gone.xml").replace(b"docProps/custom.xml", b"docProps/gone.xml")
            archive.writestr(name, data)
    assert read(old).name == "甲单位"


def test_an_ods_given_directly_is_refused_as_a_spreadsheet(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """An .ods input is refused with 'save it as .xlsx', not as text that is not UTF-8."""
    ods = tmp_path / "甲.ods"
    ods.write_bytes(b"PK\x03\x04\xff\xfe not text")
    done = cli("score", ods)
    assert done.exit_code == 1 and "save it as .xlsx" in done.stderr and "UTF-8" not in done.stderr
    assert str(ods) in done.stderr


def test_a_folder_reports_every_refused_file(template: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A folder of good forms plus an .xls, an .ods, an .et and a damaged .xlsx: each named, exit 1, nothing written."""
    folder = tmp_path / "forms"
    folder.mkdir()
    fill(template, folder / "1-good.xlsx", "好单位", {})
    fill(template, folder / "2-good.xlsx", "也好单位", {})
    (folder / "3-old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (folder / "4-libre.ods").write_bytes(b"PK\x03\x04")
    (folder / "5-wps.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    data = template.read_bytes()
    (folder / "6-damaged.xlsx").write_bytes(data[: len(data) // 3])
    out = tmp_path / "report.json"
    done = cli("score", folder, "--format", "json", "-o", out)
    assert done.exit_code == 1
    lines = done.stderr.splitlines()
    for name in ("3-old.xls", "4-libre.ods", "5-wps.et", "6-damaged.xlsx"):
        assert any(str(folder / name) in line for line in lines), done.stderr
    assert sum("save it as .xlsx" in line for line in lines) == 3, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


@pytest.mark.parametrize(("language", "words"), [
    ("en", {"~$1-good.xlsx": "lock file", ".hidden.xlsx": "a hidden file", "说明.txt": "not an Excel workbook",
            "old": "a folder", "report.csv": "the output file"}),
    ("zh", {"~$1-good.xlsx": "锁定文件", ".hidden.xlsx": "隐藏文件", "说明.txt": "不是 Excel 工作簿",
            "old": "子文件夹", "report.csv": "本次运行的输出文件"}),
])
def test_a_folder_names_every_file_it_skips(template: Path, tmp_path: Path, cli: Callable[..., Run], language: str,
                                            words: dict[str, str]) -> None:
    """A lock file, a hidden file, a text file, a folder and the output itself: each named on stderr with why, in the
    output's language; the forms are scored."""
    folder = tmp_path / "forms"
    folder.mkdir()
    fill(template, folder / "1-good.xlsx", "好单位", {})
    (folder / "~$1-good.xlsx").write_bytes(b"\x00" * 165)  # what Excel leaves while 1-good.xlsx is open
    fill(template, folder / ".hidden.xlsx", "藏单位", {})
    (folder / "说明.txt").write_text("填表说明", encoding="utf-8")
    (folder / "old").mkdir()
    fill(template, folder / "old" / "2-old.xlsx", "旧单位", {})
    out = folder / "report.csv"
    out.write_text("old report\n", encoding="utf-8")
    done = cli("--lang", language, "score", folder, "-o", out)
    assert done.exit_code == 0, done.output
    lines = done.stderr.splitlines()
    assert len(lines) == len(words), done.stderr
    for name, why in words.items():
        line = next((x for x in lines if x.startswith(f"{folder / name}:")), None)
        assert line is not None and why in line and ("skipped" in line or "已跳过" in line), (name, done.stderr)
    rows = out.read_text("utf-8-sig").splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["好单位"]


@pytest.mark.parametrize(("typed", "count"), [("2", 2), (" 3 ", 3), ("0", 0)])
def test_a_count_typed_as_text_is_read_as_its_number(template: Path, tmp_path: Path, typed: str, count: int) -> None:
    """A 数量 cell formatted as text holds the text "2": it is the count 2, as the same cell holding the number."""
    seed = qlrules.load_rubric()
    as_text = excel.read_workbook(fill(template, tmp_path / "text.xlsx", "甲单位", {"0.1a": {"数量": typed}}), seed)
    as_number = excel.read_workbook(fill(template, tmp_path / "number.xlsx", "甲单位", {"0.1a": {"数量": count}}), seed)
    assert [(f.clause, f.count) for f in as_text.findings] == [(f.clause, f.count) for f in as_number.findings]
    assert qlrules.evaluate(seed, as_text).total == qlrules.evaluate(seed, as_number).total


@pytest.mark.parametrize(("typed", "why"), [
    ("２", "not a number qlrules reads: type the digits 0-9 (ASCII), not full-width"),
    ("٢", "not a number qlrules reads: type the digits 0-9 (ASCII), not full-width"),
    ("2.5", "is a whole number like 2; found the text '2.5'"),
    ("010", "is a whole number like 2; found the text '010'"),
])
def test_a_count_in_other_digits_is_refused_naming_the_cell(template: Path, tmp_path: Path, typed: str, why: str) -> None:
    """Full-width (or Arabic-Indic) digits in 数量 are refused as everywhere else, the message naming the cell and why."""
    from .test_excel import cell_of

    filled = fill(template, tmp_path / "甲单位.xlsx", "甲单位", {"0.1a": {"数量": typed}})
    with pytest.raises(FindingsError) as raised:
        excel.read_workbook(filled, qlrules.load_rubric())
    message = str(raised.value)
    assert message.startswith(cell_of(filled, "0.1a", "数量") + ": ") and why in message, message


_FORM_BYTES: dict[str, bytes] = {}


def _valid_form() -> bytes:
    """A filled valid form's bytes, made once for the fuzz test."""
    if "form" not in _FORM_BYTES:
        with tempfile.TemporaryDirectory() as folder:
            blank = Path(folder) / "blank.xlsx"
            excel.write_template(qlrules.load_rubric(), blank, "甲单位")
            filled = fill(blank, Path(folder) / "filled.xlsx", "甲单位", {"0.1a": {"数量": 2}, "6.1c": {"案件编号": "C-1"}})
            _FORM_BYTES["form"] = filled.read_bytes()
    return _FORM_BYTES["form"]


def _mutated(data: bytes, edits: list[tuple[int, int]], inside_sheet: bool) -> bytes:
    """``data`` with bytes replaced; ``inside_sheet``: in the sheet's uncompressed XML, re-zipped (to reach the XML reader)."""
    if not inside_sheet:
        raw = bytearray(data)
        for position, byte in edits:
            raw[position % len(raw)] = byte
        return bytes(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            part = old.read(info)
            if info.filename == SHEET_XML:
                xml = bytearray(part)
                for position, byte in edits:
                    xml[position % len(xml)] = byte
                part = bytes(xml)
            new.writestr(info.filename, part)
    return out.getvalue()


@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8),
       inside_sheet=st.booleans())
def test_a_mutated_form_is_a_unit_or_a_user_error(edits: list[tuple[int, int]], inside_sheet: bool) -> None:
    """Random bytes changed in a valid form give a unit or a QlrulesError, never another exception."""
    data = _mutated(_valid_form(), edits, inside_sheet)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        path.write_bytes(data)
        try:
            assert isinstance(read(path), Unit)
        except QlrulesError as error:
            assert str(path) in str(error)

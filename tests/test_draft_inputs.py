"""`qlrules draft` on the documents an office receives: the 附件 as .docx or .pdf, its text, in the usual layouts.

Measured, and kept measured: each fixture is drafted, the draft compiled exactly as written, and
its clauses compared with what the document says (id, kind and rate): for the seed with the
bundled rubric, for the layout fixtures with the table below. The figures are floors (right
clauses) and ceilings (TODOs): raise them when the drafter improves, never loosen them.

Fixtures (tests/fixtures/draft/): seed-fujian.docx (written by make_seed_docx.py) and its PDF
(made once with LibreOffice), text layouts written for these tests, and copies of the three
corpus excerpts. No test needs LibreOffice.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import qlrules
from qlrules.authoring.draft import Draft, draft_file
from qlrules.authoring.sources import Line, Row, read_blocks
from qlrules.errors import InputError
from tests import rules

from .conftest import ROOT, Cli

FIXTURES = ROOT / "tests" / "fixtures"
DRAFTS = FIXTURES / "draft"
LAYOUTS = DRAFTS / "layouts"
CORPUS = DRAFTS / "corpus"

#: The seed in each format: (right clauses of 89, TODOs at most).
SEED_FIGURES = {
    FIXTURES / "seed-document.txt": (89, 29),
    DRAFTS / "seed-fujian.docx": (89, 28),  # the merged 责任科室 cell gives topic 12 its owner
    DRAFTS / "seed-fujian.pdf": (89, 28),  # and the PDF has no broken number (扣0 .5分) to flag
}

#: What each layout fixture says, clause by clause: id → (kind, rate as the seed tables give it).
LAYOUT_TRUTH: dict[str, dict[str, tuple[str, Decimal | None]]] = {
    "flattened-cells.txt": {
        "1.1a": ("once", Decimal(1)), "1.1b": ("each", Decimal("0.5")), "1.2a": ("each", Decimal(1)),
        "2.1a": ("once", Decimal(2)), "2.2a": ("each", Decimal("0.5")), "3.1a": ("once", Decimal(2)),
        "3.2a": ("each", Decimal("0.5")), "4.1a": ("each", Decimal(1)), "4.1b": ("discretionary", None),
    },
    "numbering-styles.txt": {
        "1.1a": ("once", Decimal(2)), "1.2a": ("each", Decimal("0.5")), "1.2b": ("once", Decimal(1)),
        "2.1a": ("each", Decimal("1.5")), "3.1a": ("each", Decimal(1)), "3.2a": ("each", Decimal(1)),
        "3.2b": ("discretionary", None),
    },
    "circled-items.txt": {
        "1.1a": ("once", Decimal(3)), "1.2a": ("once", Decimal(2)), "1.2b": ("each", Decimal("0.5")),
        "2.1a": ("once", Decimal(2)), "2.2a": ("each", Decimal(1)),
    },
    "points-column.txt": {
        "1.1a": ("once", Decimal(3)), "1.2a": ("each", Decimal(2)), "1.2b": ("once", Decimal(1)),
        "1.3a": ("each", Decimal("0.5")), "2.1a": ("once", Decimal(3)), "2.1b": ("each", Decimal(1)),
    },
    "unnumbered-headings.txt": {
        "1.1a": ("once", Decimal(2)), "1.2a": ("once", Decimal(2)), "1.2b": ("each", Decimal("0.5")),
        "2.1a": ("each", Decimal(1)), "2.2a": ("discretionary", None),
    },
    "veto-before-table.txt": {
        "0.1a": ("once", Decimal(30)),  # the 一票否决 sentence above the table: kept, as wording
        "1.1a": ("once", Decimal(3)), "1.2a": ("once", Decimal(1)), "1.2b": ("each", Decimal(1)),
        "2.1a": ("once", Decimal(2)), "2.1b": ("each", Decimal(1)),
    },
}
LAYOUT_TRUTH["points-column.docx"] = LAYOUT_TRUTH["points-column.txt"]

#: Per layout: (right clauses, TODOs at most), and the sections and points of the draft.
LAYOUT_FIGURES = {
    "flattened-cells.txt": (9, 1, ["S1", "S2"], Decimal(18)),
    "numbering-styles.txt": (7, 1, ["S1", "S2"], Decimal(15)),
    "circled-items.txt": (5, 0, ["S1", "S2"], Decimal(10)),
    "points-column.txt": (6, 1, ["S1", "S2"], Decimal(15)),
    "points-column.docx": (6, 1, ["S1", "S2"], Decimal(15)),
    "unnumbered-headings.txt": (5, 0, ["S1", "S2"], Decimal(12)),
    "veto-before-table.txt": (6, 6, ["S0", "S1", "S2"], Decimal(10)),
}

#: The corpus excerpts, drafted: (sections, items, clauses, TODOs at most). They compile as drafted;
#: what stops the rest is the excerpts themselves (cut mid-item, mid-sentence: 进步10…, 实行“…), wording
#: no rule carries (按…标准的25%计扣, 加倍扣分) and points no heading gives (a 负面清单 deducts from 0).
#: The measures of wenzhou are one clause each, their bands together (低于96%…;低于90%…).
CORPUS_FIGURES = {
    "guoqi-dflz-zerenzhi.txt": (3, 6, 19, 21),
    "wenzhou-pingan-fumian.txt": (5, 10, 15, 28),
    "xxxian-zongzhi-pingan.txt": (3, 15, 17, 22),
}


def corpus_text(name: str) -> str:
    """A corpus excerpt without its first line, the note of where it was published (no part of the document)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("# SOURCE") else text


def compiled(result: Draft, name: str) -> qlrules.Rubric:
    """The draft compiled exactly as written: TODOs are comments, nothing removed or edited."""
    return qlrules.compile_rubric(result.text, f"{name}.qlr")


def right_clauses(rubric: qlrules.Rubric, truth: dict[str, tuple[str, Decimal | None]]) -> list[str]:
    got = {c.id: c for c in rubric.clauses}
    return [cid for cid, (kind, rate) in truth.items() if cid in got and (rules.kind(got[cid]), rules.rate(got[cid])) == (kind, rate)]


def sentences_with_points(text: str) -> list[str]:
    """Each phrase (up to ,，。；; or a line's end) of a document that states points, without spaces.

    Phrases, not whole sentences: the draft cuts a sentence where an item's text ends and its
    clauses begin, and between clauses; every phrase that states points must still be there.
    """
    pieces = [re.sub(r"\s+", "", piece) for piece in re.split(r"[,，。;；\n]", text)]
    # An item's number is the draft's id, not its wording: 1. 1、 ① and, in a flattened table, the points run into it (5(1)…).
    pieces = [re.sub(r"^(?:\d{1,3}[.．、]|\d{1,3}(?=[(（\u4e00-\u9fff])|[①-⑳])", "", piece) for piece in pieces]
    return [p for p in pieces if re.search(r"(?:扣|减|加|得)\d+(?:\.\d+)?分|不得分", p)]


def assert_nothing_lost(document: str, result: Draft) -> None:
    """No sentence of the document that states points is silently lost: each is in the draft (wording or a comment)."""
    draft_text = re.sub(r"\s+", "", result.text)
    lost = [s for s in sentences_with_points(document) if s.strip(",，") not in draft_text]
    assert lost == []


# -- the seed in three formats ----------------------------------------------------


@pytest.mark.parametrize("path", list(SEED_FIGURES), ids=lambda p: p.name)
def test_seed_in_each_format(path: Path, seed: qlrules.Rubric) -> None:
    result = draft_file(path, path.name)
    rubric = compiled(result, path.name)
    truth = {c.id: (rules.kind(c), rules.rate(c)) for c in seed.clauses}
    right, most_todos = SEED_FIGURES[path]
    got = right_clauses(rubric, truth)
    assert len(seed.clauses) == 89
    assert len(got) >= right, f"{len(got)} of 89 right; wrong: {sorted(set(truth) - set(got))}"
    assert len(result.todos) <= most_todos
    assert (result.sections, result.topics, result.items, result.clauses, result.adjustments, result.rules) == (5, 15, 53, 89, 8, 2)
    assert (rubric.title, rubric.edition, rubric.points) == (seed.title, seed.edition, Decimal(100))
    assert [(i.id, i.points) for i in rubric.items] == [(i.id, i.points) for i in seed.items]
    assert [(a.id, rules.kind(a), rules.rate(a)) for a in rubric.adjustments] == [(a.id, rules.kind(a), rules.rate(a)) for a in seed.adjustments]
    assert [r.name for r in rubric.rules] == ["highest-per-case", "item-cap"]


def test_the_docx_pdf_and_text_drafts_alike(seed: qlrules.Rubric) -> None:
    """Same wording from the Word table and the PDF as from the text; owners from the merged cells, topic 12's too.

    The PDF's extraction puts its stray spaces elsewhere than the text's; closed up, they leave the same wording.
    """
    text = compiled(draft_file(FIXTURES / "seed-document.txt"), "text")
    word = compiled(draft_file(DRAFTS / "seed-fujian.docx"), "docx")
    pdf = compiled(draft_file(DRAFTS / "seed-fujian.pdf"), "pdf")
    for other in (word, pdf):
        assert [(c.id, c.text) for c in other.clauses] == [(c.id, c.text) for c in text.clauses]
        assert [(i.id, i.text) for i in other.items] == [(i.id, i.text) for i in text.items]
    assert [t.owners for t in word.topics] == [t.owners for t in seed.topics]
    owners = {t.id: t.owners for t in seed.topics}
    assert [t.id for t in text.topics if t.owners != owners[t.id]] == ["12"]


def test_docx_blocks_read_merged_cells_once() -> None:
    """A vertically merged cell's text starts in one row and is carried (not read again) in the rows it spans."""
    blocks = read_blocks(DRAFTS / "seed-fujian.docx")
    rows = [b for b in blocks if isinstance(b, Row)]
    assert [b.text for b in blocks[:2]] == ["附件2", "清廉机关建设任务分工"]
    assert len(rows) == 54  # 53 items and the 加减分项; the header row (repeated on every page) is not a row
    sections = [c.text for r in rows for c in r.get("project")[:1] if c.first]
    assert sections == ["强化组织领导(5分)", "一、突出政治引领(25分)", "二、规范权力运行(30分)", "三、强化监督管理(25分)",
                        "四、树立崇廉导向(15分)", "加减分项"]
    owner_rows = [r for r in rows if any("机关纪委" in c.text for c in r.get("owner"))]
    assert sum(1 for r in owner_rows if r.get("owner")[0].first) < len(owner_rows)  # carried, read once
    assert isinstance(blocks[-1], Line) and blocks[-1].text.startswith("2.考评细则中")


def test_pdf_drops_page_furniture() -> None:
    """The running header and the page numbers (— 3 -) are gone; rows cut by a page break are whole again."""
    blocks = read_blocks(DRAFTS / "seed-fujian.pdf")
    lines = [b.text for b in blocks if isinstance(b, Line)]
    assert lines == ["附件2", "清廉机关建设任务分工", "注:1.党员干部违纪违法案件在本考评细则的不同考核内容中不重复扣分,以扣分最高值为准。",
                     "2.考评细则中,每个子项目扣分值不超过该子项目的赋分值。"]
    contents = [c.text for b in blocks if isinstance(b, Row) for c in b.get("content") if c.first and c.text]
    assert len(contents) == 54 and all(re.match(r"\d+\.", t) for t in contents[:-1])


# -- layouts ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LAYOUT_FIGURES))
def test_layouts(name: str) -> None:
    path = LAYOUTS / name
    result = draft_file(path, name)
    rubric = compiled(result, name)
    right, most_todos, sections, points = LAYOUT_FIGURES[name]
    truth = LAYOUT_TRUTH[name]
    got = right_clauses(rubric, truth)
    assert len(got) >= right, f"{len(got)} of {len(truth)} right; wrong: {sorted(set(truth) - set(got))}"
    assert len(rubric.clauses) == len(truth)
    assert len(result.todos) <= most_todos, [t.message for t in result.todos]
    assert [s.id for s in rubric.sections] == sections
    assert rubric.points == points
    assert rubric.title and rubric.title not in ("考评项目", "考评内容", "具体内容")
    if path.suffix == ".txt":
        assert_nothing_lost(path.read_text(encoding="utf-8"), result)


def test_the_veto_above_the_table_is_kept() -> None:
    """The −30 一票否决 before the first numbered line: wording of a clause, a TODO, and handed on as rubric-level."""
    result = draft_file(LAYOUTS / "veto-before-table.txt")
    rubric = compiled(result, "veto")
    clause = rubric.clause_index["0.1a"]
    assert "一票否决" in clause.text and rules.rate(clause) == Decimal(30)
    assert any(t.target == "S0" for t in result.todos)
    # It deducts and names 一票否决: the veto waits in a comment, the document stating no grades.
    assert any(t.target == "0.1a" and "vetoes" in t.message for t in result.todos)
    assert any(t.target == "vetoes" and "states no grades" in t.message for t in result.todos)


def test_headings_numbered_twice_get_unique_ids() -> None:
    text = "一、甲(2分)\n1.做甲,2分。未做的,扣1分。\n一、乙(3分)\n1.做乙,3分。未做的,扣2分。\n"
    result = qlrules_draft(text)
    rubric = compiled(result, "twice")
    assert [s.id for s in rubric.sections] == ["S1", "S2"]
    assert any("used twice" in t.message or "numbers two sections" in t.message for t in result.todos)


def test_a_short_item_is_not_taken_into_a_topic_title() -> None:
    text = "一、甲(4分)\n1.学习\n制度(4分)\n1.学习,2分。未学习的,扣1分。\n2.考勤2分\n未考勤的,扣1分。\n"
    rubric = compiled(qlrules_draft(text), "short")
    assert [t.title for t in rubric.topics] == ["学习制度"]


def test_points_the_document_does_not_give_are_not_invented() -> None:
    text = "一、甲(3分)\n1.做甲,2分。未做的,扣1分。\n2.做乙。未做乙的,扣1分。\n"
    result = qlrules_draft(text)
    rubric = compiled(result, "nopoints")
    assert rubric.item_index["1.2"].points == 0
    assert any(t.target == "1.2" and "no points" in t.message for t in result.todos)
    assert any(t.target == "S1" and "document gives 3分" in t.message for t in result.todos)
    assert rubric.sections[0].points == 2


def qlrules_draft(text: str) -> Draft:
    from qlrules.authoring.draft import draft

    return draft(text, "doc.txt")


# -- the corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CORPUS_FIGURES))
def test_corpus_documents_compile_as_drafted(name: str, tmp_path: Path) -> None:
    document = tmp_path / name
    document.write_text(corpus_text(name), encoding="utf-8")
    result = draft_file(document, name)
    rubric = compiled(result, name)
    sections, items, clauses, most_todos = CORPUS_FIGURES[name]
    assert (len(rubric.sections), len(rubric.items), len(rubric.clauses)) == (sections, items, clauses)
    assert len(result.todos) <= most_todos
    assert_nothing_lost(corpus_text(name), result)


# -- formats and hostile files -------------------------------------------------------


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    document = tmp_path / "细则.md"
    document.write_bytes((LAYOUTS / "circled-items.txt").read_bytes())
    assert draft_file(document).clauses == 5


@pytest.mark.parametrize(("name", "needle"), [
    ("附件.doc", "save it as .docx"), ("附件.wps", "save it as .docx"), ("附件.xlsx", "save the 附件 as .docx"),
])
def test_other_formats_say_to_save_as_docx(tmp_path: Path, name: str, needle: str) -> None:
    document = tmp_path / name
    document.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError, match=re.escape(needle)) as caught:
        draft_file(document, name)
    assert name in str(caught.value)


def _zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return data.getvalue()


def _hostile_docx(kind: str) -> bytes:
    good = (DRAFTS / "seed-fujian.docx").read_bytes()
    if kind == "garbage":
        return b"this is not a zip at all"
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "old-doc":
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    if kind == "bomb":
        return _zip({"word/document.xml": b"<w:document/>", "word/huge.xml": b"\0" * (3 * 1024 * 1024)})
    if kind == "entities":
        return _zip({"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>',
                     "word/document.xml": b"<w:document/>"})
    if kind == "no-body":
        return _zip({"[Content_Types].xml": b"<Types/>"})
    if kind == "bad-xml":
        with zipfile.ZipFile(io.BytesIO(good)) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        parts["word/document.xml"] = b"<w:document><w:body><unclosed"
        return _zip(parts)
    raise AssertionError(kind)


@pytest.mark.parametrize(("kind", "needle"), [
    ("garbage", "not a .docx file that can be read"), ("truncated", "not a .docx file that can be read"),
    ("old-doc", "an old Word document (.doc)"), ("bomb", "MB uncompressed"), ("entities", "declares XML entities"),
    ("no-body", "no word/document.xml"), ("bad-xml", "not a .docx file that can be read"),
])
def test_hostile_docx_is_an_input_error(tmp_path: Path, kind: str, needle: str, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from qlrules.authoring import sources

    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)  # the seed's .docx unpacks to under 1 MB
    document = tmp_path / f"{kind}.docx"
    document.write_bytes(_hostile_docx(kind))
    with pytest.raises(InputError, match=re.escape(needle)) as caught:
        draft_file(document, document.name)
    assert document.name in str(caught.value)
    out = tmp_path / "out.qlr"
    result = cli("draft", str(document), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1 and document.name in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("content", [
    b"not a pdf", b"%PDF-1.4\n1 0 obj <<>> garbage", b"",
    (DRAFTS / "seed-fujian.pdf").read_bytes()[:5000],
], ids=["not-pdf", "garbage", "empty", "truncated"])
def test_broken_pdf_is_an_input_error(tmp_path: Path, content: bytes, cli: Cli) -> None:
    document = tmp_path / "附件.pdf"
    document.write_bytes(content)
    out = tmp_path / "out.qlr"
    result = cli("draft", str(document), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1 and "附件.pdf" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_document_too_large_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qlrules.authoring import sources

    monkeypatch.setattr(sources, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(InputError, match="larger than any official document"):
        draft_file(DRAFTS / "seed-fujian.pdf")


def test_cli_drafts_the_docx(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out.qlr"
    result = cli("draft", str(DRAFTS / "seed-fujian.docx"), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "53 items, 89 clauses" in result.stderr
    assert out.read_text(encoding="utf-8") == draft_file(DRAFTS / "seed-fujian.docx", str(DRAFTS / "seed-fujian.docx")).text


def test_items_of_a_section_and_of_a_topic_with_its_number_get_apart_ids() -> None:
    text = "一、甲(2分)\n1.做甲,2分。未做的,扣1分。\n二、乙(3分)\n1.乙题(3分)\n1.做乙,3分。未做的,扣2分。\n"
    result = qlrules_draft(text)
    rubric = compiled(result, "apart")
    assert [(i.id, i.section) for i in rubric.items] == [("2.1", "S1"), ("1.1", "S2")]
    assert any("ids of topic 1" in t.message for t in result.todos)


def test_a_word_table_with_one_project_column(tmp_path: Path) -> None:
    """One 考评项目 column holding a section's and a topic's heading, typed over lines; merged down; a 分值 column."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("某局清廉机关考评表")
    table = document.add_table(rows=4, cols=5)
    for cell, word in zip(table.rows[0].cells, ("考评项目", "具体内容", "分值", "考评标准", "责任科室"), strict=True):
        cell.text = word
    rows = [("一、加强\n领导(5分)\n1.学习(5分)", "1.组织学习", "3", "未组织的，扣3分。", "办公室"),
            ("", "2.学习记录", "2", "记录不全的，每次扣0.5分。", ""),
            ("二、监督(2分)\n2.检查(2分)", "1.开展检查", "2", "未开展的，扣2分。", "纪检组")]
    for n, row in enumerate(rows, 1):
        for cell, text in zip(table.rows[n].cells, row, strict=True):
            cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = rows[0][0]
    table.cell(1, 4).merge(table.cell(2, 4)).text = "办公室"
    path = tmp_path / "附件1.docx"
    document.save(str(path))
    rubric = compiled(draft_file(path), "one-column")
    assert [(s.id, s.title, s.points) for s in rubric.sections] == [("S1", "加强领导", 5), ("S2", "监督", 2)]
    assert [(t.id, t.title, t.owners) for t in rubric.topics] == [("1", "学习", ("办公室",)), ("2", "检查", ("纪检组",))]
    assert [(c.id, rules.kind(c), rules.rate(c)) for c in rubric.clauses] == [
        ("1.1a", "once", 3), ("1.2a", "each", Decimal("0.5")), ("2.1a", "once", 2)]
    assert [i.points for i in rubric.items] == [3, 2, 2]
    assert rubric.title == "某局清廉机关考评表" and rubric.edition == "附件1"


@pytest.mark.parametrize("path", [DRAFTS / "seed-fujian.docx", DRAFTS / "seed-fujian.pdf"], ids=lambda p: p.suffix)
def test_seed_drafts_compile_without_warnings(path: Path) -> None:
    assert compiled(draft_file(path), path.name).warnings == ()


def test_separate_award_and_deduction_blocks_are_groups() -> None:
    text = "一、甲(2分)\n1.做甲,2分。未做的,扣1分。\n加分项\n受到市级表彰的,每次加1分。\n扣分项：\n被通报批评的,每次扣1分。\n"
    rubric = compiled(qlrules_draft(text), "groups")
    assert [(g.id, g.title, [a.id for a in g.adjustments]) for g in rubric.adjustment_groups] == [
        ("B", "加分项", ["B1"]), ("N", "扣分项", ["N1"])]  # language 2's ids: B for 加分, N for 扣分

"""`qlrules diff`: exactly the edits between two rubrics, by id, and what they do to scored units."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import qlrules
from qlrules.authoring.diff import Change, diff_rubrics, inline, replay, wording_ops

from .conftest import ROOT, Cli

BUNDLED = ROOT / "rubrics" / "qinglian-jiguan.qlr"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _drop_line(text: str, ident: str) -> str:
    text, n = re.subn(rf"\n *{re.escape(ident)} [^\n]*", "", text)
    assert n == 1, ident
    return text


def _edit_line(text: str, ident: str, old: str, new: str) -> str:
    """Edit the one line that declares ``ident`` (official wording may hold no-break spaces)."""
    lines = text.split("\n")
    (n,) = [n for n, line in enumerate(lines) if line.strip().startswith(ident + " ")]
    lines[n] = _edit(lines[n], old, new)
    return "\n".join(lines)


def _edited(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in edits:
        text = _edit(text, old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _shape(changes: tuple[Change, ...]) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.change, c.kind, c.id, c.field) for c in changes]


@pytest.fixture()
def edited(tmp_path: Path) -> Path:
    """The bundled rubric with one of each kind of edit, made in its text."""
    text = BUNDLED.read_text(encoding="utf-8")
    # a rate, with the wording that states it
    text = _edit(text, '0.1a "未传达学习、专题研究和调度的,每项扣0.5分" each 项 −0.5 of 3',
                 '0.1a "未传达学习、专题研究和调度的,每项扣1分" each 项 −1 of 3')
    # a points split between two items of one section
    text = _edit(text, 'item 0.2 "细化责任分工并督办落实" points 2', 'item 0.2 "细化责任分工并督办落实" points 1.5')
    text = _edit(text, 'item 0.3 "制定年度工作计划并督办落实" points 1', 'item 0.3 "制定年度工作计划并督办落实" points 1.5')
    # an item renamed
    text = _edit(text, 'item 1.1 "理论学习中心组、干部教育培训学习"', 'item 1.1 "理论学习中心组学习"')
    # a clause removed, a clause added
    text = _drop_line(text, "7.2b")
    text = _edit(text, '      7.3a "发现一起相关违规问题扣1分" each 起 −1\n',
                 '      7.3a "发现一起相关违规问题扣1分" each 起 −1\n      7.3b "未建立公务接待台账的,扣0.5分" once −0.5\n')
    # a topic moved to another section (the sections' points follow it)
    start, end = text.index("  topic 7 "), text.index("# 三、强化监督管理")
    block = text[start:end]
    text = text[:start] + text[end:]
    text = _edit(text, 'section S2 "规范权力运行" points 30', 'section S2 "规范权力运行" points 23')
    text = _edit(text, 'section S3 "强化监督管理" points 25', 'section S3 "强化监督管理" points 32')
    at = text.index("# 四、树立崇廉导向")
    text = text[:at] + block + text[at:]
    path = tmp_path / "edited.qlr"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rubric_against_itself_has_no_differences(seed: qlrules.Rubric, cli: Cli) -> None:
    """Diffing a rubric with itself (or an identical copy) finds nothing."""
    assert diff_rubrics(seed, seed) == ()
    result = cli("diff", str(BUNDLED), str(BUNDLED), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"] == []
    table = cli("diff", str(BUNDLED), str(BUNDLED))
    assert table.exit_code == 0 and "no differences" in table.stdout


def test_an_edited_copy_lists_exactly_the_edits(seed: qlrules.Rubric, edited: Path) -> None:
    """Each edit is one change, by id, in rubric order, and nothing else is listed."""
    changes = diff_rubrics(seed, qlrules.load_rubric(edited))
    assert _shape(changes) == [
        ("changed", "clause", "0.1a", "text"),
        ("changed", "clause", "0.1a", "rate"),
        ("changed", "item", "0.2", "points"),
        ("changed", "item", "0.3", "points"),
        ("renamed", "item", "1.1", "title"),
        ("changed", "section", "S2", "points"),
        ("changed", "section", "S3", "points"),
        ("moved", "topic", "7", "parent"),  # in the new rubric's order: topic 7 now closes S3
        ("removed", "clause", "7.2b", None),
        ("added", "clause", "7.3b", None),
    ]
    by = {(c.kind, c.id, c.field): c for c in changes}
    assert inline(by[("clause", "0.1a", "text")].ops or ()) == "…和调度的,每项扣[-0.5-]{+1+}分"
    assert (by[("clause", "0.1a", "rate")].old, by[("clause", "0.1a", "rate")].new) == (Decimal("0.5"), Decimal(1))
    assert inline(by[("item", "1.1", "title")].ops or ()) == "理论学习中心组[-、干部教育培训-]学习"
    assert by[("topic", "7", "parent")].old == ("section", "S2") and by[("topic", "7", "parent")].new == ("section", "S3")
    removed = by[("clause", "7.2b", None)]
    assert removed.parent == ("item", "7.2") and removed.old["rate"] == Decimal("0.5") and removed.new is None
    added = by[("clause", "7.3b", None)]
    assert added.parent == ("item", "7.3") and added.new["kind"] == "once" and added.new["text"] == "未建立公务接待台账的,扣0.5分"


def test_rule_fields_owners_rules_and_adjustments_are_compared(seed: qlrules.Rubric, tmp_path: Path, cli: Cli) -> None:
    """kind, of, replaces, an adjustment's signed rate, owners (not where merely inherited), a rule's wording."""
    path = _edited(
        tmp_path, "fields.qlr",
        ('1.1a "中心组未开展相关学习的,扣1分" once −1', '1.1a "中心组未开展相关学习的,扣1分" each 项 −1'),
        ('each 项 −0.5 of 3\n\n  item 0.2', 'each 项 −0.5 of 2\n\n  item 0.2'),
        ("discretionary replaces 6.1b..6.1g", "discretionary replaces 6.1b..6.1f"),
        ('A1 "因涉及清廉机关创建的相关工作受到国家部委(局)或省委省政府表彰的每项加1分" each 项 +1',
         'A1 "因涉及清廉机关创建的相关工作受到国家部委(局)或省委省政府表彰的每项加1分" each 项 +2'),
        ('section S0 "强化组织领导" points 5 owners "机关纪委"', 'section S0 "强化组织领导" points 5 owners "机关纪委", "办公室"'),
        ('item 6.2 "廉政风险点排查" points 1', 'item 6.2 "廉政风险点排查" points 1 owners "办公室"'),
        ("以扣分最高值为准。", "以扣分最高值为准,不累计扣分。"),
    )
    changes = diff_rubrics(seed, qlrules.load_rubric(path))
    assert _shape(changes) == [
        ("changed", "rule", "highest-per-case", "text"),
        ("changed", "section", "S0", "owners"),  # items 0.1–0.3 inherit it: not listed again
        ("changed", "clause", "0.1a", "of"),
        ("changed", "clause", "1.1a", "kind"),
        ("changed", "clause", "1.1a", "unit"),
        ("changed", "clause", "6.1h", "replaces"),
        ("changed", "item", "6.2", "owners"),
        ("changed", "adjustment", "A1", "rate"),
    ]
    by = {(c.kind, c.id, c.field): c for c in changes}
    assert by[("clause", "6.1h", "replaces")].new == ("6.1b", "6.1c", "6.1d", "6.1e", "6.1f")
    assert (by[("adjustment", "A1", "rate")].old, by[("adjustment", "A1", "rate")].new) == (Decimal(1), Decimal(2))
    assert inline(by[("rule", "highest-per-case", "text")].ops or ()).endswith("最高值为准{+,不累计扣分+}。")
    table = cli("diff", str(BUNDLED), str(path), env={"COLUMNS": "200"}).stdout
    assert "rate: +1 → +2" in table and "kind: once → each" in table and "of: 3 → 2" in table


def test_a_removed_item_is_one_change_with_its_clauses_folded_in(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """Removing an item lists the item (with its clauses as children) and the points that follow, not each clause."""
    text = BUNDLED.read_text(encoding="utf-8")
    start = text.index("    item 7.3 ")
    end = text.index("    item 7.4 ")
    text = text[:start] + text[end:]
    text = _edit(text, 'rubric "清廉机关建设任务分工" points 100', 'rubric "清廉机关建设任务分工" points 99')
    text = _edit(text, 'section S2 "规范权力运行" points 30', 'section S2 "规范权力运行" points 29')
    text = _edit(text, 'topic 7 "持之以恒纠“四风”树新风" points 7', 'topic 7 "持之以恒纠“四风”树新风" points 6')
    path = tmp_path / "fewer.qlr"
    path.write_text(text, encoding="utf-8")
    changes = diff_rubrics(seed, qlrules.load_rubric(path))
    assert _shape(changes) == [
        ("changed", "rubric", None, "points"),
        ("changed", "section", "S2", "points"),
        ("changed", "topic", "7", "points"),
        ("removed", "item", "7.3", None),
    ]
    assert changes[-1].children == ("7.3a",) and changes[-1].parent == ("topic", "7")


def test_clauses_in_another_order_are_reported(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """Order decides 注1 ties and what 注2 cuts, so a swap of two clauses is a change."""
    a = '      4.2a "未按要求每年召开2次以上党风廉政建设专题会议的,扣0.5分" once −0.5\n'
    text = BUNDLED.read_text(encoding="utf-8")
    line_b = next(line + "\n" for line in text.splitlines() if line.strip().startswith("4.2b "))
    text = _edit(text, a + line_b, line_b + a)
    path = tmp_path / "swapped.qlr"
    path.write_text(text, encoding="utf-8")
    (change,) = diff_rubrics(seed, qlrules.load_rubric(path))
    assert (change.change, change.kind, change.id, change.field) == ("reordered", "item", "4.2", "clauses")
    assert (change.old, change.new) == (["4.2a", "4.2b"], ["4.2b", "4.2a"])


def test_wording_diff_keeps_numbers_whole_and_shortens_long_runs() -> None:
    assert inline(wording_ops("扣0.5分", "扣1分")) == "扣[-0.5-]{+1+}分"
    assert inline(wording_ops("扣1.5分", "扣1分")) == "扣[-1.5-]{+1+}分"
    assert inline(wording_ops("每项扣0.5分", "每例扣0.5分")) == "每[-项-]{+例+}扣0.5分"
    long = "一二三四五六七八九十" * 3
    assert inline(wording_ops(long + "扣1分" + long, long + "扣2分" + long), context=4) == "…八九十扣[-1-]{+2+}分一二三…"
    assert wording_ops("同", "同") == (("=", "同"),)


FINDINGS = """\
units:
  - unit: 市财政局
    findings:
      - {clause: 0.1a, count: 2}
      - {clause: A3, count: 1}
  - unit: 市统计局
    findings:
      - {clause: 7.2b, count: 1}
      - {clause: 9.1a, count: 1}
  - unit: 市审计局
    findings:
      - {clause: 9.1a, count: 1}
  - unit: 市教育局
    findings:
      - {clause: 0.2a, count: 2}
"""


def test_findings_are_replayed_under_both_rubrics(edited: Path, tmp_path: Path, cli: Cli) -> None:
    """Each unit's total before and after, the difference, and the numbered changes that moved it."""
    findings = tmp_path / "batch.yaml"
    findings.write_text(FINDINGS, encoding="utf-8")
    result = cli("diff", str(BUNDLED), str(edited), "--findings", str(findings), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_float=Decimal)
    changes = document["changes"]
    units = {u["unit"]: u for u in document["units"]}
    assert list(units) == ["市财政局", "市统计局", "市审计局", "市教育局"]
    # 0.1a: 0.5 × 2 = 1 before, 1 × 2 = 2 after; A3 +0.5 both: 99.5 → 98.5.
    finance = units["市财政局"]
    assert (finance["before"], finance["after"], finance["delta"]) == (Decimal("99.5"), Decimal("98.5"), -1)
    (item,) = finance["items"]
    assert (item["item"], item["before"], item["after"]) == ("0.1", 1, 2)
    assert item["clauses"] == [{"clause": "0.1a", "before": 1, "after": 2}]
    assert [(changes[n]["id"], changes[n]["field"]) for n in item["because"]] == [("0.1a", "text"), ("0.1a", "rate")]
    # 7.2b is gone from the new rubric: the unit is reported, not raised.
    statistics = units["市统计局"]
    assert statistics["before"] == Decimal("99") and statistics["after"] is None and statistics["delta"] is None
    assert statistics["errors"]["old"] is None and "unknown clause '7.2b'" in statistics["errors"]["new"]
    # Nothing it was found against changed.
    audit = units["市审计局"]
    assert (audit["before"], audit["after"], audit["delta"], audit["items"]) == (Decimal("99.5"), Decimal("99.5"), 0, [])
    # 0.2a 1 × 2 = 2 fills item 0.2; its points drop to 1.5, so 注2 cuts 0.5: 98 → 98.5.
    education = units["市教育局"]
    assert (education["before"], education["after"], education["delta"]) == (98, Decimal("98.5"), Decimal("0.5"))
    (item,) = education["items"]
    assert [(changes[n]["id"], changes[n]["field"]) for n in item["because"]] == [("0.2", "points")]


def test_findings_table_and_markdown_show_totals_and_causes(edited: Path, tmp_path: Path, cli: Cli) -> None:
    findings = tmp_path / "batch.yaml"
    findings.write_text(FINDINGS, encoding="utf-8")
    table = cli("diff", str(BUNDLED), str(edited), "--findings", str(findings), env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    row = next(line for line in table.stdout.splitlines() if "市财政局" in line)
    assert re.search(r"99\.5\s+98\.5\s+−1\s+item 0\.1 deducts 1 → 2 \(0\.1a 1 → 2\) \[1\] \[2\]", row)
    flowing = " ".join(table.stdout.split())  # the table wraps long messages at a width that depends on the path
    assert "does not fit the new rubric" in flowing and "unknown clause '7.2b'" in flowing
    markdown = cli("diff", str(BUNDLED), str(edited), "--findings", str(findings), "--format", "markdown")
    assert markdown.exit_code == 0
    lines = markdown.stdout.splitlines()
    assert "| # | change | what | detail |" in lines
    assert "| 1 | changed | clause 0.1a | wording: `…专题研究和调度的,每项扣[-0.5-]{+1+}分` |" in lines
    assert "| 2 | changed | clause 0.1a | rate: −0.5 → −1 |" in lines
    assert "| 市财政局 | 99.5 | 98.5 | −1 | item 0.1 deducts 1 → 2 (0.1a 1 → 2) [1] [2] |" in lines
    assert "| 市审计局 | 99.5 | 99.5 | 0 | unchanged |" in lines


def test_note1_and_adjustment_changes_are_tied_to_the_unit(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """A case shared by two clauses moves with 注1; an adjustment's new rate moves the total."""
    text = _edit_line(BUNDLED.read_text(encoding="utf-8"), "11.4b", '扣2分" once −2', '扣3分" once −3')
    text = _edit_line(text, "A3", '加0.5分" each 项 +0.5', '加1分" each 项 +1')
    path = tmp_path / "rates.qlr"
    path.write_text(text, encoding="utf-8")
    new = qlrules.load_rubric(path)
    changes = diff_rubrics(seed, new)
    unit = {"unit": "市住房和城乡建设局", "findings": [
        {"clause": "6.1c", "cases": ["J-1"]}, {"clause": "11.4b", "cases": ["J-1"]}, {"clause": "A3", "count": 1}]}
    (impact,) = replay(seed, new, unit, changes)
    # before: 注1 tie 2 = 2 → 6.1c keeps J-1 (item 6.1 = 2); A3 +0.5: 100 − 2 + 0.5 = 98.5.
    # after: 11.4b's nominal 3 > 2 → 11.4b keeps J-1, but 注2 holds item 11.4 to its 2 points; A3 +1: 100 − 2 + 1 = 99.
    assert impact.before is not None and impact.after is not None
    assert (impact.before.total, impact.after.total, impact.delta) == (Decimal("98.5"), Decimal(99), Decimal("0.5"))
    moved = {m.id: m for m in impact.items}
    assert (moved["6.1"].before, moved["6.1"].after) == (2, 0)
    assert (moved["11.4"].before, moved["11.4"].after) == (0, 2)
    assert {(changes[n].id, changes[n].field) for n in moved["11.4"].because} == {("11.4b", "text"), ("11.4b", "rate")}
    named = {(changes[n].id, changes[n].field) for n in moved["6.1"].because}
    assert ("11.4b", "rate") in named
    (adjustment,) = impact.adjustments
    assert (adjustment.id, adjustment.before, adjustment.after) == ("A3", Decimal("0.5"), 1)
    assert {(changes[n].id, changes[n].field) for n in adjustment.because} == {("A3", "text"), ("A3", "rate")}


def test_a_unit_that_fits_neither_rubric_is_invalid_findings(edited: Path, tmp_path: Path, cli: Cli) -> None:
    findings = tmp_path / "bad.yaml"
    findings.write_text("unit: 市财政局\nfindings:\n  - {clause: 0.9z, count: 1}\n", encoding="utf-8")
    result = cli("diff", str(BUNDLED), str(edited), "--findings", str(findings))
    assert result.exit_code == 1
    assert "unknown clause '0.9z'" in result.stderr and "Traceback" not in result.output


def test_a_rubric_that_does_not_compile_is_exit_1(tmp_path: Path, cli: Cli) -> None:
    broken = tmp_path / "broken.qlr"
    broken.write_text(BUNDLED.read_text(encoding="utf-8").replace("points 100", "points 101", 1), encoding="utf-8")
    result = cli("diff", str(BUNDLED), str(broken))
    assert result.exit_code == 1
    assert "broken.qlr:" in result.stderr and "Traceback" not in result.output


def test_output_file_is_written_whole(edited: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "changes.json"
    result = cli("diff", str(BUNDLED), str(edited), "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) == {"old", "new", "changes"}
    assert set(document["changes"][0]) == {"change", "kind", "id", "field", "old", "new", "parent", "children", "diff", "ops"}
    assert list(tmp_path.glob("*.part")) == []


# -- language 2 ------------------------------------------------------------------------------

L2 = """\
rubric "t" points 10
section S1 "领导责任制" points 5
  S1a "每人次减2.5分,最高减5分" each 人次 −2.5 cap 5
  item 1.1 points 2
    text "x"
    1.1a "每例扣1-2分" each 例 −1..−2
  item 1.2 points 3
    text "x"
    1.2a "每例扣0.5、1、2、5分" each 例 levels 县 −0.5, 市 −1, 省 −2, 京 −5
section S2 "平安三率" points 5
  topic 3 "平安三率" points 5
    item 3.1 points 5
      text "x"
      3.1a "低于96%的,每降低1个百分点扣0.25分" measure % below 96 per 1 −0.25
adjustments B "加分项" cap 3
  B1 "分别加2、4分" each 次 levels 镇 +2, 县 +4
adjustments N "扣分项"
  N1 "每例扣1分" each 例 −1
grades "考核结果"
  优秀 "9分(含)以上为优秀" at least 9
  达标 "6-8为达标" from 6 to 8
  不达标 "5分(含)以下为不达标" at most 5
vetoes "否决项"
  V1 "一票否决" veto 不达标
"""


def _l2(*edits: tuple[str, str]) -> qlrules.Rubric:
    text = L2
    for old, new in edits:
        text = _edit(text, old, new)
    return qlrules.compile_rubric(text, "new.qlr")


def _l2_changes(*edits: tuple[str, str]) -> tuple[Change, ...]:
    return diff_rubrics(qlrules.compile_rubric(L2, "old.qlr"), _l2(*edits))


def _details(*edits: tuple[str, str]) -> list[str]:
    from qlrules.authoring.diff import _what, detail

    return [f"{c.change} {_what(c)}: {detail(c)}" for c in _l2_changes(*edits)]


def test_language_2_rubric_against_itself_has_no_differences() -> None:
    assert _l2_changes() == ()


@pytest.mark.parametrize(("edits", "expected"), [
    # a range
    ([("each 例 −1..−2", "each 例 −1..−3")], ["changed clause 1.1a: range: −1..−2 → −1..−3"]),
    ([("each 例 −1..−2", "each 例 −1")], ["changed clause 1.1a: rate: — → −1", "changed clause 1.1a: range: −1..−2 → —"]),
    # levels: re-rated, added, removed, reordered
    ([("市 −1, 省", "市 −1.5, 省")], ["changed clause 1.2a: level 市: −1 → −1.5"]),
    ([("县 +4\n", "县 +4, 市 +6\n")], ["changed adjustment B1: level 市 added: +6"]),
    ([(", 京 −5", "")], ["changed clause 1.2a: level 京 removed: −5"]),
    ([("县 −0.5, 市 −1", "市 −1, 县 −0.5")], ["reordered clause 1.2a: level order: 县, 市, 省, 京 → 市, 县, 省, 京"]),
    ([("省 −2, 京 −5", "省 −2..−3, 京 −5")], ["changed clause 1.2a: level 省: −2 → −2..−3"]),
    # a measure's bands
    ([("below 96 per 1 −0.25", "below 96 per 1 −0.25, below 90 per 1 −0.5")],
     ["changed clause 3.1a: measure: below 96 per 1 −0.25 → below 96 per 1 −0.25, below 90 per 1 −0.5"]),
    ([("measure % below 96 per 1 −0.25", "measure % tiers at most 96 −0.25")],
     ["changed clause 3.1a: measure: below 96 per 1 −0.25 → tiers at most 96 −0.25"]),
    # an item becoming earned; caps on items, topics, sections, groups
    ([("item 1.1 points 2", "item 1.1 points 2 earned")], ["changed item 1.1: earned: — → earned"]),
    ([("item 1.2 points 3", "item 1.2 points 3 cap 2")], ["changed item 1.2: cap: — → 2"]),
    ([('topic 3 "平安三率" points 5', 'topic 3 "平安三率" points 5 cap 4')], ["changed topic 3: cap: — → 4"]),
    ([('section S1 "领导责任制" points 5', 'section S1 "领导责任制" points 5 cap 5')], ["changed section S1: cap: — → 5"]),
    ([('adjustments B "加分项" cap 3', 'adjustments B "加分项" cap 4')], ["changed adjustment group B: cap: 3 → 4"]),
    ([('adjustments B "加分项" cap 3', 'adjustments B "加分项(最高加3分)" cap 3')],
     ["renamed adjustment group B: title: 加分项{+(最高加3分)+}"]),
    # a section's own clauses
    ([("each 人次 −2.5 cap 5", "each 人次 −2.5 cap 4")], ["changed clause S1a: cap: 5 → 4"]),
    ([("cap 5\n  item 1.1", 'cap 5\n  S1b "x" once −1\n  item 1.1')], ["added clause S1b: “x”, once −1, in section S1"]),
    # adjustment groups added and removed, an adjustment moved between groups
    ([('adjustments N "扣分项"\n  N1 "每例扣1分" each 例 −1\n', "")], ["removed adjustment group N: “扣分项”, with N1"]),
    ([('grades "考核结果"', 'adjustments G "其他"\n  G1 "x" once +0..+5\ngrades "考核结果"')],
     ["added adjustment group G: “其他”, with G1"]),
    # grades and vetoes
    ([("from 6 to 8", "from 6 to 8.5")], ["changed grade 达标: bounds: from 6 to 8 → from 6 to 8.5"]),
    ([('  不达标 "5分(含)以下为不达标" at most 5\n', '  不达标 "5分(含)以下为不达标" at most 5\n  差 "x" at most 4\n'),
      ("at most 5\n  差", "from 4.5 to 5\n  差")],
     ["changed grade 不达标: bounds: at most 5 → from 4.5 to 5", "added grade 差: “x”, at most 4"]),
    ([("veto 不达标", "veto 达标")], ["changed veto V1: grade: 不达标 → 达标"]),
    ([('  V1 "一票否决" veto 不达标\n', '  V1 "一票否决" veto 不达标\n  V2 "否决" veto 达标\n')], ["added veto V2: “否决”, veto 达标"]),
    ([('vetoes "否决项"\n  V1 "一票否决" veto 不达标\n', "")],
     ["changed rubric: vetoes title: 否决项 → —", "removed veto V1: “一票否决”, veto 不达标"]),
])
def test_each_language_2_change_reads_in_the_rubrics_terms(edits: list[tuple[str, str]], expected: list[str]) -> None:
    shown = [d for d in _details(*edits) if "wording:" not in d and not d.startswith("changed clause 1.1a: kind")]
    assert shown == expected


def test_an_award_clause_rate_reads_signed() -> None:
    old = "rubric \"t\" points 1\nsection S0 \"s\" points 1\n  item 0.1 points 1 earned\n    text \"x\"\n    0.1a \"x\" once +1\n"
    changes = diff_rubrics(qlrules.compile_rubric(old, "a.qlr"), qlrules.compile_rubric(old.replace("+1", "+0.5"), "b.qlr"))
    from qlrules.authoring.diff import detail

    assert [detail(c) for c in changes] == ["rate: +1 → +0.5"]


def test_language_2_changes_in_json_are_objects_with_signed_numbers(tmp_path: Path, cli: Cli) -> None:
    old, new = tmp_path / "old.qlr", tmp_path / "new.qlr"
    old.write_text(L2, encoding="utf-8")
    text = _edit(L2, "each 例 −1..−2", "each 例 −1..−3")
    text = _edit(text, "市 −1, 省", "市 −1.5, 省")
    text = _edit(text, "below 96 per 1 −0.25", "below 96 per 1 −0.5")
    text = _edit(text, "at least 9", "at least 8.5")
    text = _edit(text, "item 1.1 points 2", "item 1.1 points 2 earned")
    text = _edit(text, '  N1 "每例扣1分" each 例 −1\n', '  N1 "每例扣1分" each 例 −1\n  N2 "x" once −1..−2\n')
    new.write_text(text, encoding="utf-8")
    result = cli("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.stderr
    by = {(c["kind"], c["id"], c["field"]): c for c in json.loads(result.stdout, parse_float=Decimal)["changes"]}
    assert (by["item", "1.1", "earned"]["old"], by["item", "1.1", "earned"]["new"]) == (False, True)
    assert by["clause", "1.1a", "range"]["new"] == {"low": -1, "high": -3}
    assert by["clause", "1.2a", "level"]["old"] == {"name": "市", "low": -1, "high": -1}
    assert by["clause", "1.2a", "level"]["new"] == {"name": "市", "low": Decimal("-1.5"), "high": Decimal("-1.5")}
    assert by["clause", "3.1a", "measure"]["new"] == {"way": "below", "bands": [{"threshold": 96, "step": 1, "rate": Decimal("-0.5")}]}
    assert by["grade", "优秀", "band"]["new"] == {"low": Decimal("8.5"), "high": None}
    added = by["adjustment", "N2", None]
    assert added["parent"] == {"kind": "group", "id": "N"}
    assert added["new"] == {"text": "x", "kind": "once", "unit": None, "rate": None, "range": {"low": -1, "high": -2},
                            "of": None, "cap": None}


# -- streaming: a unit at a time, the same output and the same errors as reading the whole ----------------------


def _whole_json(old: qlrules.Rubric, new: qlrules.Rubric, changes: list[Change], impacts: list[Any]) -> str:
    """The JSON document built whole, as `to_json` built it before it wrote unit by unit."""
    from qlrules.authoring.diff import change_dict, impact_dict
    from qlrules.render.json import dumps

    document: dict[str, Any] = {
        "old": {"source": old.source, "title": old.title, "sha256": old.sha256},
        "new": {"source": new.source, "title": new.title, "sha256": new.sha256},
        "changes": [change_dict(c) for c in changes],
        "units": [impact_dict(i) for i in impacts],
    }
    return dumps(document) + "\n"


@pytest.mark.parametrize("count", [0, 1, 4])
def test_json_written_unit_by_unit_is_the_whole_document(edited: Path, tmp_path: Path, count: int) -> None:
    from qlrules.authoring.diff import to_json
    from qlrules.io.documents import parse_yaml

    seed, new = qlrules.load_rubric(), qlrules.load_rubric(edited)
    changes = diff_rubrics(seed, new)
    document = parse_yaml(FINDINGS, "batch.yaml")
    document["units"] = document["units"][:count]
    impacts = list(replay(seed, new, document, changes))
    assert len(impacts) == count
    assert to_json(seed, new, changes, iter(impacts)) == _whole_json(seed, new, changes, impacts)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_file_read_a_unit_at_a_time_replays_like_the_whole_document(edited: Path, tmp_path: Path, suffix: str) -> None:
    from qlrules.authoring.diff import impact_dict, replay_units
    from qlrules.io.documents import read_file
    from qlrules.io.stream import unit_mappings_of

    seed, new = qlrules.load_rubric(), qlrules.load_rubric(edited)
    changes = diff_rubrics(seed, new)
    path = tmp_path / f"batch{suffix}"
    if suffix == ".json":
        from qlrules.io.documents import parse_yaml
        from qlrules.render.json import dumps

        path.write_text(dumps(parse_yaml(FINDINGS, "x.yaml")), encoding="utf-8")
    else:
        path.write_text(FINDINGS, encoding="utf-8")
    streamed = [impact_dict(i) for i in replay_units(seed, new, unit_mappings_of(path, str(path)), changes, str(path))]
    whole = [impact_dict(i) for i in replay(seed, new, read_file(path), changes, str(path))]
    assert streamed == whole and len(streamed) == 4


@pytest.mark.parametrize("bad", [
    "      - {clause: 0.9z, count: 1}\n",            # fits neither rubric
    "      - {clause: 0.1a, count: 1, count: 2}\n",  # a key given twice
    "      - {clause: 0.1a, count: 010}\n",          # not a number qlrules reads
])
def test_an_error_in_a_later_unit_is_placed_as_in_the_whole_document(edited: Path, tmp_path: Path, bad: str) -> None:
    """The unit's text is read apart from the file: its error's line is put back where the file has it."""
    from qlrules.authoring.diff import replay_units
    from qlrules.errors import FindingsError
    from qlrules.io.documents import read_file
    from qlrules.io.stream import unit_mappings_of

    seed, new = qlrules.load_rubric(), qlrules.load_rubric(edited)
    changes = diff_rubrics(seed, new)
    path = tmp_path / "batch.yaml"
    path.write_text(FINDINGS + "  - unit: 市水利局\n    findings:\n" + bad, encoding="utf-8")
    with pytest.raises(FindingsError) as streamed:
        list(replay_units(seed, new, unit_mappings_of(path, str(path)), changes, str(path)))
    with pytest.raises(FindingsError) as whole:
        list(replay(seed, new, read_file(path), changes, str(path)))
    assert str(streamed.value) == str(whole.value)
    assert f"{path}:{FINDINGS.count(chr(10)) + 3}:" in str(streamed.value)

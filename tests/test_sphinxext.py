"""The documentation extension on a small rubric, and the whole site built as CI builds it (-W)."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

import qlrules
from qlrules.integrations.sphinx import clause_summary, summary_text

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "mini.qlr"

# Sphinx, myst-parser and sphinx-click deprecations are theirs to fix, not this project's.
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")


# -- helpers ---------------------------------------------------------------


class Built:
    """A finished Sphinx build: its output folder and what it warned."""

    def __init__(self, outdir: Path, warnings: str, app: Sphinx):
        self.outdir = outdir
        self.warnings = warnings
        self.app = app

    def page(self, name: str = "index") -> str:
        return (self.outdir / f"{name}.html").read_text(encoding="utf-8")


def build(srcdir: Path, outdir: Path, builder: str = "html", doctreedir: Path | None = None, fresh: bool = True) -> Built:
    """Build ``srcdir`` in this process; warnings are collected, not raised."""
    warnings = StringIO()
    with docutils_namespace():
        app = Sphinx(
            srcdir,
            srcdir,
            outdir,
            doctreedir or outdir / ".doctrees",
            builder,
            status=StringIO(),
            warning=warnings,
            freshenv=fresh,
        )
        app.build()
    return Built(outdir, warnings.getvalue(), app)


def project(tmp_path: Path, body: str, *, extra: dict[str, str] | None = None, conf: str = "") -> Path:
    """A one-page Sphinx project using the extension, with the fixture rubric beside it."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    shutil.copy(FIXTURE, src / "mini.qlr")
    settings = 'extensions = ["qlrules.sphinxext"]\nlanguage = "zh_CN"\nhtml_search_options = {"dict": ""}\n'
    (src / "conf.py").write_text(settings + conf, encoding="utf-8")
    (src / "index.rst").write_text(body, encoding="utf-8")
    for name, text in (extra or {}).items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def cells(page: str) -> dict[str, str]:
    """The text of every table cell with an id, by id."""
    found = {}
    for attrs, inner in re.findall(r"<td([^>]*)>(.*?)</td>", page, re.S):
        anchor = re.search(r'id="([^"]+)"', attrs)
        if anchor:
            found[anchor.group(1)] = text_of(inner)
    return found


def rows(page: str) -> list[list[str]]:
    """Every table row, as the text of its cells (header cells included)."""
    return [[text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def rowspan(page: str, anchor: str) -> int:
    tag = re.search(rf'<td[^>]*id="{re.escape(anchor)}"[^>]*>', page)
    assert tag, anchor
    span = re.search(r'rowspan="(\d+)"', tag.group(0))
    return int(span.group(1)) if span else 1


FULL = ".. qlrules:rubric:: mini.qlr\n"


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture rubric rendered in full, with references to it from a second page."""
    tmp = tmp_path_factory.mktemp("mini")
    refs = (
        "References\n==========\n\n"
        ":qlrules:section:`S2` :qlrules:topic:`6` :qlrules:item:`6.1` :qlrules:clause:`6.1c` "
        ":qlrules:clause:`A1` :qlrules:adjustment:`A3` :qlrules:clause:`压案不查 <6.1a>` :qlrules:clause:`mini:0.1a`\n"
    )
    src = project(tmp, "Rubric\n======\n\n" + FULL + "\n.. toctree::\n\n   refs\n", extra={"refs.rst": refs})
    return build(src, tmp / "out")


# -- the rule column -------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("0.1a", "每项 −0.5 · 至多 3 项 · 本项封顶 2 分"),
        ("1.1a", "一次性 −1 · 本项封顶 2 分"),
        ("6.1c", "每人次 −2 · 本项封顶 10 分"),
        ("6.1h", "酌情扣分 · 至多本项 10 分 · 替代 6.1b–6.1g"),
    ],
)
def test_rule_summary_of_seed_clauses(seed: qlrules.Rubric, clause: str, expected: str) -> None:
    """The 计分规则 text is generated from the compiled clause, in the issue's notation."""
    found = next(c for c in seed.clauses if c.id == clause)
    item = seed.item_index[found.item]
    assert summary_text(clause_summary(found, item, seed)) == expected


LANG2 = ROOT / "tests" / "fixtures" / "lang2.qlr"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("S1a", "每人次 −2.5 · 本条封顶 5 分 · 扣本项目"),
        ("1.1a", "一次性 −1"),
        ("1.2a", "得 1 分"),
        ("1.3b", "每次 −0.25"),
        ("1.4a", "每例 −1..−2 · 本项限扣 1 分"),
        ("1.4b", "视情 −4..−8 · 本项限扣 1 分"),
        ("1.4c", "酌情扣分 · 至多本项 2 分 · 本项限扣 1 分"),
        ("3a", "每例 −1 · 扣本二级项目"),
        ("3.1a", "低于 96%,每降低 1% −0.25;低于 90%,每降低 1% −0.5"),
        ("3.1b", "低于 100% −1"),
        ("3.1c", "10位以上 −2;5位以上 −1"),
        ("3.1d", "每例分别 县 −0.5、市 −1、省 −2、京 −5"),
        ("3.1e", "分别 优秀 +2、良好 +1、不合格 −1..−2(就高)"),
    ],
)
def test_rule_summary_of_language_2_clauses(clause: str, expected: str) -> None:
    """Ranges, levels, measures, awards, part caps and part clauses each read in the rubric's words."""
    rubric = qlrules.load_rubric(LANG2)
    found = next(c for c in rubric.clauses if c.id == clause)
    assert summary_text(clause_summary(found, rubric.part_index[found.item], rubric)) == expected


@pytest.fixture(scope="module")
def lang2_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The language-2 fixture rendered in full."""
    tmp = tmp_path_factory.mktemp("lang2")
    src = project(tmp, "Rubric\n======\n\n.. qlrules:rubric:: lang2.qlr\n\n:qlrules:clause:`V1` :qlrules:veto:`V1` :qlrules:clause:`S1a` :qlrules:adjustment:`B2`\n")
    shutil.copy(LANG2, src / "lang2.qlr")
    return build(src, tmp / "out")


def test_language_2_site(lang2_site: Built) -> None:
    """Part clauses as rows, caps and earned items in their cells, a table per group, 考核结果 and 否决项."""
    # The only warnings are the rubric's own: the gaps between its grades.
    assert [w for w in lang2_site.warnings.splitlines() if w.strip() and "get no grade" not in w and not w.startswith(" ")] == []
    page = lang2_site.page()
    table_rows = rows(page)
    by_id = cells(page)
    assert by_id["clause-S1a"] == "S1a 每人次减2.5分,最高减5分"
    assert ["领导责任制(6分,限扣6分)", "S1 本项目扣分", "S1a 每人次减2.5分,最高减5分", "每人次 −2.5 · 本条封顶 5 分 · 扣本项目", ""] in table_rows
    assert by_id["topic-3"] == "3 平安三率(本项限扣5分)(4分,限扣5分)"
    assert rowspan(page, "topic-3") == 6  # its own clause and its item's five
    assert by_id["item-1.2"].endswith("1 分 · 本项得分制")
    assert by_id["item-1.4"].endswith("2 分 · 本项限扣 1 分")
    text = text_of(page)
    for summary in ("每例 −1..−2", "分别 优秀 +2、良好 +1、不合格 −1..−2(就高)", "低于 96%,每降低 1% −0.25", "得 1 分", "扣本二级项目"):
        assert summary in text, summary
    # Each adjustment group its own table, with its cap.
    assert ["编号", "加分项", "计分规则"] in table_rows and ["编号", "扣分", "计分规则"] in table_rows
    assert ["B1", "获镇、县、市、省通报表扬的,分别加2、4、6、10分", "每次分别 镇 +2、县 +4、市 +6、省 +10"] in table_rows
    assert ["B2", "视情给予加分", "视情 +0..+5"] in table_rows
    assert ["B3", "积极分子达到5人以上的,每增加1人加0.5分,最高加2分", "高于 5人,每增加 1人 +0.5 · 累计封顶 2 分"] in table_rows
    assert "本组累计不超过 3 分" in text
    # 考核结果: 等次 | 标准; 否决项: the wording and the grade it caps to.
    assert ["等次", "标准", "计分规则"] in table_rows
    assert ["优秀", "9分(含)以上为优秀", "总分 9 分及以上"] in table_rows
    assert ["达标", "6-8为达标", "总分 6–8 分"] in table_rows
    assert ["不达标", "5分(含)以下为不达标", "总分 5 分及以下"] in table_rows
    assert "V1 发生重大案件的,实行“一票否决” · 一票否决 · 考核结果至多为不达标" in text
    assert 'id="veto-V1"' in page and 'href="#veto-V1"' in page


# -- the directive on the fixture -------------------------------------------


def test_builds_without_warnings(mini: Built) -> None:
    """The fixture, rendered and referenced, builds clean."""
    assert mini.warnings == ""


def test_table_layout(mini: Built) -> None:
    """Each section is a table 考评项目 | 具体内容 | 考评标准 | 计分规则 | 责任科室, one row per clause."""
    page = mini.page()
    table_rows = rows(page)
    assert ["考评项目", "具体内容", "考评标准", "计分规则", "责任科室"] in table_rows
    # S0 has items directly: the section fills the 考评项目 column; one clause, one row.
    assert ["强化组织领导(2分)", "0.1 专题研究部署、调度推进清廉机关建设,2分。\n2 分", "0.1a 未传达学习、专题研究和调度的,每项扣0.5分", "每项 −0.5 · 至多 3 项 · 本项封顶 2 分", "机关纪委"] in table_rows
    # Topic 6 spans the rows of its 8 clauses; item 6.1 spans its 6.
    assert rowspan(page, "topic-6") == 8
    assert rowspan(page, "item-6.1") == 6
    assert rowspan(page, "item-6.2") == 2


def test_cells(mini: Built) -> None:
    """The clause cells carry the official wording; the rule cells what the compiler built."""
    page = mini.page()
    by_id = cells(page)
    assert by_id["topic-6"] == "6 驰而不息正风肃纪反腐(10分)"
    assert by_id["item-6.1"] == "6.1 坚持有案必查,严肃查处各类违纪违法案件,8分。\n8 分"
    assert by_id["clause-6.1b"] == "6.1b 市管干部受轻处分每人次扣1分"
    # The rule cell follows its clause cell.
    rule_cells = dict(re.findall(r'<td[^>]*id="clause-([^"]+)"[^>]*>.*?</td>\s*<td class="qlrules-rule"[^>]*>(.*?)</td>', page, re.S))
    rules = {k: text_of(v) for k, v in rule_cells.items()}
    assert rules == {
        "0.1a": "每项 −0.5 · 至多 3 项 · 本项封顶 2 分",
        "6.1a": "一次性 −8 · 本项封顶 8 分",
        "6.1b": "每人次 −1 · 本项封顶 8 分",
        "6.1c": "每人次 −2 · 本项封顶 8 分",
        "6.1d": "每人次 −5 · 本项封顶 8 分",
        "6.1h": "酌情扣分 · 至多本项 8 分 · 替代 6.1b–6.1d",
        "6.1i": "一次性 −1 · 本项封顶 8 分",
        "6.2a": "每起 −0.5 · 本条封顶 1 分 · 本项封顶 2 分",
        "6.2b": "酌情扣分 · 至多本项 2 分 · 本条封顶 1.5 分",
    }
    # 替代 links to the replaced clauses on the same page.
    assert '<a class="reference internal" href="#clause-6.1b">' in page
    assert '<a class="reference internal" href="#clause-6.1d">' in page


def test_owners_cells(mini: Built) -> None:
    """责任科室: items with the same owners share a cell; an item's own owners get their own."""
    owner_cells = [text_of(c) for c in re.findall(r'<td class="qlrules-owners"[^>]*>(.*?)</td>', mini.page(), re.S)]
    assert owner_cells == ["机关纪委", "机关纪委\n各科室(单位)", "办公室"]


def test_header_notes_and_adjustments(mini: Built) -> None:
    """The header, 注1 and 注2 with their official wording, and the 加减分项 with their signed rates."""
    page = text_of(mini.page())
    assert "示例考评细则(2025 年度,附件9,满分 12 分)" in page
    assert "2 个一级考评项目,1 个二级考评项目,3 个具体内容,9 条考评标准,3 个加减分项。" in page
    assert "注1:党员干部违纪违法案件在本考评细则的不同考核内容中不重复扣分,以扣分最高值为准。" in page
    assert "注2:考评细则中,每个子项目扣分值不超过该子项目的赋分值。" in page
    assert "受到表彰的每项加1分,受到通报批评的每项扣0.5分。" in page
    adjustment_rows = [r for r in rows(mini.page()) if r and r[0] in ("A1", "A2", "A3")]
    assert adjustment_rows == [
        ["A1", "受到表彰的每项加1分", "每项 +1 · 累计封顶 3 分"],
        ["A2", "受到通报批评的每项扣0.5分", "每项 −0.5"],
        ["A3", "作典型发言的加0.5分", "一次性 +0.5"],
    ]


def test_targets(mini: Built) -> None:
    """Every section, topic, item, clause and adjustment has an id in the HTML."""
    page = mini.page()
    rubric = qlrules.load_rubric(FIXTURE)
    expected = [f"section-{s.id}" for s in rubric.sections]
    expected += [f"topic-{t.id}" for t in rubric.topics] + [f"item-{i.id}" for i in rubric.items]
    expected += [f"clause-{c.id}" for c in rubric.clauses] + [f"adjustment-{a.id}" for a in rubric.adjustments]
    expected += ["rule-highest-per-case", "rule-item-cap"]
    for anchor in expected:
        assert f'id="{anchor}"' in page, anchor


def test_roles_resolve(mini: Built) -> None:
    """Roles link to the targets, by bare id, by key:id and with an explicit title; the tooltip is the wording."""
    page = mini.page("refs")
    links = dict((text_of(text), href) for href, text in re.findall(r'<a class="reference internal" href="([^"]+)"[^>]*>(.*?)</a>', page, re.S))
    assert links["S2"] == "index.html#section-S2"
    assert links["6"] == "index.html#topic-6"
    assert links["6.1"] == "index.html#item-6.1"
    assert links["6.1c"] == "index.html#clause-6.1c"
    assert links["A1"] == "index.html#adjustment-A1"
    assert links["A3"] == "index.html#adjustment-A3"
    assert links["压案不查"] == "index.html#clause-6.1a"
    assert links["0.1a"] == "index.html#clause-0.1a"
    assert 'title="受重处分每人次扣2分"' in page


def test_domain_index(mini: Built) -> None:
    """The 考评细则索引 lists every target, grouped by section."""
    page = mini.page("qlrules-index")
    for anchor in ("section-S2", "topic-6", "item-6.1", "clause-6.1c", "adjustment-A1"):
        assert f'href="index.html#{anchor}"' in page
    assert "S2 规范权力运行" in text_of(page)


def test_unknown_id_warns(tmp_path: Path) -> None:
    """A role naming an id the rubric does not have is a build warning (so -W fails)."""
    src = project(tmp_path, "Rubric\n======\n\n" + FULL + "\nSee :qlrules:clause:`6.1z` and :qlrules:item:`9.9`.\n")
    built = build(src, tmp_path / "out")
    assert "qlrules: unknown clause id '6.1z'" in built.warnings
    assert "qlrules: unknown item id '9.9'" in built.warnings
    assert "index.rst" in built.warnings


def test_broken_rubric_fails_the_build(tmp_path: Path) -> None:
    """A rubric that does not compile is an ERROR with the compiler's message, file and line; the build fails."""
    src = project(tmp_path, "Rubric\n======\n\n.. qlrules:rubric:: broken.qlr\n")
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "6.1i" in line)
    lines[number - 1] = lines[number - 1].replace("once −1", "once 1")
    broken = src / "broken.qlr"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(qlrules.RubricError) as compiled:
        qlrules.load_rubric(broken)
    built = build(src, tmp_path / "out")
    assert built.app.statuscode == 1  # even without -W
    assert "index.rst:4: ERROR: qlrules:rubric: the rubric does not compile" in built.warnings
    assert f"broken.qlr:{number}:" in built.warnings
    message = compiled.value.render()
    assert message.split(": ", 1)[1] in built.warnings  # the compiler's own rendering, caret and all
    assert message.splitlines()[-1] in built.warnings


def test_missing_rubric_fails_the_build(tmp_path: Path) -> None:
    """A rubric file that cannot be read fails the build too, naming the file."""
    built = build(project(tmp_path, "Rubric\n======\n\n.. qlrules:rubric:: nowhere.qlr\n"), tmp_path / "out")
    assert built.app.statuscode == 1
    assert "nowhere.qlr" in built.warnings and "ERROR" in built.warnings


def test_one_section_without_rules(tmp_path: Path) -> None:
    """:section: renders one section (no header, notes or adjustments); :no-rules: drops the 计分规则 column."""
    body = "Rubric\n======\n\n.. qlrules:rubric:: mini.qlr\n   :section: S2\n   :no-rules:\n"
    built = build(project(tmp_path, body), tmp_path / "out")
    assert built.warnings == ""
    page = built.page()
    assert 'id="section-S2"' in page and 'id="section-S0"' not in page
    assert 'id="clause-6.1h"' in page and 'id="clause-0.1a"' not in page
    assert "计分规则" not in page and "本项封顶" not in page
    assert ["考评项目", "具体内容", "考评标准", "责任科室"] in rows(page)
    assert "注1" not in page and 'id="adjustment-A1"' not in page


def test_unknown_section_option(tmp_path: Path) -> None:
    """:section: naming no section of the rubric is an error naming the sections there are."""
    built = build(project(tmp_path, "Rubric\n======\n\n.. qlrules:rubric:: mini.qlr\n   :section: S9\n"), tmp_path / "out")
    assert "no section 'S9'" in built.warnings and "S0, S2" in built.warnings


def test_rendering_twice_needs_no_index(tmp_path: Path) -> None:
    """Rendering a rubric's targets twice warns; :no-index: renders a second copy that registers nothing."""
    twice = build(project(tmp_path / "a", "Rubric\n======\n\n" + FULL + "\n" + FULL), tmp_path / "a" / "out")
    assert "rendered twice" in twice.warnings
    body = "Rubric\n======\n\n" + FULL + "\n.. qlrules:rubric:: mini.qlr\n   :section: S0\n   :no-index:\n\n:qlrules:clause:`0.1a`\n"
    once = build(project(tmp_path / "b", body), tmp_path / "b" / "out")
    assert once.warnings == ""
    page = once.page()
    assert 'href="#clause-0.1a"' in page  # the indexed copy is the target
    assert 'id="mini-clause-0.1a"' in page  # the second copy's ids do not clash


def test_two_rubrics_and_keys(tmp_path: Path) -> None:
    """Two rubrics with the same ids: key:id picks one; a bare id prefers qlrules_default_rubric."""
    src = project(
        tmp_path,
        "Refs\n====\n\n:qlrules:clause:`6.1c` :qlrules:clause:`other:6.1c`\n\n.. toctree::\n\n   a\n   b\n",
        extra={"a.rst": "A\n=\n\n.. qlrules:rubric:: mini.qlr\n", "b.rst": "B\n=\n\n.. qlrules:rubric:: mini.qlr\n   :key: other\n"},
        conf='qlrules_default_rubric = "mini"\n',
    )
    built = build(src, tmp_path / "out")
    assert built.warnings == ""
    page = built.page()
    assert 'href="a.html#clause-6.1c"' in page
    assert 'href="b.html#clause-6.1c"' in page


def test_ambiguous_id_warns(tmp_path: Path) -> None:
    """A bare id in two rubrics, with no default and neither on the page, is a warning."""
    src = project(
        tmp_path,
        "Refs\n====\n\n:qlrules:clause:`6.1c`\n\n.. toctree::\n\n   a\n   b\n",
        extra={"a.rst": "A\n=\n\n.. qlrules:rubric:: mini.qlr\n", "b.rst": "B\n=\n\n.. qlrules:rubric:: mini.qlr\n   :key: other\n"},
    )
    assert "names an id in several rubrics" in build(src, tmp_path / "out").warnings


def test_official_wording_is_not_smartened(tmp_path: Path) -> None:
    """Quotes and dashes in the wording are shown as written (Sphinx's smart quotes stay out)."""
    text = FIXTURE.read_text(encoding="utf-8").replace('"压案不查,扣8分"', '"压案不查--\\"严重\\"的,扣8分"')
    src = project(tmp_path, "Rubric\n======\n\n.. qlrules:rubric:: quoted.qlr\n")
    (src / "quoted.qlr").write_text(text, encoding="utf-8")
    assert cells(build(src, tmp_path / "out").page())["clause-6.1a"] == '6.1a 压案不查--"严重"的,扣8分'


# -- the site ----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Built, Built]]:
    """docs/ built to HTML, then its doctests run on the same doctrees."""
    out = tmp_path_factory.mktemp("site")
    html_build = build(ROOT / "docs", out / "html", doctreedir=out / "doctrees")
    doctest_build = build(ROOT / "docs", out / "doctest", builder="doctest", doctreedir=out / "doctrees", fresh=False)
    yield html_build, doctest_build


def test_site_builds_clean(site: tuple[Built, Built]) -> None:
    """The documentation builds with no warning at all, as `sphinx-build -W` requires."""
    html_build, _ = site
    assert html_build.warnings == ""
    for page in ("index", "quickstart", "rubric", "language", "scoring", "examples", "api", "cli", "tutorial", "sphinx", "qlrules-index"):
        assert (html_build.outdir / f"{page}.html").exists(), page


def test_site_doctests_pass(site: tuple[Built, Built]) -> None:
    """The worked examples (注1 and 注2 among them) and the quickstart run as doctests, and pass."""
    _, doctest_build = site
    assert doctest_build.warnings == ""
    assert doctest_build.app.statuscode == 0
    report = (doctest_build.outdir / "output.txt").read_text(encoding="utf-8")
    assert "0 failures in tests" in report
    assert "Document: examples" in report


def test_seed_rubric_page(site: tuple[Built, Built], seed: qlrules.Rubric) -> None:
    """The seed's page shows all 89 clauses in their official wording, every owner and both notes."""
    html_build, _ = site
    page = html_build.page("rubric")
    by_id = cells(page)
    assert len(seed.clauses) == 89
    for clause in seed.clauses:
        assert by_id[f"clause-{clause.id}"] == f"{clause.id} {clause.text}", clause.id
    for item in seed.items:
        assert by_id[f"item-{item.id}"].startswith(f"{item.id} {item.text}"), item.id
    owner_text = {text_of(c) for c in re.findall(r'<td class="qlrules-owners"[^>]*>(.*?)</td>', page, re.S)}
    assert {o for i in seed.items for o in i.owners} == {o for cell in owner_text for o in cell.split("\n")}
    text = text_of(page)
    for rule in seed.rules:
        assert f"{rule.label}:{rule.text}" in text
    for adjustment in seed.adjustments:
        assert adjustment.text in text
    assert "替代 6.1b–6.1g" in text


#: The commands of `qlrules`, as the CLI reference must show them.
COMMANDS = ("score", "check", "fmt", "diff", "test", "draft", "template", "schema", "serve")


def test_cli_page_shows_every_command(site: tuple[Built, Built]) -> None:
    """The generated CLI reference has a section for each of the seven commands (and the group lists no other)."""
    import click

    from qlrules.cli import main

    html_build, _ = site
    page = html_build.page("cli")
    shown = dict(re.findall(r'<section id="qlrules-([a-z]+)">\s*<h\d>(.*?)<a', page))
    for command in COMMANDS:
        assert shown.get(command) == command, f"the CLI page does not show `qlrules {command}`"
    with click.Context(main) as ctx:
        assert sorted(main.list_commands(ctx)) == sorted(COMMANDS), "a command was added: add it to COMMANDS"


def test_api_page_documents_every_public_name(site: tuple[Built, Built]) -> None:
    """Every name in `qlrules.__all__`, and every public member of `Rubric`, has an entry on the API page."""
    html_build, _ = site
    ids = set(re.findall(r'id="(qlrules\.[^"]+)"', html_build.page("api")))
    missing = [name for name in qlrules.__all__ if f"qlrules.{name}" not in ids]
    assert not missing, f"not on the API page: {missing}"
    members = [name for name in dir(qlrules.Rubric) if not name.startswith("_")]
    assert {"title", "sections", "clauses", "clause_index", "score", "score_many"} <= set(members)
    missing = [name for name in members if f"qlrules.Rubric.{name}" not in ids]
    assert not missing, f"Rubric members not on the API page: {missing}"

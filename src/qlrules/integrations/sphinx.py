"""The documentation stage: a Sphinx domain ``qlrules`` that renders a rubric as its official document.

Enable it with ``extensions = ["qlrules.sphinxext"]``, then::

    .. qlrules:rubric:: ../rubrics/qinglian-jiguan.qlr

renders the rubric the way the seed document is laid out: per section a table
考评项目 | 具体内容 | 考评标准 | 计分规则 | 责任科室, then the notes (注1, 注2) and
the adjustments (加减分项, one table per group), the grades (考核结果: 等次 | 标准) and
the vetoes (否决项). The 计分规则 column is generated from the compiled
model (``每项 −0.5 · 至多 3 项 · 本项封顶 2 分``), never copied from the wording,
so the page shows the rules the scorer applies.

Options: ``:section: S2`` renders one section only; ``:no-rules:`` hides the
计分规则 column; ``:no-index:`` renders without registering targets (for a
second rendering of a rubric already rendered elsewhere); ``:key:`` names the
rubric for qualified references (default: the file's stem).

Every section, topic, item, clause and adjustment is a target: the roles
``:qlrules:section:``, ``:qlrules:topic:``, ``:qlrules:item:``,
``:qlrules:clause:`` (clauses and adjustments, as findings name them) and
``:qlrules:adjustment:`` (and ``:qlrules:veto:``) link to it, by id (``6.1c``) or qualified by the
rubric's key (``qinglian-jiguan:6.1c``). An unknown id is a build warning.
The domain index ``qlrules-index`` lists every target.

The rubric is read through the public API (`qlrules.load_rubric`); a rubric
that does not compile is reported as an ERROR with the compiler's rendered
message (file, line, column, caret), and the build exits with status 1.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence, Set
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, assert_never

from docutils import nodes
from docutils.nodes import Element, Node
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import ExtensionMetadata, OptionSpec

import qlrules
from qlrules.language.unparse import rate, rate_range, value
from qlrules.model import Discretionary, Each, Levels, Measure, Once, Ranged
from qlrules.numbers import plain

__all__ = [
    "QlrulesDomain",
    "RubricCompileError",
    "RubricDirective",
    "adjustment_summary",
    "clause_summary",
    "setup",
]

logger = logging.getLogger(__name__)

#: Labels of the seed document's columns and of the object types, in its words.
KIND_LABELS = {
    "section": "一级考评项目",
    "topic": "二级考评项目",
    "item": "具体内容",
    "clause": "考评标准",
    "adjustment": "加减分项",
    "veto": "否决项",
}
HEADERS = ("考评项目", "具体内容", "考评标准", "计分规则", "责任科室")
MINUS = "\u2212"
SEP = " · "


class RubricCompileError(SphinxError):
    """A rubric named by a ``qlrules:rubric`` directive does not compile (or cannot be read)."""

    category = "qlrules: the rubric does not compile"

    def __init__(self, message: str, location: str):
        super().__init__(message)
        self.message = message
        self.location = location


# -- the rule column, generated from the model -----------------------------


#: A decimal as the rubric writes it: 2, 0.5, 10 (never 2.0 or 1E+1).
number = plain


def rule_words(rule: Ranged | Levels | Measure) -> str:
    """A language-2 rule in the rubric's words.

    ``each 例 −1..−2`` reads ``每例 −1..−2``; ``once −4..−8`` ``视情 −4..−8``;
    ``each 次 levels 镇 +2, 县 +4`` ``每次分别 镇 +2、县 +4``; ``once levels …`` ``分别 …(就高)``;
    ``measure % below 96 per 1 −0.25`` ``低于 96%,每降低 1% −0.25``;
    ``measure 位 tiers at least 10 −2`` ``10位以上 −2``.
    """
    match rule:
        case Ranged(low, high, each, unit):
            return f"{'每' + (unit or '次') if each else '视情'} {rate_range(low, high)}"
        case Levels(levels, each, unit):
            written = "、".join(f"{lv.name} {rate_range(lv.low, lv.high) if lv.ranged else rate(lv.low)}" for lv in levels)
            return f"每{unit or '次'}分别 {written}" if each else f"分别 {written}(就高)"
        case Measure(unit, way, bands):
            if way in ("at-least", "at-most"):
                bound = "以上" if way == "at-least" else "以下"
                return ";".join(f"{value(b.threshold)}{unit}{bound} {rate(b.rate)}" for b in bands)
            past, step = ("低于", "每降低") if way == "below" else ("高于", "每增加")
            return ";".join(
                f"{past} {value(b.threshold)}{unit}" + (f",{step} {plain(b.step)}{unit}" if b.step is not None else "") + f" {rate(b.rate)}"
                for b in bands)
        case _:
            assert_never(rule)


def _runs(ids: Sequence[str], order: Sequence[str]) -> list[list[str]]:
    """Group ``ids`` into runs that are consecutive in ``order`` (the item's clauses)."""
    runs: list[list[str]] = []
    for cid in sorted(ids, key=order.index):
        if runs and order.index(runs[-1][-1]) + 1 == order.index(cid):
            runs[-1].append(cid)
        else:
            runs.append([cid])
    return runs


class Part(NamedTuple):
    """A piece of a rule summary: plain text, or (``ref`` set) a clause id to link."""

    text: str
    ref: str | None = None


Segment = list[Part]


def clause_summary(clause: qlrules.Clause, item: qlrules.Item | qlrules.Topic | qlrules.Section, rubric: qlrules.Rubric) -> list[Segment]:
    """What the compiler built for ``clause``, in the rubric's own terms, segment by segment.

    ``each 项 −0.5 of 3`` in a 2-point item under 注2 reads
    ``每项 −0.5 · 至多 3 项 · 本项封顶 2 分``; ``discretionary replaces 6.1b..6.1g``
    in a 10-point item reads ``酌情扣分 · 至多本项 10 分 · 替代 6.1b–6.1g``
    (`summary_text` joins the segments so). An award on an item reads ``得 1 分``; a capped
    item's clauses end in ``本项限扣 1 分``; a section's or topic's own clause in ``扣本项目``.
    """
    rule = clause.rule
    unit = "次"
    parts: list[str] = []
    replaces: tuple[str, ...] = ()
    match rule:
        case Each(amount, each_unit):
            unit = each_unit or unit
            parts.append(f"每{unit}得 {number(amount)} 分" if amount > 0 else f"每{unit} {rate(amount)}")
        case Once(amount):
            parts.append(f"得 {number(amount)} 分" if amount > 0 else f"一次性 {rate(amount)}")
        case Discretionary(replaces):
            # A discretionary amount is at least 0 and at most the item's points.
            parts.append("酌情扣分")
            parts.append(f"至多本项 {number(item.points)} 分")
        case Ranged() | Levels() | Measure():
            unit = getattr(rule, "unit", None) or unit
            parts.append(rule_words(rule))
        case _:
            assert_never(rule)
    if clause.of is not None:
        parts.append(f"至多 {clause.of} {unit}")
    if clause.cap is not None:
        parts.append(f"本条封顶 {number(clause.cap)} 分")
    if not isinstance(item, qlrules.Item):
        parts.append("扣本项目" if isinstance(item, qlrules.Section) else "扣本二级项目")  # a part's own clause
    elif item.cap is not None:
        parts.append(f"本项限扣 {number(item.cap)} 分")
    elif not isinstance(rule, Discretionary) and not item.earned and rubric.has_rule("item-cap"):
        parts.append(f"本项封顶 {number(item.points)} 分")  # 注2
    out = [[Part(p)] for p in parts]
    if replaces:
        replaced = [Part("替代 ")]
        order = [c.id for c in item.clauses]
        for n, run in enumerate(_runs(replaces, order)):
            if n:
                replaced.append(Part("、"))
            replaced.append(Part(run[0], run[0]))
            if len(run) == 2:
                replaced += [Part("、"), Part(run[1], run[1])]
            elif len(run) > 2:
                replaced += [Part("–"), Part(run[-1], run[-1])]
        out.append(replaced)
    return out


def adjustment_summary(adjustment: qlrules.Adjustment) -> str:
    """What the compiler built for an adjustment: ``每项 +1``, ``一次性 −0.5 · 累计封顶 3 分``."""
    rule = adjustment.rule
    unit = "次"
    match rule:
        case Each(amount, each_unit):
            unit = each_unit or unit
            parts = [f"每{unit} {rate(amount)}"]
        case Once(amount):
            parts = [f"一次性 {rate(amount)}"]
        case Ranged() | Levels() | Measure():
            parts = [rule_words(rule)]
        case _:
            assert_never(rule)
    if adjustment.of is not None:
        parts.append(f"至多 {adjustment.of} {unit}")
    if adjustment.cap is not None:
        parts.append(f"累计封顶 {number(adjustment.cap)} 分")  # the absolute value of its total
    return SEP.join(parts)


def grade_words(grade: qlrules.Grade) -> str:
    """The band a grade covers: ``总分 90 分及以上``, ``总分 76–89 分``, ``总分 75 分及以下``."""
    if grade.low is not None and grade.high is not None:
        return f"总分 {value(grade.low)}–{value(grade.high)} 分"
    if grade.low is not None:
        return f"总分 {value(grade.low)} 分及以上"
    if grade.high is not None:
        return f"总分 {value(grade.high)} 分及以下"
    return "任何总分"


def veto_words(veto: qlrules.Veto) -> str:
    """What a veto does: ``一票否决 · 考核结果至多为不达标`` (it changes no points)."""
    return f"一票否决{SEP}考核结果至多为{veto.grade}"


def _cap_words(cap: Decimal | None) -> str:
    """``,限扣5分`` after a part's points when it declares a cap."""
    return "" if cap is None else f",限扣{number(cap)}分"


def summary_text(segments: Iterable[Segment]) -> str:
    """The summary as plain text: ``每项 −0.5 · 至多 3 项 · 本项封顶 2 分``."""
    return SEP.join("".join(p.text for p in segment) for segment in segments)


# -- the directive ---------------------------------------------------------


def _para(*children: Node | str, classes: Sequence[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def _id_badge(ident: str) -> nodes.inline:
    return nodes.inline(ident, ident, classes=["qlrules-id"])


class RubricDirective(SphinxDirective):
    """``.. qlrules:rubric:: PATH``: render a rubric file as its official document."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "section": directives.unchanged_required,
        "no-rules": directives.flag,
        "no-index": directives.flag,
        "noindex": directives.flag,
        "key": directives.unchanged_required,
    }

    def run(self) -> list[Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        self.domain: QlrulesDomain = self.env.domains["qlrules"]  # type: ignore[assignment]
        try:
            rubric = self.load(Path(path))
        except RubricCompileError as error:
            return self.failed(error)
        self.rubric = rubric
        self.key = self.options.get("key") or Path(path).stem
        self.show_rules = "no-rules" not in self.options
        self.indexed = "no-index" not in self.options and "noindex" not in self.options
        self.index_entries: list[tuple[str, str, str, str, str | None]] = []

        for problem in rubric.warnings:
            logger.warning(problem.render(), location=self.get_location(), type="qlrules", subtype="rubric")

        only = self.options.get("section")
        if only is not None:
            chosen = [s for s in rubric.sections if s.id == only.strip()]
            if not chosen:
                known = ", ".join(s.id for s in rubric.sections)
                raise self.error(f"qlrules:rubric: no section {only!r} in {rel} (its sections: {known})")
            sections = chosen
        else:
            sections = list(rubric.sections)

        out: list[Element] = []
        if only is None:
            out.append(self.header(rel))
        out += [self.section(s) for s in sections]
        if only is None:
            if rubric.rules:
                out.append(self.notes())
            if rubric.adjustments:
                out += self.adjustments()
            if rubric.grades:
                out.append(self.grades())
            if rubric.vetoes:
                out.append(self.vetoes())
        if self.indexed:
            self.domain.note_rubric(self.key, self.env.docname)
            out.insert(0, addnodes.index(entries=self.index_entries))
        for node in out:
            # Official wording is shown character for character: no smart quotes, no dashes.
            node["support_smartquotes"] = False
        return list(out)

    # -- reading ---------------------------------------------------------

    def load(self, path: Path) -> qlrules.Rubric:
        """Compile the rubric through the public API (`qlrules.load_rubric`).

        Raises:
            RubricCompileError: with the compiler's rendered message (every problem, line and caret).
        """
        cache = _COMPILED
        try:
            stat = path.stat()
        except OSError:
            stat = None
        key = (str(path), stat.st_mtime_ns, stat.st_size) if stat else None
        if key is not None and key in cache:
            return cache[key]
        try:
            rubric = qlrules.load_rubric(_display_path(path))
        except qlrules.RubricError as error:
            raise RubricCompileError(error.render(limit=50), self.get_location()) from None
        except qlrules.QlrulesError as error:
            raise RubricCompileError(str(error), self.get_location()) from None
        if key is not None:
            cache[key] = rubric
        return rubric

    def failed(self, error: RubricCompileError) -> list[Node]:
        """Report a rubric that does not compile: an ERROR with the compiler's message, and a failed build.

        The build goes on, so every broken rubric is reported in one run, but it
        ends with exit status 1 even without -W (see `_finish`): a page must never
        be published without the rules it names.
        """
        logger.error(
            "qlrules:rubric: the rubric does not compile:\n%s",
            error.message,
            location=error.location,
            type="qlrules",
            subtype="compile",
        )
        self.domain.note_failure(self.env.docname, error.message)
        box = nodes.error()
        box += _para("The rubric does not compile; the build has failed:")
        box += nodes.literal_block(error.message, error.message)
        return [box]

    # -- targets ---------------------------------------------------------

    def anchor(self, objtype: str, ident: str) -> str:
        """The HTML id of a rubric part: ``clause-6.1c``, or ``KEY-clause-6.1c`` if the page has one."""
        anchors: dict[tuple[str, str], str] = self.__dict__.setdefault("_anchors", {})
        if (objtype, ident) not in anchors:
            anchors[objtype, ident] = self.unique(f"{objtype}-{ident}")
        return anchors[objtype, ident]

    def target(self, node: Element, objtype: str, ident: str, title: str) -> None:
        """Give ``node`` the HTML id of ``ident`` and register it with the domain."""
        anchor = self.anchor(objtype, ident)
        node["ids"].append(anchor)
        self.state.document.set_id(node)
        if not self.indexed:
            return
        self.domain.note_object(self.key, objtype, ident, self.env.docname, anchor, title, location=node)
        self.index_entries.append(("single", f"{ident}({KIND_LABELS[objtype]})", anchor, "", None))

    # -- the layout ------------------------------------------------------

    def header(self, rel: str) -> nodes.container:
        rubric = self.rubric
        box = nodes.container(classes=["qlrules-header"])
        facts = [f"满分 {number(rubric.points)} 分"]
        if rubric.edition:
            facts.insert(0, rubric.edition)
        if rubric.year:
            facts.insert(0, f"{rubric.year} 年度")
        box += _para(nodes.strong(rubric.title, rubric.title), "(" + ",".join(facts) + ")", classes=["qlrules-title"])
        counts = (
            f"{len(rubric.sections)} 个一级考评项目,{len(rubric.topics)} 个二级考评项目,"
            f"{len(rubric.items)} 个具体内容,{len(rubric.clauses)} 条考评标准,{len(rubric.adjustments)} 个加减分项"
            + (f",{len(rubric.vetoes)} 个否决项。" if rubric.vetoes else "。")
        )
        box += _para(counts, classes=["qlrules-counts"])
        source = self.env.srcdir.parent
        shown = os.path.relpath(rel if os.path.isabs(rel) else self.env.srcdir / rel, source)
        shown = shown.replace(os.sep, "/")
        box += _para(
            "由 ",
            nodes.literal(shown, shown),
            " 编译生成;计分规则一栏由编译结果生成。SHA-256 ",
            nodes.literal(rubric.sha256[:16], rubric.sha256[:16]),
            "…",
            classes=["qlrules-source"],
        )
        return box

    def section(self, section: qlrules.Section) -> nodes.section:
        node = nodes.section()
        title = nodes.title()
        title += _id_badge(section.id)
        title += nodes.Text(f" {section.title}({number(section.points)}分{_cap_words(section.cap)})")
        node += title
        self.target(node, "section", section.id, section.title)
        node += self.table(section)
        return node

    def table(self, section: qlrules.Section) -> nodes.table:
        widths = (16, 30, 30, 14, 10) if self.show_rules else (18, 36, 34, 12)
        headers = HEADERS if self.show_rules else HEADERS[:3] + HEADERS[4:]
        table = nodes.table(classes=["qlrules-table", "colwidths-given"])
        group = nodes.tgroup(cols=len(widths))
        table += group
        for width in widths:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_para(h) for h in headers)
        group += head
        body = nodes.tbody()
        group += body
        # A section with items directly (the seed's S0), or with clauses of its own, shows itself in
        # the 考评项目 column; a part's own clauses come first in its block, as the rubric writes them.
        blocks: list[tuple[qlrules.Topic | None, qlrules.Section | qlrules.Topic, Sequence[qlrules.Item]]] = (
            [(None, section, section.direct_items)] if section.direct_items or section.clauses else [])
        blocks += [(t, t, t.items) for t in section.topics]
        for topic, part, items in blocks:
            rows_in_block = len(part.clauses) + sum(len(i.clauses) for i in items)
            owner_spans = _owner_spans(items)
            first_of_block = True
            for n, clause in enumerate(part.clauses):
                row = nodes.row()
                if first_of_block:
                    row += self.topic_cell(section, topic, rows_in_block)
                    first_of_block = False
                if n == 0:
                    row += self.own_cell(part)
                row += self.clause_cell(clause)
                if self.show_rules:
                    row += self.rule_cell(clause, part)
                if n == 0:
                    row += _entry([_para(o) for o in part.owners], len(part.clauses), classes=["qlrules-owners"])
                body += row
            for item in items:
                for n, clause in enumerate(item.clauses):
                    row = nodes.row()
                    if first_of_block:
                        row += self.topic_cell(section, topic, rows_in_block)
                        first_of_block = False
                    if n == 0:
                        row += self.item_cell(item)
                    row += self.clause_cell(clause)
                    if self.show_rules:
                        row += self.rule_cell(clause, item)
                    if n == 0 and item.id in owner_spans:
                        owners, span = owner_spans[item.id]
                        row += _entry([_para(o) for o in owners], span, classes=["qlrules-owners"])
                    body += row
        return table

    def topic_cell(self, section: qlrules.Section, topic: qlrules.Topic | None, rows: int) -> nodes.entry:
        if topic is None:
            para = _para(nodes.strong(section.title, section.title), f"({number(section.points)}分{_cap_words(section.cap)})")
            return _entry([para], rows, classes=["qlrules-topic"])
        para = _para(_id_badge(topic.id), " ", nodes.strong(topic.title, topic.title), f"({number(topic.points)}分{_cap_words(topic.cap)})")
        cell = _entry([para], rows, classes=["qlrules-topic"])
        self.target(cell, "topic", topic.id, topic.title)
        return cell

    def own_cell(self, part: qlrules.Section | qlrules.Topic) -> nodes.entry:
        """The 具体内容 cell of a section's or topic's own clauses: they deduct from the part itself."""
        words = "本项目扣分" if isinstance(part, qlrules.Section) else "本二级项目扣分"
        return _entry([_para(_id_badge(part.id), " ", words)], len(part.clauses), classes=["qlrules-item"])

    def item_cell(self, item: qlrules.Item) -> nodes.entry:
        text = _para(_id_badge(item.id), " ", item.text)
        shown = f"{number(item.points)} 分"
        if item.earned:
            shown += " · 本项得分制"  # it starts at 0 and gains its points
        elif item.cap is not None:
            shown += f" · 本项限扣 {number(item.cap)} 分"
        points = _para(shown, classes=["qlrules-points"])
        cell = _entry([text, points], len(item.clauses), classes=["qlrules-item"])
        self.target(cell, "item", item.id, item.title or item.text)
        return cell

    def clause_cell(self, clause: qlrules.Clause) -> nodes.entry:
        cell = _entry([_para(_id_badge(clause.id), " ", nodes.inline(clause.text, clause.text, classes=["qlrules-text"]))], 1, classes=["qlrules-clause"])
        self.target(cell, "clause", clause.id, clause.text)
        return cell

    def rule_cell(self, clause: qlrules.Clause, item: qlrules.Item | qlrules.Topic | qlrules.Section) -> nodes.entry:
        para = _para()
        for n, segment in enumerate(clause_summary(clause, item, self.rubric)):
            if n:
                para += nodes.Text(SEP)
            # A segment never breaks inside (see CSS): a narrow column wraps at the dots only.
            span = nodes.inline(classes=["qlrules-segment"])
            for part in segment:
                if part.ref is None:
                    span += nodes.Text(part.text)
                else:
                    # A replaced clause is in the same item, so on this page, whatever :no-index: says.
                    ref = nodes.reference("", "", internal=True, refid=self.anchor("clause", part.ref))
                    ref += nodes.literal(part.text, part.text, classes=["xref", "qlrules", "qlrules-clause"])
                    span += ref
            para += span
        return _entry([para], 1, classes=["qlrules-rule"])

    def notes(self) -> nodes.section:
        node = nodes.section(ids=[self.unique("notes")])
        self.state.document.set_id(node)
        node += nodes.title("注", "注")
        for rule in self.rubric.rules:
            para = _para(nodes.strong(rule.label, rule.label), ":", rule.text, " ", nodes.literal(rule.name, rule.name), classes=["qlrules-note"])
            para["ids"].append(self.unique(f"rule-{rule.name}"))
            self.state.document.set_id(para)
            node += para
        return node

    def adjustments(self) -> list[nodes.section]:
        """One table per adjustment group; v1's single block as before."""
        rubric = self.rubric
        several = len(rubric.adjustment_groups) > 1
        return [self.adjustment_group(group, "adjustments" if not several else f"adjustments-{group.id or n}")
                for n, group in enumerate(rubric.adjustment_groups, 1) if group.adjustments]

    def adjustment_group(self, block: qlrules.AdjustmentGroup, anchor: str) -> nodes.section:
        title = block.title or KIND_LABELS["adjustment"]
        node = nodes.section(ids=[self.unique(anchor)])
        self.state.document.set_id(node)
        heading = nodes.title()
        if block.id is not None:
            heading += _id_badge(block.id)
            heading += nodes.Text(" ")
        heading += nodes.Text(title)
        node += heading
        if block.text:
            node += _para(block.text, classes=["qlrules-adjustments-text"])
        if block.cap is not None:
            node += _para(f"本组累计不超过 {number(block.cap)} 分(加减相抵后)", classes=["qlrules-group-cap"])
        widths = (8, 70, 22) if self.show_rules else (10, 90)
        table = nodes.table(classes=["qlrules-table", "qlrules-adjustments", "colwidths-given"])
        group = nodes.tgroup(cols=len(widths))
        table += group
        for width in widths:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_para(h) for h in ("编号", title, "计分规则")[: len(widths)])
        group += head
        body = nodes.tbody()
        group += body
        for adjustment in block.adjustments:
            row = nodes.row()
            id_cell = _entry([_para(_id_badge(adjustment.id))], 1)
            self.target(id_cell, "adjustment", adjustment.id, adjustment.text)
            row += id_cell
            row += _entry([_para(nodes.inline(adjustment.text, adjustment.text, classes=["qlrules-text"]))], 1, classes=["qlrules-clause"])
            if self.show_rules:
                para = _para()
                for n, segment in enumerate(adjustment_summary(adjustment).split(SEP)):
                    if n:
                        para += nodes.Text(SEP)
                    para += nodes.inline(segment, segment, classes=["qlrules-segment"])
                row += _entry([para], 1, classes=["qlrules-rule"])
            body += row
        node += table
        return node

    def grades(self) -> nodes.section:
        """考核结果: a table 等次 | 标准 (and the band the scorer applies)."""
        rubric = self.rubric
        title = rubric.grades_title or "考核结果"
        node = nodes.section(ids=[self.unique("grades")])
        self.state.document.set_id(node)
        node += nodes.title(title, title)
        widths = (12, 60, 28) if self.show_rules else (15, 85)
        table = nodes.table(classes=["qlrules-table", "qlrules-grades", "colwidths-given"])
        group = nodes.tgroup(cols=len(widths))
        table += group
        for width in widths:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += _row(_para(h) for h in ("等次", "标准", "计分规则")[: len(widths)])
        group += head
        body = nodes.tbody()
        group += body
        for grade in rubric.grades:
            row = nodes.row()
            name = _entry([_para(nodes.strong(grade.name, grade.name))], 1, classes=["qlrules-grade"])
            name["ids"].append(self.unique(f"grade-{grade.name}"))
            self.state.document.set_id(name)
            row += name
            row += _entry([_para(nodes.inline(grade.text, grade.text, classes=["qlrules-text"]))], 1, classes=["qlrules-clause"])
            if self.show_rules:
                row += _entry([_para(nodes.inline(band := grade_words(grade), band, classes=["qlrules-segment"]))], 1, classes=["qlrules-rule"])
            body += row
        node += table
        return node

    def vetoes(self) -> nodes.section:
        """否决项: each veto's wording and the grade it caps to."""
        rubric = self.rubric
        title = rubric.vetoes_title or KIND_LABELS["veto"]
        node = nodes.section(ids=[self.unique("vetoes")])
        self.state.document.set_id(node)
        node += nodes.title(title, title)
        if rubric.vetoes_text:
            node += _para(rubric.vetoes_text, classes=["qlrules-vetoes-text"])
        listing = nodes.bullet_list(classes=["qlrules-vetoes"])
        for veto in rubric.vetoes:
            entry = nodes.list_item()
            para = _para(_id_badge(veto.id), " ", nodes.inline(veto.text, veto.text, classes=["qlrules-text"]))
            if self.show_rules:
                para += nodes.Text(SEP)
                para += nodes.inline(words := veto_words(veto), words, classes=["qlrules-rule", "qlrules-segment"])
            entry += para
            self.target(entry, "veto", veto.id, veto.text)
            listing += entry
        node += listing
        return node

    def unique(self, anchor: str) -> str:
        """``anchor``, or ``KEY-anchor`` when the page already has it (two rubrics on one page)."""
        taken = self.state.document.ids
        return anchor if anchor not in taken else f"{self.key}-{anchor}"


#: Rubrics compiled in this process, by path and file state: a page may render one rubric often.
_COMPILED: dict[tuple[str, int, int], qlrules.Rubric] = {}


def _entry(children: Sequence[Node], rows: int, classes: Sequence[str] = ()) -> nodes.entry:
    entry = nodes.entry(classes=list(classes))
    if rows > 1:
        entry["morerows"] = rows - 1
    for child in children:
        entry += child
    return entry


def _row(paragraphs: Iterable[nodes.paragraph]) -> nodes.row:
    row = nodes.row()
    for para in paragraphs:
        row += _entry([para], 1)
    return row


def _owner_spans(items: Sequence[qlrules.Item]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Owners cells: consecutive items with the same 责任科室 share one cell, as in the seed."""
    spans: dict[str, tuple[tuple[str, ...], int]] = {}
    current: str | None = None
    for item in items:
        if current is not None and spans[current][0] == item.owners:
            owners, rows = spans[current]
            spans[current] = (owners, rows + len(item.clauses))
        else:
            current = item.id
            spans[current] = (item.owners, len(item.clauses))
    return spans


def _display_path(path: Path) -> str:
    """The path the compiler's messages name: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -- the roles and the domain -----------------------------------------------


class QlrulesXRefRole(XRefRole):
    """``:qlrules:clause:`6.1c``` or ``qinglian-jiguan:6.1c``: shows the id, without the rubric key."""

    def process_link(
        self, env: BuildEnvironment, refnode: Element, has_explicit_title: bool, title: str, target: str
    ) -> tuple[str, str]:
        target = target.strip()
        if not has_explicit_title and ":" in title:
            title = title.rsplit(":", 1)[1]
        return title.strip(), target


class ObjectEntry(NamedTuple):
    docname: str
    anchor: str
    title: str


class RubricIndex(Index):
    """考评细则索引: every section, topic, item, clause and adjustment, in rubric order."""

    name = "index"
    localname = "考评细则索引"
    shortname = "细则索引"

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: QlrulesDomain = self.domain  # type: ignore[assignment]
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[IndexEntry]] = {}
        several = len({key for key, _, _ in domain.objects}) > 1
        current = ""
        for (key, objtype, ident), entry in domain.objects.items():
            if wanted is not None and entry.docname not in wanted:
                continue
            if objtype == "section" or (objtype in ("adjustment", "veto") and not current.endswith(KIND_LABELS[objtype])):
                name = f"{ident} {entry.title}" if objtype == "section" else KIND_LABELS[objtype]
                current = f"{key} · {name}" if several else name
            groups.setdefault(current, [])
            subtype = {"section": 0, "topic": 1}.get(objtype, 2)
            shown = ident if objtype in ("clause", "adjustment", "veto") else f"{ident} {entry.title}"
            descr = entry.title if objtype in ("clause", "adjustment", "veto") else ""
            groups[current].append(IndexEntry(shown, subtype, entry.docname, entry.anchor, KIND_LABELS[objtype], "", descr))
        return list(groups.items()), False


class QlrulesDomain(Domain):
    """The ``qlrules`` domain: rubrics, and references to their parts by id."""

    name = "qlrules"
    label = "qlrules"
    object_types: ClassVar[dict[str, ObjType]] = {
        "section": ObjType(KIND_LABELS["section"], "section"),
        "topic": ObjType(KIND_LABELS["topic"], "topic"),
        "item": ObjType(KIND_LABELS["item"], "item"),
        "clause": ObjType(KIND_LABELS["clause"], "clause"),
        "adjustment": ObjType(KIND_LABELS["adjustment"], "adjustment", "clause"),
        "veto": ObjType(KIND_LABELS["veto"], "veto", "clause"),
    }
    directives: ClassVar[dict[str, type[SphinxDirective]]] = {"rubric": RubricDirective}  # type: ignore[assignment]
    roles: ClassVar[dict[str, XRefRole]] = {  # type: ignore[assignment]
        "section": QlrulesXRefRole(warn_dangling=True),
        "topic": QlrulesXRefRole(warn_dangling=True),
        "item": QlrulesXRefRole(warn_dangling=True),
        "clause": QlrulesXRefRole(warn_dangling=True),
        "adjustment": QlrulesXRefRole(warn_dangling=True),
        "veto": QlrulesXRefRole(warn_dangling=True),
    }
    indices: ClassVar[list[type[Index]]] = [RubricIndex]
    initial_data: ClassVar[dict[str, Any]] = {
        "objects": {},  # (rubric key, objtype, id) -> ObjectEntry
        "rubrics": {},  # docname -> [rubric keys rendered there]
        "failures": {},  # docname -> [compiler messages of rubrics that did not compile]
    }
    data_version = 2
    dangling_warnings: ClassVar[dict[str, str]] = {
        "section": "qlrules: unknown section id %(target)r",
        "topic": "qlrules: unknown topic id %(target)r",
        "item": "qlrules: unknown item id %(target)r",
        "clause": "qlrules: unknown clause id %(target)r",
        "adjustment": "qlrules: unknown adjustment id %(target)r",
        "veto": "qlrules: unknown veto id %(target)r",
    }

    @property
    def objects(self) -> dict[tuple[str, str, str], ObjectEntry]:
        return self.data["objects"]  # type: ignore[no-any-return]

    @property
    def rubrics(self) -> dict[str, list[str]]:
        return self.data["rubrics"]  # type: ignore[no-any-return]

    def note_rubric(self, key: str, docname: str) -> None:
        keys = self.rubrics.setdefault(docname, [])
        if key not in keys:
            keys.append(key)

    def note_failure(self, docname: str, message: str) -> None:
        self.failures.setdefault(docname, []).append(message)

    @property
    def failures(self) -> dict[str, list[str]]:
        return self.data["failures"]  # type: ignore[no-any-return]

    def note_object(self, key: str, objtype: str, ident: str, docname: str, anchor: str, title: str, location: Any = None) -> None:
        entry = (key, objtype, ident)
        if entry in self.objects:
            other = self.objects[entry]
            logger.warning(
                "qlrules: %s %s of rubric %r is rendered twice (also in %s); give one of them :no-index:",
                objtype,
                ident,
                key,
                other.docname,
                location=location,
                type="qlrules",
                subtype="duplicate",
            )
        self.objects[entry] = ObjectEntry(docname, anchor, title)

    def clear_doc(self, docname: str) -> None:
        for entry, obj in list(self.objects.items()):
            if obj.docname == docname:
                del self.objects[entry]
        self.rubrics.pop(docname, None)
        self.failures.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for entry, obj in otherdata["objects"].items():
            if obj.docname in docnames:
                self.objects[entry] = obj
        for docname, keys in otherdata["rubrics"].items():
            if docname in docnames:
                self.rubrics[docname] = list(keys)
        for docname, messages in otherdata["failures"].items():
            if docname in docnames:
                self.failures[docname] = list(messages)

    def find(self, fromdocname: str, types: Sequence[str], target: str) -> list[tuple[tuple[str, str, str], ObjectEntry]]:
        """The objects ``target`` names, best first.

        ``key:id`` names one rubric. A bare id prefers the rubrics rendered on
        the referring page, then ``qlrules_default_rubric``.
        """
        key, _, ident = target.strip().rpartition(":")
        found = [(e, o) for e, o in self.objects.items() if e[2] == ident and e[1] in types and (not key or e[0] == key)]
        if len(found) <= 1:
            return found
        here = self.rubrics.get(fromdocname, [])
        local = [f for f in found if f[0][0] in here]
        if len(local) == 1:
            return local
        default = self.env.config.qlrules_default_rubric
        preferred = [f for f in found if f[0][0] == default]
        if len(preferred) == 1:
            return preferred
        return found

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        types = self.objtypes_for_role(typ) or [typ]
        found = self.find(fromdocname, types, target)
        if not found:
            return None
        if len(found) > 1:
            keys = ", ".join(sorted({e[0] for e, _ in found}))
            logger.warning(
                "qlrules: %r names an id in several rubrics (%s); write it as key:id or set qlrules_default_rubric",
                target,
                keys,
                location=node,
                type="qlrules",
                subtype="ambiguous",
            )
        (_, obj) = found[0]
        return make_refnode(builder, fromdocname, obj.docname, obj.anchor, contnode, obj.title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results: list[tuple[str, nodes.reference]] = []
        for (_key, objtype, _ident), obj in self.find(fromdocname, list(self.object_types), target)[:1]:
            role = f"qlrules:{self.role_for_objtype(objtype)}"
            results.append((role, make_refnode(builder, fromdocname, obj.docname, obj.anchor, contnode, obj.title)))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (key, objtype, ident), obj in self.objects.items():
            yield f"{key}:{ident}", f"{ident} {obj.title}", objtype, obj.docname, obj.anchor, 1


# -- styling ---------------------------------------------------------------

CSS = """\
/* qlrules.sphinxext: rubric tables laid out like the official document. */
table.qlrules-table { width: 100%; border-collapse: collapse; font-size: 0.9em; }
table.qlrules-table th, table.qlrules-table td {
  vertical-align: top; text-align: left; border: 1px solid var(--color-table-border, #ccc);
  padding: 0.3em 0.45em; overflow-wrap: anywhere; word-break: normal; line-height: 1.5;
}
table.qlrules-table th { text-align: center; white-space: nowrap; }
table.qlrules-table td.qlrules-topic, table.qlrules-table td.qlrules-owners { text-align: center; }
table.qlrules-table td.qlrules-owners p { margin: 0 0 0.25em; word-break: keep-all; }
.qlrules-id {
  font-family: var(--font-stack--monospace, monospace); font-size: 0.85em; font-weight: 600;
  color: var(--color-brand-content, #2757dd); white-space: nowrap;
}
table.qlrules-table p.qlrules-points { margin-top: 0.3em; font-size: 0.85em; color: var(--color-foreground-secondary, #555); }
table.qlrules-table td.qlrules-rule { font-size: 0.85em; color: var(--color-foreground-secondary, #444); }
table.qlrules-table td.qlrules-rule code { font-size: 1em; }
.qlrules-segment { white-space: nowrap; }
table.qlrules-table td:target, table.qlrules-table td:target + td { background: var(--color-highlight-on-target, #ffffcc); }
.qlrules-header p { margin: 0.2em 0; }
.qlrules-source { font-size: 0.85em; color: var(--color-foreground-secondary, #555); }
p.qlrules-note:target { background: var(--color-highlight-on-target, #ffffcc); }
"""


def _finish(app: Sphinx, exception: Exception | None) -> None:
    """Fail the build if a rubric did not compile; ship the stylesheet."""
    if exception is not None:
        return
    domain: QlrulesDomain = app.env.domains["qlrules"]  # type: ignore[assignment]
    if domain.failures:
        app.statuscode = 1
    if app.builder.format == "html":
        static = Path(app.outdir, "_static")
        static.mkdir(parents=True, exist_ok=True)
        (static / "qlrules.css").write_text(CSS, encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the domain, its stylesheet and the lexers."""
    from .pygments import QlrulesLexer, TolerantQlrulesLexer

    app.add_config_value("qlrules_default_rubric", None, "env", types=(str, type(None)))
    app.add_domain(QlrulesDomain)
    app.add_css_file("qlrules.css")
    app.connect("build-finished", _finish)
    # The entry point registers the lexer for Pygments; Sphinx is told too, for
    # installs without entry points and for the tolerant variant of broken examples.
    app.add_lexer("qlrules", QlrulesLexer)
    app.add_lexer("qlr", QlrulesLexer)
    app.add_lexer("qlr-error", TolerantQlrulesLexer)
    return {"version": qlrules.__version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}

"""The bundled seed rubric: its shape, ids, rules and wording, against the contract and the source."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import qlrules
from qlrules.authoring.spaces import close_up, without_whitespace

from . import reference_scorer as ref
from . import rules
from .conftest import ROOT

#: The source document: the copy in tests/fixtures (so a clean clone checks it too), else the shared seed folder.
SEED_TEXT = next(
    (p for p in (ROOT / "tests" / "fixtures" / "seed-document.txt", ROOT.parent / "shared" / "seed" / "000_26625426569f909c.txt") if p.exists()),
    ROOT / "tests" / "fixtures" / "seed-document.txt",
)
needs_source = pytest.mark.skipif(not SEED_TEXT.exists(), reason="the source document is not beside this checkout")
#: The extraction errors the rubric corrects (each marked by a "# seed has" comment); 扣0 .5分 is one though
#: only a space is wrong: the rubric read the number as 0.5, a decision the comment records.
CORRECTIONS = {"于部": "干部", "迫责": "追责", "康政故事会": "廉政故事会", "克已": "克己", "扣0\u00a0.5分": "扣0.5分"}


def test_counts(seed: qlrules.Rubric) -> None:
    """5 sections, 15 topics, 53 items, 89 clauses and 8 adjustments, 100 points."""
    assert (len(seed.sections), len(seed.topics), len(seed.items), len(seed.clauses), len(seed.adjustments)) == (5, 15, 53, 89, 8)
    assert seed.points == 100
    assert seed.warnings == ()


def test_every_clause_matches_the_id_contract(seed: qlrules.Rubric) -> None:
    """Ids, kinds, rates, `of` and `replaces` agree with the independently transcribed table."""
    expected = {cid: (item, kind, rate, of, replaces) for cid, (item, kind, rate, of, replaces, _) in ref.CLAUSES.items()}
    actual = {c.id: (c.item, rules.kind(c), rules.rate(c), c.of, rules.replaces(c)) for c in seed.clauses}
    assert actual == expected
    assert [c.id for c in seed.clauses] == list(ref.CLAUSE_IDS)


def test_items_topics_sections(seed: qlrules.Rubric) -> None:
    assert {i.id: (i.points, i.section, i.topic) for i in seed.items} == {
        iid: (points, sid, tid) for iid, points, sid, tid, _ in ref.SEED
    }
    assert {t.id: (t.section, t.points) for t in seed.topics} == ref.TOPICS
    assert {s.id: s.points for s in seed.sections} == ref.SECTIONS


def test_adjustments_and_rules(seed: qlrules.Rubric) -> None:
    assert {a.id: rules.rate(a) for a in seed.adjustments} == ref.ADJUSTMENTS
    assert [(r.name, r.label) for r in seed.rules] == [("highest-per-case", "注1"), ("item-cap", "注2")]
    assert "不重复扣分,以扣分最高值为准" in seed.rules[0].text
    assert "每个子项目扣分值不超过该子项目的赋分值" in seed.rules[1].text


def test_owners(seed: qlrules.Rubric) -> None:
    owners = {t.id: t.owners for t in seed.topics}
    assert owners["5"] == ("机关党委", "各科室(单位)")
    assert owners["7"] == ("机关纪委", "各科室(单位)", "办公室")
    assert owners["9"] == ("法规科", "机关纪委")
    assert seed.item_index["0.1"].owners == ("机关纪委",)
    assert seed.item_index["8.3"].owners == ("人事科",)


def official_texts(rubric: qlrules.Rubric) -> list[str]:
    """Every official wording of ``rubric``: clauses, item texts, adjustments, the 注 rules, the 加减分项 text."""
    texts = [c.text for c in rubric.clauses] + [i.text for i in rubric.items] + [a.text for a in rubric.adjustments]
    return texts + [r.text for r in rubric.rules] + [rubric.adjustments_text or ""]


def not_in_source(texts: list[str], source: str) -> list[str]:
    """The texts that do not occur in ``source`` once its listed errors are corrected, whitespace ignored.

    Whitespace is ignored because the rubric drops the spaces and no-break spaces the PDF
    extraction left inside sentences (and line breaks split the source's sentences);
    every other character must be the source's.
    """
    for wrong, right in CORRECTIONS.items():
        assert wrong in source, wrong
        source = source.replace(wrong, right)
    source = without_whitespace(source)
    return [t for t in texts if without_whitespace(t) not in source]


@needs_source
def test_wording_is_the_sources(seed: qlrules.Rubric) -> None:
    """Every official text occurs in the source, ignoring whitespace, once its listed errors are corrected."""
    assert not_in_source(official_texts(seed), SEED_TEXT.read_text(encoding="utf-8")) == []


@needs_source
@pytest.mark.parametrize("change", ["replace", "insert", "delete", "punctuation", "digit", "first", "last"])
def test_the_source_check_sees_one_changed_character(seed: qlrules.Rubric, change: str) -> None:
    """One character changed, added or removed in one wording (never a space) fails the check; spaces alone do not.

    (Dropping a text's first or last character leaves a piece of the source, which no
    occurrence check can tell from the whole; changing either is seen.)
    """
    source = SEED_TEXT.read_text(encoding="utf-8")
    texts = official_texts(seed)
    index = next(n for n, t in enumerate(texts) if "未纳入干部教育培训" in t)  # 1.1b
    text = texts[index]
    edited = {
        "replace": text.replace("未纳入", "未列入"),
        "insert": text.replace("未纳入", "未纳入了"),
        "delete": text.replace("未纳入", "未入"),
        "punctuation": text.replace(",未纳入", "、未纳入"),
        "digit": text.replace("扣0.5分", "扣0.6分"),
        "first": "甚" + text[1:],
        "last": text[:-1] + "份",
    }[change]
    assert edited != text and without_whitespace(edited) != without_whitespace(text)
    assert not_in_source([*texts[:index], edited, *texts[index + 1 :]], source) == [edited]
    spaced = " \u00a0".join(text) + "\u3000"  # whitespace anywhere, of every kind, changes nothing
    assert not_in_source([spaced], source) == []


def test_no_stray_spaces_left_in_the_wording(seed: qlrules.Rubric) -> None:
    """The official texts carry none of the extraction's spaces (扣1 分, 未纳  入), nor any no-break space."""
    texts = official_texts(seed) + [seed.title] + [part.title for part in (*seed.sections, *seed.topics, *seed.items)]
    assert [t for t in texts if close_up(t) != t or "\u00a0" in t] == []


def test_corrections_are_commented() -> None:
    """Each corrected extraction error carries a comment in the rubric file."""
    text = ROOT.joinpath("rubrics", "qinglian-jiguan.qlr").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.strip().startswith("# seed has")]
    assert len(comments) == len(CORRECTIONS)


def test_rates_are_the_ones_the_wording_states(seed: qlrules.Rubric) -> None:
    """Where the wording says 扣N分, the rule deducts N (a cheap guard against typos in the file)."""
    for clause in seed.clauses:
        stated = re.findall(r"扣(\d+(?:\.\d+)?)\s*分", clause.text)
        if rules.kind(clause) != "discretionary" and stated:
            assert Decimal(stated[-1]) == rules.rate(clause), clause.id

"""The bundled seed rubric: its shape, ids, rules and wording, against the contract and the source."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import qlrules

from . import reference_scorer as ref
from . import rules
from .conftest import ROOT

SEED_TEXT = ROOT.parent.joinpath("shared", "seed", "000_26625426569f909c.txt")
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


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the source document is not beside this checkout")
def test_wording_is_verbatim_from_the_source(seed: qlrules.Rubric) -> None:
    """Every official text occurs in the source once its line breaks are joined and its listed errors corrected."""
    source = SEED_TEXT.read_text(encoding="utf-8").replace("\n", "")
    for wrong, right in CORRECTIONS.items():
        assert wrong in source
        source = source.replace(wrong, right)
    texts = [c.text for c in seed.clauses] + [i.text for i in seed.items] + [a.text for a in seed.adjustments]
    texts += [r.text for r in seed.rules] + [seed.adjustments_text or ""]
    missing = [t for t in texts if t not in source]
    assert missing == []


def test_corrections_are_commented() -> None:
    """Each corrected extraction error carries a comment in the rubric file."""
    text = ROOT.joinpath("rubrics", "qinglian-jiguan.qlr").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.strip().startswith("# seed has")]
    assert len(comments) == len(CORRECTIONS)


def test_rates_are_the_ones_the_wording_states(seed: qlrules.Rubric) -> None:
    """Where the wording says 扣N分, the rule deducts N (a cheap guard against typos in the file)."""
    for clause in seed.clauses:
        stated = re.findall(r"扣(\d+(?:\.\d+)?)\s*分", clause.text.replace("\u00a0", ""))
        if rules.kind(clause) != "discretionary" and stated:
            assert Decimal(stated[-1]) == rules.rate(clause), clause.id

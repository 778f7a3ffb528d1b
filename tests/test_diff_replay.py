"""``diff --findings`` per unit: grades, vetoes, group totals and section/topic clauses and caps,
on the language-2 rubrics; and its fast reading (units built from YAML events, checked once)
against the straightforward one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qlrules
from qlrules.authoring.diff import Impact, diff_rubrics, impact_dict, replay, replay_units

from .conftest import ROOT, Cli

RUBRICS = ROOT / "examples" / "rubrics"


def _copy(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = (RUBRICS / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"edited-{name}"
    path.write_text(text, encoding="utf-8")
    return path


def _replayed(name: str, edited: Path, units: list[dict[str, Any]]) -> tuple[list[Impact], list[Any]]:
    old, new = qlrules.load_rubric(RUBRICS / name), qlrules.load_rubric(edited)
    changes = diff_rubrics(old, new)
    return list(replay(old, new, {"units": units}, changes)), list(changes)


def _index(changes: list[Any], kind: str, ident: str | None, field: str) -> int:
    (n,) = [n for n, c in enumerate(changes) if (c.kind, c.id, c.field) == (kind, ident, field)]
    return n


def test_a_grade_bound_moves_a_unit_out_of_its_grade(tmp_path: Path) -> None:
    edited = _copy(tmp_path, "guoqi-dflz.qlr", ('"总分90分(含)以上为优秀" at least 90', '"总分90分(含)以上为优秀" at least 97'))
    units = [{"unit": "甲", "findings": [{"clause": "1.2a", "count": 2}, {"clause": "3.1b", "amount": 1.5, "reason": "r"}]},
             {"unit": "乙", "findings": []}]
    (moved, kept), changes = _replayed("guoqi-dflz.qlr", edited, units)
    assert moved.delta == 0 and moved.grade is not None
    assert (moved.grade.before, moved.grade.after) == ("优秀", None)  # 96.5: 优秀 from 90, in no grade from 97
    assert moved.grade.because == (_index(changes, "grade", "优秀", "band"),)
    assert kept.grade is None  # 100 is 优秀 under both
    shown = impact_dict(moved)["grade"]
    assert shown == {"before": "优秀", "after": None, "vetoes": {"before": [], "after": []}, "because": list(moved.grade.because)}


def test_a_veto_taking_another_grade_moves_the_unit(tmp_path: Path) -> None:
    edited = _copy(tmp_path, "guoqi-dflz.qlr", ('实行“一票否决”" veto 不达标\n  V2', '实行“一票否决”" veto 达标\n  V2'))
    units = [{"unit": "丙", "findings": [{"clause": "V1", "count": 1}]}]
    (impact,), changes = _replayed("guoqi-dflz.qlr", edited, units)
    assert impact.grade is not None
    assert (impact.grade.before, impact.grade.after) == ("不达标", "达标")
    assert impact.grade.vetoes_before == impact.grade.vetoes_after == ("V1",)
    assert impact.grade.because == (_index(changes, "veto", "V1", "grade"),)


def test_a_group_cap_moves_the_group_total(tmp_path: Path) -> None:
    edited = _copy(tmp_path, "guoqi-dflz.qlr", ('adjustments B "加分项" cap 5', 'adjustments B "加分项" cap 3'))
    units = [{"unit": "丁", "findings": [{"clause": "B2", "count": 4}, {"clause": "B1", "amount": 2, "reason": "创新"}]},
             {"unit": "戊", "findings": [{"clause": "B2", "count": 2}]}]
    (capped, below), changes = _replayed("guoqi-dflz.qlr", edited, units)
    (group,) = capped.groups
    assert (group.id, group.before, group.after) == ("B", 5, 3)
    assert group.because == (_index(changes, "group", "B", "cap"),)
    assert capped.adjustments == ()  # each adjustment still adds what it did: the cap cuts the group
    assert capped.delta == -2
    assert below.groups == () and below.delta == 0
    assert impact_dict(capped)["groups"] == [{"group": "B", "before": 5, "after": 3, "because": list(group.because)}]


def test_a_section_clause_and_a_section_cap_show_on_the_section(tmp_path: Path) -> None:
    edited = _copy(tmp_path, "xxxian-zongzhi.qlr",
                   ("每人次减2.5分,最高减5分\" each 人次 −2.5 cap 5", "每人次减2.5分,最高减5分\" each 人次 −2 cap 5"),
                   ('(本项减完为止)" points 5 cap 5', '(本项减完为止)" points 5 cap 4'))
    units = [{"unit": "己", "findings": [{"clause": "S1a", "count": 1},
                                        {"clause": "4.1b", "count": 2}, {"clause": "4.2b", "count": 8}, {"clause": "4.3a", "count": 4}]}]
    (impact,), changes = _replayed("xxxian-zongzhi.qlr", edited, units)
    s1, s4 = impact.parts
    assert (s1.kind, s1.id, s1.before, s1.after, s1.cut) == ("section", "S1", Decimal("7.5"), 7, (0, 0))  # 5 earned items (1.2–1.6) start at 0
    assert [(c.id, c.before, c.after) for c in s1.clauses] == [("S1a", 2.5, 2)]
    assert s1.clauses[0].because == (_index(changes, "clause", "S1a", "rate"),)
    assert s1.because == (_index(changes, "clause", "S1a", "rate"),)
    # S4's items lose 2 + 2 + 1 = 5: all of it under cap 5, 1 cut under cap 4
    assert (s4.kind, s4.id, s4.before, s4.after, s4.clauses, s4.cut) == ("section", "S4", 5, 4, (), (0, 1))
    assert s4.because == (_index(changes, "section", "S4", "cap"),)
    assert impact.items == () and impact.delta == Decimal("1.5")
    shown = impact_dict(impact)["parts"]
    assert shown[1] == {"part": "S4", "kind": "section", "before": 5, "after": 4, "clauses": [],
                        "cut": {"before": 0, "after": 1}, "because": list(s4.because)}


# -- the fast reading against the straightforward one ------------------------------------------------

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.floats(-100, 100, allow_nan=False),
    st.sampled_from(["0.1a", "6.1", "010", "0x2", "1_0", "1:00", ".5", "1e3", "yes", "off", "~", "null", "2024-01-02",
                     "<<", "=", "", "２", "C-1", "甲", "!!str 1", "'1'", "a: b", "- x"]),
    st.text(max_size=6),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.sampled_from(["clause", "count", "cases", "x", "<<"]), inner, max_size=3)),
                       max_leaves=8)
_UNITS = st.fixed_dictionaries({"unit": st.one_of(st.sampled_from(["甲", "乙"]), _SCALARS),
                                "findings": st.lists(st.one_of(_VALUES, st.fixed_dictionaries(
                                    {"clause": st.sampled_from(["0.1a", "6.1a", "6.1h", "A1"]), "count": _SCALARS})), max_size=4)})


def _positions(value: Any) -> Any:
    """A read value with every position it keeps, to compare two readings exactly."""
    from qlrules.io.documents import Located, LocatedList

    if isinstance(value, Located):
        return ("map", value.line, value.column, dict(value.value_positions), {k: _positions(v) for k, v in value.items()})
    if isinstance(value, LocatedList):
        return ("list", list(value.positions), [_positions(v) for v in value])
    return (type(value).__name__, value)


def _read(path: Path, built: bool) -> list[Any]:
    from qlrules.errors import FindingsError
    from qlrules.io import stream
    from qlrules.io.documents import NotBuilt

    def refuse(*_args: Any) -> Any:
        raise NotBuilt

    with pytest.MonkeyPatch.context() as patch:
        if not built:
            patch.setattr(stream, "from_events", refuse)
        try:
            return [(_positions(m), offset, shift) for m, offset, shift in stream.unit_mappings_of(path, str(path))]
        except FindingsError as error:
            return [str(error)]


@settings(max_examples=150, deadline=None)
@given(units=st.lists(_UNITS, min_size=1, max_size=3), flow=st.booleans())
def test_units_built_from_events_are_read_as_their_text_is(units: list[Any], flow: bool,
                                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    import yaml

    path = tmp_path_factory.mktemp("events") / "batch.yaml"
    path.write_text(yaml.safe_dump({"units": units}, allow_unicode=True, default_flow_style=flow or None, sort_keys=False),
                    encoding="utf-8")
    assert _read(path, built=True) == _read(path, built=False)


def test_a_unit_checked_once_replays_as_one_checked_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qlrules.authoring.diff import _Comparison
    from qlrules.io.stream import unit_mappings_of

    sys_path = str(ROOT / "benchmarks")
    monkeypatch.syspath_prepend(sys_path)
    from units import units as bench_units  # the benchmark's realistic units

    bundled = ROOT / "rubrics" / "qinglian-jiguan.qlr"
    text = bundled.read_text(encoding="utf-8")
    edited = tmp_path / "edited.qlr"
    edited.write_text(text.replace('每项扣0.5分" each 项 −0.5 of 3', '每项扣1分" each 项 −1 of 3', 1)
                      .replace('受重处分每人次扣2分" each 人次 −2', '受重处分每人次扣3分" each 人次 −3', 1), encoding="utf-8")
    path = tmp_path / "units.json"
    from qlrules.render.json import dumps

    path.write_text(dumps({"units": list(bench_units(200))}), encoding="utf-8")
    old, new = qlrules.load_rubric(bundled), qlrules.load_rubric(edited)
    changes = diff_rubrics(old, new)

    def replayed() -> list[dict[str, Any]]:
        return [impact_dict(i) for i in replay_units(old, new, unit_mappings_of(path, str(path)), changes, str(path))]

    once = replayed()
    monkeypatch.setattr(_Comparison, "checks_alike", lambda self, unit: False)
    assert once == replayed()
    assert any(u["items"] for u in once) and len(once) == 200


def test_the_text_table_names_each_new_kind_of_move(tmp_path: Path, cli: Cli) -> None:
    edited = _copy(tmp_path, "guoqi-dflz.qlr", ('"总分90分(含)以上为优秀" at least 90', '"总分90分(含)以上为优秀" at least 97'),
                   ('adjustments B "加分项" cap 5', 'adjustments B "加分项" cap 3'))
    findings = tmp_path / "units.yaml"
    findings.write_text("units:\n  - unit: 甲\n    findings:\n      - {clause: 1.2a, count: 2}\n"
                        "      - {clause: 3.1b, amount: 1.5, reason: r}\n"
                        "  - unit: 乙\n    findings:\n      - {clause: B2, count: 4}\n", encoding="utf-8")
    result = cli("diff", str(RUBRICS / "guoqi-dflz.qlr"), str(edited), "--findings", str(findings), "--format", "markdown")
    assert result.exit_code == 0
    shown = result.stdout_bytes.decode()
    assert "| 甲 | 96.5 | 96.5 | 0 | grade 优秀 → — [2] |" in shown
    assert "| 乙 | 104 | 103 | −1 | adjustment group B +4 → +3 [1] |" in shown


def test_a_topic_cap_shows_on_the_topic(tmp_path: Path) -> None:
    edited = _copy(tmp_path, "wenzhou-fumian.qlr", ('"平安三率(本项限扣5分)" points 0 cap 5', '"平安三率(本项限扣5分)" points 0 cap 4'))
    # 3.1a: 86% is 4 points below 90 at 0.5 and 6 below 96 at 0.25: 2 + 1.5 = 3.5; 3.2a: 8 below at 0.25 = 2 → 5.5
    units = [{"unit": "庚", "findings": [{"clause": "3.1a", "value": 86}, {"clause": "3.2a", "value": -8}]}]
    (impact,), changes = _replayed("wenzhou-fumian.qlr", edited, units)
    (topic,) = impact.parts
    assert (topic.kind, topic.id, topic.before, topic.after, topic.clauses) == ("topic", "3", 5, 4, ())
    assert topic.cut == (Decimal("0.5"), Decimal("1.5"))
    assert topic.because == (_index(changes, "topic", "3", "cap"),)
    assert impact.delta == 1

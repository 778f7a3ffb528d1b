"""Deterministic, realistic findings units for the seed rubric.

Each unit has about 15 findings, the way an assessment team writes them up:
ordinary deductions on a dozen clauses (counts within each criterion's closed
list, evidence on about half), and on most units one to three disciplinary
cases (党员干部违纪违法案件) with case ids. A case is often named on a second
clause too (11.4b 年轻干部违纪违法案件, 7.5a, 13.2a or 7.1b), so 注1 has to
decide where it counts; some cases were reported by the unit itself and carry a
discretionary 6.1h finding with an amount and a reason (replacing the
per-person rate); about one unit in ten has a 6.1h without a case; most have
one or two adjustments (加减分项). Findings come in a shuffled order, as
assessors write them.

Valid input only (contract §2): unit names are unique, cases are never named
twice on one clause, `of` limits are respected, amounts are within 6.1's 10
points. Amounts are plain JSON numbers (0.5, 1.5, 2), so the same units go to
qlrules, the baseline, the peers and a JSON Lines file unchanged.

``units(n, seed)`` always yields the same units for the same arguments; the
first 10k of ``units(100_000)`` are ``units(10_000)``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    from .baseline import ADJUSTMENTS, CLAUSES
except ImportError:  # run as a script from benchmarks/
    from baseline import ADJUSTMENTS, CLAUSES  # type: ignore[no-redef]

# `of N` of the seed (seed-clauses.md): counts on these clauses add up to at most N.
OF = {"0.1a": 3, "0.2a": 2, "0.3a": 2, "1.1b": 2, "1.2a": 2, "3.1a": 2, "3.3a": 2,
      "4.1a": 3, "4.1b": 3, "8.3a": 3, "9.3b": 2}

# Per-person clauses of 6.1 (轻处分, 重处分, 移送司法 for 市管干部 / 科级及以下): a case is one person.
PER_PERSON = ("6.1b", "6.1c", "6.1d", "6.1e", "6.1f", "6.1g")
PER_PERSON_WEIGHTS = (30, 15, 3, 30, 15, 7)
# Other clauses the same case is often also found under.
ALSO = ("11.4b", "7.5a", "13.2a", "7.1b")
# Clauses for ordinary findings: everything but the case clauses, 6.1h and 6.1a (压案不查, rare).
ORDINARY = tuple(c for c in CLAUSES if c not in PER_PERSON and c not in ALSO and c not in ("6.1a", "6.1h"))

AGENCIES = ("市财政局", "市教育局", "市卫健委", "市住建局", "市交通局", "市农业农村局", "市商务局", "市文旅局",
            "市市场监管局", "市生态环境局", "市人社局", "市民政局", "市司法局", "市审计局", "市统计局", "市水利局")
EVIDENCE = ("2024年度党组会议记录", "巡察反馈意见第3条", "年度考核台账", "专项检查记录表", "民主生活会会议纪要",
            "纪检监察建议书", "问题整改清单", "现场检查照片及说明")
REASONS = ("主动报告线索,从轻扣分", "本单位自查发现并及时查处", "主动向纪委监委移交问题线索")
AMOUNTS = (0.5, 1, 1.5, 2)


def unit(rng: random.Random, number: int) -> dict[str, Any]:
    """One unit's findings mapping (contract §2)."""
    findings: list[dict[str, Any]] = []
    # Disciplinary cases: clause -> case ids named on it.
    on_clause: dict[str, list[str]] = {}
    discretionary: list[dict[str, Any]] = []
    for n in range(rng.choices((0, 1, 2, 3), weights=(25, 35, 28, 12))[0]):
        case = f"C-2024-{number % 1000:03d}{n}"
        on_clause.setdefault(rng.choices(PER_PERSON, weights=PER_PERSON_WEIGHTS)[0], []).append(case)
        if rng.random() < 0.45:
            on_clause.setdefault(rng.choice(ALSO), []).append(case)
        if rng.random() < 0.25:
            discretionary.append({"clause": "6.1h", "amount": rng.choice(AMOUNTS), "cases": [case],
                                  "reason": rng.choice(REASONS)})
    if rng.random() < 0.1:
        discretionary.append({"clause": "6.1h", "amount": rng.choice(AMOUNTS), "reason": rng.choice(REASONS)})
    for clause, cases in on_clause.items():
        finding: dict[str, Any] = {"clause": clause, "cases": cases}
        if rng.random() < 0.5:
            finding["evidence"] = rng.choice(EVIDENCE)
        findings.append(finding)
    findings.extend(discretionary)

    adjustments = rng.choices((0, 1, 2), weights=(30, 50, 20))[0]
    ordinary = max(0, rng.randint(13, 17) - len(findings) - adjustments)
    for clause in rng.sample(ORDINARY, ordinary):
        kind = CLAUSES[clause][1]
        count = 1 if kind == "once" else rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        finding = {"clause": clause, "count": min(count, OF.get(clause, count))}
        if rng.random() < 0.5:
            finding["evidence"] = rng.choice(EVIDENCE)
        findings.append(finding)
    for clause in rng.sample(tuple(ADJUSTMENTS), adjustments):
        findings.append({"clause": clause, "count": rng.choices((1, 2), weights=(80, 20))[0],
                         "evidence": f"通报文件 2024-{rng.randint(1, 60)}号"})
    rng.shuffle(findings)
    return {"unit": f"{AGENCIES[number % len(AGENCIES)]}-{number:06d}", "findings": findings}


def units(count: int, seed: int = 2024) -> Iterator[dict[str, Any]]:
    """``count`` units, the same ones for the same seed."""
    rng = random.Random(seed)
    for number in range(count):
        yield unit(rng, number)


def write_jsonl(path: Path, count: int, seed: int = 2024) -> None:
    """Write ``count`` units to ``path``, one JSON object per line."""
    with path.open("w", encoding="utf-8") as out:
        for one in units(count, seed):
            out.write(json.dumps(one, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":  # a look at what the benchmark scores
    for one in units(3):
        print(json.dumps(one, ensure_ascii=False, indent=1))

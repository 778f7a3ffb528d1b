"""Issue 13's scoring and output rows: the hot path against the straightforward one, output fragments, batches.

Called by `run.py` (section 6); each line is a ratio measured in interleaved passes, as the
rest of the run. ``python benchmarks/paths.py [--quick]`` runs this section alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LANGUAGE_2 = ROOT / "examples" / "rubrics" / "guoqi-dflz.qlr"
sys.path.insert(0, str(HERE))


def language_2_units(n: int) -> list[dict[str, Any]]:
    """``n`` units of the language-2 rubric: its worked examples (every clause kind it has), renamed, in turn."""
    import yaml

    examples = yaml.safe_load((LANGUAGE_2.with_suffix("").with_suffix(".examples.yaml")).read_text(encoding="utf-8"))
    found = [{"unit": u["unit"], "findings": u["findings"]} for u in examples]
    return [{"unit": f"{found[k % len(found)]['unit']}-{k:06d}", "findings": found[k % len(found)]["findings"]} for k in range(n)]


def run(sizes: dict[str, Any], timed_passes: Callable[..., dict[str, list[float]]], ratio_line: Callable[..., None],
        context: Callable[[str], None], failures: list[str]) -> None:
    from baseline import score as baseline_score
    from units import units as make_units

    import qlrules
    from qlrules.render.json import dumps, report_json
    from qlrules.scoring.plan import Trace

    seed = qlrules.load_rubric()
    units = list(make_units(sizes["units"]))
    per, passes = len(units), sizes["passes"]
    print(f"\n7. the scoring hot path and the outputs ({per} units, {passes} passes)")
    fast_share = sum(isinstance(seed.score(u)._trace, Trace) for u in units) / per
    context(f"seed rubric: {fast_share:.0%} of the units take the hot path (the others: the straightforward path)")
    t = timed_passes({
        "baseline": lambda: [baseline_score(u) for u in units],
        "score": lambda: [seed.score(u) for u in units],
        "straightforward": lambda: [seed.score(u, _straightforward=True) for u in units],
        "json": lambda: [report_json(seed.score(u)) for u in units],
        "dumps": lambda: [dumps(seed.score(u).to_dict()) for u in units],
    }, passes, per)
    base = statistics.median(t["baseline"])
    ratio_line("hot path vs straightforward path, seed", t["score"], t["straightforward"], "< 1× (faster)",
               statistics.median(t["score"]) < statistics.median(t["straightforward"]))
    context("timed: rubric.score(unit) for each unit, against rubric.score(unit, _straightforward=True)")
    ratio_line("score + JSON text (fragments) vs baseline", t["json"], t["baseline"], "≤ 2×", statistics.median(t["json"]) <= 2 * base)
    context("timed: report_json(rubric.score(unit)), against the hand-written Decimal scorer (baseline.py)")
    ratio_line("score + JSON from fragments vs dumps(to_dict())", t["json"], t["dumps"], "< 1× (faster)",
               statistics.median(t["json"]) < statistics.median(t["dumps"]))
    context("timed: report_json(rubric.score(unit)), against dumps(rubric.score(unit).to_dict())")

    l2 = qlrules.load_rubric(LANGUAGE_2)
    l2_units = language_2_units(per)
    share = sum(isinstance(l2.score(u)._trace, Trace) for u in l2_units) / per
    context(f"language-2 rubric {LANGUAGE_2.name}: its worked examples in turn; {share:.0%} take the hot path "
            "(a veto, a level, a measure or an earned item takes the straightforward path)")
    t = timed_passes({
        "score": lambda: [l2.score(u) for u in l2_units],
        "straightforward": lambda: [l2.score(u, _straightforward=True) for u in l2_units],
    }, passes, per)
    ratio_line(f"hot path vs straightforward path, {LANGUAGE_2.stem}", t["score"], t["straightforward"], "< 1× (faster)",
               statistics.median(t["score"]) < statistics.median(t["straightforward"]))
    context(f"timed: rubric.score(unit) on {LANGUAGE_2.name}, against rubric.score(unit, _straightforward=True)")
    batches(sizes, context, failures)


def _command() -> list[str]:
    script = Path(sys.executable).parent / "qlrules"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qlrules"]


def batches(sizes: dict[str, Any], context: Callable[[str], None], failures: list[str]) -> None:
    """`qlrules score BATCH --format json` as a whole process, per input format, two sizes, and --jobs 2."""
    import json

    import yaml
    from units import units as make_units

    small, large = sizes["batch"]
    print(f"\n8. batch to JSON through `qlrules score`, whole process ({small:,} and {large:,} units, one run each)")
    units = list(make_units(large))
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-batch-") as folder:
        made = {}
        for n in (small, large):
            part = units[:n]
            made["jsonl", n] = Path(folder, f"b{n}.jsonl")
            made["jsonl", n].write_text("".join(json.dumps(u, ensure_ascii=False, default=str) + "\n" for u in part), encoding="utf-8")
            made["json", n] = Path(folder, f"b{n}.json")
            made["json", n].write_text(json.dumps({"units": part}, ensure_ascii=False, default=str), encoding="utf-8")
            made["yaml", n] = Path(folder, f"b{n}.yaml")
            made["yaml", n].write_text(yaml.safe_dump({"units": json.loads(json.dumps(part, default=str))}, allow_unicode=True),
                                       encoding="utf-8")
        env = dict(os.environ)
        out = Path(folder, "out.json")
        seconds: dict[tuple[str, int, int], float] = {}
        for (fmt, n), path in made.items():
            for jobs in ((1, 2) if fmt == "jsonl" and n == large else (1,)):
                command = [*_command(), "score", str(path), "--format", "json", "-o", str(out), "--jobs", str(jobs)]
                start = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, check=False)
                seconds[fmt, n, jobs] = time.perf_counter() - start
                if done.returncode != 0:
                    failures.append(f"qlrules score {path.name} failed")
                    print(f"    ! {' '.join(command)} failed: {done.stderr.decode(errors='replace')[:300]}")
        for fmt in ("jsonl", "json", "yaml"):
            a, b = seconds[fmt, small, 1], seconds[fmt, large, 1]
            rate = large / b
            growth = (b / large) / (a / small)
            print(f"batch to JSON, {fmt} input: {rate:,.0f} units/s at {large:,} ({small:,}: {small / a:,.0f}/s; "
                  f"per unit ×{growth:.2f} from {small:,} to {large:,}) — target ≥ 10,000 units/s, linear — "
                  f"{'MET' if rate >= 10_000 and growth < 1.3 else 'NOT MET'}")
            context(f"timed: qlrules score b{large}.{fmt} --format json -o OUT, a whole process (also b{small}.{fmt})")
        one, two = seconds["jsonl", large, 1], seconds["jsonl", large, 2]
        print(f"batch --jobs 2 vs one process, jsonl {large:,} units: {two / one:.2f}× ({two:.2f} s vs {one:.2f} s) — "
              f"target < 1× — {'MET' if two < one else 'NOT MET'}")
        context(f"timed: qlrules score b{large}.jsonl --format json -o OUT --jobs 2, against --jobs 1")
        context("each figure is a whole process: start-up (import, rubric from the cache) included; command: "
                "qlrules score FILE --format json -o OUT [--jobs 2]")


if __name__ == "__main__":
    import run as runner

    sizes = runner.QUICK if "--quick" in sys.argv else runner.FULL
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cache-") as cache:
        os.environ["QLRULES_CACHE_DIR"] = cache
        os.environ["QLRULES_LANG"] = "en"
        runner.machine()
        run(sizes, runner.timed_passes, runner.ratio_line, runner.context, runner.failures)
    sys.exit(1 if runner.failures else 0)

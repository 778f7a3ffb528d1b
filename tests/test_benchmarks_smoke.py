"""A smoke run of the benchmarks (benchmarks/run.py --quick): it runs, and prints every target.

The full run (`make bench`) is not part of the tests: timings on CI machines are noise. This
only checks that the runner works end to end: the baseline and any installed peer engine
agree with qlrules on the totals (the runner exits 1 otherwise), and each target of issues 6 and 13
is printed with its verdict. Peer engines that are not installed are reported as skipped.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

TARGETS = (
    "score one unit vs baseline: ",
    "score + to_dict vs baseline: ",
    "batch vs single unit, per unit: ",
    "zen-engine vs qlrules, per unit: ",
    "rule-engine vs qlrules, per unit: ",
    "cold `qlrules score`, YAML unit, seed rubric, vs `python -c pass`: ",
    "cold `qlrules score`, JSON unit, seed rubric, vs `python -c pass`: ",
    "cold `qlrules score`, YAML unit, language-2 rubric, vs `python -c pass`: ",
    "compile bundled rubric, warm: ",
    "load_rubric() from the cache, bundled rubric: ",
    "compile language-2 rubric, warm: ",
    "load_rubric() from the cache, language-2 rubric: ",
    "diff --findings, time per unit from 30 to 40 vs from 20 to 30 units: ",
    "diff --findings, peak RSS at 40 vs 20 units: ",
    "streaming 2,000 vs 1,000 units, peak RSS: ",
    "hot path vs straightforward path, seed: ",
    "score + JSON text (fragments) vs baseline: ",
    "score + JSON from fragments vs dumps(to_dict()): ",
    "hot path vs straightforward path, guoqi-dflz: ",
    "batch to JSON, jsonl input: ",
    "batch to JSON, json input: ",
    "batch to JSON, yaml input: ",
    "batch --jobs 2 vs one process, jsonl 200 units: ",
)


def test_quick_benchmark_run_prints_every_target() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for header in ("machine: nproc ", "python: ", "versions: qlrules "):
        assert any(line.startswith(header) for line in lines), f"no {header!r} line\n{done.stdout}"
    for target in TARGETS:
        found = [line for line in lines if line.startswith(target)]
        assert len(found) == 1, f"expected one line starting {target!r}\n{done.stdout}"
        line = found[0]
        skipped_peer = "engine vs qlrules" in target and " skipped — " in line
        assert skipped_peer or re.search(r" — target .+ — (NOT )?MET\b", line), line
        if not skipped_peer:  # then what was timed
            following = lines[lines.index(line) + 1]
            assert following.startswith("    · timed: "), f"{line}\n{following}"

"""The benchmarks of issues 6 and 13: every target as a ratio measured in this run.

    python benchmarks/run.py            # the full run (make bench), several minutes
    python benchmarks/run.py --quick    # a smoke run: small sizes, few repetitions
    python benchmarks/run.py --only 3,4 # some sections only (their numbers)

A run is the sections of `SECTIONS`, in order; a section prints a heading, then
one line per target (`ratio_line` or `value_line`: the figure, the median, min and
max, the target and MET / NOT MET), with `context` lines under it (``·``), the
first of which says what was timed (`command`). Adding a target is one call of
`ratio_line` or `value_line` in the section it belongs to; adding a section is a
function taking the sizes, added to `SECTIONS` (its sizes in `FULL` and `QUICK`).

Each timed figure is the per-unit (or per-call) cost of one pass, repeated;
lines give the median and the min and max over the passes. Things compared
with each other are timed in the same passes, interleaved, so a busy machine
slows both. Before anything is timed, the baseline and the peers must give
qlrules' total on every unit they are timed on; a disagreement is reported
and makes the run exit 1. Targets not met are reported, not failed on.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUBRIC_FILE = ROOT / "rubrics" / "qinglian-jiguan.qlr"
EXAMPLE = ROOT / "examples" / "unit.yaml"
#: The language-2 rubric measured beside the seed, and its worked examples (units with `expect:`).
LANGUAGE_2 = ROOT / "examples" / "rubrics" / "guoqi-dflz.qlr"
LANGUAGE_2_EXAMPLES = ROOT / "examples" / "rubrics" / "guoqi-dflz.examples.yaml"
sys.path.insert(0, str(HERE))

# Sizes: (units per pass, passes) for the scorers; subprocess runs; streamed units; diffed units.
FULL = {"units": 500, "passes": 15, "peer_units": 200, "peer_passes": 7, "cli_runs": 30,
        "compiles": 30, "loads": 300, "stream": (10_000, 100_000), "diff": (1_000, 5_000),
        "diff_runs": 3, "batch": (2_000, 10_000)}
QUICK = {"units": 100, "passes": 3, "peer_units": 30, "peer_passes": 3, "cli_runs": 3,
         "compiles": 3, "loads": 20, "stream": (1_000, 2_000), "diff": (20, 40),
         "diff_runs": 1, "batch": (100, 200)}
FLAT_MB = 4.0  # "flat": the larger batch's peak RSS within this many MB of the smaller's

failures: list[str] = []


# -- output -------------------------------------------------------------------------------------------------


def us(seconds: float) -> str:
    """A per-unit time in µs (or ms), three significant figures."""
    micro = seconds * 1e6
    if micro >= 10_000:
        return f"{micro / 1000:.1f} ms"
    return f"{micro:.3g} µs" if micro < 100 else f"{micro:.0f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.2f} s"


def times(label: str, values: list[float], fmt: Callable[[float], str] = us) -> str:
    return f"{label}median {fmt(statistics.median(values))}, min {fmt(min(values))}, max {fmt(max(values))}"


def ratio_text(r: float) -> str:
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


def ratio_line(label: str, a: list[float], b: list[float], target: str, met: bool, fmt: Callable[[float], str] = us,
               note: str = "") -> None:
    """``label: A/B× (median a vs b; min … max …) — target … — MET``."""
    r = statistics.median(a) / statistics.median(b)
    spread = f"min {fmt(min(a))} vs {fmt(min(b))}; max {fmt(max(a))} vs {fmt(max(b))}"
    print(f"{label}: {ratio_text(r)} (median {fmt(statistics.median(a))} vs {fmt(statistics.median(b))}; {spread})"
          f" — target {target} — {verdict(met)}{note}")


def context(text: str) -> None:
    print(f"    · {text}")


def command(what: str) -> None:
    """The first context line of a target: what exactly was timed."""
    context(f"timed: {what}")


def value_line(label: str, values: list[float], target: str, met: bool, fmt: Callable[[float], str] = ms,
               note: str = "") -> None:
    """``label: median (median …, min …, max …) — target … — MET`` for a figure that is not a ratio."""
    print(f"{label}: {fmt(statistics.median(values))} ({times('', values, fmt)}) — target {target} — "
          f"{verdict(met)}{note}")


# -- timing -------------------------------------------------------------------------------------------------


def timed_passes(functions: dict[str, Callable[[], Any]], passes: int, per: int) -> dict[str, list[float]]:
    """Run each function ``passes`` times, interleaved (rotating who goes first); seconds per item."""
    names = list(functions)
    result: dict[str, list[float]] = {n: [] for n in names}
    for n in names:  # warm up: caches, lazy imports, branch predictors
        functions[n]()
    for p in range(passes):
        order = names[p % len(names):] + names[:p % len(names)]
        for n in order:
            gc.collect()
            start = time.perf_counter()
            functions[n]()
            result[n].append((time.perf_counter() - start) / per)
    return result


def over(units: list[dict[str, Any]], score: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
    def run() -> None:
        for unit in units:
            score(unit)
    return run


def check_totals(name: str, units: list[dict[str, Any]], expected: list[Decimal],
                 score: Callable[[dict[str, Any]], Decimal]) -> bool:
    wrong = []
    for unit, want in zip(units, expected):
        got = score(unit)
        if got != want:
            wrong.append((unit["unit"], want, got))
    if wrong:
        first = wrong[0]
        print(f"    ! {name} DISAGREES with qlrules on {len(wrong)} of {len(units)} units "
              f"(first: {first[0]}: qlrules {first[1]}, {name} {first[2]})")
        failures.append(f"{name} disagrees with qlrules")
        return False
    context(f"{name} agrees with qlrules on the totals of all {len(units)} units")
    return True


# -- the machine ----------------------------------------------------------------------------------------------


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> None:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    loads = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    load = loads[0]
    print(f"machine: nproc {cores}, CPU {model}, {platform.system()} {platform.machine()}, load average {load:.2f} "
          f"(5 min {loads[1]:.2f}, 15 min {loads[2]:.2f})")
    print(f"python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    import qlrules

    here = Path(qlrules.__file__).parent
    print(f"versions: qlrules {qlrules.__version__} (from {here}), "
          + ", ".join(f"{p} {version(p)}" for p in ("lark", "attrs", "zen-engine", "rule-engine")))
    if cores and load > cores * 0.5:
        print(f"    ! the machine is busy (load {load:.1f} on {cores} cores): absolute times are inflated; "
              "ratios are measured in the same interleaved passes")


# -- 1 and 2: scoring in process ---------------------------------------------------------------------------------


def scoring(sizes: dict[str, Any]) -> None:
    from baseline import score as baseline_score
    from peers import MISSING, PEERS
    from units import units as make_units

    import qlrules

    rubric = qlrules.load_rubric()
    units = list(make_units(sizes["units"]))
    per, passes = len(units), sizes["passes"]
    print(f"\n1. scoring one unit ({per} units of {statistics.mean(len(u['findings']) for u in units):.1f} findings "
          f"on average, {passes} passes)")
    expected = [rubric.score(u).total for u in units]
    agreed = check_totals("baseline", units, expected, lambda u: baseline_score(u)[0])
    if agreed:
        from qlrules.render.fragments import outcome_json
        from qlrules.scoring import kernel

        plan = rubric._plan.kernel
        t = timed_passes({
            "kernel": over(units, lambda u: kernel.score(plan, u)),
            "kernel_json": over(units, lambda u: outcome_json(plan, kernel.score(plan, u))),
            "baseline": over(units, baseline_score),
            "score": over(units, rubric.score),
            "to_dict": over(units, lambda u: rubric.score(u).to_dict()),
            "batch": lambda: list(rubric.score_many(units)),
            "streamed": lambda: [None for _report in rubric.score_many(units)],
        }, passes, per)
        ratio_line("score one unit vs baseline", t["score"], t["baseline"], "≤ 2×",
                   statistics.median(t["score"]) <= 2 * statistics.median(t["baseline"]))
        command("rubric.score(unit) vs baseline.score(unit), per unit")
        ratio_line("score + to_dict vs baseline", t["to_dict"], t["baseline"], "≤ 2×",
                   statistics.median(t["to_dict"]) <= 2 * statistics.median(t["baseline"]))
        command("rubric.score(unit).to_dict() vs baseline.score(unit), per unit")
        batch, single = statistics.median(t["batch"]), statistics.median(t["score"])
        overlap = min(t["batch"]) <= max(t["score"]) and min(t["score"]) <= max(t["batch"])
        ratio_line("batch vs single unit, per unit", t["batch"], t["score"], "≤ 1× (batch at least as fast)",
                   batch <= single, note=" (within the run-to-run spread)" if batch > single and overlap else "")
        command("list(rubric.score_many(units)) vs the rubric.score loop, per unit")
        context(times("score_many with each report dropped as it comes (not kept in a list): ", t["streamed"]))
        base = statistics.median(t["baseline"])
        context(times(f"the kernel alone, no report object (`qlrules.scoring.kernel.score`: what `qlrules score FILE --format json` "
                      f"runs): {ratio_text(statistics.median(t['kernel']) / base)} baseline; ", t["kernel"]))
        context(times(f"the kernel and its JSON report (`outcome_json`): {ratio_text(statistics.median(t['kernel_json']) / base)} "
                      "baseline; ", t["kernel_json"]))
        context(f"units per second: qlrules {1 / single:,.0f}, batch {1 / batch:,.0f}, "
                f"baseline {1 / statistics.median(t['baseline']):,.0f}")
    else:
        for label in ("score one unit vs baseline", "score + to_dict vs baseline", "batch vs single unit, per unit"):
            print(f"{label}: not timed — the baseline disagrees with qlrules")

    peer_units = units[:sizes["peer_units"]]
    print(f"\n2. peer engines ({len(peer_units)} units, {sizes['peer_passes']} passes)")
    for name, target in (("zen-engine", 10), ("rule-engine", 10)):
        label = f"{name} vs qlrules, per unit"
        peer = PEERS[name]
        if peer is None:
            print(f"{label}: skipped — {name} {MISSING.get(name, 'unavailable')}; "
                  "`make bench` installs it (pip install -e '.[bench]')")
            continue
        if not check_totals(name, units, expected, peer):
            print(f"{label}: not timed — {name} disagrees with qlrules")
            continue
        t = timed_passes({"peer": over(peer_units, peer), "qlrules": over(peer_units, rubric.score)},
                         sizes["peer_passes"], len(peer_units))
        r = statistics.median(t["peer"]) / statistics.median(t["qlrules"])
        spread = (f"min {us(min(t['peer']))} vs {us(min(t['qlrules']))}; "
                  f"max {us(max(t['peer']))} vs {us(max(t['qlrules']))}")
        print(f"{label}: qlrules {ratio_text(r)} faster (median {us(statistics.median(t['peer']))} vs "
              f"{us(statistics.median(t['qlrules']))}; {spread}) — target ≥ {target}× faster — {verdict(r >= target)}")
        command(f"the {name} peer (benchmarks/peers.py) vs rubric.score(unit), per unit")


# -- 3: the command line, whole process ----------------------------------------------------------------------------

#: Modules a one-unit `qlrules score` should not need; the run says which it imports.
HEAVY = ("lark", "openpyxl", "rich", "babel", "sphinx", "jieba", "platformdirs", "yaml", "simplejson", "tempfile",
         "concurrent.futures", "shutil", "difflib", "attrs", "qlrules.model", "click")


def qlrules_command() -> list[str]:
    script = Path(sys.executable).parent / "qlrules"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qlrules"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, done


def installed_env(cache: str, pycache: str) -> dict[str, str]:
    """The environment of a command measured as installed: bytecode written once, then read.

    A wheel's installer compiles every module; a checkout run with PYTHONDONTWRITEBYTECODE
    would compile them on each start instead. The bytecode goes to a temporary
    PYTHONPYCACHEPREFIX, filled by the warm-up runs, so neither the checkout nor the
    interpreter's own folders are written.
    """
    env = dict(os.environ, QLRULES_CACHE_DIR=cache, QLRULES_LANG="en", PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Each command ``runs`` times, taking turns (rotating who goes first): wall seconds of each run."""
    names = list(commands)
    t: dict[str, list[float]] = {n: [] for n in names}
    for n in range(runs):
        for name in names[n % len(names):] + names[:n % len(names)]:
            t[name].append(run_once(commands[name], env)[0])
    return t


def import_profile(command: list[str], env: dict[str, str], top: int = 6) -> str:
    """The modules that take longest to import in ``command`` (`python -X importtime`), by their own time."""
    probe = [sys.executable, "-X", "importtime", *command[1:]] if command[0] == sys.executable else \
        [sys.executable, "-X", "importtime", "-c", "import sys; from qlrules.command import main; sys.argv[0] = 'qlrules'; main()",
         *command[1:]]
    done = subprocess.run(probe, env=env, capture_output=True, check=False)
    own: list[tuple[int, str]] = []
    for line in done.stderr.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.split("|")
            try:
                own.append((int(parts[0].split(":")[1]), parts[2].strip()))
            except ValueError:
                continue
    own.sort(reverse=True)
    return ", ".join(f"{name} {micro / 1000:.1f}" for micro, name in own[:top]) + " (ms, own time)"


def modules_imported(arguments: list[str], env: dict[str, str]) -> str:
    probe = (
        "import contextlib, io, sys\nfrom qlrules.command import main\n"
        f"sys.argv = ['qlrules', *{arguments!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, check=False)
    loaded = done.stderr.decode(errors="replace").strip().splitlines()
    return loaded[-1] if loaded and loaded[-1].strip() else "none of them"


def command_line(sizes: dict[str, Any]) -> None:
    import yaml

    import qlrules

    runs = sizes["cli_runs"]
    print(f"\n3. cold `qlrules score UNIT --format json`, whole process vs `python -c pass` ({runs} runs each, "
          "interleaved; bytecode as installed)")
    python = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cli-") as folder:
        env = installed_env(str(Path(folder) / "cache"), str(Path(folder) / "pycache"))
        unit_json = Path(folder) / "unit.json"
        unit_json.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), ensure_ascii=False),
                             encoding="utf-8")
        example = dict(yaml.safe_load(LANGUAGE_2_EXAMPLES.read_text(encoding="utf-8"))[0])
        example.pop("expect", None)
        unit_l2 = Path(folder) / "unit-l2.yaml"
        unit_l2.write_text(yaml.safe_dump(example, allow_unicode=True, sort_keys=False), encoding="utf-8")
        cases = [  # label, arguments, target ratio, the rubric and unit file the library checks the total with
            ("YAML unit, seed rubric", ["score", str(EXAMPLE), "--format", "json"], 4.0, None, EXAMPLE),
            ("JSON unit, seed rubric", ["score", str(unit_json), "--format", "json"], 3.0, None, unit_json),
            ("YAML unit, language-2 rubric", ["score", str(unit_l2), "--rubric", str(LANGUAGE_2), "--format", "json"],
             4.0, LANGUAGE_2, unit_l2),
        ]
        commands: dict[str, list[str]] = {"python": python}
        for label, arguments, _target, rubric_file, unit_file in cases:
            score = [*qlrules_command(), *arguments]
            first, done = run_once(score, env)  # fills the rubric cache and the bytecode
            if done.returncode != 0:
                print(f"cold `qlrules score`, {label}, vs `python -c pass`: not timed — the command failed "
                      f"(exit {done.returncode}): {done.stderr.decode(errors='replace').strip()[:300]}")
                failures.append("qlrules score failed")
                continue
            rubric = qlrules.load_rubric(rubric_file)
            want = rubric.score(qlrules.parse_document(unit_file.read_bytes(), str(unit_file))).total
            got = Decimal(str(json.loads(done.stdout, parse_float=Decimal)["total"]))
            if got != want:
                print(f"    ! `qlrules score` printed total {got}, the library gives {want}")
                failures.append("qlrules score total")
            commands[label] = score
        for warm in commands.values():
            run_once(warm, env)
        light = {"import qlrules": [sys.executable, "-c", "import qlrules"],
                 "import attrs": [sys.executable, "-c", "import attrs"],
                 "import qlrules.model": [sys.executable, "-c", "import qlrules.model"]}
        t = interleaved({**commands, **light}, env, runs)
        for label, arguments, target, _rubric, _unit in cases:
            if label not in t:
                continue
            ratio = statistics.median(t[label]) / statistics.median(t["python"])
            ratio_line(f"cold `qlrules score`, {label}, vs `python -c pass`", t[label], t["python"], f"≤ {target:g}×",
                       ratio <= target, fmt=ms)
            command(" ".join(["qlrules", *arguments]).replace(folder, "$TMP").replace(str(ROOT) + "/", ""))
            if label.startswith("YAML unit, seed") or label.startswith("JSON"):
                context("of " + ", ".join(HEAVY) + ", it imports: " + modules_imported(arguments, env))
                context("slowest imports: " + import_profile([*qlrules_command(), *arguments], env))
        for label in light:
            context(times(f"`python -c '{label}'`: {ratio_text(statistics.median(t[label]) / statistics.median(t['python']))} "
                          "`python -c pass`; ", t[label], ms))


# -- 4: compiling and loading the rubric ------------------------------------------------------------------------------

COMPILE_CHILD = """
import json, pickle, statistics, sys, time
t0 = time.perf_counter()
import qlrules
imported = time.perf_counter() - t0
path, source, compiles, loads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(path, "rb").read()
t0 = time.perf_counter()
rubric = qlrules.compile_rubric(data, source)
first = time.perf_counter() - t0
warm = []
for _ in range(compiles):
    t0 = time.perf_counter()
    qlrules.compile_rubric(data, source)
    warm.append(time.perf_counter() - t0)

# Where a compile goes: Lark (the compiling parser; the one that works out positions, for scale),
# the methods that turn the tree, the model and its checks.
from qlrules.language import build, parse
from qlrules.language.validate import validate
text = data.decode("utf-8-sig")
lark, keywords = parse.compiling_parser()
stages = {"lark": [], "lark_with_positions": [], "lex": [], "turn": [], "model": []}
for _ in range(compiles):
    t0 = time.perf_counter(); tree = lark.parse(text); t1 = time.perf_counter()
    parse.parser().parse(text); t2 = time.perf_counter()
    list(lark.lex(text)); t3 = time.perf_counter()
    builder = build._Builder(source, text.splitlines())
    parts = build._ToParts(builder.report).transform_with_keywords(tree, keywords); t4 = time.perf_counter()
    validate(builder.rubric(parts, ""), builder.report); t5 = time.perf_counter()
    for key, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
        stages[key].append(seconds)

qlrules.load_rubric(path)  # compiles (or loads) and stores it in the cache
cached = []
for _ in range(loads):
    t0 = time.perf_counter()
    qlrules.load_rubric(path)
    cached.append(time.perf_counter() - t0)
from qlrules.language import cache, serialize
entry = cache._entry(data, path).read_bytes()
content = entry[entry.find(b"\\n") + 1:]
decode, parse_json = [], []
for _ in range(loads):
    t0 = time.perf_counter(); json.loads(content); t1 = time.perf_counter()
    serialize.from_data(content); t2 = time.perf_counter()
    parse_json.append(t1 - t0); decode.append(t2 - t1)
plan_loads = []  # what `qlrules score FILE --format json` reads: the scoring plan alone
for _ in range(loads):
    t0 = time.perf_counter()
    plan = cache.load_plan(data, path)
    plan_loads.append(time.perf_counter() - t0)
assert plan is not None or not rubric._plan.usable
plan_bytes = cache._entry(data, path).with_suffix(cache.PLAN_SUFFIX).stat().st_size if plan is not None else 0
blob = pickle.dumps(rubric, pickle.HIGHEST_PROTOCOL)
unpickle = []
for _ in range(loads):
    t0 = time.perf_counter()
    pickle.loads(blob)
    unpickle.append(time.perf_counter() - t0)
print(json.dumps({"imported": imported, "first": first, "warm": warm, "cached": cached, "unpickle": unpickle,
                  "plan_loads": plan_loads, "plan_bytes": plan_bytes,
                  "json": parse_json, "from_data": decode, "entry_bytes": len(entry), "stages": stages}))
"""


def compiling(sizes: dict[str, Any]) -> None:
    print(f"\n4. compiling and loading a rubric (a fresh process each; {sizes['compiles']} compiles, "
          f"{sizes['loads']} loads)")
    for name, path, source in (("bundled rubric", RUBRIC_FILE, "rubrics/qinglian-jiguan.qlr"),
                               ("language-2 rubric", LANGUAGE_2, str(LANGUAGE_2.relative_to(ROOT)))):
        with tempfile.TemporaryDirectory(prefix="qlrules-bench-compile-") as cache:
            env = dict(os.environ, QLRULES_CACHE_DIR=cache)
            done = subprocess.run([sys.executable, "-c", COMPILE_CHILD, str(path), source, str(sizes["compiles"]),
                                   str(sizes["loads"])], env=env, capture_output=True, check=False)
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()[-500:]
            for label in (f"compile {name}, warm", f"load_rubric() from the cache, {name}"):
                print(f"{label}: not measured — the measuring process failed: {message}")
            failures.append("compile child failed")
            continue
        r = json.loads(done.stdout)
        warm, cached = statistics.median(r["warm"]), statistics.median(r["cached"])
        value_line(f"compile {name}, warm", r["warm"], "≤ 8 ms", warm <= 0.008)
        command(f"qlrules.compile_rubric(bytes of {source}), after a first compile")
        stages = {k: statistics.median(v) for k, v in r["stages"].items()}
        context(f"of which: Lark {ms(stages['lark'])} (its lexer alone {ms(stages['lex'])}; the parser that works out "
                f"positions, for scale: {ms(stages['lark_with_positions'])}), turning the tree {ms(stages['turn'])}, "
                f"model and checks {ms(stages['model'])}")
        value_line(f"load_rubric() from the cache, {name}", r["cached"], "≤ 1 ms", cached <= 0.001)
        command(f"qlrules.load_rubric({source!r}) with its entry in the cache ({r['entry_bytes']:,} bytes)")
        context(f"of which: json.loads {ms(statistics.median(r['json']))}, the checked model built from it "
                f"{ms(statistics.median(r['from_data']))} (in all, "
                f"{ms(statistics.median(r['json']) + statistics.median(r['from_data']))}); pickle.loads of the "
                f"same rubric, for scale: {ms(statistics.median(r['unpickle']))}")
        if r["plan_bytes"]:
            plan = statistics.median(r["plan_loads"])
            value_line(f"the scoring plan from the cache, {name}", r["plan_loads"], "≤ 1 ms", plan <= 0.001)
            command(f"qlrules.language.cache.load_plan(bytes of {source}) ({r['plan_bytes']:,} bytes): all that "
                    "`qlrules score FILE --format json` reads from the cache (no model is built)")
        context(f"in that fresh process: `import qlrules` {ms(r['imported'])}, first compile (imports Lark, "
                f"builds the parser) {ms(r['first'])}")


# -- 4b: diff --findings ----------------------------------------------------------------------------------------------


def diffing(sizes: dict[str, Any]) -> None:
    import yaml
    from units import units as make_units

    small, large = sizes["diff"]
    middle = (small + large) // 2
    print(f"\n5. `qlrules diff OLD NEW --findings UNITS.yaml --format json`, whole process "
          f"({small:,}, {middle:,} and {large:,} units, {sizes['diff_runs']} run(s) each)")
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-diff-") as folder:
        edited = Path(folder) / "edited.qlr"
        text = RUBRIC_FILE.read_text(encoding="utf-8")
        edited.write_text(text.replace('每项扣0.5分" each 项 −0.5 of 3', '每项扣1分" each 项 −1 of 3', 1)
                          .replace('受重处分每人次扣2分" each 人次 −2', '受重处分每人次扣3分" each 人次 −3', 1),
                          encoding="utf-8")
        every = list(make_units(large))
        env = dict(os.environ)
        counts = (small, middle, large)
        for count in counts:
            with (Path(folder) / f"units-{count}.yaml").open("w", encoding="utf-8") as out:
                out.write("units:\n")
                for unit in every[:count]:
                    dumped = yaml.safe_dump([unit], allow_unicode=True, default_flow_style=None, sort_keys=False)
                    out.write("".join("  " + line + "\n" for line in dumped.splitlines()))
        runs = sizes["diff_runs"]
        measured: dict[int, list[tuple[int, float]]] = {n: [] for n in counts}
        for run in range(runs):  # the sizes take turns, so a busy spell slows each alike
            for count in counts[run % 3:] + counts[:run % 3]:
                arguments = ["diff", str(RUBRIC_FILE), str(edited), "--findings", str(Path(folder) / f"units-{count}.yaml"),
                             "--format", "json", "-o", str(Path(folder) / "diff.json")]
                status, seconds, peak, _out, err = peak_of([*qlrules_command(), *arguments], env)
                if status != 0:
                    print(f"diff --findings: not measured — the command failed: {err.decode(errors='replace')[-300:]}")
                    failures.append("qlrules diff failed")
                    return
                measured[count].append((peak, seconds))

        def median_of(count: int) -> tuple[int, float, int]:
            peaks, seconds = zip(*measured[count])
            return int(statistics.median(peaks)), statistics.median(seconds), (Path(folder) / f"units-{count}.yaml").stat().st_size

        (peak_a, sec_a, size_a), (_peak, sec_m, _size), (peak_b, sec_b, size_b) = (median_of(n) for n in counts)
        # Each run pays the start (loading both rubrics) once: what a unit costs is the difference between runs.
        first_half = max((sec_m - sec_a) / (middle - small), 1e-9)
        second_half = max((sec_b - sec_m) / (large - middle), 1e-9)
        ratio_line(f"diff --findings, time per unit from {middle:,} to {large:,} vs from {small:,} to {middle:,} units",
                   [second_half], [first_half], "≤ 1.25× (linear in the batch)", second_half <= 1.25 * first_half)
        command(f"qlrules diff rubrics/qinglian-jiguan.qlr EDITED --findings units-N.yaml --format json -o diff.json "
                f"(two rates changed); medians of {runs} run(s) each: {large:,} units in {sec_b:.1f} s, {middle:,} in "
                f"{sec_m:.1f} s, {small:,} in {sec_a:.1f} s")
        context(f"throughput {1 / second_half:,.0f} units/s (each unit is read once from the YAML events, checked once "
                "where both rubrics check its findings alike, and scored twice; the issue's figure before streaming: "
                "5,000 units in 4.7 s, i.e. 1,060 units/s)")
        grew = (peak_b - peak_a) / 1024
        per_unit = (peak_b - peak_a) * 1024 / (large - small)
        text_per_unit = 2 * (size_b - size_a) / (large - small)  # the input's text, held as a str
        print(f"diff --findings, peak RSS at {large:,} vs {small:,} units: {peak_b / 1024:.1f} MB vs {peak_a / 1024:.1f} MB "
              f"({grew:+.1f} MB, {per_unit / 1024:.2f} KB a unit) — target flat (≤ 1 KB a unit beyond the input's "
              f"own text, {text_per_unit / 1024:.1f} KB) — {verdict(per_unit <= 1024 + text_per_unit)}")
        command("the same runs, peak RSS of the process (ru_maxrss, through the launcher)")
        context(f"the findings file: {size_b / 1e6:.1f} MB at {large:,} units; its text is held while its units are "
                "built from the YAML events (a str: up to 2 bytes a byte of input); no report is kept")


# -- 6: streaming ----------------------------------------------------------------------------------------------------
# -- 6: streaming ----------------------------------------------------------------------------------------------------

STREAM_CHILD = """
import json, resource, sys, time
import qlrules

def hwm_kb():
    # Peak RSS of this process image (Linux), for a cross-check of ru_maxrss.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None

rubric = qlrules.load_rubric()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def read(path, limit):
    with open(path, encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n == limit:
                return
            yield json.loads(line)

t0 = time.perf_counter()
count, total, names = 0, 0, 0
for report in rubric.score_many(read(sys.argv[1], int(sys.argv[2]))):
    count += 1
    total += report.total
    names += sys.getsizeof(report.unit)
seconds = time.perf_counter() - t0
peak, hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm_kb()
# What score_many keeps to refuse a name given twice: the names, and a set's table for that many.
kept = names + sys.getsizeof(set(range(count)))
print(json.dumps({"units": count, "seconds": seconds, "before_kb": before, "total": str(total),
                  "peak_kb": peak, "hwm_kb": hwm, "names_bytes": kept}))
"""

# ru_maxrss of a process started by fork (or vfork) + exec starts from the RSS of the process
# that forked it (Linux keeps the high-water mark across exec), so a child of this runner, which
# holds the benchmark units and the peer engines, would report the runner's size. Children whose
# peak is measured are therefore started by this small launcher, whose own RSS is below theirs;
# it reports their ru_maxrss (RUSAGE_CHILDREN) on its last line of stderr.
LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:])
print("maxrss_kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def peak_of(command: list[str], env: dict[str, str], stdout: Any = subprocess.PIPE) -> tuple[int, float, int, bytes, bytes]:
    """Run ``command`` through the launcher: exit status, wall time, peak RSS (KB) and output."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], env=env, stdout=stdout,
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    peak = int(lines[-1].split()[1]) if lines and lines[-1].startswith("maxrss_kb ") else 0
    return done.returncode, seconds, peak, done.stdout or b"", "\n".join(lines[:-1]).encode()


def streaming(sizes: dict[str, Any]) -> None:
    from units import write_jsonl

    small, large = sizes["stream"]
    print(f"\n6. streaming: rubric.score_many over a JSON Lines file read line by line ({small:,} and {large:,} units, "
          "one process each)")
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-stream-") as folder:
        path = Path(folder) / f"units-{large}.jsonl"
        start = time.perf_counter()
        write_jsonl(path, large)
        context(f"wrote {path.stat().st_size / 1e6:.1f} MB of units in {ms(time.perf_counter() - start)}")
        env = dict(os.environ)
        results = {}
        for count in (small, large):
            status, _seconds, _peak, out, err = peak_of([sys.executable, "-c", STREAM_CHILD, str(path), str(count)], env)
            if status != 0:
                print(f"streaming {large:,} vs {small:,} units, peak RSS: not measured — the process failed: "
                      f"{err.decode(errors='replace').strip()[-400:]}")
                failures.append("stream child failed")
                return
            results[count] = json.loads(out)
            if results[count]["units"] != count:
                failures.append("stream child scored the wrong number of units")
        a, b = results[small], results[large]
        grew = (b["peak_kb"] - a["peak_kb"]) / 1024
        print(f"streaming {large:,} vs {small:,} units, peak RSS: {b['peak_kb'] / 1024:.1f} MB vs "
              f"{a['peak_kb'] / 1024:.1f} MB (+{grew:.1f} MB) — target flat (within {FLAT_MB:g} MB) — "
              f"{verdict(grew <= FLAT_MB)}")
        command("for report in rubric.score_many(json.loads(line) for line in FILE.jsonl): ..., peak RSS (ru_maxrss)")
        context(f"peak RSS once qlrules and the rubric are loaded, before scoring: {a['before_kb'] / 1024:.1f} MB; "
                f"throughput {a['units'] / a['seconds']:,.0f} and {b['units'] / b['seconds']:,.0f} units/s")
        names = (b["names_bytes"] - a["names_bytes"]) / 1024 / 1024
        context(f"the growth explained: score_many keeps each unit's name to refuse one given twice (docs/scoring.md); "
                f"those names and their set take {names:.1f} MB more at {large:,} units "
                f"({(b['names_bytes'] - a['names_bytes']) / (large - small):.0f} bytes a unit): bounded, linear in the "
                "batch's number of units, nothing else grows")
        if a["hwm_kb"] and b["hwm_kb"]:
            context(f"cross-check, VmHWM from /proc: {b['hwm_kb'] / 1024:.1f} MB vs {a['hwm_kb'] / 1024:.1f} MB")
        cli_streaming(path, small, large, env, folder)


def cli_streaming(path: Path, small: int, large: int, env: dict[str, str], folder: str) -> None:
    """The same through `qlrules score`, if it reads JSON Lines (and with --jobs, if it has that option)."""
    command = qlrules_command()
    helped = subprocess.run([*command, "score", "--help"], env=env, capture_output=True, check=False)
    jobs = b"--jobs" in helped.stdout
    probe = Path(folder) / "probe.jsonl"
    with path.open(encoding="utf-8") as lines, probe.open("w", encoding="utf-8") as out:
        for _ in range(3):
            out.write(next(lines))
    tried = subprocess.run([*command, "score", str(probe), "--format", "json"], env=env, capture_output=True, check=False)
    try:
        probed = len(json.loads(tried.stdout)["units"]) if tried.returncode == 0 else 0
    except (ValueError, KeyError, TypeError):
        probed = 0
    if probed != 3:
        context("`qlrules score` does not read JSON Lines (.jsonl) here: the command line is not streamed")
        return
    prefix = Path(folder) / f"units-{small}.jsonl"
    with path.open(encoding="utf-8") as lines, prefix.open("w", encoding="utf-8") as out:
        for _ in range(small):
            out.write(next(lines))
    variants = [("", [])] + ([(" --jobs 2", ["--jobs", "2"])] if jobs else [])
    for label, extra in variants:
        peaks = {}
        for count, file in ((small, prefix), (large, path)):
            status, seconds, peak, _out, err = peak_of([*command, "score", str(file), "--format", "json", *extra], env,
                                                       stdout=subprocess.DEVNULL)
            if status != 0:
                context(f"`qlrules score{label}` on {count:,} units failed: {err.decode(errors='replace').strip()[-200:]}")
                break
            peaks[count] = (peak, seconds)
        else:
            context(f"`qlrules score FILE.jsonl --format json{label}`: peak RSS {peaks[large][0] / 1024:.1f} MB at "
                    f"{large:,} vs {peaks[small][0] / 1024:.1f} MB at {small:,} units; "
                    f"{large / peaks[large][1]:,.0f} units/s")


# -- main -----------------------------------------------------------------------------------------------------------


#: The sections of a run, in the order they print, each with the numbers of the headings it prints
#: (`--only` picks sections by them).
def scoring_paths(sizes: dict[str, Any]) -> None:
    """7 and 8. The scoring hot path against the straightforward one, and batches through `qlrules score` (benchmarks/paths.py)."""
    import paths

    paths.run(sizes, timed_passes, ratio_line, context, failures)


def xlsx_reports(sizes: dict[str, Any]) -> None:
    """9. The workbook report at 5k, 10k and 20k units (minutes of openpyxl: the full run only)."""
    if sizes is QUICK:
        print("\n9. xlsx report: skipped in the quick run (minutes of openpyxl)")
        return
    from xlsx_report import report as xlsx_report

    print()
    xlsx_report([5_000, 10_000, 20_000])


SECTIONS: tuple[tuple[tuple[int, ...], Callable[[dict[str, Any]], None]], ...] = (
    ((1, 2), scoring), ((3,), command_line), ((4,), compiling), ((5,), diffing), ((6,), streaming),
    ((7, 8), scoring_paths), ((9,), xlsx_reports),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repetitions (the smoke run)")
    parser.add_argument("--only", help="run only these sections, by number: 3 or 3,4 (1 and 2 are one section, and 7 and 8)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    chosen = {int(n) for n in args.only.split(",")} if args.only else None
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cache-") as cache:
        # Never the user's rubric cache; the subprocesses inherit this one.
        os.environ["QLRULES_CACHE_DIR"] = cache
        os.environ["QLRULES_LANG"] = "en"
        start = time.perf_counter()
        print(f"qlrules benchmarks ({'quick smoke run' if args.quick else 'full run'}; issue 6 and 13 targets)")
        machine()
        for numbers, section in SECTIONS:
            if chosen is None or chosen & set(numbers):
                section(sizes)
        print(f"\ndone in {time.perf_counter() - start:.0f} s; load average now {os.getloadavg()[0]:.2f}")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

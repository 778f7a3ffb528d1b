"""The benchmarks of issue 6: every target as a ratio measured in this run.

    python benchmarks/run.py            # the full run (make bench), several minutes
    python benchmarks/run.py --quick    # a smoke run: small sizes, few repetitions

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
sys.path.insert(0, str(HERE))

# Sizes: (units per pass, passes) for the scorers; subprocess runs; streamed units.
FULL = {"units": 500, "passes": 15, "peer_units": 200, "peer_passes": 7, "cli_runs": 30,
        "compiles": 30, "loads": 300, "stream": (10_000, 100_000), "batch": (2_000, 10_000)}
QUICK = {"units": 100, "passes": 3, "peer_units": 30, "peer_passes": 3, "cli_runs": 5,
         "compiles": 5, "loads": 30, "stream": (1_000, 2_000), "batch": (100, 200)}
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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: nproc {cores}, CPU {model}, {platform.system()} {platform.machine()}, load average {load:.2f}")
    print(f"python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print("versions: " + ", ".join(f"{p} {version(p)}" for p in ("qlrules", "lark", "attrs", "zen-engine", "rule-engine")))
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
        t = timed_passes({
            "baseline": over(units, baseline_score),
            "score": over(units, rubric.score),
            "to_dict": over(units, lambda u: rubric.score(u).to_dict()),
            "batch": lambda: list(rubric.score_many(units)),
            "streamed": lambda: [None for _report in rubric.score_many(units)],
        }, passes, per)
        ratio_line("score one unit vs baseline", t["score"], t["baseline"], "≤ 2×",
                   statistics.median(t["score"]) <= 2 * statistics.median(t["baseline"]))
        ratio_line("score + to_dict vs baseline", t["to_dict"], t["baseline"], "≤ 2×",
                   statistics.median(t["to_dict"]) <= 2 * statistics.median(t["baseline"]))
        batch, single = statistics.median(t["batch"]), statistics.median(t["score"])
        overlap = min(t["batch"]) <= max(t["score"]) and min(t["score"]) <= max(t["batch"])
        ratio_line("batch vs single unit, per unit", t["batch"], t["score"], "≤ 1× (batch at least as fast)",
                   batch <= single, note=" (within the run-to-run spread)" if batch > single and overlap else "")
        context(times("score_many with each report dropped as it comes (not kept in a list): ", t["streamed"]))
        context(f"units per second: qlrules {1 / single:,.0f}, batch {1 / batch:,.0f}, "
                f"baseline {1 / statistics.median(t['baseline']):,.0f}")
    else:
        for label in ("score one unit vs baseline", "score + to_dict vs baseline", "batch vs single unit, per unit"):
            print(f"{label}: not timed — the baseline disagrees with qlrules")

    peer_units = units[:sizes["peer_units"]]
    print(f"\n2. peer engines ({len(peer_units)} units, {sizes['peer_passes']} passes)")
    for name, target in (("zen-engine", 10), ("rule-engine", 5)):
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


# -- 3: the command line, whole process ----------------------------------------------------------------------------


def qlrules_command() -> list[str]:
    script = Path(sys.executable).parent / "qlrules"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qlrules"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, done


def command_line(sizes: dict[str, Any]) -> None:
    import qlrules

    runs = sizes["cli_runs"]
    print(f"\n3. cold `qlrules score examples/unit.yaml --format json`, whole process ({runs} runs each)")
    score = [*qlrules_command(), "score", str(EXAMPLE), "--format", "json"]
    python = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cli-") as cache:
        env = dict(os.environ, QLRULES_CACHE_DIR=cache, QLRULES_LANG="en")
        first, done = run_once(score, env)
        if done.returncode != 0:
            print(f"cold `qlrules score` vs `python -c pass`: not timed — the command failed "
                  f"(exit {done.returncode}): {done.stderr.decode(errors='replace').strip()[:300]}")
            failures.append("qlrules score failed")
            return
        want = qlrules.load_rubric().score(qlrules.parse_document(EXAMPLE.read_bytes(), str(EXAMPLE))).total
        got = Decimal(str(json.loads(done.stdout, parse_float=Decimal)["total"]))
        if got != want:
            print(f"    ! `qlrules score` printed total {got}, the library gives {want}")
            failures.append("qlrules score total")
        t: dict[str, list[float]] = {"score": [], "python": []}
        for n in range(runs):
            for name, command in ((("score", score), ("python", python)) if n % 2 else
                                  (("python", python), ("score", score))):
                seconds, done = run_once(command, env)
                t[name].append(seconds)
        target = statistics.median(t["score"]) <= 4 * statistics.median(t["python"])
        ratio_line("cold `qlrules score` vs `python -c pass`", t["score"], t["python"], "≤ 4×", target, fmt=ms)
        context(f"first run with an empty rubric cache (compiles and stores the rubric): {ms(first)}")
        imports = [sys.executable, "-c", "import qlrules"]
        light = [run_once(imports, env)[0] for _ in range(max(3, runs // 3))]
        context(times("`python -c 'import qlrules'`: ", light, ms))
        probe = (
            "import sys\nfrom qlrules.cli import main\n"
            f"sys.argv = ['qlrules', 'score', {str(EXAMPLE)!r}, '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ('lark', 'openpyxl', 'rich', 'babel', 'sphinx', 'jieba', 'platformdirs', 'yaml', 'simplejson')\n"
            "print(' '.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
        )
        done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, check=False)
        loaded = done.stderr.decode(errors="replace").strip().splitlines()
        context(f"of lark, openpyxl, rich, babel, sphinx, jieba, platformdirs, yaml, simplejson, the score path "
                f"imports: {loaded[-1] if loaded else 'none of them'}")


# -- 4: compiling and loading the rubric ------------------------------------------------------------------------------

COMPILE_CHILD = """
import json, pickle, sys, time
t0 = time.perf_counter()
import qlrules
imported = time.perf_counter() - t0
data = open(sys.argv[1], "rb").read()
t0 = time.perf_counter()
rubric = qlrules.compile_rubric(data, "rubrics/qinglian-jiguan.qlr")
first = time.perf_counter() - t0
warm = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    qlrules.compile_rubric(data, "rubrics/qinglian-jiguan.qlr")
    warm.append(time.perf_counter() - t0)
qlrules.load_rubric()  # compiles (or loads) and stores it in the cache
cached = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    qlrules.load_rubric()
    cached.append(time.perf_counter() - t0)
blob = pickle.dumps(rubric, pickle.HIGHEST_PROTOCOL)
unpickle = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    pickle.loads(blob)
    unpickle.append(time.perf_counter() - t0)
import os
entries = os.listdir(os.environ["QLRULES_CACHE_DIR"]) if os.environ.get("QLRULES_CACHE_DIR") else []
print(json.dumps({"imported": imported, "first": first, "warm": warm, "cached": cached, "unpickle": unpickle,
                  "pickle_bytes": len(blob), "cache_entries": len(entries)}))
"""


def compiling(sizes: dict[str, Any]) -> None:
    print(f"\n4. compiling and loading the bundled rubric (fresh process; {sizes['compiles']} compiles, "
          f"{sizes['loads']} loads)")
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-compile-") as cache:
        env = dict(os.environ, QLRULES_CACHE_DIR=cache)
        done = subprocess.run([sys.executable, "-c", COMPILE_CHILD, str(RUBRIC_FILE), str(sizes["compiles"]),
                               str(sizes["loads"])], env=env, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()[-500:]
        for label in ("compile bundled rubric, warm", "load_rubric() from the cache"):
            print(f"{label}: not measured — the measuring process failed: {message}")
        failures.append("compile child failed")
        return
    r = json.loads(done.stdout)
    warm, cached = statistics.median(r["warm"]), statistics.median(r["cached"])
    print(f"compile bundled rubric, warm: {ms(warm)} ({times('', r['warm'], ms)}) — target ≤ 5 ms — "
          f"{verdict(warm <= 0.005)}")
    print(f"load_rubric() from the cache: {ms(cached)} ({times('', r['cached'], ms)}) — target ≤ 1 ms — "
          f"{verdict(cached <= 0.001)}" + ("" if r["cache_entries"] else " (no cache entry was written!)"))
    context(times("unpickling the compiled rubric alone: ", r["unpickle"], ms) + f" ({r['pickle_bytes']:,} bytes)")
    context(f"in that fresh process: `import qlrules` {ms(r['imported'])}, first compile (imports Lark, "
            f"builds the parser) {ms(r['first'])}")


# -- 5: streaming ----------------------------------------------------------------------------------------------------

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
count, total = 0, 0
for report in rubric.score_many(read(sys.argv[1], int(sys.argv[2]))):
    count += 1
    total += report.total
seconds = time.perf_counter() - t0
print(json.dumps({"units": count, "seconds": seconds, "before_kb": before, "total": str(total),
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "hwm_kb": hwm_kb()}))
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
    print(f"\n5. streaming: rubric.score_many over a JSON Lines file read line by line ({small:,} and {large:,} units, "
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
        context(f"peak RSS once qlrules and the rubric are loaded, before scoring: {a['before_kb'] / 1024:.1f} MB; "
                f"throughput {a['units'] / a['seconds']:,.0f} and {b['units'] / b['seconds']:,.0f} units/s")
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
    tried = subprocess.run([*command, "score", str(probe), "--format", "csv"], env=env, capture_output=True, check=False)
    if tried.returncode != 0 or len(tried.stdout.decode().strip().splitlines()) != 4:
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
            status, seconds, peak, _out, err = peak_of([*command, "score", str(file), "--format", "csv", *extra], env,
                                                       stdout=subprocess.DEVNULL)
            if status != 0:
                context(f"`qlrules score{label}` on {count:,} units failed: {err.decode(errors='replace').strip()[-200:]}")
                break
            peaks[count] = (peak, seconds)
        else:
            context(f"`qlrules score FILE.jsonl --format csv{label}`: peak RSS {peaks[large][0] / 1024:.1f} MB at "
                    f"{large:,} vs {peaks[small][0] / 1024:.1f} MB at {small:,} units; "
                    f"{large / peaks[large][1]:,.0f} units/s")


# -- main -----------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repetitions (the smoke run)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cache-") as cache:
        # Never the user's rubric cache; the subprocesses inherit this one.
        os.environ["QLRULES_CACHE_DIR"] = cache
        os.environ["QLRULES_LANG"] = "en"
        start = time.perf_counter()
        print(f"qlrules benchmarks ({'quick smoke run' if args.quick else 'full run'}; issue 6 targets)")
        machine()
        scoring(sizes)
        command_line(sizes)
        compiling(sizes)
        streaming(sizes)
        import paths

        paths.run(sizes, timed_passes, ratio_line, context, failures)
        if not args.quick:  # minutes of openpyxl: the full run only
            from xlsx_report import report as xlsx_report

            print()
            xlsx_report([5_000, 10_000, 20_000])
        print(f"\ndone in {time.perf_counter() - start:.0f} s")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time and peak memory of the xlsx report for 5k, 10k and 20k units (a script, not a test).

    .venv/bin/python benchmarks/xlsx_report.py                  # 5,000, 10,000 and 20,000 units
    .venv/bin/python benchmarks/xlsx_report.py --units 500 1000

`make bench` (benchmarks/run.py) runs it too, after its own targets. Each size runs in a fresh
process (started through run.py's launcher, so that its peak RSS is its own) that scores the
units of `units.py` one by one and writes each report into the workbook as it comes, as
`qlrules score --format xlsx` does: the figures are the whole run, scoring included, and the
scoring alone measured in the same process. Linear means seconds and the peak's growth above
the process's size before the first unit both about double from one size to the next. The run
also checks that the workbook has a sheet per unit and that no temporary file was left behind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import peak_of  # noqa: E402 - the launcher that measures a child's own peak RSS

CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from units import units
import qlrules
from qlrules.numbers import exact_arithmetic
from qlrules.render.xlsx import WorkbookReport

count, path = int(sys.argv[2]), sys.argv[3]
rubric = qlrules.load_rubric()
with open(os.devnull, "wb") as sink, exact_arithmetic():  # openpyxl is imported here: "before" counts it
    WorkbookReport(rubric, sink).discard()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
for unit in units(count):
    rubric.score(unit)
scoring = time.perf_counter() - t0
t0 = time.perf_counter()
with open(path, "wb") as out, exact_arithmetic():
    book = WorkbookReport(rubric, out)
    for unit in units(count):
        book.add(rubric.score(unit))
    book.save()
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "scoring": scoring, "before_kb": before,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "bytes": os.path.getsize(path)}))
"""


def measure(count: int, folder: Path) -> dict[str, float]:
    """One size in a fresh process; the workbook is checked for a sheet per unit and removed."""
    from zipfile import ZipFile

    path = folder / f"report-{count}.xlsx"
    temporary = folder / "tmp"
    temporary.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(temporary))  # where openpyxl would put a file per sheet
    status, _wall, peak, out, err = peak_of(
        [sys.executable, "-c", CHILD, str(Path(__file__).resolve().parent), str(count), str(path)], env)
    if status != 0:
        sys.exit(f"writing {count:,} units failed:\n{err.decode(errors='replace')[-2000:]}")
    result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_kb"] = peak or result["peak_kb"]
    with ZipFile(path) as book:
        sheets = sum(1 for name in book.namelist() if name.startswith("xl/worksheets/sheet"))
    if sheets != count + 3:
        sys.exit(f"{count:,} units gave {sheets} sheets, not {count + 3}")
    left = list(temporary.iterdir())
    if left:
        sys.exit(f"temporary files left behind: {len(left)}, e.g. {left[0]}")
    path.unlink()
    return result


def report(sizes: list[int]) -> None:
    """Print a line per size, then how the largest compares with the smallest."""
    print("xlsx report: score and write a workbook of N units (a sheet per unit), one fresh process per size")
    results = {}
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-xlsx-") as folder:
        for count in sizes:
            r = results[count] = measure(count, Path(folder))
            grown = (r["peak_kb"] - r["before_kb"]) / 1024
            print(f"xlsx report, {count:,} units: {r['seconds']:.1f} s ({count / r['seconds']:,.0f} units/s; scoring alone "
                  f"{r['scoring']:.1f} s), peak RSS {r['peak_kb'] / 1024:.1f} MB (+{grown:.1f} MB over the "
                  f"{r['before_kb'] / 1024:.1f} MB before the first unit), {r['bytes'] / 1e6:.1f} MB written")
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        factor = sizes[-1] / sizes[0]
        grown = [(r["peak_kb"] - r["before_kb"]) or 1 for r in (small, large)]
        print(f"    · {factor:g}× the units: {large['seconds'] / small['seconds']:.2f}× the time, "
              f"{grown[1] / grown[0]:.2f}× the memory above the start (linear: about {factor:g}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[5_000, 10_000, 20_000])
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qlrules-bench-cache-") as cache:
        os.environ.setdefault("QLRULES_CACHE_DIR", cache)  # never the user's rubric cache
        report(sorted(args.units))
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

"""Peak memory and throughput of batch scoring, for 1k vs 10k units (a script, not a test).

    .venv/bin/python benchmarks/batch_memory.py                     # 1,000 and 10,000 units, json csv xlsx
    .venv/bin/python benchmarks/batch_memory.py --units 1000 --formats csv
    .venv/bin/python benchmarks/batch_memory.py --workbooks 200     # also a folder of 200 filled forms

Each measurement runs in a fresh Python process that reports its own peak RSS
(``resource.getrusage``), so the figures do not mix; the input files are made beforehand by this
process. "flat" means the peak barely moves from 1k to 10k units while the input grows tenfold.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def random_unit(rubric: Any, n: int, rng: random.Random) -> dict[str, Any]:
    """A plausible unit: a few counted findings, sometimes a case on two clauses, a discretionary one."""
    findings: list[dict[str, Any]] = []
    # 6.1c and 11.4b carry the shared case below: a form has one row per clause, so keep them apart.
    counted = [c for c in rubric.clauses if c.kind != "discretionary" and c.id not in ("6.1c", "11.4b")]
    for clause in rng.sample(counted, rng.randint(0, 6)):
        findings.append({"clause": clause.id, "count": rng.randint(1, clause.of or 2), "evidence": f"检查记录 {n}"})
    if rng.random() < 0.3:
        case = f"C-{n}"
        findings.append({"clause": "6.1c", "cases": [case]})
        findings.append({"clause": "11.4b", "cases": [case]})
    if rng.random() < 0.2:
        findings.append({"clause": "6.1h", "amount": str(rng.choice(["0.5", "1", "1.5"])), "cases": [f"D-{n}"],
                         "reason": "主动报告线索,从轻扣分"})
    if rng.random() < 0.5:
        findings.append({"clause": rng.choice([a.id for a in rubric.adjustments]), "count": 1})
    return {"unit": f"单位{n:05d}", "findings": findings}


def make_batch(path: Path, units: int) -> None:
    import yaml

    import qlrules

    rubric = qlrules.load_rubric()
    rng = random.Random(units)
    with path.open("w", encoding="utf-8") as out:
        out.write("units:\n")
        for n in range(units):
            text = yaml.safe_dump([random_unit(rubric, n, rng)], allow_unicode=True, default_flow_style=None, sort_keys=False)
            out.write("".join("  " + line + "\n" for line in text.splitlines()))


def make_workbooks(folder: Path, units: int) -> None:
    import openpyxl

    import qlrules
    from qlrules.io.form import write_template

    rubric = qlrules.load_rubric()
    template = folder / ".template.xlsx"  # hidden: not one of the forms
    write_template(rubric, template)
    rng = random.Random(units)
    for n in range(units):
        book = openpyxl.load_workbook(template)
        sheet = book.worksheets[0]
        sheet["B2"] = f"单位{n:05d}"
        rows = {sheet.cell(r, 4).value: r for r in range(5, sheet.max_row + 1)}
        for finding in random_unit(rubric, n, rng)["findings"]:
            row = rows[finding["clause"]]
            if "count" in finding:
                sheet.cell(row, 8, finding["count"])
            if "cases" in finding:
                sheet.cell(row, 9, "、".join(finding["cases"]))
            if "amount" in finding:
                sheet.cell(row, 10, float(finding["amount"]))
            if "reason" in finding:
                sheet.cell(row, 11, finding["reason"])
        book.save(folder / f"单位{n:05d}.xlsx")
    template.unlink()


def child(inputs: list[str], fmt: str, output: str) -> None:
    """Run in a fresh process: score, then print seconds and peak RSS as JSON."""
    import qlrules
    from qlrules.scoring.batch import score

    rubric = qlrules.load_rubric()
    started = time.perf_counter()
    if fmt != "none":
        score(inputs, rubric, fmt, Path(output), progress=False)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))


def measure(inputs: list[Path], fmt: str, output: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", fmt, str(output), *map(str, inputs)],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        sys.exit(f"scoring {fmt} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=["json", "csv", "xlsx"])
    parser.add_argument("--workbooks", type=int, default=0, help="also score a folder of this many filled forms")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, output, *inputs = args.child
        child(inputs, fmt, output)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'input':<22}{'format':<8}{'units':>7}{'seconds':>9}{'units/s':>9}{'peak RSS MiB':>14}")
        baseline = measure([], "none", folder / "none")
        print(f"{'(import + rubric)':<22}{'-':<8}{0:>7}{'-':>9}{'-':>9}{baseline['peak_mib']:>14.1f}")
        for units in args.units:
            batch = folder / f"batch-{units}.yaml"
            make_batch(batch, units)
            size = batch.stat().st_size / 1e6
            for fmt in args.formats:
                result = measure([batch], fmt, folder / f"out-{units}.{fmt}")
                print(f"{f'units: YAML {size:.1f} MB':<22}{fmt:<8}{units:>7}{result['seconds']:>9.1f}"
                      f"{units / result['seconds']:>9.0f}{result['peak_mib']:>14.1f}")
        if args.workbooks:
            forms = folder / "forms"
            forms.mkdir()
            make_workbooks(forms, args.workbooks)
            for fmt in args.formats:
                result = measure([forms], fmt, folder / f"forms.{fmt}")
                print(f"{'folder of .xlsx forms':<22}{fmt:<8}{args.workbooks:>7}{result['seconds']:>9.1f}"
                      f"{args.workbooks / result['seconds']:>9.0f}{result['peak_mib']:>14.1f}")


if __name__ == "__main__":
    main()

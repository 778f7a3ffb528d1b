"""Make the screenshots of docs/assessors.md: the form, a filled form and a unit's sheet of the report.

The form comes from ``qlrules --lang zh template``, is filled with openpyxl (the findings of
examples/unit.yaml but 6.1d, so that 6.1b, 6.1c and 6.1h share one page) and scored with
``qlrules --lang zh score --format xlsx``; LibreOffice Calc prints each workbook to PDF
headlessly, in a profile of its own, and poppler's pdftoppm cuts a page into an image.

    python docs/screenshots.py            # writes docs/_static/assessors-{template,filled,unit}.png
    python docs/screenshots.py --pages    # also keeps every page, whole, in the work folder, to pick a crop

Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler-utils) on the PATH. The 汇总 and
按责任科室 screenshots (assessors-summary.png, assessors-offices.png) come from a six-unit batch
that this script does not make; their content does not depend on the wording.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
STATIC = HERE / "_static"

#: 市财政局's findings, by clause: the form's input columns as an assessor fills them.
FINDINGS: dict[str, dict[str, str | int | float]] = {
    "0.1a": {"数量": 2, "说明": "2024年度党组会议记录"},
    "6.1b": {"案件编号": "C-2024-09"},
    "6.1c": {"案件编号": "C-2024-07"},
    "6.1h": {"案件编号": "C-2024-09", "酌情扣分": 1.5, "说明": "主动报告线索,从轻扣分"},
    "11.4b": {"案件编号": "C-2024-07"},
    "A3": {"数量": 1, "说明": "市委办公室通报 2024-3号"},
}

#: Each screenshot: the PDF it is cut from, the page (1-based), and the crop (x, y, width, height) in
#: pixels of the page at 100 dpi, as ``--pages`` renders it (A4 landscape: 1170 × 827).
SHOTS = {
    "assessors-template": ("考评表.pdf", 1, (60, 72, 1050, 385)),  # the title, the unit's cell, 0.1a to 1.4b
    "assessors-filled": ("市财政局.pdf", 2, (60, 72, 1050, 540)),  # page 2: 4.3a to 6.1i, 6.1b/6.1c/6.1h filled
    "assessors-unit": ("考评结果.pdf", 3, (40, 72, 1090, 512)),  # 市财政局's sheet: sections and the trace
}

#: The screenshots' resolution: a little above 100 dpi, so the form's small print stays legible.
DPI = 130


def qlrules(*args: str | Path, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "qlrules", "--lang", "zh", *map(str, args)], cwd=cwd, check=True)


def fill(form: Path) -> None:
    """Write `FINDINGS` into the form's input cells, found by the header row's names and the 条款 column."""
    workbook = openpyxl.load_workbook(form)
    sheet = workbook["评分表"]
    rows = list(sheet.iter_rows(values_only=True))
    top = next(n for n, row in enumerate(rows) if "条款" in row)
    columns = {name: n + 1 for n, name in enumerate(rows[top]) if isinstance(name, str)}
    for number, row in enumerate(rows[top + 1 :], top + 2):
        for name, value in FINDINGS.get(str(row[columns["条款"] - 1]), {}).items():
            sheet.cell(row=number, column=columns[name], value=value)
    workbook.save(form)


def to_pdf(workbooks: list[Path], work: Path) -> None:
    """Print the workbooks to PDF with LibreOffice Calc, headless, in a private profile."""
    profile = work / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), *map(str, workbooks)], check=True, stdout=subprocess.DEVNULL)


def render(pdf: Path, page: int, crop: tuple[int, int, int, int] | None, out: Path, dpi: int = 100) -> None:
    """One page of ``pdf`` at ``dpi`` as ``out``.png, cut to ``crop`` (given at 100 dpi; the whole page without one)."""
    cut: list[str] = []
    for flag, value in zip(("-x", "-y", "-W", "-H"), crop or ()):
        cut += [flag, str(round(value * dpi / 100))]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), *cut, "-singlefile",
                    str(pdf), str(out)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=STATIC, help="where the PNGs go (default: docs/_static)")
    parser.add_argument("--pages", action="store_true", help="also render every page whole, into the work folder")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on the PATH (LibreOffice / poppler-utils)")
    work = Path(tempfile.mkdtemp(prefix="qlrules-shots-"))
    qlrules("template", "-o", "考评表.xlsx", cwd=work)
    qlrules("template", "-o", "市财政局.xlsx", "--unit", "市财政局", cwd=work)
    fill(work / "市财政局.xlsx")
    qlrules("score", "市财政局.xlsx", "--format", "xlsx", "-o", "考评结果.xlsx", cwd=work)
    to_pdf([work / "考评表.xlsx", work / "市财政局.xlsx", work / "考评结果.xlsx"], work)
    if args.pages:
        for pdf in sorted(work.glob("*.pdf")):
            for page in range(1, 4):
                render(pdf, page, None, work / f"{pdf.stem}-{page}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (source, page, crop) in SHOTS.items():
        render(work / source, page, crop, args.out / name, DPI)
        print(args.out / f"{name}.png")
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()

"""The assessors' page in a real browser: headless Chromium (Debian's package) driven by Playwright.

`make test` installs Chromium first (the Makefile's browser step); elsewhere, with no Chromium, these
tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import qlrules

from .serving import filled_form, running_server

CHROMIUM = os.environ.get("QLRULES_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
#: As the machine's closed network needs: no background connections, no first-run work.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium: `make test` installs Debian's chromium package first")
        pytest.skip("no Chromium (Debian's chromium package; `make test` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as base:
        yield base


def test_an_assessor_uploads_a_filled_form_and_reads_the_score(browser: Any, server: str, tmp_path: Path) -> None:
    form = filled_form(tmp_path / "市财政局.xlsx")
    page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#rubric option").first.inner_text().startswith("清廉机关建设任务分工")
    page.set_input_files("#files", str(form))
    page.click("#score")
    page.wait_for_selector("section.unit .total")
    assert page.locator("section.unit .unit-name").inner_text() == "市财政局"
    assert page.locator("section.unit .total").inner_text() == "89.5"
    rows = page.locator("table.trace tr.entry")
    assert rows.count() >= 7
    wording = page.locator("table.trace tr.entry", has_text="0.1a").first.inner_text()
    assert "2024年度党组会议记录" in wording  # the evidence typed into the form
    assert page.locator("table.sections tbody tr").count() == len(qlrules.load_rubric().sections)
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    shot = os.environ.get("QLRULES_SCREENSHOT")
    if shot:
        page.screenshot(path=shot, full_page=True)

    with page.expect_download() as download:  # the files are still chosen: the workbook report of the same units
        page.click("#download")
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    assert "市财政局" in openpyxl.load_workbook(saved).sheetnames
    page.close()


def test_english_on_request_and_a_refusal_shown_escaped(browser: Any, server: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit: '<img src=x onerror=alert(1)>'\nfindings:\n  - {clause: nope, count: 1}\n", "utf-8")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.click("#language")
    page.wait_for_selector("html[lang=en]")
    page.set_input_files("#files", str(bad))
    page.click("#score")
    page.wait_for_selector("#refused")
    message = page.locator("#refused pre").inner_text()
    assert "unknown clause 'nope'" in message and "<img src=x onerror=alert(1)>" in message
    assert page.locator("img").count() == 0 and dialogs == []
    page.close()

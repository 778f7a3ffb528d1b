"""Safe output: the one writer never clobbers an input, never replaces what is not a regular file,
keeps modes, leaves nothing half-written, and cleans up when a run is ended by a signal.

Everything happens in tmp_path. No device node is created and nothing under /dev is touched:
FIFOs, symlinks and sockets stand in for what is not a regular file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from qlrules.authoring.fmt import format_text
from qlrules.cli import main

from .conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini.qlr"
DOCUMENT = ROOT / "tests" / "fixtures" / "seed-document.txt"
#: A unit of the bundled rubric, and one of tests/fixtures/mini.qlr.
UNIT = ROOT / "examples" / "unit.yaml"
MINI_UNIT = '{"unit": "甲单位", "findings": [{"clause": "0.1a", "count": 1}]}\n'
REFUSED = "would overwrite the input"
NOT_A_FILE = "not a file an output can be written to"


def cli(*args: str | Path, input: str | bytes | None = None) -> Result:
    """``qlrules ARGS`` in this process (click's runner: stdin, stdout and stderr captured)."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def run(*args: str | Path, cwd: Path, preexec: Callable[[], object] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m qlrules ARGS`` in a process of its own (for a umask, a FIFO or a signal)."""
    return subprocess.run([sys.executable, "-m", "qlrules", *map(str, args)], cwd=cwd, env=_env(), preexec_fn=preexec,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _env() -> dict[str, str]:
    return {**os.environ, "QLRULES_LANG": "en", "PYTHONIOENCODING": "utf-8", "CI": "1"}


def parts(folder: Path) -> list[Path]:
    """Temporary files the writer left behind."""
    return sorted({*folder.glob("*.part"), *folder.glob(".*.part")})


def no_traceback(result: Result) -> bool:
    return isinstance(result.exception, SystemExit) and "Traceback" not in result.output


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    path = tmp_path / "unit.yaml"
    shutil.copyfile(UNIT, path)
    return path


@pytest.fixture
def rubric(tmp_path: Path) -> Path:
    path = tmp_path / "R.qlr"
    shutil.copyfile(MINI, path)
    return path


# -- an output that is an input is refused -----------------------------------


def _score_onto_findings(tmp: Path) -> tuple[list[str | Path], Path]:
    findings = tmp / "X.yaml"
    shutil.copyfile(UNIT, findings)
    return ["score", findings, "-o", findings], findings


def _score_onto_rubric(tmp: Path) -> tuple[list[str | Path], Path]:
    rubric, findings = tmp / "R.qlr", tmp / "f.yaml"
    shutil.copyfile(MINI, rubric)
    findings.write_text(MINI_UNIT, encoding="utf-8")
    return ["score", "--rubric", rubric, findings, "-o", rubric], rubric


def _draft_onto_document(tmp: Path) -> tuple[list[str | Path], Path]:
    document = tmp / "doc.txt"
    shutil.copyfile(DOCUMENT, document)
    return ["draft", document, "-o", document], document


def _diff_onto_old(tmp: Path) -> tuple[list[str | Path], Path]:
    old, new = tmp / "a.qlr", tmp / "b.qlr"
    shutil.copyfile(MINI, old)
    new.write_text(MINI.read_text(encoding="utf-8").replace("points 12", "points 13", 1), encoding="utf-8")
    return ["diff", old, new, "-o", old], old


def _template_onto_rubric(tmp: Path) -> tuple[list[str | Path], Path]:
    rubric = tmp / "R.qlr"
    shutil.copyfile(MINI, rubric)
    return ["template", "--rubric", rubric, "-o", rubric], rubric


ONTO_INPUT = {
    "score X.yaml -o X.yaml": _score_onto_findings,
    "score --rubric R.qlr f.yaml -o R.qlr": _score_onto_rubric,
    "draft doc.txt -o doc.txt": _draft_onto_document,
    "diff a.qlr b.qlr -o a.qlr": _diff_onto_old,
    "template --rubric R.qlr -o R.qlr": _template_onto_rubric,
}


@pytest.mark.parametrize("make", ONTO_INPUT.values(), ids=list(ONTO_INPUT))
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(make: Callable[[Path], tuple[list[str | Path], Path]],
                                                                  tmp_path: Path) -> None:
    """Writing onto one of the command's inputs: exit 1, a message naming it, the input's bytes unchanged."""
    args, victim = make(tmp_path)
    before = victim.read_bytes()
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert REFUSED in result.stderr and str(victim) in result.stderr
    assert no_traceback(result)
    assert victim.read_bytes() == before
    assert parts(tmp_path) == []


def test_an_output_that_is_a_symlink_to_an_input_is_refused(unit: Path, tmp_path: Path) -> None:
    """``-o`` a symlink to the findings: exit 1, the findings named, unchanged, the link still a link."""
    link = tmp_path / "link.yaml"
    link.symlink_to(unit.name)
    before = unit.read_bytes()
    result = cli("score", unit, "-o", link)
    assert result.exit_code == 1, result.output
    assert REFUSED in result.stderr and str(unit) in result.stderr
    assert unit.read_bytes() == before and link.is_symlink()


def test_an_output_that_is_a_hard_link_of_an_input_is_refused(unit: Path, tmp_path: Path) -> None:
    """``-o`` another name (a hard link) of the findings: exit 1, the findings named and unchanged."""
    other = tmp_path / "same.yaml"
    os.link(unit, other)
    before = unit.read_bytes()
    result = cli("score", unit, "-o", other)
    assert result.exit_code == 1, result.output
    assert REFUSED in result.stderr and str(unit) in result.stderr
    assert unit.read_bytes() == before and os.path.samefile(unit, other)


# -- what is not a regular file is written through, or refused --------------


def test_a_symlink_output_rewrites_its_target_and_stays_a_link(unit: Path, tmp_path: Path) -> None:
    """``-o`` a symlink: the report goes into its target, the link is still the same link."""
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("old\n", encoding="utf-8")
    link.symlink_to(target.name)
    result = cli("score", unit, "--format", "json", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == target.name
    assert json.loads(target.read_text(encoding="utf-8"))["unit"] == "市财政局"


def test_a_fifo_output_receives_the_report_and_stays_a_fifo(unit: Path, tmp_path: Path) -> None:
    """``-o`` a FIFO: a reader on it receives the whole report, and the FIFO is not replaced by a file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        done = run("score", unit, "--format", "json", "-o", fifo, cwd=tmp_path)
    finally:
        reader.join(timeout=30)
        if reader.is_alive():  # the command never opened the FIFO: let the reader see end-of-file
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=10)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0].decode("utf-8"))["unit"] == "市财政局"


OUTPUT_COMMANDS: dict[str, list[str]] = {
    "score": ["score", str(UNIT)],
    "template": ["template"],
    "draft": ["draft", str(DOCUMENT)],
    "diff": ["diff", str(MINI), str(MINI)],
    "schema": ["schema"],
}


@pytest.mark.parametrize("command", OUTPUT_COMMANDS.values(), ids=list(OUTPUT_COMMANDS))
def test_a_directory_output_is_refused(command: list[str], tmp_path: Path) -> None:
    """``-o`` a folder: exit 1 (a user's error, not misuse), a clear message, the folder left empty."""
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli(*command, "-o", folder)
    assert result.exit_code == 1, result.output
    assert NOT_A_FILE in result.stderr and no_traceback(result)
    assert list(folder.iterdir()) == []


def test_a_unix_socket_output_is_refused(unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o`` a Unix socket: exit 1, a clear message, the socket still a socket."""
    monkeypatch.chdir(tmp_path)  # a short relative name: socket paths are limited to about 100 bytes
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("s.sock")
        result = cli("score", unit, "-o", "s.sock")
    assert result.exit_code == 1, result.output
    assert NOT_A_FILE in result.stderr and no_traceback(result)
    assert stat.S_ISSOCK(os.lstat(tmp_path / "s.sock").st_mode)


# -- - is standard input and standard output ----------------------------------


def test_output_dash_is_standard_output(unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o -`` prints the report (json) on standard output and makes no file named ``-``."""
    monkeypatch.chdir(tmp_path)
    result = cli("score", unit, "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["unit"] == "市财政局"
    assert not (tmp_path / "-").exists()


def test_output_dash_is_standard_output_for_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``template -o -`` writes the workbook's bytes on standard output and makes no file named ``-``."""
    monkeypatch.chdir(tmp_path)
    result = cli("template", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK\x03\x04")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_score_dash_reads_findings_from_standard_input(syntax: str) -> None:
    """``score -`` scores the findings document given on standard input, in YAML or in JSON."""
    text = UNIT.read_text(encoding="utf-8")
    if syntax == "json":
        import yaml

        text = json.dumps(yaml.safe_load(text), ensure_ascii=False)
    result = cli("score", "-", "--format", "json", input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["unit"] == "市财政局"


def test_check_dash_reads_the_rubric_from_standard_input() -> None:
    """``check -`` compiles the rubric given on standard input."""
    result = cli("check", "-", input=MINI.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("-: ok")


def test_check_dash_reports_errors_of_standard_input() -> None:
    """``check -`` fails (exit 1) on a rubric on standard input that does not compile."""
    result = cli("check", "-", input="rubric \"x\" points\n")
    assert result.exit_code == 1, result.output
    assert no_traceback(result)


def test_fmt_dash_reads_the_rubric_from_standard_input() -> None:
    """``fmt -`` prints the canonical layout of the rubric given on standard input."""
    text = MINI.read_text(encoding="utf-8").replace("  item 0.1", "      item 0.1")
    result = cli("fmt", "-", input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == format_text(text)


def test_fmt_w_dash_is_a_usage_error() -> None:
    """``fmt -w -``: standard input has no file to rewrite, exit 2."""
    result = cli("fmt", "-w", "-", input=MINI.read_bytes())
    assert result.exit_code == 2, result.output
    assert result.stdout == ""


# -- modes ------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_a_new_output_gets_the_mode_the_umask_gives(umask: int, mode: int, unit: Path, tmp_path: Path) -> None:
    """A new file is created ``0666 & ~umask``, as any program's output is (not always 0600)."""
    out = tmp_path / "new.json"
    done = run("score", unit, "--format", "json", "-o", out, cwd=tmp_path, preexec=partial(os.umask, umask))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_an_existing_output_keeps_its_mode(unit: Path, tmp_path: Path) -> None:
    """An existing 0640 file is replaced by the report and is still 0640 (the umask would give 0644)."""
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    done = run("score", unit, "--format", "json", "-o", out, cwd=tmp_path, preexec=partial(os.umask, 0o022))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["unit"] == "市财政局"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# -- nothing half-written ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_an_invalid_unit_leaves_the_existing_output_untouched(fmt: str, tmp_path: Path) -> None:
    """A batch whose third unit is invalid: exit 1, the existing output's bytes unchanged, no temporary file left."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"unit": f"u{n}", "findings": []}) + "\n" for n in range(2))
                     + '{"unit": "bad", "findings": [{"clause": "99.9z", "count": 1}]}\n', encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(b"old\n")
    result = cli("score", batch, "--format", fmt, "-o", out)
    assert result.exit_code == 1, result.output
    assert "99.9z" in result.stderr and no_traceback(result)
    assert out.read_bytes() == b"old\n"
    assert parts(tmp_path) == []


# -- signals ------------------------------------------------------------------


def _default_signals() -> None:
    """In the child: SIGINT, SIGTERM and SIGHUP as a terminal gives them (a test runner may ignore some)."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


def _long_score(tmp_path: Path, preexec: Callable[[], None] = _default_signals) -> tuple[subprocess.Popen[str], Path]:
    """A long `score` run (200,000 tiny units into out.json), once its temporary file exists."""
    batch = tmp_path / "big.jsonl"
    with batch.open("w", encoding="utf-8") as f:
        f.writelines(f'{{"unit": "u{n}", "findings": []}}\n' for n in range(200_000))
    out = tmp_path / "out.json"
    out.write_bytes(b"old\n")
    process = subprocess.Popen([sys.executable, "-m", "qlrules", "score", str(batch), "--format", "json", "-o", str(out)],
                               cwd=tmp_path, env=_env(), preexec_fn=preexec, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.json.*.part")):
        if process.poll() is not None or time.monotonic() > deadline:
            _end(process)
            pytest.skip("the run ended (or never started writing) before a signal could be sent")
        time.sleep(0.01)
    return process, out


def _end(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=30)


def _signal(process: subprocess.Popen[str], signum: int) -> None:
    if process.poll() is not None:
        pytest.skip("the run finished before the signal could be sent")
    process.send_signal(signum)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_during_a_run_removes_the_temporary_file(signum: int, tmp_path: Path) -> None:
    """SIGTERM, SIGHUP or SIGINT mid-run: the process exits, its temporary file is gone, the output is unchanged."""
    process, out = _long_score(tmp_path)
    try:
        _signal(process, signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        _end(process)
    assert process.returncode not in (0, None)
    assert "Traceback" not in stderr
    assert parts(tmp_path) == []
    assert out.read_bytes() == b"old\n"


def test_a_signal_as_the_temporary_file_is_made_still_removes_it(unit: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C the instant the temporary file exists, before the writer has its name: it is removed all the same."""
    make = tempfile.mkstemp

    def made_then_interrupted(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = make(*args, **kwargs)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        time.sleep(0)  # where a pending signal's handler runs at the latest
        return made

    monkeypatch.setattr(tempfile, "mkstemp", made_then_interrupted)
    out = tmp_path / "out.json"
    out.write_bytes(b"old\n")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result = cli("score", unit, "--format", "json", "-o", out)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.exit_code == 1, result.output
    assert "Aborted" in result.stderr
    assert parts(tmp_path) == []
    assert out.read_bytes() == b"old\n"


def test_an_ignored_sighup_is_still_ignored(tmp_path: Path) -> None:
    """Under ``nohup`` (SIGHUP ignored) a hangup does not end the run; SIGTERM then does, and cleans up."""

    def nohup() -> None:
        _default_signals()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process, out = _long_score(tmp_path, nohup)
    try:
        _signal(process, signal.SIGHUP)
        time.sleep(1)
        assert process.poll() is None, "SIGHUP ended a run that ignores it"
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        _end(process)
    assert process.returncode == 128 + signal.SIGTERM
    assert parts(tmp_path) == []
    assert out.read_bytes() == b"old\n"


# -- fmt -w keeps a file's conventions ---------------------------------------

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def rewritten(tmp_path: Path) -> tuple[Path, Path]:
    """A messy rubric saved with a BOM, CRLF line endings and mode 0640, rewritten by ``fmt -w`` through a symlink."""
    target, link = tmp_path / "real.qlr", tmp_path / "link.qlr"
    messy = MINI.read_text(encoding="utf-8").replace("  item 0.1", "      item 0.1")
    target.write_bytes(BOM + messy.replace("\n", "\r\n").encode("utf-8"))
    target.chmod(0o640)
    link.symlink_to(target.name)
    result = cli("fmt", "-w", link)
    assert result.exit_code == 0, result.output
    assert "reformatted" in result.stderr
    return link, target


def test_fmt_w_keeps_the_bom_and_crlf_line_endings(rewritten: tuple[Path, Path]) -> None:
    """After ``fmt -w`` the file still starts with its BOM and every line still ends in CRLF."""
    _, target = rewritten
    data = target.read_bytes()
    assert data.startswith(BOM)
    assert data.count(b"\n") == data.count(b"\r\n") > 0
    assert data[len(BOM):].decode("utf-8").replace("\r\n", "\n") == format_text(MINI.read_text(encoding="utf-8"))


def test_fmt_w_keeps_the_mode(rewritten: tuple[Path, Path]) -> None:
    """After ``fmt -w`` a 0640 file is still 0640."""
    _, target = rewritten
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_fmt_w_writes_through_a_symlink(rewritten: tuple[Path, Path]) -> None:
    """``fmt -w`` on a symlink rewrites its target; the link stays the same link."""
    link, target = rewritten
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.is_file() and not target.is_symlink()


def test_fmt_check_passes_after_fmt_w(rewritten: tuple[Path, Path]) -> None:
    """``fmt --check`` on the rewritten file (BOM, CRLF and all) finds nothing to change."""
    link, _ = rewritten
    result = cli("fmt", "--check", link)
    assert result.exit_code == 0, result.output

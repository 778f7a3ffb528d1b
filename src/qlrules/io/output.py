"""The one writer every command's output goes through: whole or not at all, and never onto its inputs.

An output is standard output (``None`` or ``-``) or a path. What is written is
first gathered in a temporary file; only when the command has finished without
error does it become the output, so a failed run leaves nothing half-written
and an existing file untouched.

- A regular file is replaced atomically (a temporary file beside it, renamed
  into place). An existing file keeps its permissions; a new one gets those the
  umask gives, as any other program's output would.
- A symlink is written through: its target is replaced, the link stays.
- A FIFO or a character device (``/dev/stdout``, a terminal) is written
  through, after the run succeeded. Anything else that is not a regular file
  (a directory, a block device, a socket) is refused.
- A path that is one of the command's inputs is refused before anything is
  read, so ``-o findings.yaml`` can never clobber the findings.
- SIGTERM and SIGHUP, like Ctrl-C, remove the temporary file before exiting.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, os_reason
from ..i18n import _

#: The name that means standard input or standard output.
STDIO = "-"


class OutputError(InputError):
    """An output the command must not, or cannot, write."""


def is_stdio(path: str | Path | None) -> bool:
    """Whether ``path`` names standard input/output (``-``, or no path at all)."""
    return path is None or str(path) == STDIO


def refuse_inputs(output: str | Path | None, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of ``inputs``, by identity (a link, another spelling), not by name.

    Raises:
        OutputError: naming the output and the input it would overwrite.
    """
    if is_stdio(output):
        return
    target = Path(str(output))
    for given in inputs:
        if is_stdio(given):
            continue
        candidate = Path(given)
        if _same(target, candidate):
            raise OutputError(_("{output}: the output would overwrite the input {input}; choose another file").format(
                output=output, input=given))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.absolute() == b.absolute()


@contextmanager
def open_output(path: str | Path | None, *, binary: bool = False, inputs: Iterable[str | Path] = (),
                stdout: IO[Any] | None = None) -> Iterator[IO[Any]]:
    """A file to write the output into; it becomes ``path`` only if the block ends without an error.

    Text is UTF-8 with the newlines as written. ``stdout`` replaces `sys.stdout`
    (for tests and embedding).

    Raises:
        OutputError: ``path`` is one of ``inputs``, or not a file that can be written.
    """
    refuse_inputs(path, inputs)
    destination = None if is_stdio(path) else _destination(Path(str(path)))
    with _signals_end_the_run():
        if destination is not None and destination[1]:
            with _replacing(destination[0], binary) as handle:
                yield handle
            return
        # Standard output, a FIFO or a device: spooled, then copied once the run has succeeded.
        spool: IO[Any] = tempfile.TemporaryFile(_mode("w+", binary), encoding=_encoding(binary), newline=_newline(binary))
        with spool:
            yield spool
            spool.flush()
            spool.seek(0)
            if destination is None:
                _copy(spool, stdout, binary)
            else:
                with open(destination[0], _mode("a", binary), encoding=_encoding(binary), newline=_newline(binary)) as out:
                    shutil.copyfileobj(spool, out)


def write_output(text: str, path: str | Path | None, *, inputs: Iterable[str | Path] = (), stdout: IO[str] | None = None) -> None:
    """Write ``text`` whole to ``path`` (or standard output)."""
    with open_output(path, inputs=inputs, stdout=stdout) as out:
        out.write(text)


def _destination(path: Path) -> tuple[Path, bool]:
    """The file to write and whether it is replaced (True) or written through (False)."""
    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise OutputError(_("{path}: cannot write: the folder {folder} does not exist").format(path=path, folder=target.parent)) from None
        return target, True
    except OSError as exc:
        raise OutputError(_("{path}: cannot write: {reason}").format(path=path, reason=os_reason(exc))) from None
    if stat.S_ISREG(mode):
        return target, True
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return target, False
    raise OutputError(_("{path}: not a file an output can be written to (a folder, a disk or a socket)").format(path=path))


@contextmanager
def _replacing(target: Path, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file beside ``target`` that is renamed onto it when the block succeeds."""
    temporary: Path | None = None
    try:
        with _signals_held():  # a signal that ends the run waits until the temporary file is known, to be removed
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            temporary = Path(name)
        with open(handle, _mode("w", binary), encoding=_encoding(binary), newline=_newline(binary)) as out:
            yield out
        _set_mode(temporary, target)
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(_("{path}: cannot write: {reason}").format(path=target, reason=os_reason(exc))) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _set_mode(temporary: Path, target: Path) -> None:
    """An existing file keeps its mode; a new one gets what the umask gives (mkstemp makes 0600)."""
    try:
        os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)


def _mode(mode: str, binary: bool) -> str:
    return mode.replace("+", "b+") if binary and "+" in mode else mode + "b" if binary else mode


def _encoding(binary: bool) -> str | None:
    return None if binary else "utf-8"


def _newline(binary: bool) -> str | None:
    """Text is written with the newlines as given: ``\n`` stays ``\n`` on every platform."""
    return None if binary else ""


def _copy(spool: IO[Any], stdout: IO[Any] | None, binary: bool) -> None:
    """Copy the spooled output to standard output; text ends with a newline there, as a terminal expects."""
    out: IO[Any] = stdout if stdout is not None else (sys.stdout.buffer if binary else sys.stdout)
    if binary:
        shutil.copyfileobj(spool, out)
    else:
        last = ""
        while chunk := spool.read(1 << 16):
            out.write(chunk)
            last = chunk[-1]
        if last != "\n":
            out.write("\n")
    out.flush()


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait (blocked in this thread) until the block ends, then are handled."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on Windows
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class Terminated(SystemExit):
    """SIGTERM or SIGHUP arrived: unwind (so temporary files go), then exit as the signal asks."""


@contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while an output is being written (main thread only).

    Only a signal left to its default action is taken over: one that is ignored (``nohup``) stays
    ignored, and one a program embedding qlrules handles stays its own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, _frame: Any) -> None:
        raise Terminated(128 + signum)

    previous = {s: signal.signal(s, end) for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) is signal.SIG_DFL}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)

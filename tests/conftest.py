"""Shared fixtures and the Hypothesis profiles: a modest budget in CI, a large one on demand.

``ROOT`` is the repository root, for every test module (``from .conftest import ROOT``).
The ``cli`` fixture runs the ``qlrules`` command in this process, through click's
`CliRunner`; only the few tests that need a real process (the entry points, exit
statuses and tracebacks as a shell sees them, process pools, import lightness)
start one, and say so.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

import qlrules
from qlrules.i18n import set_language

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]

# Tests read messages in English unless they choose otherwise, and keep compiled rubrics
# in a cache of their own, never the user's; subprocesses inherit both.
os.environ["QLRULES_LANG"] = "en"
os.environ["QLRULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="qlrules-test-cache-")


@pytest.fixture(scope="session")
def seed() -> qlrules.Rubric:
    """The bundled seed rubric, compiled once."""
    return qlrules.load_rubric()


@dataclass(frozen=True)
class Run:
    """One run of the command: its exit status and its two streams, kept apart (as a process's are)."""

    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    output_bytes: bytes  # both streams interleaved, as a terminal shows them

    @property
    def returncode(self) -> int:
        return self.exit_code

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8")

    @property
    def output(self) -> str:
        return self.output_bytes.decode("utf-8")


#: ``cli(*args, input=None, env=None, cwd=None)``: the type of the `cli` fixture.
Cli = Callable[..., Run]


@pytest.fixture
def cli() -> Iterator[Cli]:
    """Run ``qlrules ARGS…`` in this process and return its `Run`.

    ``input`` is standard input; ``env`` is added to the environment for the run
    (messages are in English, as this file sets ``QLRULES_LANG``, unless ``env`` or
    ``--lang`` chooses otherwise); ``cwd`` is the working directory for the run.
    An exception the command does not turn into an exit
    status is raised here, not reported as exit 1, so a crash never passes for a
    refusal. The message language the command chose (``--lang``) is forgotten
    after each run, so tests stay independent.
    """

    def run(*args: str | os.PathLike[str], input: str | bytes | None = None,
            env: Mapping[str, str] | None = None, cwd: str | os.PathLike[str] | None = None) -> Run:
        from qlrules.cli import main

        set_language(None)
        try:
            with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
                result = CliRunner().invoke(main, [os.fspath(a) for a in args], input=input,
                                            env=env, catch_exceptions=False)
        finally:
            set_language(None)
        return Run(result.exit_code, result.stdout_bytes, result.stderr_bytes, result.output_bytes)

    yield run

"""Shared fixtures and the Hypothesis profiles: a modest budget in CI, a large one on demand."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import qlrules

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parents[1]

# Tests read messages in English unless they choose otherwise, and keep compiled rubrics
# in a cache of their own, never the user's; subprocesses inherit both.
os.environ["QLRULES_LANG"] = "en"
os.environ["QLRULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="qlrules-test-cache-")


@pytest.fixture(scope="session")
def seed() -> qlrules.Rubric:
    """The bundled seed rubric, compiled once."""
    return qlrules.load_rubric()

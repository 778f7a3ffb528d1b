"""A bounded load test on loopback: `qlrules serve` in a subprocess, thousands of requests at a
concurrency of 16, no errors, every answer the command line's report byte for byte.

It measures nothing (benchmarks/serve.py does): it stops after its requests or its time budget,
and fails if the budget ran out first.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .conftest import ROOT, Cli, cli  # noqa: F401
from .serving import running_server

REQUESTS = 2000
CONCURRENCY = 16
BUDGET = 60.0  # seconds; a stop, not a measurement
DOCUMENTS = [ROOT / "examples" / "unit.yaml", *sorted((ROOT / "tests" / "golden").glob("seed_*.yaml"))]


def test_thousands_of_requests_at_concurrency_16_all_answered_as_the_command(cli: Cli) -> None:
    documents = [(p.read_bytes(), cli("score", p, "--format", "json").stdout_bytes) for p in DOCUMENTS]
    deadline = time.monotonic() + BUDGET

    def worker(start: int) -> tuple[int, list[str]]:
        done, wrong = 0, []
        with httpx.Client(base_url=base, timeout=30) as http:
            for n in range(start, REQUESTS, CONCURRENCY):
                if time.monotonic() > deadline:
                    break
                body, expected = documents[n % len(documents)]
                answer = http.post("/v1/score", content=body)
                done += 1
                if answer.status_code != 200 or answer.content != expected:
                    wrong.append(f"request {n}: {answer.status_code} {answer.text[:200]}")
        return done, wrong

    with running_server() as base, ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(worker, range(CONCURRENCY)))
    answered = sum(done for done, _wrong in results)
    wrong = [w for _done, ws in results for w in ws]
    assert not wrong, wrong[:5]
    assert answered == REQUESTS, f"only {answered} of {REQUESTS} requests within {BUDGET:g} s"


def test_several_workers_answer_alike(cli: Cli, tmp_path: Path) -> None:
    body = (ROOT / "examples" / "unit.yaml").read_bytes()
    expected = cli("score", ROOT / "examples" / "unit.yaml", "--format", "json").stdout_bytes
    with running_server(workers=2) as base, httpx.Client(base_url=base, timeout=30) as http:
        answers = [http.post("/v1/score", content=body) for _ in range(20)]
    assert all(a.status_code == 200 and a.content == expected for a in answers)

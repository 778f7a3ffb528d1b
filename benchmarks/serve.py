"""Requests per second and latency of `qlrules serve` for single-unit scoring, on loopback.

Starts `qlrules serve` (one worker) on a free port, sends examples/unit.yaml to POST /v1/score
at concurrency 1 and then 16 (a thread pool of httpx clients), checks every answer is the
command line's report byte for byte, and prints rps, p50 and p99 for each, with the server
process's resident memory (VmRSS) before and after. Bounded: a fixed number of requests, and
it stops at --max-seconds per run whatever the count.

    python benchmarks/serve.py [--requests 2000] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "examples" / "unit.yaml"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load(base: str, body: bytes, expected: bytes, count: int, concurrency: int, max_seconds: float) -> tuple[float, list[float], int]:
    """``count`` requests at ``concurrency``: (elapsed, latencies in ms, wrong answers)."""
    deadline = time.perf_counter() + max_seconds
    latencies: list[float] = []
    wrong = 0

    def worker(share: int) -> tuple[list[float], int]:
        mine: list[float] = []
        bad = 0
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(share):
                if time.perf_counter() > deadline:
                    break
                started = time.perf_counter()
                answer = http.post("/v1/score", content=body)
                mine.append((time.perf_counter() - started) * 1000)
                bad += answer.status_code != 200 or answer.content != expected
        return mine, bad

    shares = [count // concurrency + (n < count % concurrency) for n in range(concurrency)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for mine, bad in pool.map(worker, shares):
            latencies += mine
            wrong += bad
    return time.perf_counter() - started, latencies, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    body = UNIT.read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]), "QLRULES_LANG": "en"}
    expected = subprocess.run([sys.executable, "-m", "qlrules", "score", str(UNIT), "--format", "json"], env=env,
                              capture_output=True, check=True).stdout
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "qlrules", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        httpx.post(base + "/v1/score", content=body)  # the first request imports what scoring needs
        before = rss_kib(server.pid)
        print(f"machine: nproc {os.cpu_count()}, python {sys.version.split()[0]}; server RSS before: {before / 1024:.1f} MiB")
        failed = 0
        for concurrency in (1, 16):
            count = args.requests // 4 if concurrency == 1 else args.requests
            elapsed, latencies, wrong = load(base, body, expected, count, concurrency, args.max_seconds)
            failed += wrong
            print(f"c={concurrency:<2} requests {len(latencies):>5}  {len(latencies) / elapsed:7.1f} rps  "
                  f"p50 {statistics.median(latencies):6.1f} ms  p99 {percentile(latencies, 99):6.1f} ms  wrong {wrong}")
        after = rss_kib(server.pid)
        print(f"server RSS after: {after / 1024:.1f} MiB ({(after - before) / 1024:+.1f} MiB)")
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())

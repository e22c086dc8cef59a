"""Benchmark `POST /api/v1/check` over loopback against a real server process.

Starts `python -m compliance.web` (what `compliance serve` runs) on a free 127.0.0.1 port with
a fresh SQLite file and rate limiting off, then drives it from concurrent clients (one thread
and one keep-alive connection each) for a bounded time, cycling through the example projects.
Every check is stored, so the figures include the audit-trail write.

    .venv/bin/python bench/api.py --seconds 10 --clients 8

Prints requests per second, p50 / p99 latency and the error count; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from itertools import cycle
from pathlib import Path
from typing import Any

import httpx
import yaml

from compliance.web.subprocess_server import ServerProcess

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"


def forms() -> list[dict[str, Any]]:
    """The example project forms (not their expectations), as JSON would carry them."""
    paths = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".expected.yaml"))
    return [json.loads(json.dumps(yaml.safe_load(p.read_text("utf-8")), default=str))
            for p in paths]


def client_loop(url: str, bodies: list[dict[str, Any]], deadline: float, offset: int,
                latencies: list[float], errors: list[int]) -> None:
    """One client: post forms back to back until the deadline, recording each latency."""
    with httpx.Client(base_url=url, timeout=30) as client:
        for body in cycle(bodies[offset:] + bodies[:offset]):
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                ok = client.post("/api/v1/check", json=body).status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            if not ok:
                errors.append(1)


def run(url: str, seconds: float, clients: int) -> dict[str, Any]:
    bodies = forms()
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=client_loop,
                                args=(url, bodies, deadline, i, latencies, errors))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered), "errors": len(errors), "clients": clients,
        "seconds": round(elapsed, 2), "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 2) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to drive the server")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--engine", choices=("durable", "python"), default="durable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as data_dir:
        env = {"COMPLIANCE_RATE_LIMIT_PER_MINUTE": "0", "COMPLIANCE_ENGINE": args.engine}
        with ServerProcess(Path(data_dir), env=env) as server:
            result = run(server.url, args.seconds, args.clients)
    result["engine"] = args.engine
    print(f"POST /api/v1/check · {args.engine} engine · {result['clients']} clients · "
          f"{result['seconds']} s")
    print(f"  {result['rps']} requests/s · p50 {result['p50_ms']} ms · p99 {result['p99_ms']} ms"
          f" · {result['errors']} errors of {result['requests']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

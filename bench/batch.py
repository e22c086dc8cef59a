"""Batch throughput: the durable_rules engine against the plain-Python oracle, 1 and 2 workers.

Generates a list (`compliance generate`'s rows, as a CSV), then checks it through the real
batch path (read, parse cells, check, in worker processes) with each engine and worker count,
and checks that both engines reach the same verdicts and findings on every row (differential
testing, DESIGN.md). Prints projects/second per run, the engine/oracle ratio and the peak RSS
of this process plus its workers; the last line is JSON for scripts:

    .venv/bin/python bench/batch.py --rows 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from compliance.batch.columns import build_columns
from compliance.batch.generate import generate, headers
from compliance.batch.listfiles import write_list
from compliance.batch.readers import open_table
from compliance.batch.runner import Job, evaluate

ENGINES = {"durable": "engine", "python": "oracle"}
#: what must agree between the engines, per row
Finding = tuple[str, tuple[str, ...], tuple[str, ...], str | None]


def check(path: Path, engine: str, workers: int) -> tuple[float, list[Finding]]:
    """Seconds to check the whole list, and every row's verdict and findings."""
    table = open_table(path)
    job = Job(engine, None, build_columns(table.header))
    started = time.perf_counter()
    findings = [(result.verdict, tuple(hit.rule_id for hit in result.failing),
                 tuple(hit.rule_id for hit in result.review), result.error)
                for _, result in evaluate(table.rows, job, workers)]
    elapsed = time.perf_counter() - started
    table.close()
    return elapsed, findings


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus the largest worker (ru_maxrss is KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rates: dict[str, float] = {}
    findings: dict[str, list[Finding]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        write_list(path, headers(), generate(args.rows, args.seed))
        for engine, role in ENGINES.items():
            for workers in (1, 2):
                seconds, findings[engine] = check(path, engine, workers)
                rates[f"{role}_{workers}"] = args.rows / seconds
                print(f"{engine:8} workers={workers}: {args.rows / seconds:10,.0f} projects/s "
                      f"({seconds:.1f} s)", flush=True)
    disagreements = sum(a != b for a, b in zip(findings["durable"], findings["python"],
                                               strict=True))
    ratio = rates["engine_2"] / rates["oracle_2"]
    print(f"engine/oracle ratio (2 workers): {ratio:.2f}; rows where the engines disagree: "
          f"{disagreements}; peak RSS {peak_rss_mb()} MiB")
    print(json.dumps({
        "n": args.rows, "engine_per_s": round(rates["engine_2"]),
        "oracle_per_s": round(rates["oracle_2"]), "ratio": round(ratio, 3), "workers": 2,
        "engine_per_s_1_worker": round(rates["engine_1"]),
        "oracle_per_s_1_worker": round(rates["oracle_1"]),
        "disagreements": disagreements, "peak_rss_mb": peak_rss_mb(),
    }))
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()

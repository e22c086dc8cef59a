"""Benchmark a single check: every example form, warmed, in-process, the full verdict.

What `compliance check` and `POST /api/v1/check` pay per project before any I/O: form → facts
→ engine → every rule's result (with `what_if` for the broken ones) → the verdict object and its
JSON. Both engines run in the same process on the same forms, so the ratio between them (and
between two commits run on the same machine) is the figure to compare, not the absolute time.
Once warm, the heap is frozen as the service freezes its own (`compliance/warmup.py`): without
it a full collection walking the rulebook landed in the p99 (1.6 ms one run, 2.4 the next).

    .venv/bin/python bench/check.py --rounds 50

Prints p50 / p99 per engine and stage; the last line is JSON
`{"p50_ms", "p99_ms", "engine", "python": {...}, "forms", "rounds"}` for the default engine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance.checker import Checker, read_form_file
from compliance.warmup import freeze_heap

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"


def forms() -> list[dict[str, Any]]:
    paths = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".expected.yaml"))
    return [read_form_file(path) for path in paths]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(stage: Callable[[dict[str, Any]], object], bodies: list[dict[str, Any]],
          rounds: int) -> list[float]:
    """Milliseconds per call, every form `rounds` times, after one warm-up round."""
    for body in bodies:
        stage(body)
    samples = []
    freeze_heap()  # as the service does once warm (compliance/warmup.py)
    for _ in range(rounds):
        for body in bodies:
            started = time.perf_counter()
            stage(body)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(engine: str, bodies: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    with Checker(engine=engine) as checker:
        stages = {
            "facts": checker.facts,
            "judge": checker.judge,
            "check": checker.check,
            "check+json": lambda body: checker.check(body).model_dump_json(),
        }
        figures = {}
        for name, stage in stages.items():
            samples = timed(stage, bodies, rounds)
            figures[name] = {"p50_ms": round(statistics.median(samples), 3),
                             "p99_ms": round(percentile(samples, 0.99), 3)}
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--engine", default="durable", choices=("durable", "python"))
    args = parser.parse_args()
    bodies = forms()
    other = "python" if args.engine == "durable" else "durable"
    results = {engine: measure(engine, bodies, args.rounds) for engine in (args.engine, other)}
    print(f"{len(bodies)} example forms × {args.rounds} rounds, warmed, in-process")
    print(f"{'stage':<12}" + "".join(f"{engine + ' p50':>14}{engine + ' p99':>14}"
                                     for engine in results))
    for stage in results[args.engine]:
        print(f"{stage:<12}" + "".join(
            f"{figures[stage]['p50_ms']:>12.3f}ms{figures[stage]['p99_ms']:>12.3f}ms"
            for figures in results.values()))
    main_figures = results[args.engine]["check+json"]
    ratio = main_figures["p50_ms"] / results[other]["check+json"]["p50_ms"]
    print(f"{args.engine} / {other} (check+json p50): {ratio:.2f}")
    print(json.dumps({**main_figures, "engine": args.engine,
                      other: results[other]["check+json"], "stages": results,
                      "forms": len(bodies), "rounds": args.rounds}, ensure_ascii=False))


if __name__ == "__main__":
    main()

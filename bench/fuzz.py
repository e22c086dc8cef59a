"""The fuzz tests at scale (outside CI): ≥ 10,000 examples per fuzz test, fresh random input.

Runs `pytest tests/fuzz` with FUZZ_EXAMPLES set (CI runs 300 derandomized examples per test;
here hypothesis draws new ones each run, or reproducibly with --seed), then prints the examples
run per test and outcome, the failures, and as the last line JSON for scripts:

    .venv/bin/python bench/fuzz.py [--examples 10000] [--seed 7]

The fuzz tests cover the form parser and the checker (`test_fuzz_forms`), `compliance check`
(`test_fuzz_cli`, a third of the examples: each is a whole run) and the batch row parser
(`test_fuzz_batch`: hostile cells in realistic rows, and JSONL forms, each a verdict or a clear
row error in time). Extra arguments after `--` go to pytest (`-- -x -k batch`).
Exit code: pytest's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per fuzz test")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (reproducible)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        report, junit = Path(scratch) / "counts.jsonl", Path(scratch) / "junit.xml"
        env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "FUZZ_RANDOM": "1",
               "FUZZ_REPORT": str(report)}
        command = [sys.executable, "-m", "pytest", "tests/fuzz", "-q", "-p", "no:cacheprovider",
                   f"--junitxml={junit}", "--hypothesis-show-statistics", *args.pytest_args]
        if args.seed is not None:
            command.append(f"--hypothesis-seed={args.seed}")
        print(f"$ FUZZ_EXAMPLES={args.examples} FUZZ_RANDOM=1 {' '.join(command)}", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command, cwd=ROOT, env=env).returncode
        seconds = time.perf_counter() - started
        counts = [json.loads(line) for line in report.read_text("utf-8").splitlines()] if (
            report.is_file()) else []
        tests = failures = errors = skipped = 0
        failed: list[str] = []
        if junit.is_file():
            for case in ElementTree.parse(junit).getroot().iter("testcase"):
                tests += 1
                name = f"{case.get('classname')}::{case.get('name')}"
                if case.find("failure") is not None:
                    failures += 1
                    failed.append(name)
                elif case.find("error") is not None:
                    errors += 1
                    failed.append(name)
                elif case.find("skipped") is not None:
                    skipped += 1

    print("\n=== fuzz summary ===")
    total = 0
    untranslated: set[str] = set()
    # a module may report more than once (pytest can set its fixtures up again when it regroups
    # parametrized tests); its counts are cumulative, so its last report holds them all
    latest = {entry["test"]: entry for entry in counts}
    for entry in latest.values():
        name = entry.pop("test")
        untranslated.update(entry.pop("untranslated", []))
        by_outcome = Counter({k: v for k, v in entry.items() if isinstance(v, int)})
        run = sum(by_outcome.values())  # each key counts distinct examples
        total += run
        print(f"{name}: {run} examples")
        for key, value in sorted(by_outcome.items()):
            print(f"  {key}: {value}")
    for message in sorted(untranslated):
        print(f"untranslated error message (English behind 无效：): {message}")
    print(f"pytest: {tests} tests, {failures} failed, {errors} errors, {skipped} skipped, "
          f"exit {code}, {seconds:.0f} s")
    for name in failed:
        print(f"  FAILED {name}")
    print(json.dumps({"examples": total, "examples_per_test": args.examples,
                      "failures": failures + errors, "tests": tests, "seconds": round(seconds),
                      "seed": args.seed, "exit_code": code}))
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Batch throughput: the durable_rules engine against the plain-Python oracle, 1 and 2 workers.

Generates a list (`compliance generate`'s rows, as a CSV), then checks it through the real
batch path (read, parse cells, check in worker processes, write a CSV and a JSONL of the
findings: what `compliance batch -o r.csv -o r.jsonl --jsonl-results findings` does) with each
engine and worker count, and checks that both engines reach the same verdicts and findings on
every row (differential testing, DESIGN.md). Then writes the default engine's results once more
as an .xlsx on its own (the writer alone: the workbook is written in the main process, so it
caps any run that asks for one). Prints projects/second per run, the workbook's rows/second,
the engine/oracle ratio and the peak RSS of the whole process tree (this process and all its
workers, summed: sampled every 0.2 s while the runs go on, from /proc; where there is no /proc,
this process's peak plus the largest worker's, which is less); the last line is JSON:

    .venv/bin/python bench/batch.py --rows 20000
    .venv/bin/python bench/batch.py --rows 20000 --shape notice

`--shape notice` checks a list shaped like a real one instead (`notice_list`: nine columns,
the facts in a 项目代码 and a free-text 建设规模及内容), whose rows cost more to read;
`--input xlsx` gives it as a workbook, read (in the parent) as bureaus' Excel lists are.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from compliance.batch.columns import build_columns
from compliance.batch.generate import generate, headers
from compliance.batch.listfiles import write_list
from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow, open_table
from compliance.batch.runner import Job, evaluate
from compliance.batch.summary import Summary
from compliance.batch.writers import Outputs, RunInfo
from compliance.checker import Checker

ENGINES = {"durable": "engine", "python": "oracle"}
#: what must agree between the engines, per row
Finding = tuple[str, tuple[str, ...], tuple[str, ...], str | None]


def check(path: Path, engine: str, workers: int,
          keep: list[tuple[SourceRow, RowResult]] | None = None) -> tuple[float, list[Finding]]:
    """Seconds to check the whole list into a CSV and a JSONL, and every row's findings; each
    row and its result are appended to `keep` when given. As `compliance batch` does, the
    parent builds a checker first (its rulebook is what the workers are sent)."""
    table = open_table(path)
    columns = build_columns(table.header)
    job = Job(engine, None, columns, with_json=True, json_results="findings")
    targets = [path.with_name(f"out-{engine}-{workers}{suffix}") for suffix in (".csv", ".jsonl")]
    info = RunInfo(path.name, engine, "", "各行申报日期")
    findings: list[Finding] = []
    summary = Summary()
    started = time.perf_counter()
    checker = Checker(engine=engine)
    with Outputs(targets, columns.headers, info) as outputs:
        for source, result in evaluate(table.rows, job, workers, checker):
            summary.add(result)
            outputs.write(source, result)
            if keep is not None:
                keep.append((source, result))
            findings.append((result.verdict, tuple(hit.rule_id for hit in result.failing),
                             tuple(hit.rule_id for hit in result.review), result.error))
        outputs.commit(summary)
    elapsed = time.perf_counter() - started
    checker.close()
    table.close()
    return elapsed, findings


#: the columns of a real list (an approval platform's export has 11: 项目代码 … 项目法人单位)
REAL_WIDTH = 11


def xlsx_alone(path: Path, checked: list[tuple[SourceRow, RowResult]],
               width: int | None = None) -> float:
    """Seconds to write checked rows as the result workbook, nothing else; with `width`, only
    each row's first `width` cells (a workbook's time grows with its cells)."""
    header = build_columns(open_table(path).header).headers[:width]
    info = RunInfo(path.name, "durable", "", "各行申报日期")
    summary = Summary()
    started = time.perf_counter()
    with Outputs([path.with_name("alone.xlsx")], header, info) as outputs:
        for source, result in checked:
            summary.add(result)
            cut = source if width is None else dataclasses.replace(source, cells=source.cells[:width])
            outputs.write(cut, result)
        outputs.commit(summary)
    return time.perf_counter() - started


class TreeMemory:
    """The peak of the summed resident memory of this process and all its descendants."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak_kib = every, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join()

    def _sample(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, tree_rss_kib(os.getpid()))
            if self.stop.wait(self.every):
                return

    def peak_mb(self) -> float:
        if not PROC.is_dir():  # no /proc: this process's peak plus the largest worker's
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return round((own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024, 1)
        return round(self.peak_kib / 1024, 1)


PROC = Path("/proc")


def tree_rss_kib(root: int) -> int:
    """The resident memory of `root` and every descendant now, in KiB (0 without /proc)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = (PROC / str(pid) / "status").read_text()
            tasks = (PROC / str(pid) / "task").iterdir()
            pending += [int(child) for task in tasks
                        for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # the process ended meanwhile
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=("generated", "notice"), default="generated",
                        help="the generated form columns, or a real list's nine (notice_list)")
    parser.add_argument("--input", choices=("csv", "xlsx"), default="csv",
                        help="the list as a CSV, or as a workbook (read in the parent)")
    args = parser.parse_args()
    rates: dict[str, float] = {}
    findings: dict[str, list[Finding]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bench.{args.input}"
        if args.shape == "notice":
            from notice_list import HEADER, notice_rows  # bench/, this script's folder

            header = HEADER
            write_list(path, header, notice_rows(args.rows, args.seed))
        else:
            header = headers()
            write_list(path, header, generate(args.rows, args.seed))
        with TreeMemory() as memory:
            for engine, role in ENGINES.items():
                for workers in (1, 2):
                    seconds, findings[engine] = check(path, engine, workers)
                    rates[f"{role}_{workers}"] = args.rows / seconds
                    print(f"{engine:8} workers={workers}: {args.rows / seconds:10,.0f} "
                          f"projects/s ({seconds:.1f} s)", flush=True)
        checked: list[tuple[SourceRow, RowResult]] = []  # held in memory: after the peak
        check(path, "durable", 2, checked)
        rates["xlsx"] = args.rows / xlsx_alone(path, checked)
        rates["xlsx_real_width"] = args.rows / xlsx_alone(path, checked, REAL_WIDTH)
        print(f"xlsx writer alone: {rates['xlsx']:10,.0f} rows/s ({len(header)} columns); "
              f"{rates['xlsx_real_width']:,.0f} rows/s with a real list's {REAL_WIDTH}", flush=True)
    disagreements = sum(a != b for a, b in zip(findings["durable"], findings["python"],
                                               strict=True))
    ratio = rates["engine_2"] / rates["oracle_2"]
    print(f"engine/oracle ratio (2 workers): {ratio:.2f}; rows where the engines disagree: "
          f"{disagreements}; peak RSS of the process tree {memory.peak_mb()} MiB")
    print(json.dumps({
        "n": args.rows, "engine_per_s": round(rates["engine_2"]),
        "oracle_per_s": round(rates["oracle_2"]), "ratio": round(ratio, 3), "workers": 2,
        "engine_per_s_1_worker": round(rates["engine_1"]),
        "oracle_per_s_1_worker": round(rates["oracle_1"]),
        "xlsx_rows_per_s": round(rates["xlsx"]),
        f"xlsx_rows_per_s_{REAL_WIDTH}_columns": round(rates["xlsx_real_width"]),
        "disagreements": disagreements, "peak_rss_mb": memory.peak_mb(),
        "outputs": ["csv", "jsonl findings"], "shape": args.shape, "columns": len(header),
        "input": args.input,
    }))
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()

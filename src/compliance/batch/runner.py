"""Checking a list in worker processes, streaming, in input order, with memory that stays flat.

Each worker process builds its own `Checker` (an engine handle means nothing in another
process, DESIGN.md) once, then checks chunks of rows. The parent reads rows, keeps at most a few
chunks per worker in flight and hands results on in input order, so a 1,000,000-row list is
never held in memory. Processes are started with `spawn` everywhere: forking a parent that
holds threads or an engine handle is what DESIGN.md warns against, and Windows has nothing else.
A row that cannot be read or checked becomes that row's error; the other rows go on.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from compliance.batch.chunks import CHUNK_ROWS, in_order
from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.worker import Job, Worker
from compliance.batch.writers import Outputs
from compliance.checker import Checker
from compliance.processes import die_with_parent
from compliance.rulebook import Rulebook
from compliance.warmup import freeze_heap

#: with the default worker count, a list shorter than this is checked in-process: a worker
#: process takes ~0.3 s to start and warm, in which ~600 rows are checked, so on 2 cores a pool
#: pays only from ~2,000 rows (measured: 1,200 rows 1.46 s in-process, 1.67 s in a pool; 2,400
#: rows 2.17 s and 1.99 s); more cores pay sooner, but a list this short takes a second or two
SMALL_LIST = 8 * CHUNK_ROWS

_WORKER: Worker | None = None


def _start_worker(job: Job, parent: int, rulebook: Rulebook | None = None) -> None:
    """Build the worker's checker, on the parent's `rulebook` when it sends one (unpickled in
    ~10 ms, where reading the rule files again takes ~110 ms of every worker's start); leave
    Ctrl-C to the parent, and die with the parent.

    A worker blocked on its task queue would outlive a parent killed outright, so a thread
    watches for the parent's end (on Windows, where orphans are not re-parented, it never
    fires, and the pool's own shutdown is relied on).
    """
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    _WORKER = Worker(job, Checker(rulebook, engine=job.engine) if rulebook is not None else None)
    freeze_heap()  # the rulebook and reference tables: out of every later full collection


def _check_chunk(rows: list[SourceRow]) -> list[RowResult]:
    assert _WORKER is not None, "worker process not initialised"
    return [_WORKER.check(row) for row in rows]


def evaluate(rows: Iterable[SourceRow], job: Job, workers: int | None = None,
             checker: Checker | None = None, scheduler: str | None = None
             ) -> Iterator[tuple[SourceRow, RowResult]]:
    """Every row with its result, in input order.

    `workers=None` means all cores, except that a list shorter than SMALL_LIST is checked
    in-process (starting processes would take longer than the list); an explicit count is
    always honoured. `checker` is used for in-process checking (built if not given), and its
    rulebook is sent to worker processes. With a `scheduler` address, the chunks go to that
    Dask cluster instead (`batch.cluster`).
    """
    if scheduler is not None:
        from compliance.batch.cluster import in_cluster

        yield from in_cluster(rows, job, scheduler)
        return
    iterator = iter(rows)
    if workers is None:
        head = list(itertools.islice(iterator, SMALL_LIST))
        iterator = itertools.chain(head, iterator)
        workers = 1 if len(head) < SMALL_LIST else multiprocessing.cpu_count()
    if workers <= 1:
        yield from _in_process(iterator, job, checker)
    else:
        yield from _in_pool(iterator, job, workers, checker.rulebook if checker else None)


def _in_process(rows: Iterator[SourceRow], job: Job, checker: Checker | None
                ) -> Iterator[tuple[SourceRow, RowResult]]:
    worker = Worker(job, checker)
    try:
        for row in rows:
            yield row, worker.check(row)
    finally:
        if checker is None:
            worker.close()


def _in_pool(rows: Iterator[SourceRow], job: Job, workers: int, rulebook: Rulebook | None
             ) -> Iterator[tuple[SourceRow, RowResult]]:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(
        "spawn"), initializer=_start_worker, initargs=(job, os.getpid(), rulebook))
    try:
        yield from in_order(rows, job, workers, lambda chunk: pool.submit(_check_chunk, chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_batch(rows: Iterable[SourceRow], job: Job, outputs: Outputs, workers: int | None = None,
              checker: Checker | None = None,
              on_row: Callable[[int], None] | None = None, scheduler: str | None = None
              ) -> Summary:
    """Check every row into every output and count it; commit the outputs only at the end.

    On any failure (including Ctrl-C) every output is discarded: nothing half-written remains.
    """
    summary = Summary()
    with outputs:
        for source, result in evaluate(rows, job, workers, checker, scheduler):
            summary.add(result)
            outputs.write(source, result)
            if on_row is not None:
                on_row(summary.rows)
        outputs.commit(summary)
    return summary

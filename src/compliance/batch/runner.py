"""Checking a list in worker processes, streaming, in input order, with memory that stays flat.

Each worker process builds its own `Checker` (an engine handle means nothing in another
process, DESIGN.md) once, then checks chunks of rows. The parent reads rows, keeps at most a few
chunks per worker in flight and hands results on in input order, so a 1,000,000-row list is
never held in memory. Processes are started with `spawn` everywhere: forking a parent that
holds threads or an engine handle is what DESIGN.md warns against, and Windows has nothing else.
A row that cannot be read or checked becomes that row's error; the other rows go on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from compliance.batch.columns import ColumnMap
from compliance.batch.findings import check_findings
from compliance.batch.outcome import (
    ERROR,
    UNKNOWN,
    RowResult,
    city_label,
    from_verdict,
    industry_label,
)
from compliance.batch.readers import SourceRow
from compliance.batch.rows import MAX_NAME_CHARS, Problem, RowError, RowParser, row_message
from compliance.batch.summary import Summary
from compliance.batch.writers import Outputs
from compliance.checker import Checker
from compliance.errors import InputError
from compliance.presenters.conformity import build as build_conformity
from compliance.processes import die_with_parent
from compliance.result import Verdict

CHUNK_ROWS = 256
#: rows per chunk when each row carries its whole verdict as JSON (about 75 KB): a chunk's
#: results are one pickle in the worker and wait in the parent, 256 of them were 20 MB each
FULL_JSON_CHUNK_ROWS = 16
#: chunks in flight per worker: enough to keep every worker busy, few enough to stay small
IN_FLIGHT_PER_WORKER = 3
#: with the default worker count, a list shorter than this is checked in-process
SMALL_LIST = 2 * CHUNK_ROWS


@dataclass(frozen=True)
class Job:
    """What every worker needs to check rows the same way (picklable)."""

    engine: str
    as_of: dt.date | None
    columns: ColumnMap | None  # None: the rows are forms (JSONL)
    with_json: bool = False
    #: what a JSONL output holds per row: the `full` verdict object, or its `findings` (the
    #: results that need action, and counts per status; see `findings`)
    json_results: str = "full"
    #: whether each row's 符合性分析 tables are built (`--conformity-dir`)
    conformity: bool = False
    #: on a cluster: the rulebook every worker must have, and the run's own name
    ruleset_version: str = ""
    token: str = ""

    @property
    def full_verdicts(self) -> bool:
        """Whether each row needs `Checker.check`'s whole verdict (full JSONL, the tables)."""
        return (self.with_json and self.json_results == "full") or self.conformity


class Worker:
    """Checks rows with one checker; lives in a worker process (or in-process for one worker)."""

    def __init__(self, job: Job, checker: Checker | None = None) -> None:
        self.job = job
        self.checker = checker or Checker(engine=job.engine)
        self.parser = RowParser(job.columns) if job.columns is not None else None

    def check(self, row: SourceRow) -> RowResult:
        """The row's result; never raises for anything a row may contain."""
        if row.error is not None:
            return RowResult(row.number, ERROR, error=row.error)
        form: dict[str, Any] = {}
        try:
            form = row.form if self.parser is None else self.parser.form(row.cells)
            verdict, verdict_json = self._verdict(form)
            tables = (build_conformity(verdict, self.checker.rulebook,
                                       self.checker.facts(form).values)
                      if self.job.conformity else None)
        except RowError as error:
            heard = {header for header, _ in error.problems}
            objection = self._objection(error.partial)
            later = [p for p in self._refusal(objection) if p[0] not in heard]
            return self._error(row.number, self._message(row.number, error.problems + later),
                               error.partial, objection)
        except InputError as error:
            return self._error(row.number, self._message(row.number, self._refusal(error)), form,
                               error)
        except Exception as error:  # a bug must cost one row, not the list
            return self._error(row.number, f"第 {row.number} 行：内部错误（{type(error).__name__}："
                                           f"{error}），请报告此问题", form, None)
        city, industry = _labels(form)
        result = from_verdict(row.number, verdict, city, industry, verdict_json)
        return dataclasses.replace(result, conformity=tables) if tables else result

    def _verdict(self, form: dict[str, Any]) -> tuple[Verdict, str | None]:
        """The row's verdict (whole, or only its findings) and, for JSONL, its JSON text."""
        if self.job.full_verdicts:
            verdict = self.checker.check(form, as_of=self.job.as_of)
            if self.job.with_json and self.job.json_results != "full":  # tables, findings JSONL
                return verdict, check_findings(self.checker, form, self.job.as_of).json()
            return verdict, verdict.model_dump_json() if self.job.with_json else None
        found = check_findings(self.checker, form, self.job.as_of)
        return found.verdict, found.json() if self.job.with_json else None

    def _refusal(self, error: InputError | None) -> list[Problem]:
        if error is None:
            return []
        if self.parser is not None:
            return self.parser.refusal(error)
        return [(problem.path, problem.message_zh) for problem in error.problems]

    def _objection(self, partial: dict[str, Any]) -> InputError | None:
        """What the checker would also refuse in a row whose cells could not all be read."""
        try:
            self.checker.facts(partial)
        except InputError as error:
            return error
        return None

    def _message(self, number: int, problems: list[Problem]) -> str:
        if self.parser is not None:
            return self.parser.message(number, problems)
        return row_message(number, problems)

    @staticmethod
    def _error(number: int, message: str, form: dict[str, Any],
               refusal: InputError | None) -> RowResult:
        refused = {problem.path for problem in refusal.problems} if refusal else set()
        city, industry = _labels(form, refused)
        name, reference = form.get("name"), form.get("id")
        return RowResult(number, ERROR, error=message, city=city, industry=industry,
                         project=name if isinstance(name, str) else None,
                         project_id=reference if isinstance(reference, str) else None)

    def close(self) -> None:
        self.checker.close()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _labels(form: dict[str, Any], refused: Collection[str] = ()) -> tuple[str, str]:
    """The city and the industry a summary counts a row under, from whatever the form holds.

    What the checker refused, or a name too long to be one, is counted as （无法识别） without
    being looked up again: a failed look-up searches every name for a suggestion, in time
    growing with the square of the text (a 1,000-character county cell took 15 s here).
    """
    location = form.get("location")
    location = location if isinstance(location, dict) else {}
    places = [_text(location.get(name)) for name in ("province", "city", "county", "admin_code")]
    if any(path.startswith("location") for path in refused) or any(
            place and len(place) > MAX_NAME_CHARS for place in places):
        city = UNKNOWN
    else:
        city = city_label(*places)
    industry = form.get("industry")
    first = _text(industry[0] if isinstance(industry, list) and industry else industry)
    if any(path.startswith("industry") for path in refused) or (
            first and len(first) > MAX_NAME_CHARS):
        return city, UNKNOWN
    return city, industry_label(first)


_WORKER: Worker | None = None


def _start_worker(job: Job, parent: int) -> None:
    """Build the worker's checker; leave Ctrl-C to the parent, and die with the parent.

    A worker blocked on its task queue would outlive a parent killed outright, so a thread
    watches for the parent's end (on Windows, where orphans are not re-parented, it never
    fires, and the pool's own shutdown is relied on).
    """
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    _WORKER = Worker(job)


def _check_chunk(rows: list[SourceRow]) -> list[RowResult]:
    assert _WORKER is not None, "worker process not initialised"
    return [_WORKER.check(row) for row in rows]


def _chunks(rows: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def evaluate(rows: Iterable[SourceRow], job: Job, workers: int | None = None,
             checker: Checker | None = None, scheduler: str | None = None
             ) -> Iterator[tuple[SourceRow, RowResult]]:
    """Every row with its result, in input order.

    `workers=None` means all cores, except that a list shorter than SMALL_LIST is checked
    in-process (starting processes would take longer than the list); an explicit count is
    always honoured. `checker` is used for in-process checking (built if not given). With a
    `scheduler` address, the chunks go to that Dask cluster instead (`batch.cluster`).
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
        yield from _in_pool(iterator, job, workers)


def _in_process(rows: Iterator[SourceRow], job: Job, checker: Checker | None
                ) -> Iterator[tuple[SourceRow, RowResult]]:
    worker = Worker(job, checker)
    try:
        for row in rows:
            yield row, worker.check(row)
    finally:
        if checker is None:
            worker.close()


def _in_pool(rows: Iterator[SourceRow], job: Job, workers: int
             ) -> Iterator[tuple[SourceRow, RowResult]]:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(
        "spawn"), initializer=_start_worker, initargs=(job, os.getpid()))
    try:
        yield from in_order(rows, job, workers, lambda chunk: pool.submit(_check_chunk, chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def in_order(rows: Iterator[SourceRow], job: Job, workers: int,
             submit: Callable[[list[SourceRow]], Any]) -> Iterator[tuple[SourceRow, RowResult]]:
    """Chunks submitted ahead (a few per worker), results taken back in input order: a pool's
    or a cluster's futures alike (anything with `result()`)."""
    pending: deque[tuple[list[SourceRow], Any]] = deque()
    size = FULL_JSON_CHUNK_ROWS if job.full_verdicts else CHUNK_ROWS
    try:
        for chunk in _chunks(rows, size):
            pending.append((chunk, submit(chunk)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()


def _collect(chunk: list[SourceRow], future: Future[list[RowResult]]
             ) -> Iterator[tuple[SourceRow, RowResult]]:
    yield from zip(chunk, future.result(), strict=True)


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

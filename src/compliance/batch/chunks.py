"""Rows sent out in chunks, a few per worker ahead, and their results taken back in input order.

The same for a local pool and a Dask cluster (anything whose submit returns a future): the
parent never holds more than a few chunks, so a 1,000,000-row list streams in flat memory.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any

from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.worker import Job

CHUNK_ROWS = 256
#: rows per chunk when each row carries its whole verdict as JSON (about 75 KB): a chunk's
#: results are one pickle in the worker and wait in the parent, 256 of them were 20 MB each
FULL_JSON_CHUNK_ROWS = 16
#: chunks in flight per worker: enough to keep every worker busy, few enough to stay small
IN_FLIGHT_PER_WORKER = 3


def _chunks(rows: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


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

"""`compliance batch --scheduler tcp://HOST:8786`: the same ordered chunks on a Dask cluster.

Reading the list, keeping the order and writing the outputs stay here, on the client; only the
checking goes out. The job is sent to every worker once; each worker process builds its own
checker on its first chunk (an engine handle means nothing in another process) and refuses to
check with a rulebook other than the client's, so a cluster with stale rules fails loudly
instead of answering by other rules. Needs the `cluster` extra (`distributed`).
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Iterable, Iterator

from compliance.batch.chunks import in_order
from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.worker import Job, Worker

NOT_INSTALLED = ("--scheduler 需要 Dask 的 distributed 包：请在项目目录运行 "
                 "pip install -e .[cluster]")
#: the checker of the run this worker process is serving (one run at a time)
_SERVING: dict[str, Worker] = {}
_LOCK = threading.Lock()
#: a scheduler on the same network answers at once; a wrong address should not keep one waiting
CONNECT_TIMEOUT = "10s"


class ClusterUnavailable(RuntimeError):
    """`distributed` is not installed, or the scheduler cannot be reached."""


def in_cluster(rows: Iterable[SourceRow], job: Job, address: str
               ) -> Iterator[tuple[SourceRow, RowResult]]:
    try:
        from distributed import Client
    except ImportError:
        raise ClusterUnavailable(NOT_INSTALLED) from None
    from compliance.rulebook import load_rulebook

    job = dataclasses.replace(job, ruleset_version=load_rulebook().version,
                              token=uuid.uuid4().hex)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as error:
        raise ClusterUnavailable(f"--scheduler：无法连接 {address}（{error}）") from None
    with client:
        shared = client.scatter(job, broadcast=True)
        workers = max(1, len(client.scheduler_info()["workers"]))
        yield from in_order(iter(rows), job, workers,
                            lambda chunk: client.submit(check_chunk, shared, chunk, pure=False))


def check_chunk(job: Job, rows: list[SourceRow]) -> list[RowResult]:
    """On a worker: the chunk's results, with this process's checker for the run."""
    with _LOCK:  # a worker's threads share its one checker
        worker = _SERVING.get(job.token)
        if worker is None:
            for stale in _SERVING.values():
                stale.close()
            _SERVING.clear()
            worker = _SERVING[job.token] = Worker(job)
            version = worker.checker.rulebook.version
            if version != job.ruleset_version:
                raise RuntimeError(f"worker rulebook {version} is not the client's "
                                   f"{job.ruleset_version}: update the workers' installation")
        return [worker.check(row) for row in rows]

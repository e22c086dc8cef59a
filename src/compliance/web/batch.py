"""Batch screening from the web: an upload becomes a job run in a worker process.

The parsing and checking of lists belongs to `compliance.batch`; this module only stores the
upload, runs a `Runner` on it away from the request threads (a spawned process builds its own
checker, as the engine requires, and parses the upload there, with a row limit) and keeps
each job's status in a small JSON file beside its files, so status survives restarts and needs
no database.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from multiprocessing import get_context
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any, Protocol

from compliance.web.batch_rows import write_index

log = logging.getLogger("compliance.web")

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xls", ".jsonl")
RESULT_KINDS = ("xlsx", "csv", "jsonl", "html")
STATUS_FILE = "status.json"
INTERRUPTED = "处理中断（服务停止或重启），请重新上传。"


class Runner(Protocol):
    """Checks every row of `source`, writes each of `outputs` (format by extension).

    Returns the number of rows per outcome (`rejected`, `needs_info`, `needs_review`,
    `compliant`, `error`); raises `BatchRefused` with a Chinese message for an unusable file or
    a list over `max_rows`. `name` is the uploaded file's name, for the reports;
    `progress(rows_done)` may be called after every row. Must be picklable (it runs in a
    spawned process): a module-level function or a `functools.partial` of one.
    """

    def __call__(self, source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None,
                 max_rows: int, progress: Callable[[int], None]) -> dict[str, int]: ...


class BatchUnavailable(RuntimeError):
    """No batch runner is installed; uploads are answered with 503."""


class BatchRefused(Exception):
    """The list cannot be screened as a whole; `str()` is the Chinese reason shown to users."""


def installed_runner(engine: str) -> Runner | None:
    """The runner built on `compliance.batch`, or None when batch screening is not installed."""
    try:
        from compliance.web.batch_runner import run_list
    except ImportError:
        return None
    return partial(run_list, engine=engine)


class _Progress:
    """Records rows done in the status file at most every `interval` seconds, not per row."""

    def __init__(self, job_dir: Path, interval: float = 0.5) -> None:
        self.job_dir = job_dir
        self.interval = interval
        self.last = 0.0

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            _write_status(self.job_dir, rows_done=rows)

    def columns(self, unknown: list[str]) -> None:
        """The list's columns that fill no field: shown on the job page, never dropped
        silently (their cells are kept in the result files, unchecked)."""
        _write_status(self.job_dir, unknown_columns=unknown)


def _write_status(job_dir: Path, **changes: Any) -> dict[str, Any]:
    """Merge `changes` into the job's status file, replacing it atomically."""
    path = job_dir / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    status.update(changes)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
    return status


def _fail_if_unfinished(job_dir: Path) -> None:
    status = json.loads((job_dir / STATUS_FILE).read_text(encoding="utf-8"))
    if status.get("state") in ("queued", "running"):
        _write_status(job_dir, state="failed", message=INTERRUPTED)


def run_job(runner: Runner, job_dir: Path, source: Path, name: str, as_of: dt.date | None,
            max_rows: int) -> None:
    """The worker side: run, then record `done` with counts or `failed` with a message."""
    _write_status(job_dir, state="running")
    outputs = [job_dir / f"result.{kind}" for kind in RESULT_KINDS]
    try:
        counts = runner(source, outputs, name=name, as_of=as_of, max_rows=max_rows,
                        progress=_Progress(job_dir))
    except BatchRefused as error:
        _write_status(job_dir, state="failed", message=str(error))
        return
    except Exception:
        log.exception("batch job %s failed", job_dir.name)
        _write_status(job_dir, state="failed", message="处理失败（服务器内部错误，已记录）。")
        return
    try:
        write_index(job_dir)
    except (OSError, ValueError, KeyError):  # the results stand; only the row list is missing
        log.exception("batch job %s: rows not indexed", job_dir.name)
    _write_status(job_dir, state="done", counts=counts, rows_done=sum(counts.values()))


class BatchJobs:
    """Uploads in, status and result files out; jobs run one at a time, each in a fresh
    spawned process (not forked: the parent holds engine state and threads), which shutdown
    can stop at once instead of waiting for a long list to finish."""

    def __init__(self, root: Path, runner: Runner | None, max_rows: int) -> None:
        self.root = root
        self.runner = runner
        self.max_rows = max_rows
        self._queue: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._current: BaseProcess | None = None
        self._closed = False
        self._fail_unfinished()

    @property
    def available(self) -> bool:
        return self.runner is not None

    def submit(self, upload: IO[bytes], filename: str, as_of: dt.date | None) -> str:
        """Store the upload, queue the job, return its id; `BatchRefused` for a wrong type."""
        if self.runner is None:
            raise BatchUnavailable
        suffix = Path(filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise BatchRefused("仅支持 CSV、XLSX、XLS 或 JSONL 文件（按扩展名识别）。")
        job_id = str(uuid.uuid4())
        job_dir = self.root / job_id
        job_dir.mkdir(parents=True)
        source = job_dir / f"input{suffix}"
        with source.open("wb") as target:
            shutil.copyfileobj(upload, target)
        name = Path(filename).name[:200]
        _write_status(job_dir, id=job_id, filename=name, state="queued",
                      created_at=dt.datetime.now(dt.UTC).isoformat(), rows_done=0,
                      as_of=as_of.isoformat() if as_of else None)
        self._queue.put((self.runner, job_dir, source, name, as_of, self.max_rows))
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="batch-jobs", daemon=True)
            self._thread.start()
        return job_id

    def status(self, job_id: str) -> dict[str, Any] | None:
        job_dir = self._job_dir(job_id)
        if job_dir is None or not (job_dir / STATUS_FILE).exists():
            return None
        return json.loads((job_dir / STATUS_FILE).read_text(encoding="utf-8"))

    def result(self, job_id: str, kind: str) -> Path | None:
        """The finished result file, or None while running, after failure or when unknown."""
        job_dir = self._job_dir(job_id)
        status = self.status(job_id)
        if job_dir is None or status is None or status["state"] != "done":
            return None
        path = job_dir / f"result.{kind}"
        return path if kind in RESULT_KINDS and path.is_file() else None

    def close(self) -> None:
        """Stop taking jobs and stop the running one; `_fail_unfinished` marks it next start."""
        self._closed = True
        self._queue.put(None)
        current = self._current
        if current is not None and current.is_alive():
            current.terminate()
            current.join(timeout=10)

    def _work(self) -> None:
        while (job := self._queue.get()) is not None and not self._closed:
            process = get_context("spawn").Process(target=run_job, args=job, daemon=True)
            self._current = process
            process.start()
            process.join()
            self._current = None
            _fail_if_unfinished(job[1])  # killed or crashed: it recorded no outcome

    def _fail_unfinished(self) -> None:
        """Jobs still queued or running from a previous start will never finish: say so."""
        for path in self.root.glob(f"*/{STATUS_FILE}") if self.root.is_dir() else ():
            _fail_if_unfinished(path.parent)

    def _job_dir(self, job_id: str) -> Path | None:
        """Only a well-formed UUID names a directory: ids never reach the file system raw."""
        try:
            return self.root / str(uuid.UUID(job_id))
        except ValueError:
            return None

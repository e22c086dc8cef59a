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
import zipfile
from collections.abc import Callable
from functools import partial
from multiprocessing import get_context
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any, Protocol

from compliance.processes import die_with_parent, parent_alive
from compliance.web.batch_limits import BatchRefused, count_lines, over_limit, too_long
from compliance.web.batch_rows import write_index

log = logging.getLogger("compliance.web")

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xls", ".jsonl")
#: lists whose rows are counted when uploaded: text by its line breaks, an .xlsx by what its
#: first sheet says (an .xls, and an .xlsx that does not say, when its job starts)
COUNTED_SUFFIXES = (".csv", ".jsonl", ".xlsx")
RESULT_KINDS = ("xlsx", "csv", "jsonl", "html")
STATUS_FILE = "status.json"
INTERRUPTED = "处理中断（服务停止或重启），请重新上传。"
CANCELLED = "已取消（未生成结果文件）。"
#: left in a job's folder by `cancel` before it stops the process
CANCEL_MARK = "cancel"


class Runner(Protocol):
    """Checks every row of `source`, writes each of `outputs` (format by extension).

    Returns the number of rows per outcome (`rejected`, `needs_info`, `needs_review`,
    `compliant`, `error`); raises `BatchRefused` with a Chinese message for an unusable file or
    a list over `max_rows`. `name` is the uploaded file's name, for the reports;
    `progress(rows_done)` may be called after every row; `mapping` says which field a header
    fills (`header: field path`, an empty path for none), beyond the known names; `row_link`,
    when not empty, is each row's report address without its row number. Must be picklable (it runs in a
    spawned process): a module-level function or a `functools.partial` of one.
    """

    def __call__(self, source: Path, outputs: list[Path], *, name: str, as_of: dt.date | None,
                 max_rows: int, progress: Callable[[int], None],
                 mapping: dict[str, str] | None, row_link: str) -> dict[str, int]: ...


class BatchUnavailable(RuntimeError):
    """No batch runner is installed; uploads are answered with 503."""


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
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
    return status


def _state(job_dir: Path) -> str:
    return json.loads((job_dir / STATUS_FILE).read_text(encoding="utf-8")).get("state", "")


def _fail_if_unfinished(job_dir: Path) -> None:
    """A job that ended without recording its outcome failed, unless it was cancelled (the
    canceller records that once the process is gone)."""
    if (job_dir / CANCEL_MARK).exists():
        return
    if _state(job_dir) in ("queued", "running"):
        _write_status(job_dir, state="failed", message=INTERRUPTED)


def run_job(runner: Runner, job_dir: Path, source: Path, name: str, as_of: dt.date | None,
            max_rows: int, mapping: dict[str, str] | None = None, row_link: str = "",
            server: int | None = None) -> None:
    """The worker side: run, then record `done` with counts or `failed` with a message. The
    job ends with the `server` process that started it: a service killed outright is marked
    interrupted when it starts again, and an orphaned job must not then record an outcome."""
    if server is not None:
        die_with_parent(server)
    _write_status(job_dir, state="running", started_at=dt.datetime.now(dt.UTC).isoformat())
    outputs = [job_dir / f"result.{kind}" for kind in RESULT_KINDS]
    try:
        counts = runner(source, outputs, name=name, as_of=as_of, max_rows=max_rows,
                        progress=_Progress(job_dir), mapping=mapping, row_link=row_link)
    except BatchRefused as error:
        _record_outcome(job_dir, server, state="failed", message=str(error))
        return
    except Exception:
        log.exception("batch job %s failed", job_dir.name)
        _record_outcome(job_dir, server, state="failed", message="处理失败（服务器内部错误，已记录）。")
        return
    try:
        write_index(job_dir)
    except (OSError, ValueError, KeyError):  # the results stand; only the row list is missing
        log.exception("batch job %s: rows not indexed", job_dir.name)
    _record_outcome(job_dir, server, state="done", counts=counts, rows_done=sum(counts.values()))


def _record_outcome(job_dir: Path, server: int | None, **outcome: Any) -> None:
    if server is not None and not parent_alive(server):
        return  # orphaned: its service is gone, and the next start says the job was interrupted
    _write_status(job_dir, **outcome)


#: lists up to this many rows (estimated) run in their own lane, so that a small list starts at
#: once even while a large one is being checked
SMALL_ROWS = 2_000
#: a workbook's rows are estimated from its size (a 2,000-row XLSX is ~150–300 KB)
WORKBOOK_BYTES_PER_ROW = 128
LANES = ("small", "large")
#: how often ended jobs past their retention are looked for, at most
SWEEP_SECONDS = 3600


#: a workbook is a zip of XML: refused before it is queued when unpacking it would take more
#: than this in all, or when one part unpacks to over MAX_RATIO times its packed size and to
#: more than RATIO_FLOOR (a zip bomb: a 1 MB upload that unpacks to gigabytes); real sheets
#: pack 5 to 30 times
MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_RATIO, RATIO_FLOOR = 200, 16 * 1024**2


def refuse_unpackable(source: Path) -> None:
    """`BatchRefused` in Chinese for an XLSX that is not a zip or would unpack too far."""
    if source.suffix.lower() != ".xlsx":
        return
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise BatchRefused("文件不是有效的 XLSX 工作簿（无法解压），请用 Excel 另存为 .xlsx 后重新上传。"
                           ) from None
    total = sum(part.file_size for part in parts)
    bomb = any(part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * part.compress_size
               for part in parts)
    if total > MAX_UNPACKED_BYTES or bomb:
        raise BatchRefused(
            f"工作簿解压后约 {total / 1024**2:,.0f} MiB，超出处理上限（{MAX_UNPACKED_BYTES // 1024**3} GiB，"
            f"且单个部件的压缩比不超过 {MAX_RATIO} 倍），未审查任何一行。请拆分清单或另存为 CSV 后上传。")
    from compliance.batch.readers import UnusableInput  # the batch package is optional here
    from compliance.batch.workbook import refuse_declarations

    try:
        refuse_declarations(source)
    except UnusableInput as error:
        raise BatchRefused(str(error)) from None


def estimate_rows(source: Path) -> int:
    """About how many rows a list has, without reading it as a table: line breaks in a text
    file; in a workbook the rows its first sheet says it spans, else a guess from its size."""
    if source.suffix.lower() == ".xlsx":
        from compliance.batch.workbook import declared_rows

        declared = declared_rows(source)
        if declared is not None:
            return declared
    if source.suffix.lower() in (".xlsx", ".xls"):
        return source.stat().st_size // WORKBOOK_BYTES_PER_ROW
    return count_lines(source)


class BatchJobs:
    """Uploads in, status and result files out. Jobs run in two lanes, small lists and large
    ones, each lane one job at a time in a fresh spawned process (not forked: the parent holds
    engine state and threads), which cancel and shutdown can stop at once."""

    def __init__(self, root: Path, runner: Runner | None, max_rows: int,
                 retention: dt.timedelta = dt.timedelta(days=7)) -> None:
        self.root = root
        self.runner = runner
        self.max_rows = max_rows
        self.retention = retention
        self._swept = 0.0
        self._queues: dict[str, queue.Queue[tuple[Any, ...] | None]] = {
            lane: queue.Queue() for lane in LANES}
        self._threads: dict[str, threading.Thread] = {}
        self._running: dict[str, tuple[str, BaseProcess]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._fail_unfinished()
        self.sweep()

    @property
    def available(self) -> bool:
        return self.runner is not None

    def submit(self, upload: IO[bytes], filename: str, as_of: dt.date | None,
               mapping: dict[str, str] | None = None, site: str = "") -> str:
        """Store the upload, queue the job in its lane, return its id; `BatchRefused` for a
        wrong type. `mapping`: which field each named header fills (see `Runner`); `site`: the
        service's address, for the links from the result rows to their reports."""
        if self.runner is None:
            raise BatchUnavailable
        suffix = Path(filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise BatchRefused("仅支持 CSV、XLSX、XLS 或 JSONL 文件（按扩展名识别）。")
        job_id = str(uuid.uuid4())
        job_dir = self.root / job_id
        job_dir.mkdir(parents=True)
        source = job_dir / f"input{suffix}"
        name = Path(filename).name[:200]
        try:
            with source.open("wb") as target:
                shutil.copyfileobj(upload, target)
            refuse_unpackable(source)
        except BaseException:  # refused, or the disk is full: no half-stored upload stays
            shutil.rmtree(job_dir, ignore_errors=True)
            raise
        if time.monotonic() - self._swept > SWEEP_SECONDS:
            self.sweep()
        rows = estimate_rows(source)
        if source.suffix.lower() in COUNTED_SUFFIXES and over_limit(rows, self.max_rows):
            shutil.rmtree(job_dir, ignore_errors=True)  # refused before it is queued
            raise too_long(rows, self.max_rows)
        lane = "small" if rows <= SMALL_ROWS else "large"
        _write_status(job_dir, id=job_id, filename=name, state="queued",
                      created_at=dt.datetime.now(dt.UTC).isoformat(), rows_done=0,
                      rows_estimated=rows, as_of=as_of.isoformat() if as_of else None,
                      mapping=mapping or {})
        row_link = f"{site.rstrip('/')}/batch/{job_id}/rows/" if site else ""
        self._queues[lane].put((self.runner, job_dir, source, name, as_of, self.max_rows,
                                mapping, row_link))
        with self._lock:
            if lane not in self._threads:
                self._threads[lane] = threading.Thread(
                    target=self._work, args=(lane,), name=f"batch-{lane}", daemon=True)
                self._threads[lane].start()
        return job_id

    def cancel(self, job_id: str) -> bool:
        """Stop a queued or running job (its partial files are removed); False when it has
        already ended or is unknown."""
        job_dir = self._job_dir(job_id)
        with self._lock:  # a queued job is not started while this decides
            status = self.status(job_id)
            if job_dir is None or status is None or status["state"] not in ("queued", "running"):
                return False
            running = [process for running_id, process in self._running.values()
                       if running_id == job_id]
            (job_dir / CANCEL_MARK).touch()
            if not running:
                _write_status(job_dir, state="cancelled", message=CANCELLED)
        for process in running:
            process.terminate()
            process.join(timeout=10)
        if running:
            _write_status(job_dir, state="cancelled", message=CANCELLED)
        for partial_file in job_dir.glob("result.*"):
            partial_file.unlink(missing_ok=True)
        return True

    def status(self, job_id: str) -> dict[str, Any] | None:
        job_dir = self._job_dir(job_id)
        if job_dir is None or not (job_dir / STATUS_FILE).exists():
            return None
        return json.loads((job_dir / STATUS_FILE).read_text(encoding="utf-8"))

    def source(self, job_id: str) -> Path | None:
        """The uploaded list of a job, to check it again (with a mapping)."""
        job_dir = self._job_dir(job_id)
        found = sorted(job_dir.glob("input.*")) if job_dir is not None else []
        return found[0] if found else None

    def result(self, job_id: str, kind: str) -> Path | None:
        """The finished result file, or None while running, after failure or when unknown."""
        job_dir = self._job_dir(job_id)
        status = self.status(job_id)
        if job_dir is None or status is None or status["state"] != "done":
            return None
        path = job_dir / f"result.{kind}"
        return path if kind in RESULT_KINDS and path.is_file() else None

    def close(self) -> None:
        """Stop taking jobs and stop the running ones; `_fail_unfinished` marks them next
        start."""
        self._closed = True
        for lane_queue in self._queues.values():
            lane_queue.put(None)
        with self._lock:
            running = [process for _, process in self._running.values()]
        for process in running:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)

    def _work(self, lane: str) -> None:
        while (job := self._queues[lane].get()) is not None and not self._closed:
            job_dir: Path = job[1]
            process = get_context("spawn").Process(target=run_job, args=(*job, os.getpid()),
                                                   daemon=True)
            with self._lock:
                if _state(job_dir) != "queued":  # cancelled while it waited
                    continue
                process.start()
                self._running[lane] = (job_dir.name, process)
            process.join()
            with self._lock:
                self._running.pop(lane, None)
            _fail_if_unfinished(job_dir)  # killed or crashed: it recorded no outcome

    def sweep(self) -> int:
        """Remove the jobs that ended more than `retention` ago (upload and results: lists
        hold enterprises' data, and a disk fills), and the temporary files (`.part`) a job
        that did not finish left behind; the number of jobs removed. Run at start-up and then
        at most every SWEEP_SECONDS, when a job is submitted."""
        self._swept = time.monotonic()
        removed = 0
        now = dt.datetime.now(dt.UTC)
        for status_file in self.root.glob(f"*/{STATUS_FILE}") if self.root.is_dir() else ():
            job_dir = status_file.parent
            try:
                status = json.loads(status_file.read_text(encoding="utf-8"))
                created = dt.datetime.fromisoformat(status["created_at"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # being written, or not a job of ours: left alone
            if status.get("state") in ("queued", "running"):
                continue
            if now - created > self.retention:
                shutil.rmtree(job_dir, ignore_errors=True)
                removed += 1
            else:
                for leftover in (*job_dir.glob(".*.part"), *job_dir.glob(f"{STATUS_FILE}.*.tmp")):
                    leftover.unlink(missing_ok=True)
        return removed

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

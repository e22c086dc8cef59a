"""One service per data dir: a lock held while the service runs.

The batch jobs of a data dir are run and watched by the service that queued them; a second
service started on the same folder used to mark the first one's running jobs as interrupted
(what a start does with jobs left from a stopped service) and both would take the same queue.
So a service holds an exclusive lock on `data_dir/.lock` (released by the operating system if
the process dies) and another refuses to start. POSIX only (`fcntl`); elsewhere there is no
lock and one service per folder is the operator's rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"


class DataDirBusy(RuntimeError):
    """Another process runs a service on this data dir; `str()` says so in Chinese."""


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / LOCK_FILE
        self._handle: IO[str] | None = self.path.open("a")
        if fcntl is None:
            return
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.close()
            self._handle = None
            raise DataDirBusy(f"数据目录「{data_dir}」正由另一个服务进程使用（同一数据目录只能运行一个"
                              "服务）；请先停止它，或用 --data-dir 指定另一个目录") from None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the lock
            self._handle = None

"""A run stopped halfway (Ctrl-C, SIGTERM, a worker killed) ends on our own message.

Real processes and real signals: the traceback these guard against (`Exception ignored in …
WriteOnlyWorksheet._write_rows … I/O operation on closed file`) appeared only at interpreter
exit, after the last message, with an xlsx output open.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch.conftest import run

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]


@pytest.fixture(scope="module")
def long_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "g.csv"
    assert run("generate", "--rows", "3000", "--seed", "2", "-o", path).exit_code == 0
    return path


def _start(source: Path, folder: Path, workers: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "compliance", "batch", str(source), "-o",
               str(folder / "r.xlsx"), "-o", str(folder / "r.csv"), "--workers", workers,
               "--engine", "python", "-q"]
    # a background job (nohup, CI) inherits SIGINT ignored, and Python then leaves it so
    return subprocess.Popen(command, stderr=subprocess.PIPE, env={**os.environ, "CI": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_rows(folder: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the csv's temporary file holds rows: the xlsx sheet stream is open by then."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        parts = list(folder.glob(".r.csv.*.part"))
        if parts and parts[0].stat().st_size > 20_000:
            return
        time.sleep(0.05)
    pytest.fail("the run wrote no rows")


def _workers(pid: int) -> list[int]:
    """The pool's worker processes (not multiprocessing's resource tracker)."""
    tasks = Path(f"/proc/{pid}/task")
    children = [child for task in tasks.iterdir() for child in (task / "children").read_text()
                .split()]
    return [int(child) for child in children
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()]


@pytest.mark.parametrize(("stop", "workers", "code", "message"), [
    ("SIGTERM", "1", 130, "已中断，未写出任何输出文件"),
    ("SIGINT", "1", 130, "已中断，未写出任何输出文件"),
    ("SIGINT", "2", 130, "已中断，未写出任何输出文件"),
    ("kill a worker", "2", 2, "错误：工作进程意外退出，未写出任何输出文件；可改用 --workers 1 重试"),
])
def test_the_last_line_is_ours(long_list: Path, tmp_path: Path, stop: str, workers: str,
                               code: int, message: str) -> None:
    process = _start(long_list, tmp_path, workers)
    _wait_for_rows(tmp_path, process)
    if stop == "kill a worker":
        if not Path("/proc").is_dir():
            process.kill()
            pytest.skip("needs /proc to find the workers")
        for child in _workers(process.pid):
            os.kill(child, signal.SIGKILL)
    else:
        process.send_signal(getattr(signal, stop))
    _, stderr = process.communicate(timeout=60)
    lines = stderr.decode("utf-8").strip().splitlines()
    assert process.returncode == code, lines
    assert lines[-1] == message, lines
    assert sorted(path.name for path in tmp_path.iterdir()) == []

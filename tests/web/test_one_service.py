"""One service per data dir, and a job whose service was killed records nothing afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compliance.web import batch
from compliance.web.batch import STATUS_FILE, _record_outcome, _write_status
from compliance.web.datadir import DataDirBusy, DataDirLock
from compliance.web.subprocess_server import ServerProcess

ORPHAN = """
import multiprocessing, os, sys, time
from compliance.processes import die_with_parent

def child(parent):
    die_with_parent(parent, every=0.1)
    time.sleep(60)

if __name__ == "__main__":
    process = multiprocessing.get_context("spawn").Process(target=child, args=(os.getpid(),))
    process.start()
    print(process.pid, flush=True)
    time.sleep(60)
"""


@pytest.mark.slow
def test_a_second_service_on_the_same_data_dir_refuses_to_start(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, env={"COMPLIANCE_ENGINE": "python"}):
        second = subprocess.run([sys.executable, "-m", "compliance.web", "--data-dir",
                                 str(tmp_path), "--engine", "python"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert "正由另一个服务进程使用" in second.stderr and "Traceback" not in second.stderr
    DataDirLock(tmp_path).release()  # free again once the first has stopped


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first = DataDirLock(tmp_path)
    with pytest.raises(DataDirBusy):
        DataDirLock(tmp_path)
    first.release()
    DataDirLock(tmp_path).release()


def test_an_orphaned_job_records_no_outcome(tmp_path: Path) -> None:
    _write_status(tmp_path, state="failed", message=batch.INTERRUPTED)  # the restart said so
    _record_outcome(tmp_path, os.getppid() + 10**6, state="done", counts={"compliant": 1})
    assert '"failed"' in (tmp_path / STATUS_FILE).read_text(encoding="utf-8")
    _record_outcome(tmp_path, os.getppid(), state="done", counts={"compliant": 1})
    assert '"done"' in (tmp_path / STATUS_FILE).read_text(encoding="utf-8")


def _gone(pid: int) -> bool:
    """Ended (a zombie waiting for a reaper counts as ended); read from /proc (Linux, as CI)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def test_a_worker_ends_when_its_parent_is_killed_outright() -> None:
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not _gone(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)

"""`bench/batch.py`: its memory figure is the whole process tree's, its last line JSON."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "batch.py"
MIB = 1024
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_batch", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tree_memory_sums_every_child() -> None:
    """ru_maxrss gave this process plus the largest child, not the sum of the workers."""
    bench = _bench()
    hold = "import sys; data = bytearray(80 << 20); data[::4096] = b'x' * len(data[::4096]); " \
           "print(1, flush=True); sys.stdin.read()"
    children = [subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE) for _ in range(2)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == b"1\n"
        with bench.TreeMemory(every=0.05) as memory:
            while memory.peak_kib == 0:
                pass
        alone = bench.tree_rss_kib(children[0].pid)
        assert alone > 80 * MIB
        assert memory.peak_mb() * MIB > 2 * 80 * MIB
    finally:
        for child in children:
            child.communicate(b"")


def test_the_last_line_is_the_issues_json() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--rows", "40"], capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"n", "engine_per_s", "oracle_per_s", "ratio", "workers", "peak_rss_mb",
            "xlsx_rows_per_s", "xlsx_rows_per_s_11_columns"} <= figures.keys()
    assert figures["n"] == 40 and figures["workers"] == 2 and figures["disagreements"] == 0
    assert figures["peak_rss_mb"] > 0 and figures["xlsx_rows_per_s"] > 0

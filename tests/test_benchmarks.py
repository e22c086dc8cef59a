"""The benchmarks themselves: both engines in one run, fixed rates, the last line JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[1] / "bench" / "check.py"


def _figures(script: str, *arguments: str) -> dict:
    """Run a bench script; its last line, which must be JSON, after a clean exit."""
    result = subprocess.run([sys.executable, str(BENCH.with_name(script)), *arguments],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_last_line_is_the_issues_json() -> None:
    figures = _figures("check.py", "--rounds", "1")
    assert {"p50_ms", "p99_ms", "engine", "python", "stages", "forms"} <= figures.keys()
    assert figures["engine"] == "durable" and figures["forms"] >= 12
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert set(figures["stages"]["python"]) == {"facts", "judge", "check", "check+json"}


def test_the_api_bench_sends_at_a_fixed_rate_and_counts_what_was_stored() -> None:
    figures = _figures("api.py", "--rate", "10", "--seconds", "1")
    assert {"rate", "p50_ms", "p99_ms", "errors", "stored"} <= figures.keys()
    assert figures["sent"] == 10 and figures["errors"] == 0
    assert figures["stored"] == figures["ok"] == 10


def test_the_batch_bench_writes_the_outputs_and_compares_the_engines() -> None:
    figures = _figures("batch.py", "--rows", "600")
    assert figures["n"] == 600 and figures["disagreements"] == 0
    assert figures["outputs"] == ["csv", "jsonl findings"]
    assert figures["engine_per_s"] > 0 and figures["peak_rss_mb"] > 0


def test_the_batch_bench_reads_a_list_shaped_like_a_real_one_from_a_workbook() -> None:
    figures = _figures("batch.py", "--rows", "300", "--shape", "notice", "--input", "xlsx")
    assert figures["shape"] == "notice" and figures["columns"] == 9
    assert figures["input"] == "xlsx"
    assert figures["n"] == 300 and figures["disagreements"] == 0


def test_a_real_shaped_list_reads_without_row_errors(tmp_path: Path) -> None:
    """Its columns agree with its descriptions: the bench measures reading, not refusals."""
    sys.path.insert(0, str(BENCH.parent))
    try:
        from notice_list import HEADER, notice_rows
    finally:
        sys.path.remove(str(BENCH.parent))
    from compliance.batch.listfiles import write_list

    listed = tmp_path / "notice.csv"
    write_list(listed, HEADER, notice_rows(400, 7))
    result = subprocess.run([sys.executable, "-m", "compliance", "batch", str(listed), "-o",
                             str(tmp_path / "out.csv"), "--workers", "1", "-q"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert "400 行" in result.stderr and "错误 0" in result.stderr, result.stderr
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 401

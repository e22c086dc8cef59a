"""examples/lists/notice.csv, a list shaped like an online-platform export: every row's outcome
its README states holds (the README's table is parsed, not copied)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.batch.conftest import EXAMPLES, last_line, markdown_table, run

README = (EXAMPLES / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## A list shaped like an online-platform export"):]


def table() -> list[tuple[int, str]]:
    """(CSV row, outcome) for every row of the notice list's table."""
    return [(int(cells[1]), cells[-1]) for cells in markdown_table(SECTION, "| 序号 | 行 |")]


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, Any]]:
    output = tmp_path_factory.mktemp("notice") / "r.jsonl"
    result = run("batch", EXAMPLES / "notice.csv", "--as-of", "2024-06-01", "-o", output,
                 "--jsonl-results", "findings")
    assert result.exit_code == 1, result.stderr
    assert last_line(result).startswith("10 行：不予通过 4，") and last_line(result).endswith("错误 1")
    return {record["row"]: record for record in map(json.loads,
                                                      output.read_text("utf-8").splitlines())}


@pytest.mark.parametrize(("row", "outcome"), table())
def test_every_row_of_the_notice_list(records: dict[int, dict[str, Any]], row: int,
                                      outcome: str) -> None:
    record = records[row]
    statuses = {result["rule_id"]: result["status"] for result in record.get("results", [])}
    codes = re.findall(r"`([^`]+)`", outcome)
    kind = outcome.split(":")[0]
    if kind == "错误":
        assert record["error"] == codes[0]
    elif kind == "不予通过":
        assert record["verdict"] == "rejected"
        assert all(statuses[code] == "fail" for code in codes), statuses
    else:
        assert kind == "需补充" and record["verdict"] == "needs_info", record["verdict"]
        missing = {path for result in record["results"] if result["status"] == "needs_info"
                   for path in result["missing"]}
        assert set(codes) <= missing, missing


def test_a_fact_read_from_the_description_is_stated_in_its_result(
        records: dict[int, dict[str, Any]]) -> None:
    oven = next(result for result in records[2]["results"]
                if result["rule_id"] == "anyang-2019-19/coke-oven-4.3m")
    assert "从「建设规模及内容」读出：焦炉炭化室高度 4.3 米（「4.3米捣固焦炉」）" in oven["explanation"]
    clinker = next(result for result in records[4]["results"]
                   if result["rule_id"] == "anyang-2019-19/cement-clinker-2000tpd")
    assert "建设地点按项目代码「2106-410581-04-01-583203」读出" in clinker["explanation"]


@pytest.mark.slow
def test_the_same_list_gives_the_same_results_in_any_process(tmp_path) -> None:
    """Same input, same output: two processes (with different string hashes) write the notice
    list's full verdicts byte for byte alike; the readings a result states (建设地点按项目代码…,
    从「建设规模及内容」读出…) once came in the order of a set."""
    written = []
    for seed in ("1", "2"):
        target = tmp_path / f"r{seed}.jsonl"
        subprocess.run([sys.executable, "-m", "compliance", "batch", str(EXAMPLES / "notice.csv"),
                        "--as-of", "2024-06-01", "-o", str(target), "--quiet"],
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, check=False)
        written.append(target.read_bytes())
    assert written[0] and written[0] == written[1]

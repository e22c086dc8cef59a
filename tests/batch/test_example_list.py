"""examples/lists: both files run, and every count and outcome its README states holds.

The README is read, not copied: its counts sentence and its per-row table (CSV row number,
序号, outcome) are parsed and checked against the outputs of `compliance batch`, so the file
cannot go stale when rules change or the list is edited.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.batch.conftest import EXAMPLES, last_line, markdown_table, run

README = (EXAMPLES / "README.md").read_text(encoding="utf-8")
COUNTS = re.compile(r"(\d+) rows, (\d+) rejected \(不予通过\), (\d+) errors \(错误\)")
STARTS = re.compile(r"starts `([^`]+)` and ends `([^`]+)`")


def table() -> list[tuple[str, int, str]]:
    """(序号, CSV row, outcome) for every row of the README's per-row table."""
    return [(cells[0], int(cells[1]), cells[-1])
            for cells in markdown_table(README, "| 序号 | CSV 行 |")]


@pytest.fixture(scope="module", params=["projects.gbk.csv", "projects.xlsx"])
def checked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[str, dict[int, dict[str, Any]], Path, str]:
    """(file name, JSONL records by CSV row number, output folder, stderr's last line)."""
    folder = tmp_path_factory.mktemp("example")
    outputs = [folder / f"r.{suffix}" for suffix in ("xlsx", "csv", "jsonl", "html")]
    result = run("batch", EXAMPLES / request.param, "--mapping", EXAMPLES / "mapping.yaml",
                 *(arg for output in outputs for arg in ("-o", output)))
    assert result.exit_code == 1, result.stderr
    offset = 1 if request.param.endswith(".xlsx") else 0  # the workbook's title row
    records = {}
    for line in (folder / "r.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        records[record["row"] - offset] = record
    return request.param, records, folder, last_line(result)


@pytest.mark.slow
def test_the_stated_counts(checked: tuple[str, dict[int, dict[str, Any]], Path, str]) -> None:
    _, records, folder, summary = checked
    match = COUNTS.search(README)
    assert match, "README states no counts"
    rows, rejected, errors = map(int, match.groups())
    assert len(records) == rows == len(table())
    verdicts = [record["verdict"] for record in records.values()]
    assert (verdicts.count("rejected"), verdicts.count("error")) == (rejected, errors)
    starts, ends = STARTS.search(README).groups()  # type: ignore[union-attr]
    assert summary.startswith(starts) and summary.endswith(ends)
    sheet = load_workbook(folder / "r.xlsx")["审查结果"]
    assert sheet.max_row == rows + 1
    assert len(list(csv.reader((folder / "r.csv").read_text("utf-8-sig").splitlines()))) == rows + 1


def test_every_row_of_the_table(checked: tuple[str, dict[int, dict[str, Any]], Path, str]
                                ) -> None:
    name, records, folder, _ = checked
    offset = 1 if name.endswith(".xlsx") else 0
    numbers = _list_numbers(folder / "r.csv")
    for number, row, outcome in table():
        record = records[row]
        assert numbers[row] == ("" if number == "—" else number), f"row {row}: 序号"
        statuses = {result["rule_id"]: result["status"] for result in record.get("results", [])}
        codes = re.findall(r"`([^`]+)`", outcome)
        kind = outcome.split(":")[0]
        if kind == "错误":
            assert record["error"] == _shifted(codes[0], offset), outcome
            continue
        assert record["error"] is None, (row, record["error"])
        failing = {rule for rule, status in statuses.items() if status == "fail"}
        if kind == "不予通过":
            assert record["verdict"] == "rejected" and set(codes) <= failing, (row, failing)
            continue
        assert not failing and record["verdict"] != "rejected", (row, failing)
        if kind == "需审查":
            assert all(statuses[code] == "review" for code in codes), (row, outcome)
        elif kind == "未生效":
            assert all(statuses[code] == "not_in_force" for code in codes), (row, outcome)
        elif kind == "需补充":
            missing = {path for result in record["results"] if result["status"] == "needs_info"
                       for path in result["missing"]}
            assert set(codes) <= missing, (row, missing)
        else:
            assert outcome == "无不符合", outcome


def test_what_the_outcomes_cannot_say(checked: tuple[str, dict[int, dict[str, Any]], Path, str]
                                      ) -> None:
    """Cells read right where no rule would fail either way, and formulas made inert."""
    _, records, folder, _ = checked
    full_width = {r["rule_id"]: r for r in records[20]["results"]}
    assert full_width["anyang-2019-19/coke-oven-4.3m"]["status"] == "pass"  # ６.２５米 read
    assert "6.25" in full_width["anyang-2019-19/coke-oven-4.3m"]["explanation"]
    rows = list(csv.reader((folder / "r.csv").read_text("utf-8-sig").splitlines()))
    remark = rows[0].index("备注")
    assert rows[23][remark] == "'=cmd|' /C calc'!A0"


def _list_numbers(output: Path) -> dict[int, str]:
    """序号 by CSV row number (the outputs carry the list's own cells and 原表行号)."""
    rows = list(csv.reader(output.read_text("utf-8-sig").splitlines()))
    number, source = rows[0].index("序号"), rows[0].index("原表行号")
    offset = int(rows[1][source]) - 2  # the workbook's title row
    return {int(row[source]) - offset: row[number] for row in rows[1:]}


def _shifted(message: str, offset: int) -> str:
    """A CSV row's message as the workbook gives it (its rows are one lower)."""
    return re.sub(r"第 (\d+) 行", lambda match: f"第 {int(match[1]) + offset} 行", message)

"""`compliance batch` end to end: exit codes, nothing lost, workers, the example list."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from compliance.batch.columns import resolve_header
from compliance.batch.session import show_progress
from tests.batch.conftest import HEADER, ROWS, last_line, run, write_csv


def test_exit_0_when_nothing_is_rejected_or_errored(tmp_path: Path) -> None:
    compliant = ["电子电路项目", "新建", "C3982", "成都", "武侯区", "", "", "", "", "2022-10-10", ""]
    source = write_csv(tmp_path / "ok.csv", HEADER, [compliant, ROWS[3][0]])
    result = run("batch", source, "-o", tmp_path / "r.csv")
    assert result.exit_code == 0, result.stderr
    assert last_line(result).startswith("2 行：不予通过 0，")
    assert last_line(result).endswith("，错误 0")


@pytest.mark.slow
def test_exit_1_when_a_row_errored(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", HEADER, [ROWS[1][0], ROWS[5][0]])
    assert run("batch", source, "-o", tmp_path / "r.csv").exit_code == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.csv", None, "文件不存在"),
    ("list.txt", "a,b\n", "不支持的文件类型"),
    ("empty.csv", "", "没有表头"),
])
def test_exit_2_for_an_unusable_input(tmp_path: Path, name: str, content: str | None,
                                      message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("batch", path, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert not (tmp_path / "r.xlsx").exists()


def _workbook(path: Path, first: list[list[str]]) -> Path:
    book = Workbook()
    book.active.title = "说明"
    for row in first:
        book.active.append(row)
    book.create_sheet("数据").append(["项目名称", "城市"])
    book.save(path)
    return path


@pytest.mark.parametrize(("name", "first", "message"), [
    ("forms.jsonl", None, "没有可审查的行（文件为空或只有空行）"),
    ("blank.jsonl", [], "没有可审查的行（文件为空或只有空行）"),
    ("header.csv", [["项目名称", "城市"]], "没有可审查的行（只有表头）"),
    ("empty.xlsx", [], "工作表「说明」没有表头（为空或只有空行）；工作簿中还有：数据，可用 --sheet 指定"),
    ("header.xlsx", [["项目名称", "城市"]],
     "工作表「说明」没有可审查的行（只有表头）；工作簿中还有：数据，可用 --sheet 指定"),
])
def test_a_list_without_rows_is_unusable(tmp_path: Path, name: str,
                                         first: list[list[str]] | None, message: str) -> None:
    """Not "0 行" and exit 0: an empty list is most likely the wrong file or sheet."""
    path = tmp_path / name
    if path.suffix == ".xlsx":
        _workbook(path, first or [])
    elif first is None:
        path.write_bytes(b"")
    else:
        path.write_text("\n".join(",".join(row) for row in first) + "\n\n  \n", "utf-8")
    result = run("batch", path, "-o", tmp_path / "r.csv")
    assert result.exit_code == 2, result.stderr
    assert last_line(result) == f"错误：{path}: {message}"
    assert not (tmp_path / "r.csv").exists()


def test_a_one_column_list_loses_no_row(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("名单\n安阳焦化\n孝感水泥\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("名单: name\n", encoding="utf-8")
    result = run("batch", source, "-o", tmp_path / "r.jsonl", "--mapping", mapping)
    records = (tmp_path / "r.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["row"] for line in records] == [2, 3]
    assert result.exit_code == 1 and last_line(result).startswith("2 行")


def test_title_rows_above_the_header_are_reported(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", ["2023年拟建项目清单"], [[], HEADER, ROWS[0][0]])
    result = run("batch", source, "-o", tmp_path / "r.csv")
    assert "表头在第 3 行，其上 1 行视为标题，不参与审查" in result.stderr
    assert last_line(result).startswith("1 行")


@pytest.mark.parametrize("args", [
    ["-o", "r.pdf"], [], ["-o", "r.csv", "-o", "r.csv"], ["-o", "r.csv", "--as-of", "昨天"],
    ["-o", "r.csv", "--mapping", "nope.yaml"], ["-o", "no/such/dir/r.csv"],
])
def test_exit_2_for_usage_errors(small_list: Path, args: list[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(small_list.parent)
    result = run("batch", small_list, *args)
    assert result.exit_code == 2, result.stderr
    assert "错误" in result.stderr


@pytest.mark.slow
def test_nothing_is_lost(tmp_path: Path) -> None:
    """Blank, broken, short and over-long rows all come out, once, in order, and are counted."""
    lines = [",".join(str(cell) for cell in cells) for cells, _ in ROWS]
    lines += ["只有名称", "多列,新建,C2521,安阳,,6米,,,,2020-01-01,,多出一格,再多一格",
              ",,,,,,,,,,"]
    lines.insert(3, "")
    source = tmp_path / "messy.csv"
    source.write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n最后一行,新建,C3982,成都"
                      + "\n\n\n", encoding="gbk")
    result = run("batch", source, "-o", tmp_path / "r.jsonl", "-o", tmp_path / "r.csv")
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    rows = list(csv.reader((tmp_path / "r.csv").read_text("utf-8-sig").splitlines()))[1:]
    assert len(records) == len(rows) == len(lines) + 1
    assert [record["row"] for record in records] == list(range(2, len(lines) + 3))
    assert "多于表头列数" in records[-3]["error"]
    counts = last_line(result).split("：")[1]
    total = sum(int(part.split()[-1].replace(",", "")) for part in counts.split("，"))
    assert total == len(records) and last_line(result).startswith(f"{len(records)} 行")


def test_unknown_columns_are_reported_once(small_list: Path, tmp_path: Path) -> None:
    result = run("batch", small_list, "-o", tmp_path / "r.csv")
    assert result.stderr.count("未识别的列") == 1 and "备注" in result.stderr


@pytest.mark.slow
def test_two_workers_give_the_same_output_as_one(tmp_path: Path) -> None:
    source = tmp_path / "g.csv"
    assert run("generate", source, "--rows", "600", "--seed", "5").exit_code == 0
    outputs = {}
    for workers in ("1", "2"):
        jsonl, table = tmp_path / f"w{workers}.jsonl", tmp_path / f"w{workers}.csv"
        result = run("batch", source, "-o", jsonl, "-o", table, "--workers", workers,
                     "--as-of", "2024-06-01", "--engine", "python")
        assert result.exit_code in (0, 1), result.stderr
        outputs[workers] = (jsonl.read_bytes(), table.read_bytes(), last_line(result))
    assert outputs["1"] == outputs["2"]
    assert outputs["1"][2].startswith("600 行")


@pytest.mark.slow
def test_as_of_applies_to_every_row(small_list: Path, tmp_path: Path) -> None:
    run("batch", small_list, "-o", tmp_path / "r.jsonl", "--as-of", "2019年1月1日")
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert {record["as_of"] for record in records if record["error"] is None} == {"2019-01-01"}


def test_template_has_every_header_and_dropdowns(tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    result = run("batch", "--template", target)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(target)["项目清单"]
    headers = [cell.value for cell in sheet[1]]
    assert all(resolve_header(header) for header in headers)
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    column = {header: cell.column_letter for header, cell in zip(headers, sheet[1], strict=True)}
    assert lists[f"{column['建设性质']}2"] == '"新建,扩建,改建（技术改造）,搬迁"'
    assert lists[f"{column['环评批复']}2"] == '"是,否"'
    assert sheet.freeze_panes == "A2"


def test_progress_only_for_a_person(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert show_progress(quiet=False)
    assert not show_progress(quiet=True)
    monkeypatch.setenv("CI", "true")
    assert not show_progress(quiet=False)

"""Bad input never costs a row: hostile lists through `compliance batch`, end to end.

Each list goes through every output format at once; each time there is exactly one record per
input row, in input order, in every output, and the summary counts add up to the rows (issue 6,
item 4): broken rows of every kind, truncated files, mixed encodings, merged cells and formulas.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import Result

from compliance.batch.generate import generate, headers
from tests.batch.conftest import HEADER, ROWS, cache_formula_value, last_line, run

pytestmark = pytest.mark.slow

MB = 1 << 20
COLUMNS = list(headers())
OUTPUTS = ("xlsx", "csv", "jsonl", "html")
#: what a broken row of each kind looks like (issue 6, item 2's list)
Breakage = Callable[[list[str]], list[str]]


def _cell(header: str, value: str) -> Breakage:
    def brake(row: list[str]) -> list[str]:
        row[COLUMNS.index(header)] = value
        return row
    return brake


BROKEN: dict[str, Breakage] = {
    "wrong type": _cell("焦炉炭化室高度（米）", "高"),
    "wrong type (bool)": _cell("环评批复", "7"),
    "huge number": _cell("新增产能（扩建为增量）", "9" * 400),
    "huge exponent": _cell("距长江岸线距离（公里）", "1e400"),
    "NaN": _cell("焦炉炭化室高度（米）", "NaN"),
    "negative capacity": _cell("新增产能（扩建为增量）", "-150万吨/年"),
    "unknown code": _cell("所属行业", "C9999"),
    "unknown place": _cell("城市", "火星市"),
    "1 MB string": _cell("项目名称", "安" * MB),
    "1 MB place": _cell("区县", "龙" * MB),
    "emoji": _cell("城市", "🏭🔥"),
    "full-width digits": _cell("焦炉炭化室高度（米）", "６.２５米"),
    "monthly capacity": _cell("新增产能（扩建为增量）", "10万吨/月"),
    "blank row": lambda row: [""] * len(row),
    "empty line": lambda row: [],
    "short row": lambda row: row[:3],
    "over-long row": lambda row: [*row, "多出", "两格"],
}


#: broken-looking rows that are read: `NaN` means "unknown" (asked for, not judged), and
#: full-width digits are digits
READABLE = frozenset({"NaN", "full-width digits"})


def _outputs(folder: Path) -> list[str]:
    return [arg for suffix in OUTPUTS for arg in ("-o", str(folder / f"r.{suffix}"))]


def check_list(source: Path, folder: Path, numbers: list[int], *args: str) -> Result:
    """Run the list into every output; each holds one record per row number, in order."""
    result = run("batch", source, *_outputs(folder), *args)
    assert result.exit_code in (0, 1), result.stderr
    records = [json.loads(line) for line in (folder / "r.jsonl").read_text("utf-8").splitlines()]
    assert [record["row"] for record in records] == numbers
    rows = list(csv.reader((folder / "r.csv").read_text("utf-8-sig").splitlines()))
    assert [int(row[-1]) for row in rows[1:]] == numbers
    sheet = load_workbook(folder / "r.xlsx", read_only=True)["审查结果"]
    assert [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)] == numbers
    summary = last_line(result)
    counts = [int(part.split()[-1].replace(",", "")) for part in summary.split("：")[1].split("，")]
    assert summary.startswith(f"{len(numbers):,} 行") and sum(counts) == len(numbers)
    assert summary in (folder / "r.html").read_text("utf-8")
    return result


def _generated(count: int, seed: int) -> list[list[str]]:
    return [["" if row.get(name) is None else str(row[name]) for name in COLUMNS]
            for row in generate(count, seed)]


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([COLUMNS, *rows])
    return path


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("清单")
    for row in [COLUMNS, *rows]:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_five_percent_broken_rows_of_every_kind(tmp_path: Path, suffix: str) -> None:
    rows = _generated(400, seed=21)
    kinds = list(BROKEN)
    broken = random.Random(4).sample(range(399), 20)  # 5 %; never the last row
    for number, index in enumerate(broken):
        rows[index] = BROKEN[kinds[number % len(kinds)]](rows[index])
    source = tmp_path / f"broken{suffix}"
    (_write_csv if suffix == ".csv" else _write_xlsx)(source, rows)
    # the CSV through two worker processes and durable_rules, the workbook in-process
    args = ["--workers", "2"] if suffix == ".csv" else ["--workers", "1", "--engine", "python"]
    check_list(source, tmp_path, list(range(2, 402)), *args)
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    for number, index in enumerate(broken):
        kind, record = kinds[number % len(kinds)], records[index]
        assert (record["verdict"] == "error") == (kind not in READABLE), (kind, record)


@pytest.fixture(scope="module")
def sixty(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    return _generated(60, seed=8)


@pytest.mark.parametrize(("encoding", "cut"), [
    ("utf-8", "mid-row"), ("utf-8", "mid-character"), ("gbk", "mid-character"),
    ("utf-8", "in a quoted field"),
])
def test_a_truncated_csv_keeps_every_row_it_has(tmp_path: Path, sixty: list[list[str]],
                                                encoding: str, cut: str) -> None:
    rows = [list(row) for row in sixty]
    rows[-1][COLUMNS.index("备注")] = "最后一行，\n含换行" if cut == "in a quoted field" else "安阳"
    whole = _write_csv(tmp_path / "whole.csv", rows, encoding).read_bytes()
    last = whole.rindex(b"\r\n", 0, len(whole) - 2) + 2  # where the last row starts
    if cut == "mid-row":
        end = last + (len(whole) - last) // 2
    elif cut == "mid-character":  # inside the last row's last multi-byte character
        end = max(i for i in range(last, len(whole)) if whole[i] >= 0x80) if encoding == "gbk" \
            else max(i for i in range(last, len(whole)) if 0x80 <= whole[i] < 0xC0)
    else:
        end = whole.index("含换行".encode(), last) + 3
    source = tmp_path / "cut.csv"
    source.write_bytes(whole[:end])
    check_list(source, tmp_path, list(range(2, 62)))
    record = json.loads((tmp_path / "r.jsonl").read_text("utf-8").splitlines()[-1])
    if cut == "mid-character":
        assert "无法解码" in record["error"]


def test_a_truncated_workbook_is_refused_whole(tmp_path: Path, sixty: list[list[str]]) -> None:
    data = _write_xlsx(tmp_path / "whole.xlsx", sixty).read_bytes()
    source = tmp_path / "cut.xlsx"
    source.write_bytes(data[: len(data) // 2])
    result = run("batch", source, *_outputs(tmp_path))
    assert result.exit_code == 2
    assert last_line(result).startswith(f"错误：{source}: 无法作为 Excel 文件读取")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cut.xlsx", "whole.xlsx"]


@pytest.mark.parametrize(("dominant", "other"), [("gbk", "utf-8"), ("utf-8", "gbk")])
def test_a_csv_mixing_gbk_and_utf8_lines(tmp_path: Path, sixty: list[list[str]],
                                         dominant: str, other: str) -> None:
    lines = []
    for row in [COLUMNS, *sixty]:
        text = ",".join(f'"{cell}"' if "," in cell or "\n" in cell else cell for cell in row)
        lines.append(text.encode(other if len(lines) % 7 == 3 else dominant))
    lines[20] = b"\xff\xfe" + lines[20]  # one line in neither encoding
    source = tmp_path / "mixed.csv"
    source.write_bytes(b"\r\n".join(lines) + b"\r\n")
    check_list(source, tmp_path, list(range(2, 62)))
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    names = [row[COLUMNS.index("项目名称")] for row in sixty]
    assert "无法解码" in records[19]["error"]
    assert [r["project"] for n, r in enumerate(records) if n != 19] == names[:19] + names[20:]


def test_a_workbook_with_merged_cells_and_formulas(tmp_path: Path) -> None:
    header = [*HEADER, "附注"]
    book = Workbook()
    sheet = book.active
    sheet.append(["2024年拟建项目清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for cells, _ in ROWS:
        sheet.append([*cells, ""])
    height = HEADER.index("焦炉炭化室高度") + 1
    sheet.cell(4, height, "=2*3")  # computed by Excel: its value is read
    sheet.cell(5, height, "=1/0")  # never computed: reads as blank
    sheet.merge_cells(start_row=3, start_column=4, end_row=5, end_column=4)  # 所在市, vertical
    sheet.merge_cells(start_row=10, start_column=len(HEADER), end_row=10,
                      end_column=len(header))  # 备注 over 附注, horizontal
    sheet.merge_cells(start_row=8, start_column=1, end_row=9, end_column=2)  # a block
    source = tmp_path / "merged.xlsx"
    book.save(source)
    cache_formula_value(source, "2*3", "6")
    check_list(source, tmp_path, list(range(3, 3 + len(ROWS))))
    rows = list(csv.reader((tmp_path / "r.csv").read_text("utf-8-sig").splitlines()))
    city, height_column = header.index("所在市"), header.index("焦炉炭化室高度")
    assert [row[city] for row in rows[1:4]] == ["安阳", "安阳", "安阳"]  # filled down
    assert [row[height_column] for row in rows[1:4]] == ["4.3米", "6", ""]
    assert rows[6][0] == rows[7][0] == str(ROWS[5][0][0])  # the block's first column

"""Reading lists: encodings detected, rows numbered as in Excel, nothing skipped silently."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
from openpyxl import Workbook

from compliance.batch.readers import SourceRow, UnusableInput, detect_encoding, open_table
from tests.batch.conftest import (
    ENTITY_BOMB,
    HEADER,
    ROWS,
    XXE,
    cache_formula_value,
    declared_workbook,
    write_csv,
)

CHINESE = [cells for cells, _ in ROWS[:4]]


def rows_of(path: Path, sheet: str | None = None) -> tuple[list[object], list[tuple[int, ...]]]:
    table = open_table(path, sheet)
    try:
        return table.header, [(row.number, *row.cells, row.error) for row in table.rows]
    finally:
        table.close()


@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_csv_encodings(tmp_path: Path, encoding: str, detected: str) -> None:
    path = write_csv(tmp_path / "list.csv", HEADER, CHINESE, encoding)
    assert detect_encoding(path.read_bytes()[:4096]) == detected
    header, rows = rows_of(path)
    assert header == HEADER
    assert [row[1] for row in rows] == [cells[0] for cells in CHINESE]
    assert [row[0] for row in rows] == [2, 3, 4, 5]


def test_utf8_sample_cut_inside_a_character_is_still_utf8() -> None:
    data = "项目名称,城市\n安阳焦化,安阳\n".encode()
    assert detect_encoding(data[:-5]) == "utf-8"


def test_utf16_with_bom() -> None:
    assert detect_encoding(codecs.BOM_UTF16_LE + "项目".encode("utf-16-le")) == "utf-16"


def test_tab_and_semicolon_separated(tmp_path: Path) -> None:
    for separator in ("\t", ";"):
        path = tmp_path / "list.csv"
        path.write_text(f"项目名称{separator}城市\n安阳焦化{separator}安阳\n", encoding="utf-8")
        assert rows_of(path)[1] == [(2, "安阳焦化", "安阳", None)]


def test_title_rows_above_the_header_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("2023年项目清单,,\n,,\n项目名称,城市,备注\n安阳焦化,安阳,\n", encoding="utf-8")
    header, rows = rows_of(path)
    assert header == ["项目名称", "城市", "备注"]
    assert rows == [(4, "安阳焦化", "安阳", "", None)]


@pytest.mark.parametrize(("header", "rows"), [("名单", 39), ("名单", 2), ("项目名称", 39)])
def test_no_row_after_a_one_column_header_is_lost(tmp_path: Path, header: str,
                                                  rows: int) -> None:
    """Looking for a two-cell header row used to throw away the up to 30 rows it read."""
    path = tmp_path / "list.csv"
    path.write_text("\n".join([header, *(f"项目{n}" for n in range(rows))]) + "\n", "utf-8")
    found, read = rows_of(path)
    assert found == [header]
    assert [row[:2] for row in read] == [(n + 2, f"项目{n}") for n in range(rows)]


def test_a_known_header_is_the_header_even_with_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("项目名称\nA\nB\nC,多出一格\nD\n", encoding="utf-8")
    header, rows = rows_of(path)
    assert header == ["项目名称"] and [row[0] for row in rows] == [2, 3, 4, 5]


def test_inner_blank_rows_are_errors_and_trailing_ones_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("项目名称,城市\nA,安阳\n,\n  ,\nB,孝感\n,\n,\n\n", encoding="utf-8")
    _, rows = rows_of(path)
    assert [(row[0], row[-1]) for row in rows] == [
        (2, None), (3, "第 3 行：空行（没有任何内容）"), (4, "第 4 行：空行（没有任何内容）"),
        (5, None)]


def test_undecodable_bytes_are_marked_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("项目名称,城市\n".encode() + "安阳焦化,安阳\n".encode() * 5
                     + b"\xff\xfe,x\n")
    _, rows = rows_of(path)
    assert len(rows) == 6 and "\ufffd" in rows[5][1]


def _mixed(path: Path, dominant: str, other: str, every: int, rows: int = 100) -> list[str]:
    """A list in `dominant` with every `every`-th row in `other`; returns the names written."""
    names = [f"{cells[0]}{n}" for n in range(rows) for cells in CHINESE[n % 4:n % 4 + 1]]
    lines = [",".join(HEADER[:4]).encode(dominant)]
    for n, name in enumerate(names):
        cells = CHINESE[n % 4]
        text = ",".join([name, *cells[1:4]])
        lines.append(text.encode(other if n % every == every - 1 else
                                 dominant.removesuffix("-sig")))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return names


@pytest.mark.parametrize(("dominant", "other", "every"), [
    ("gbk", "utf-8", 100), ("gbk", "utf-8", 20), ("gbk", "utf-8", 5), ("gbk", "utf-8", 2),
    ("utf-8", "gbk", 100), ("utf-8", "gbk", 20), ("utf-8", "gbk", 5), ("utf-8", "gbk", 2),
    ("utf-8-sig", "gbk", 20), ("gb18030", "utf-8", 20),
])
def test_mixed_encodings_read_every_row_right(tmp_path: Path, dominant: str, other: str,
                                              every: int) -> None:
    """A GBK list with a few UTF-8 rows was refused whole ("无法识别文件编码")."""
    names = _mixed(tmp_path / "list.csv", dominant, other, every)
    header, rows = rows_of(tmp_path / "list.csv")
    assert header == HEADER[:4]
    assert [row[1] for row in rows] == names
    assert [row[2:5] for row in rows] == [tuple(CHINESE[n % 4][1:4]) for n in range(100)]


@pytest.mark.parametrize("dominant", ["utf-8", "gbk"])
def test_a_line_in_neither_encoding_is_marked_in_its_row_only(tmp_path: Path,
                                                              dominant: str) -> None:
    path = tmp_path / "list.csv"
    good = "\r\n".join(",".join(cells[:4]) for cells in CHINESE).encode(dominant)
    path.write_bytes(",".join(HEADER[:4]).encode(dominant) + b"\r\n" + good
                     + b"\r\n\xff\xfe\xff,x,y,z\r\n" + good + b"\r\n")
    _, rows = rows_of(path)
    assert len(rows) == 9 and "\ufffd" in rows[4][1]
    assert [row[1] for row in rows[:4] + rows[5:]] == [cells[0] for cells in CHINESE] * 2


def test_a_damaged_utf8_line_is_not_read_as_gbk(tmp_path: Path) -> None:
    """A UTF-8 line cut inside a character is damaged UTF-8: as GB18030 it would decode to
    other, wrong Chinese, silently."""
    path = tmp_path / "list.csv"
    line = "安阳市龙安区焦化项目,新建,C2521,安阳".encode()
    path.write_bytes("项目名称,建设性质,所属行业,所在市\n".encode() + line[:7] + line[8:] + b"\n"
                     + line + b"\n")
    _, rows = rows_of(path)
    assert "\ufffd" in rows[0][1] and rows[1][1] == "安阳市龙安区焦化项目"


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "清单"
    sheet.append(["2023年拟建项目清单"])
    sheet.merge_cells("A1:D1")
    sheet.append(["项目名称", "所在市", "焦炉炭化室高度", "申报日期"])
    sheet.append(["A", "安阳市", 4.3, None])
    sheet.append(["B", None, "=2*3", None])
    sheet.append(["C", None, 6, None])
    sheet.merge_cells("B3:B5")
    sheet.append(["D", "孝感市", "6米", None])
    book.create_sheet("第二页").append(["项目名称", "城市"])
    book.save(path)
    return path


def test_xlsx_merged_cells_and_formula(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "list.xlsx")
    cache_formula_value(path, "2*3", "6")
    header, rows = rows_of(path)
    assert header == ["项目名称", "所在市", "焦炉炭化室高度", "申报日期"]
    assert [row[:4] for row in rows] == [
        (3, "A", "安阳市", 4.3), (4, "B", "安阳市", 6), (5, "C", "安阳市", 6),
        (6, "D", "孝感市", "6米")]


def test_xlsx_other_sheet_and_unknown_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "list.xlsx")
    assert rows_of(path, "第二页") == (["项目名称", "城市"], [])
    with pytest.raises(UnusableInput, match="第二页"):
        open_table(path, "第三页")


def test_jsonl_rows(tmp_path: Path) -> None:
    path = tmp_path / "forms.jsonl"
    form = {"name": "安阳焦化", "project_type": "new", "industry": ["C2521"],
            "location": {"city": "安阳"}}
    path.write_text("\ufeff" + json.dumps(form, ensure_ascii=False) + "\n\n{bad\n[1]\n"
                    + json.dumps(form) + "\n\n", encoding="utf-8")
    table = open_table(path)
    rows = list(table.rows)
    table.close()
    assert table.forms and [row.number for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].form == form and rows[0].cells[:2] == [None, "安阳焦化"]
    assert rows[1].error == "第 2 行：空行（没有任何内容）"
    assert "不是有效的 JSON" in (rows[2].error or "")
    assert "JSON 对象" in (rows[3].error or "")


def test_a_jsonl_row_with_a_lone_surrogate_is_that_rows_error(tmp_path: Path) -> None:
    """`\\ud800` decodes to text no output can write: the row is refused, not the run."""
    path = tmp_path / "forms.jsonl"
    path.write_text('{"name": "\\ud800"}\n{"name": "\\ud83d\\ude00 ok"}\n'
                    '{"name": "x", "location": {"\\udc00": 1}}\n', encoding="utf-8")
    table = open_table(path)
    rows = list(table.rows)
    table.close()
    assert "单独的 UTF-16 代理码位" in (rows[0].error or "") and not rows[0].cells
    assert rows[1].error is None and rows[1].form == {"name": "\U0001f600 ok"}  # a pair is text
    assert "单独的 UTF-16 代理码位" in (rows[2].error or "")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.csv", None, "文件不存在"),
    ("list.txt", b"a,b\n", "不支持的文件类型"),
    ("list.xls", b"\xd0\xcf", "无法作为 Excel 97-2003（.xls）文件读取"),
    ("empty.csv", b"", "没有表头"),
    ("blank.csv", b",,\n\n,,\n", "没有表头"),
    ("broken.xlsx", b"not a zip", "Excel"),
])
def test_unusable_inputs(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnusableInput, match=message):
        open_table(path)


def test_an_excel_97_workbook_is_read_like_an_xlsx() -> None:
    """Issue 12: .xls lists (python-calamine); a blank row in the middle stays a row."""
    from compliance.batch.readers import open_table

    fixture = Path(__file__).with_name("fixtures") / "list.xls"
    table = open_table(fixture)
    try:
        assert table.header[:3] == ["项目名称", "建设性质", "所属行业"]
        rows = list(table.rows)
    finally:
        table.close()
    assert [row.number for row in rows] == [2, 3, 4, 5]
    assert rows[0].cells[4] == 4.3 and rows[1].cells[4] == "6.25米"
    assert rows[0].cells[5] == dt.datetime(2020, 3, 1)  # as an .xlsx's date cell reads
    assert rows[2].blank and rows[3].cells[1] is None


@pytest.mark.parametrize(("declaration", "entity"), [(XXE, "xxe"), (ENTITY_BOMB, "lol9")])
def test_a_workbook_declaring_entities_is_refused_before_it_is_parsed(
        tmp_path: Path, declaration: str, entity: str) -> None:
    path = declared_workbook(tmp_path / "list.xlsx", declaration, entity)
    with pytest.raises(UnusableInput, match="含文档类型或实体定义"):
        open_table(path)


@pytest.mark.parametrize("row", [
    SourceRow(2, ["焦化项目", "", "4.3米", " 空格 "]),
    SourceRow(3, ["含\x1f分隔符", "x"]),  # a cell holding the separator travels as it is
    SourceRow(4, ["项目", 4.3, None, dt.date(2019, 9, 1)]),  # a workbook's typed cells
    SourceRow(5, [""]),
    SourceRow(6, []),
    SourceRow(7, ["a"], error="第 7 行：含无法解码的字符"),
    SourceRow(8, blank=True),
    SourceRow(9, form={"name": "项目", "industry": ["C2521"]}),
])
def test_a_row_reaches_a_worker_as_it_was_read(row: SourceRow) -> None:
    """Rows of text travel to workers joined into one string; every row arrives unchanged."""
    arrived = pickle.loads(pickle.dumps(row))
    assert arrived == row
    assert [type(cell) for cell in arrived.cells] == [type(cell) for cell in row.cells]

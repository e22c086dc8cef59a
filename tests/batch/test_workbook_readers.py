"""An .xlsx list reads the same whether calamine reads its sheet whole or openpyxl streams it:
every cell, every row number, every output byte (differential testing of the two readers)."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from compliance.batch import workbook
from compliance.batch.readers import UnusableInput, open_table
from tests.batch.conftest import EXAMPLES, HEADER, ROWS, run

#: what a bureau's list holds: text (some blank-looking), whole and decimal numbers, booleans,
#: dates with and without a time, times, and empty cells
CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from("安阳市 4.3米=+-@,\t\n0１"), max_size=6),
    st.integers(-10**15 + 1, 10**15 - 1),
    st.floats(-1e12, 1e12, allow_nan=False),
    st.booleans(),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.times().map(lambda moment: moment.replace(microsecond=0)),
)
GRID = st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=6)


def read(path: Path, sheet: str | None = None) -> tuple[Any, ...]:
    """All a reader gives: header, where it stood, each row's number, cells (an empty text
    the same as an empty cell, which Excel never stores, and without the trailing blanks a
    sheet may or may not store), error and blankness."""
    table = open_table(path, sheet)
    try:
        rows = [(row.number, _trimmed(row.cells), row.error, row.blank) for row in table.rows]
        return (_trimmed(table.header), table.header_row, table.title_rows, table.where,
                table.hint, rows)
    finally:
        table.close()


def _trimmed(cells: list[Any]) -> list[Any]:
    cells = [None if value == "" else value for value in cells]
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end]


def both_readers(path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str | None = None
                 ) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(calamine's reading, openpyxl's reading) of the same file."""
    whole = read(path, sheet)
    with monkeypatch.context() as patch:
        patch.setattr(workbook, "WHOLE_SHEET_BYTES", -1)
        streamed = read(path, sheet)
    return whole, streamed


def write_with_xlsxwriter(path: Path, grid: list[list[Any]], top: int, left: int) -> None:
    """As Excel saves: a date cell with a date format, text always as text."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("清单")
    dated = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(top, left, ["项目名称", "所在市", "新增产能", "申报日期", "备注"])
    for number, cells in enumerate(grid, start=top + 1):
        for column, value in enumerate(cells, start=left):
            if isinstance(value, dt.date | dt.time):
                sheet.write_datetime(number, column, value, dated)
            elif isinstance(value, str):
                sheet.write_string(number, column, value)
            elif value is not None:
                sheet.write(number, column, value)
    book.close()


def write_with_openpyxl(path: Path, grid: list[list[Any]], top: int, left: int,
                        epoch: dt.datetime = CALENDAR_WINDOWS_1900) -> None:
    book = Workbook()
    book.epoch = epoch
    sheet = book.active
    for column, title in enumerate(["项目名称", "所在市", "新增产能", "申报日期", "备注"], start=1):
        sheet.cell(top + 1, left + column, title)
    for number, cells in enumerate(grid, start=top + 2):
        for column, value in enumerate(cells, start=left + 1):
            if value is not None:
                cell = sheet.cell(number, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with `=`
    book.save(path)


def write_with_1904_dates(path: Path, grid: list[list[Any]], top: int, left: int) -> None:
    """As an Excel for Mac workbook: its date serials count from 1904."""
    write_with_openpyxl(path, grid, top, left, CALENDAR_MAC_1904)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=GRID, top=st.integers(0, 3), left=st.integers(0, 2), writer=st.sampled_from(
    [write_with_xlsxwriter, write_with_openpyxl, write_with_1904_dates]))
def test_both_readers_read_every_cell_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            grid: list[list[Any]], top: int, left: int,
                                            writer: Any) -> None:
    path = tmp_path / "list.xlsx"
    writer(path, grid, top, left)
    whole, streamed = both_readers(path, monkeypatch)
    assert whole == streamed


def test_a_small_sheet_is_read_without_openpyxl(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Else the test above compares openpyxl with itself."""
    path = tmp_path / "list.xlsx"
    write_with_xlsxwriter(path, [["安阳焦化", "安阳市", 150, dt.date(2021, 5, 6)]], 0, 0)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a sheet calamine should have read")

    monkeypatch.setattr(workbook, "load_workbook", refuse)
    assert read(path)[-1] == [(2, ["安阳焦化", "安阳市", 150, dt.datetime(2021, 5, 6)], None, False)]


def test_error_cells_are_read_as_openpyxl_reads_them(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Calamine reads `#N/A` as a blank cell; such a sheet is streamed, so the officer sees
    `#N/A` named in the row's message instead of a silent blank."""
    book = Workbook()
    book.active.append(["项目名称", "所在市"])
    book.active.append(["安阳焦化", "#N/A"])
    book.active["B2"].data_type = "e"
    path = tmp_path / "list.xlsx"
    book.save(path)
    whole, streamed = both_readers(path, monkeypatch)
    assert whole == streamed and whole[-1][0][1] == ["安阳焦化", "#N/A"]


def test_merged_cells_named_sheets_and_title_rows_read_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "封面"
    sheet.append(["说明"])
    data = book.create_sheet("清单")
    data.append(["2023年拟建项目清单"])
    data.merge_cells("A1:D1")
    data.append(["项目名称", "所在市", "焦炉炭化室高度"])
    for name in "ABC":
        data.append([name, "安阳市" if name == "A" else None, 4.3])
    data.merge_cells("B3:B5")
    data.append([])
    data.append(["D", "孝感市", "6米"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    whole, streamed = both_readers(path, monkeypatch, "清单")
    assert whole == streamed
    assert [row[1][:2] for row in whole[-1]] == [
        ["A", "安阳市"], ["B", "安阳市"], ["C", "安阳市"], [], ["D", "孝感市"]]
    with pytest.raises(UnusableInput, match="第三页"):
        open_table(path, "第三页")


@pytest.mark.slow
def test_every_output_byte_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example workbook and the test rows, checked into every output through each reader."""
    book = Workbook()
    book.active.append(HEADER)
    for cells, _ in ROWS:
        book.active.append(cells)
    ours = tmp_path / "rows.xlsx"
    book.save(ours)
    for source in (EXAMPLES / "projects.xlsx", ours):
        outputs = {}
        for reader, limit in (("whole", workbook.WHOLE_SHEET_BYTES), ("stream", -1)):
            monkeypatch.setattr(workbook, "WHOLE_SHEET_BYTES", limit)
            targets = [tmp_path / f"{source.stem}-{reader}{suffix}"
                       for suffix in (".csv", ".jsonl")]
            run("batch", source, "--as-of", "2024-06-01", *[
                item for target in targets for item in ("-o", target)])
            outputs[reader] = [target.read_bytes() for target in targets]
        assert outputs["whole"] == outputs["stream"], source.name


def test_a_damaged_sheet_is_refused_by_either_reader(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet whose bytes fail the zip's checksum: a clear refusal, not a traceback."""
    path = tmp_path / "list.xlsx"
    write_with_xlsxwriter(path, [["安阳焦化", "安阳市", 150, None]] * 50, 0, 0)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    wrong = struct.pack("<I", sheet.CRC ^ 1)  # the checksum the zip states, not the data's
    data[sheet.header_offset + 14:sheet.header_offset + 18] = wrong  # the local header's
    name = sheet.filename.encode()
    central = data.index(b"PK\x01\x02")  # the central directory's entries, to the sheet's
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 16:central + 20] = wrong
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    for limit in (workbook.WHOLE_SHEET_BYTES, -1):
        monkeypatch.setattr(workbook, "WHOLE_SHEET_BYTES", limit)
        with pytest.raises(UnusableInput, match="无法作为 Excel 文件读取"):
            open_table(damaged).close()

"""XLSX lists (first sheet or a named one): a sheet of up to WHOLE_SHEET_BYTES read whole with
calamine, a longer one as a stream with openpyxl's read-only mode, the cells the same either way.

Cells come as Excel shows them: a formula as its last computed value (a formula never computed,
as in a file written by a script, reads as blank), a date cell as a date.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineWorkbook

from compliance.batch.source import (
    SourceRow,
    Table,
    UnusableInput,
    inner_blanks,
    table_rows,
    with_header,
)

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


#: how an error cell (`#N/A`, `#DIV/0!`) is marked in a sheet's XML (anything else spelt so
#: only sends the sheet to openpyxl)
_ERROR_CELLS = (b't="e"', b"t='e'")


#: what reading a damaged or foreign zip part raises
_UNREADABLE_ZIP = (KeyError, zipfile.BadZipFile, ElementTree.ParseError, zlib.error, OSError,
                   EOFError, RuntimeError)


def _scan(path: Path, sheet_part: str) -> tuple[dict[int, list[tuple[int, int]]], bool]:
    """The sheet's vertically merged ranges (top row → [(column index, last row)]), and
    whether any cell holds an error value.

    Read-only openpyxl gives a merged range's value to its top-left cell only; a 城市 column
    merged over five projects means that city for all five, so the value is filled down (in
    the range's first column; a value spread across columns has no meaning for one field).
    The ranges sit after the rows in the sheet's XML, so the XML is scanned once first.
    """
    fills: dict[int, list[tuple[int, int]]] = {}
    has_error_cells = False
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet_part) as xml:
            tail = b""
            while chunk := xml.read(1 << 20):
                data, done = tail + chunk, 0
                has_error_cells = has_error_cells or any(mark in data for mark in _ERROR_CELLS)
                for match in _MERGE.finditer(data):
                    first, top, _, bottom = match.groups()
                    done = match.end()
                    if int(bottom) > int(top):
                        fills.setdefault(int(top), []).append(
                            (column_index_from_string(first.decode()) - 1, int(bottom)))
                tail = data[max(done, len(data) - 200):]
    except _UNREADABLE_ZIP as error:  # a damaged part (its checksum fails), read to its end
        raise UnusableInput(f"无法作为 Excel 文件读取：{error}") from None
    return fills, has_error_cells


def _filled(rows: Iterator[tuple[Any, ...]], fills: dict[int, list[tuple[int, int]]]
            ) -> Iterator[tuple[int, list[Any]]]:
    active: list[tuple[int, int, Any]] = []  # (column, last row, value)
    for number, values in enumerate(rows, start=1):
        cells = list(values)
        active = [entry for entry in active if entry[1] >= number]
        for column, _, value in active:
            cells.extend([None] * (column + 1 - len(cells)))
            if cells[column] is None:
                cells[column] = value
        for column, last in fills.get(number, ()):
            value = cells[column] if column < len(cells) else None
            active.append((column, last, value))
        yield number, cells


#: how much of each XML part is looked at for a document type declaration: it can only stand
#: before the root element, at the very start
_PROLOGUE_BYTES = 4096


def refuse_declarations(path: Path) -> None:
    """`UnusableInput` for a workbook any of whose XML parts declares a document type or
    entities: Excel never writes one, and entities are how a file reads the server's files
    (XXE) or unpacks a few bytes to gigabytes (an entity bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for part in archive.infolist():
                if not part.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(part) as stream:
                    prologue = stream.read(_PROLOGUE_BYTES)
                if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                    raise UnusableInput(
                        f"工作簿的「{part.filename[:60]}」含文档类型或实体定义（Excel 不会写出，可能是"
                        "恶意构造的文件），拒绝读取；请用 Excel 另存为 .xlsx 后重试")
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as error:
        raise UnusableInput(f"无法作为 Excel 文件读取：{error}") from None


_SPREADSHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')


@dataclass(frozen=True)
class _Sheet:
    """A sheet as the workbook lists it: its name, its XML part, whether it holds cells."""

    name: str
    part: str
    is_worksheet: bool


def _sheets(archive: zipfile.ZipFile) -> list[_Sheet]:
    """The workbook's sheets in their order (openpyxl's `sheetnames`), from two small parts."""
    relations = {relation.get("Id"): relation for relation in ElementTree.fromstring(
        archive.read("xl/_rels/workbook.xml.rels"))}
    sheets = []
    for entry in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(
            f"{_SPREADSHEET}sheet"):
        relation = relations.get(entry.get(_RELATION_ID))
        target = relation.get("Target") if relation is not None else None
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append(_Sheet(entry.get("name", ""), part,
                             (relation.get("Type") or "").endswith("/worksheet")))
    return sheets


def declared_rows(path: Path) -> int | None:
    """The rows the first sheet says it spans (its `<dimension>`, header included), read from
    the zip without opening the workbook; None when it does not say. Call after
    `refuse_declarations`: the two small XML parts read here are then plain."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = _sheets(archive)
            if not sheets:
                return None
            with archive.open(sheets[0].part) as stream:
                prologue = stream.read(_PROLOGUE_BYTES)
    except _UNREADABLE_ZIP:
        return None
    found = _DIMENSION.search(prologue)
    return int(found.group(1) or 1) if found else None


def open_xlsx(path: Path, sheet: str | None) -> Table:
    refuse_declarations(path)
    whole = _whole_sheet(path, sheet)
    if whole is not None:
        return whole
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnusableInput(f"无法作为 Excel 文件读取：{error}") from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise UnusableInput(f"没有名为「{sheet}」的工作表（有：{'、'.join(book.sheetnames)}）")
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    total = worksheet.max_row
    worksheet.reset_dimensions()
    part = getattr(worksheet, "_worksheet_path", None)
    try:
        fills = _scan(path, part.lstrip("/"))[0] if part is not None else {}
    except UnusableInput:
        book.close()
        raise
    numbered = _filled(worksheet.iter_rows(values_only=True), fills)
    return _headed(numbered, total, book.close, worksheet.title, book.sheetnames)


#: a sheet whose XML is at most this long (uncompressed) is read whole with calamine, ~5× as
#: fast as openpyxl's stream (a real-shaped row: ~17 against ~90 µs, conversion included) and
#: held in memory at about 1–2× the XML's size while it is read (a 20,000-row real-shaped
#: sheet, 20 MB of XML: +12 MiB); a longer one is streamed with openpyxl
WHOLE_SHEET_BYTES = 32 << 20


def _whole_sheet(path: Path, sheet: str | None) -> Table | None:
    """The sheet read whole with calamine, its cells as openpyxl reads them; None (openpyxl
    then reads it, and words any refusal) for a sheet too long, holding an error cell
    (calamine reads `#N/A` as blank), not a worksheet, or that calamine cannot open."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = _sheets(archive)
            chosen = _chosen(sheets, sheet)
            if (chosen is None or not chosen.is_worksheet
                    or archive.getinfo(chosen.part).file_size > WHOLE_SHEET_BYTES):
                return None
    except _UNREADABLE_ZIP:
        return None
    fills, has_error_cells = _scan(path, chosen.part)
    if has_error_cells:
        return None
    try:
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(chosen.name)
    except Exception:  # calamine raises its own error types; openpyxl will say what is wrong
        return None
    numbered = _filled(_as_openpyxl_reads(grid.iter_rows(), grid.start), fills)
    return _headed(numbered, _rows_spanned(grid), lambda: None, chosen.name,
                   [entry.name for entry in sheets])


def _chosen(sheets: list[_Sheet], name: str | None) -> _Sheet | None:
    """The sheet named, or the first worksheet (openpyxl's `worksheets[0]`: not a chart)."""
    if name is not None:
        return next((entry for entry in sheets if entry.name == name), None)
    return next((entry for entry in sheets if entry.is_worksheet), None)


def _as_openpyxl_reads(rows: Iterator[list[Any]], start: tuple[int, int] | None
                       ) -> Iterator[list[Any]]:
    """Calamine's rows as openpyxl gives them: a blank cell None, a whole number an int, a date
    cell a datetime, a row ending at its last value (calamine pads every row to the sheet's
    width, and begins it at the sheet's first used column).

    Two differences remain: a blank cell that carries only a format is no cell to calamine
    (openpyxl gives a header formatted beyond its last title unnamed columns; a value below
    them is then, as in a CSV, a cell beyond the header), and a
    whole number of 16 or more digits, which Excel cannot hold exactly, stays a float
    (openpyxl gives an int when a script wrote it without an exponent)."""
    lead = [None] * (start[1] if start else 0)
    for row in rows:
        cells = lead + row
        for index, value in enumerate(cells):
            kind = value.__class__
            if kind is str:
                if not value:
                    cells[index] = None
            elif kind is float:
                if value.is_integer() and -_EXACT < value < _EXACT:
                    cells[index] = int(value)
            elif kind is dt.date:
                cells[index] = dt.datetime(value.year, value.month, value.day)
        while cells and cells[-1] is None:
            cells.pop()
        yield cells


_EXACT = 1e15


def _headed(numbered: Iterator[tuple[int, list[Any]]], total: int, close: Callable[[], None],
            name: str, names: list[str]) -> Table:
    try:
        header, numbered = with_header(numbered)
    except UnusableInput:
        close()
        raise UnusableInput(f"工作表「{name}」没有表头（为空或只有空行）"
                            f"{other_sheets(name, names)}") from None
    return _sheet_table(header, numbered, total, close, name, names)


def other_sheets(name: str, names: list[str]) -> str:
    """`；工作簿中还有：数据，可用 --sheet 指定`, or nothing for a workbook of one sheet."""
    others = [other for other in names if other != name]
    return f"；工作簿中还有：{'、'.join(others)}，可用 --sheet 指定" if others else ""


def open_xls(path: Path, sheet: str | None) -> Table:
    """An Excel 97-2003 workbook (.xls), still what many bureaus send, read with calamine;
    rows and cells as an .xlsx's (merged cells are not kept in .xls and are read as blank)."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise UnusableInput(f"没有名为「{sheet}」的工作表（有：{'、'.join(names)}）")
        name = sheet if sheet is not None else names[0]
        grid = book.get_sheet_by_name(name)
    except UnusableInput:
        raise
    except Exception as error:  # calamine raises its own error types for every broken file
        raise UnusableInput(f"无法作为 Excel 97-2003（.xls）文件读取：{error}") from None
    numbered = enumerate(_as_openpyxl_reads(grid.iter_rows(), grid.start), start=1)
    return _headed(numbered, _rows_spanned(grid), lambda: None, name, names)


def _rows_spanned(grid: Any) -> int:
    """The sheet's last used row (1-based): how far its rows go, for progress."""
    return grid.end[0] + 1 if grid.end else 0


def _sheet_table(header: Any, numbered: Iterator[tuple[int, list[Any]]], total: int,
                 close: Any, name: str, names: list[str]) -> Table:
    """The rows below a sheet's header, counting how far reading got."""
    state = {"row": 0}

    def rows() -> Iterator[SourceRow]:
        for row in inner_blanks(table_rows(numbered)):
            state["row"] = row.number
            yield row

    return Table(header.cells, rows(), lambda: (state["row"], total), close,
                 header_row=header.number, title_rows=header.above, where=f"工作表「{name}」",
                 hint=other_sheets(name, names))

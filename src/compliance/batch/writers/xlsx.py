"""The result workbook: the list as given plus the verdict columns, and a sheet of counts.

Written with xlsxwriter in constant-memory mode, which streams each row to disk as it is
finished, so the workbook of a 1,000,000-row list does not sit in memory (bench/batch.py's
111-column list: ~2,800 rows a second, openpyxl's write-only mode ~2,000; xlsxwriter's own
per-cell work is most of what is left). A sheet holds 1,048,576 rows; longer lists continue
on `审查结果(2)` and so on, the header repeated. Made to be worked in: filters on the header,
numbers typed as numbers, the rules broken wrapped in their cells, and for a served job a link
from each row to its own report.

Every cell is written with its type said (`write_string`, `write_number`): xlsxwriter's
`write` would take text starting with `=` for a formula.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from compliance.batch.cells import remembered
from compliance.batch.outcome import VERDICT_LABELS_ZH, VERDICTS, RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary, ranked
from compliance.batch.writers.common import (
    Writer,
    cell_value,
    header_cells,
    neutralise,
    result_cells,
)

SHEET = "审查结果"
STATS_SHEET = "统计"
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
#: verdict cell colours (fill): the conventional red / amber / violet / green, grey for errors
FILLS = {"rejected": "FFC7CE", "needs_info": "FFEB9C", "needs_review": "E4DFEC",
         "compliant": "C6EFCE", "error": "D9D9D9"}
HEADER_FILL = "DDEBF7"
LINK_COLOUR = "0563C1"
LINK_HEADER = "详细报告"
#: Excel keeps at most 65,530 hyperlinks in a worksheet (more, and it "repairs" the file by
#: dropping them all): rows beyond get the address as text
MAX_LINKS = 65_530
#: widths of the result columns (审查结论 … 原表行号), in characters
RESULT_WIDTHS = (12, 48, 40, 30, 30, 9)
#: text that is a plain decimal number (no leading zero, no more digits than a double keeps):
#: a code with leading zeros or 18 digits stays text
NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d{1,10})?")
#: characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped from text
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: the book's own options: nothing a cell holds is ever turned into a formula, number or link;
#: ZIP64 allowed, which a part over 2 GB needs (the sheet of a generated 1,000,000-row list is
#: ~4 GB of XML before compression: without it that run failed at its very end) and a smaller
#: part never uses
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False, "use_zip64": True}


def _typed(value: Any) -> Any:
    """A cell of the list as Excel should hold it: `4.3` typed in a CSV becomes the number."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return _safe(value)


def _own(value: Any) -> Any:
    """A cell of the list as written to the workbook (see `cell_value`, then `_typed`)."""
    return _own_text(value) if type(value) is str else _typed(cell_value(value))


@remembered
def _own_text(text: str) -> Any:
    """Most cells of a list repeat a few texts: each is typed and made safe once."""
    return _typed(cell_value(text))


def _safe(value: Any) -> Any:
    """Text without the control characters XML cannot hold, never a formula (neutralised again
    once those characters are gone: `\\x01=1+1` is `=1+1` then), within Excel's cell limit;
    an empty cell is None, which is not written (most cells of a list are empty)."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    value = neutralise(ILLEGAL_CHARACTERS.sub("", value))
    return value if len(value) <= MAX_CELL_CHARS else value[:MAX_CELL_CHARS - 1] + "…"


class XlsxWriter(Writer):
    def __init__(self, target: Path, header: list[str], row_link: str = "") -> None:
        super().__init__(target, header)
        self.book = xlsxwriter.Workbook(str(self.file.path), OPTIONS)
        self.formats = _Formats(self.book)
        self.sheets = 0
        self.rows_in_sheet = MAX_ROWS
        self.sheet: Worksheet | None = None
        self.row_link = row_link
        self.headers = [*header_cells(header), *([LINK_HEADER] if row_link else [])]

    def _new_sheet(self) -> Worksheet:
        self._end_sheet()
        self.sheets += 1
        sheet = self.book.add_worksheet(SHEET if self.sheets == 1 else f"{SHEET}({self.sheets})")
        sheet.freeze_panes(1, 0)
        own = len(self.header)
        for index, header in enumerate(self.headers):
            width = (RESULT_WIDTHS[index - own] if own <= index < own + len(RESULT_WIDTHS)
                     else min(max(10, 2 * len(header) + 2), 40))
            sheet.set_column(index, index, width)
        for column, header in enumerate(self.headers):
            _put(sheet, 0, column, _safe(header), self.formats.header)
        self.rows_in_sheet = 1
        return sheet

    def _end_sheet(self) -> None:
        """Filters over the whole of the sheet just filled (its size is known only now)."""
        if self.sheet is not None:
            self.sheet.autofilter(0, 0, self.rows_in_sheet - 1, len(self.headers) - 1)

    def write(self, source: SourceRow, result: RowResult) -> None:
        if self.rows_in_sheet >= MAX_ROWS or self.sheet is None:
            self.sheet = self._new_sheet()
        sheet, row, formats = self.sheet, self.rows_in_sheet, self.formats
        for column, value in enumerate(source.cells[:len(self.header)]):
            _put(sheet, row, column, _own(value))
        verdict, *texts, number = result_cells(result)
        column = len(self.header)
        sheet.write_string(row, column, verdict, formats.verdict[result.verdict])
        for offset, text in enumerate(texts, start=1):
            _put(sheet, row, column + offset, _safe(text), formats.wrapped)
        sheet.write_number(row, column + len(texts) + 1, number)
        if self.row_link:
            self._link(row, column + len(texts) + 2, f"{self.row_link}{result.row}")
        self.rows_in_sheet += 1

    def _link(self, row: int, column: int, address: str) -> None:
        assert self.sheet is not None
        if self.rows_in_sheet > MAX_LINKS:  # the header row holds none
            _put(self.sheet, row, column, _safe(address))
        else:
            self.sheet.write_url(row, column, address, self.formats.link, "打开")

    def finish(self, summary: Summary) -> None:
        if self.sheet is None:
            self.sheet = self._new_sheet()
        self._end_sheet()
        self._stats(summary)
        self.book.close()

    def close(self) -> None:
        """Close and remove each sheet's temporary row file without completing the workbook
        (on failure: Ctrl-C, SIGTERM, a full disk, a worker crash)."""
        for sheet in self.book.worksheets():
            handle, name = sheet.row_data_fh, sheet.row_data_filename
            if handle is not None and not handle.closed:
                with contextlib.suppress(OSError):  # the disk may be what failed
                    handle.close()
            if name:
                Path(name).unlink(missing_ok=True)

    def _stats(self, summary: Summary) -> None:
        sheet = self.book.add_worksheet(STATS_SHEET)
        for column, width in enumerate((30, 26, 16, 40, 10, 10, 10)):
            sheet.set_column(column, column, width)
        rows = _Rows(sheet, self.formats)
        rows.heading("审查结论", "项目数")
        for verdict, label, count in summary.verdict_counts():
            rows.add(label, count, first=self.formats.verdict[verdict])
        rows.add("合计", summary.rows)
        rows.skip()
        rows.heading("规定", "文号", "条款", "标题", "不符合", "需审查")
        for count in summary.rule_counts():
            hit = count.hit
            rows.add(hit.rule_id, hit.number, hit.clause, hit.title, count.fail, count.review)
        for title, groups in (("城市", summary.cities), ("行业", summary.industries)):
            rows.skip()
            _groups(rows, title, groups)


def _groups(rows: _Rows, title: str, groups: dict[str, Counter[str]]) -> None:
    """One row per city (or industry): its projects and their verdicts, largest first."""
    rows.heading(title, "项目数", *(VERDICT_LABELS_ZH[v] for v in VERDICTS))
    for name, counts in ranked(groups, limit=len(groups) or 1):
        rows.add(name, counts.total(), *(counts[v] for v in VERDICTS))


def _put(sheet: Worksheet, row: int, column: int, value: Any, style: Format | None = None
         ) -> None:
    """One cell, written as the type it is; None is not written."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, style)
    else:
        sheet.write_string(row, column, str(value), style)


class _Formats:
    """The book's cell formats, made once (xlsxwriter keeps one record per format object)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "pattern": 1,
                                       "text_wrap": True, "valign": "vcenter"})
        self.verdict = {verdict: book.add_format({"bg_color": colour, "pattern": 1})
                        for verdict, colour in FILLS.items()}
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.link = book.add_format({"font_color": LINK_COLOUR, "underline": 1})


class _Rows:
    """The statistics sheet, written row after row (constant-memory mode writes in order)."""

    def __init__(self, sheet: Worksheet, formats: _Formats) -> None:
        self.sheet, self.formats, self.row = sheet, formats, 0

    def heading(self, *texts: str) -> None:
        for column, text in enumerate(texts):
            _put(self.sheet, self.row, column, _safe(text), self.formats.header)
        self.row += 1

    def add(self, *values: Any, first: Format | None = None) -> None:
        for column, value in enumerate(values):
            _put(self.sheet, self.row, column, _safe(value), first if column == 0 else None)
        self.row += 1

    def skip(self) -> None:
        self.row += 1

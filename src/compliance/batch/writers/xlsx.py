"""The result workbook: the list as given plus the verdict columns, and a sheet of counts.

Written with openpyxl's write-only mode, which streams rows to disk, so the workbook of a
1,000,000-row list does not sit in memory. A sheet holds 1,048,576 rows; longer lists continue
on `审查结果(2)` and so on, the header repeated. Made to be worked in: filters on the header,
numbers typed as numbers, the rules broken wrapped in their cells, and for a served job a link
from each row to its own report.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from compliance.batch.outcome import VERDICT_LABELS_ZH, VERDICTS, RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary, ranked
from compliance.batch.writers.common import (
    Writer,
    header_cells,
    neutralise,
    own_cells,
    result_cells,
)

SHEET = "审查结果"
STATS_SHEET = "统计"
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
#: verdict cell colours (fill): the conventional red / amber / violet / green, grey for errors
FILLS = {verdict: PatternFill("solid", fgColor=colour) for verdict, colour in {
    "rejected": "FFC7CE", "needs_info": "FFEB9C", "needs_review": "E4DFEC",
    "compliant": "C6EFCE", "error": "D9D9D9"}.items()}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LINK_FONT = Font(color="0563C1", underline="single")
WRAPPED = Alignment(wrap_text=True, vertical="top")
LINK_HEADER = "详细报告"
#: Excel keeps at most 65,530 hyperlinks in a worksheet (more, and it "repairs" the file by
#: dropping them all): rows beyond get the address as text
MAX_LINKS = 65_530
#: widths of the result columns (审查结论 … 原表行号), in characters
RESULT_WIDTHS = (12, 48, 40, 30, 30, 9)
#: text that is a plain decimal number (no leading zero, no more digits than a double keeps):
#: a code with leading zeros or 18 digits stays text
NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d{1,10})?")


def _typed(value: Any) -> Any:
    """A cell of the list as Excel should hold it: `4.3` typed in a CSV becomes the number."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return _safe(value)


def _safe(value: Any) -> Any:
    """Text without the control characters XML cannot hold, never a formula (openpyxl writes
    any text starting with `=` as one: neutralised again once those characters are gone),
    within Excel's cell limit; an empty cell is None, which openpyxl skips instead of writing
    an empty string (most cells of a list are empty, and each written cell costs)."""
    if not isinstance(value, str):
        return value
    if not value:
        return None
    value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value if len(value) <= MAX_CELL_CHARS else value[:MAX_CELL_CHARS - 1] + "…"


class XlsxWriter(Writer):
    def __init__(self, target: Path, header: list[str], row_link: str = "") -> None:
        super().__init__(target, header)
        self.book = Workbook(write_only=True)
        self.sheets = 0
        self.rows_in_sheet = MAX_ROWS
        self.sheet: WriteOnlyWorksheet | None = None
        self.row_link = row_link
        self.headers = [*header_cells(header), *([LINK_HEADER] if row_link else [])]

    def _new_sheet(self) -> WriteOnlyWorksheet:
        self._end_sheet()
        self.sheets += 1
        sheet = self.book.create_sheet(SHEET if self.sheets == 1 else f"{SHEET}({self.sheets})")
        sheet.freeze_panes = "A2"
        own = len(self.header)
        for index, header in enumerate(self.headers, start=1):
            width = (RESULT_WIDTHS[index - own - 1] if own < index <= own + len(RESULT_WIDTHS)
                     else min(max(10, 2 * len(header) + 2), 40))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([self._header_cell(sheet, header) for header in self.headers])
        self.rows_in_sheet = 1
        return sheet

    def _end_sheet(self) -> None:
        """Filters over the whole of the sheet just filled (its size is known only now)."""
        if self.sheet is not None:
            self.sheet.auto_filter.ref = (
                f"A1:{get_column_letter(len(self.headers))}{self.rows_in_sheet}")

    @staticmethod
    def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=_safe(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        return cell

    def write(self, source: SourceRow, result: RowResult) -> None:
        if self.rows_in_sheet >= MAX_ROWS or self.sheet is None:
            self.sheet = self._new_sheet()
        own = [_typed(value) for value in own_cells(source, len(self.header))]
        verdict, *texts, row = result_cells(result)
        cell = WriteOnlyCell(self.sheet, value=verdict)
        cell.fill = FILLS[result.verdict]
        cells = [*own, cell, *(self._text_cell(text) for text in texts), row]
        if self.row_link:
            cells.append(self._link(f"{self.row_link}{result.row}"))
        self.sheet.append(cells)
        self.rows_in_sheet += 1

    def _link(self, address: str) -> Any:
        if self.rows_in_sheet > MAX_LINKS:  # the header row holds none
            return _safe(address)
        link = WriteOnlyCell(self.sheet, value="打开")
        link.hyperlink, link.font = address, LINK_FONT
        return link

    def _text_cell(self, text: Any) -> Any:
        """A result text, wrapped in its cell when there is one (most rows have none)."""
        value = _safe(text)
        if value is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.alignment = WRAPPED
        return cell

    def finish(self, summary: Summary) -> None:
        if self.sheet is None:
            self.sheet = self._new_sheet()
        self._end_sheet()
        self._stats(summary)
        self.book.save(self.file.path)

    def close(self) -> None:
        """End every unfinished sheet's row stream now, while its file is open, and remove its
        temporary file.

        Left to the garbage collector, a stream is finalised after openpyxl closed its file and
        prints `Exception ignored in … _write_rows … I/O operation on closed file` below our
        own last message (after Ctrl-C, SIGTERM or a worker crash).
        """
        for sheet in self.book.worksheets:
            if not isinstance(sheet, WriteOnlyWorksheet) or sheet.closed:
                continue
            with contextlib.suppress(OSError, ValueError):  # the disk may be what failed
                sheet.close()
            if sheet._writer is not None:  # openpyxl keeps the sheet's temporary file there
                Path(sheet._writer.out).unlink(missing_ok=True)
        self.book.close()

    def _stats(self, summary: Summary) -> None:
        sheet = self.book.create_sheet(STATS_SHEET)
        for column, width in zip("ABCDEFG", (30, 26, 16, 40, 10, 10, 10), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.append([self._header_cell(sheet, "审查结论"), self._header_cell(sheet, "项目数")])
        for verdict, label, count in summary.verdict_counts():
            cell = WriteOnlyCell(sheet, value=label)
            cell.fill = FILLS[verdict]
            sheet.append([cell, count])
        sheet.append(["合计", summary.rows])
        sheet.append([])
        sheet.append([self._header_cell(sheet, text) for text in (
            "规定", "文号", "条款", "标题", "不符合", "需审查")])
        for count in summary.rule_counts():
            hit = count.hit
            sheet.append([_safe(v) for v in (hit.rule_id, hit.number, hit.clause, hit.title)]
                         + [count.fail, count.review])
        for title, groups in (("城市", summary.cities), ("行业", summary.industries)):
            sheet.append([])
            self._groups(sheet, title, groups)

    def _groups(self, sheet: WriteOnlyWorksheet, title: str,
                groups: dict[str, Counter[str]]) -> None:
        """One row per city (or industry): its projects and their verdicts, largest first."""
        sheet.append([self._header_cell(sheet, text) for text in (
            title, "项目数", *(VERDICT_LABELS_ZH[v] for v in VERDICTS))])
        for name, counts in ranked(groups, limit=len(groups) or 1):
            sheet.append([_safe(name), counts.total(), *(counts[v] for v in VERDICTS)])

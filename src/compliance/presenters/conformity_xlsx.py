"""The 符合性分析 tables as one worksheet: each document's table under its heading, the
documents out of reach, the conclusion; wrapped text, widths for reading, cells never formulas."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from compliance.batch.writers.common import neutralise
from compliance.presenters.conformity import Conformity, Table
from compliance.presenters.conformity_md import HEADER

SHEET = "符合性分析"
WIDTHS = {"A": 6, "B": 20, "C": 16, "D": 48, "E": 40, "F": 30}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAPPED = Alignment(wrap_text=True, vertical="top")
FINDING_FILLS = {"fail": "FFC7CE", "review": "E4DFEC", "needs_info": "FFEB9C", "pass": "C6EFCE"}


def render_conformity_xlsx(conformities: list[Conformity], target: Path | BinaryIO) -> None:
    """One sheet per project (the first named 符合性分析), in input order."""
    book = Workbook()
    for index, conformity in enumerate(conformities):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = SHEET if index == 0 else f"{SHEET}({index + 1})"
        _fill(sheet, conformity)
    book.save(target)


def _fill(sheet: Worksheet, conformity: Conformity) -> None:
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    _line(sheet, f"{conformity.project}：产业政策符合性分析", bold=True)
    for table in [*conformity.tables, conformity.catalogue_table]:
        sheet.append([])
        _line(sheet, table.heading, bold=True)
        _table(sheet, table)
    if conformity.outside:
        sheet.append([])
        _line(sheet, "不适用的文件", bold=True)
        for doc in conformity.outside:
            _line(sheet, f"《{doc.title}》（{doc.number}）：{doc.reason}")
    sheet.append([])
    _line(sheet, "结论", bold=True)
    _line(sheet, conformity.conclusion)
    _line(sheet, conformity.footer)


def _line(sheet: Worksheet, text: str, bold: bool = False) -> None:
    sheet.append([neutralise(text)])
    cell = sheet.cell(sheet.max_row, 1)
    cell.font = BOLD if bold else Font()


def _table(sheet: Worksheet, table: Table) -> None:
    sheet.append(list(HEADER))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in table.rows:
        finding = row.finding + (f"\n{row.note}" if row.note else "")
        sheet.append([row.number, *(neutralise(text) for text in (
            table.number, row.clause, row.requirement, row.situation, finding))])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAPPED
        colour = FINDING_FILLS.get(row.status)
        if colour:
            sheet.cell(sheet.max_row, 6).fill = PatternFill("solid", fgColor=colour)

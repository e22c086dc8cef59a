"""The 符合性分析 tables as a Word document, to paste into an EIA report or feasibility study.

Rendered with docxtpl on `reports/templates/conformity.docx`, a real Word table per document
(header row repeated on every page, A4, 宋体/仿宋), so that a consultancy restyles the template
in Word and keeps its tags. Every text is escaped; line breaks inside a cell stay line breaks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from docxtpl import DocxTemplate, RichText

from compliance.paths import templates_dir
from compliance.presenters.conformity import Conformity, Row, Table
from compliance.presenters.conformity_md import numeral

TEMPLATE = "conformity.docx"


def render_conformity_docx(conformities: list[Conformity], target: Path | BinaryIO,
                           template: Path | None = None) -> None:
    """One document, a section per project in input order, written to `target`."""
    document = DocxTemplate(template or templates_dir() / TEMPLATE)
    document.render({"projects": [_project(conformity) for conformity in conformities]},
                    autoescape=True)
    document.save(target)


def _project(conformity: Conformity) -> dict[str, Any]:
    tables = [*conformity.tables, conformity.catalogue_table]
    return {
        "project": conformity.project,
        "tables": [{"heading": _heading(index, table), "rows": [_row(table, row)
                                                               for row in table.rows]}
                   for index, table in enumerate(tables)],
        "outside": [f"《{doc.title}》（{doc.number}）：{doc.reason}" for doc in conformity.outside],
        "conclusion": conformity.conclusion,
        "footer": conformity.footer,
    }


def _heading(index: int, table: Table) -> str:
    return f"{numeral(index)}、{table.heading}"


def _row(table: Table, row: Row) -> dict[str, Any]:
    finding = RichText()
    finding.add(row.finding, bold=True)
    if row.note:
        finding.add("\n" + row.note, size=18)  # half-points: 9 pt under the finding
    return {"number": row.number, "source": table.number, "clause": row.clause,
            "requirement": row.requirement, "situation": row.situation, "finding": finding}

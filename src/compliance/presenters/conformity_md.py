"""The 符合性分析 tables as Markdown, to paste into a report drafted in Markdown or to review in
a merge request: one GFM table per document, the documents out of reach, the conclusion."""

from __future__ import annotations

from compliance.presenters.conformity import Conformity, Row, Table
from compliance.presenters.markdown import cell

HEADER = ("序号", "文件名称及文号", "条款", "文件要求", "本项目情况", "符合性")
NUMERALS = "一二三四五六七八九十"


def render_conformity_md(conformities: list[Conformity]) -> str:
    """One section per project, in input order; the same input gives the same text."""
    return "\n\n".join(_one(conformity) for conformity in conformities) + "\n"


def _one(conformity: Conformity) -> str:
    out = [f"# {' '.join(conformity.project.split())}：产业政策符合性分析", ""]
    for index, table in enumerate([*conformity.tables, conformity.catalogue_table]):
        out += [f"## {numeral(index)}、{table.heading}", "", *_table(table), ""]
    if conformity.outside:
        out += ["## 不适用的文件", ""]
        out += [f"- 《{doc.title}》（{doc.number}）：{doc.reason}" for doc in conformity.outside]
        out.append("")
    out += ["## 结论", "", conformity.conclusion, "", f"*{conformity.footer}*"]
    return "\n".join(out)


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(text) for text in _cells(table, row)) + " |"
              for row in table.rows]
    return lines


def _cells(table: Table, row: Row) -> tuple[str, ...]:
    finding = f"**{row.finding}**" + (f"\n{row.note}" if row.note else "")
    return (str(row.number), table.number, row.clause, row.requirement, row.situation, finding)


def numeral(index: int) -> str:
    """一、二、… for a document's heading (the tenth and beyond in figures)."""
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)

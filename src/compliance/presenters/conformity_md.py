"""The 符合性分析 tables as Markdown, to paste into a report drafted in Markdown or to review in
a merge request: one GFM table per document, the documents out of reach, the conclusion."""

from __future__ import annotations

from compliance.presenters.conformity import CATALOGUE_TITLE, Conformity, Row, Table
from compliance.presenters.markdown import cell

HEADER = ("序号", "文件名称及文号", "条款", "文件要求", "本项目情况", "符合性")
NUMERALS = "一二三四五六七八九十"


def render_conformity_md(conformities: list[Conformity]) -> str:
    """One section per project, in input order; the same input gives the same text."""
    return "\n\n".join(_one(conformity) for conformity in conformities) + "\n"


def _one(conformity: Conformity) -> str:
    out = [f"# {' '.join(conformity.project.split())}：产业政策符合性分析", ""]
    for index, table in enumerate(conformity.tables):
        out += [f"## {_numeral(index)}、《{table.title}》（{table.number}）", "", *_table(table), ""]
    catalogue = Table(CATALOGUE_TITLE, "国家发展改革委令", [conformity.catalogue])
    out += [f"## {_numeral(len(conformity.tables))}、《{CATALOGUE_TITLE}》", "",
            *_table(catalogue, numbered=False), ""]
    if conformity.outside:
        out += ["## 不适用的文件", ""]
        out += [f"- 《{doc.title}》（{doc.number}）：{doc.reason}" for doc in conformity.outside]
        out.append("")
    out += ["## 结论", "", conformity.conclusion, "", _footer(conformity)]
    return "\n".join(out)


def _table(table: Table, numbered: bool = True) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(text) for text in _cells(table, row, numbered)) + " |"
              for row in table.rows]
    return lines


def _cells(table: Table, row: Row, numbered: bool) -> tuple[str, ...]:
    finding = f"**{row.finding}**" + (f"\n{row.note}" if row.note else "")
    source = table.number if numbered else f"《{CATALOGUE_TITLE}》"
    return (str(row.number), source, row.clause, row.requirement, row.situation, finding)


def _footer(conformity: Conformity) -> str:
    parts = [f"审查基准日 {conformity.as_of}", f"规则集版本 {conformity.ruleset_version}"]
    if conformity.reference.get("check_id"):
        parts.append(f"审查编号 {conformity.reference['check_id']}")
    if conformity.reference.get("permalink"):
        parts.append(f"在线核验 {conformity.reference['permalink']}")
    return ("*本分析由建设项目合规审查工具依据所列文件原文生成并逐条核对（" + "；".join(parts)
            + "）。“待补充”的条款在补充事实前不作符合判断。*")


def _numeral(index: int) -> str:
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)

"""The 符合性分析 tables of an EIA report or feasibility study, filled from a verdict.

One table per document in force for the project, a row per rule in clause order: the clause,
the verbatim requirement, the project's facts that decided it, and what the checker knows —
符合 only where the condition was compared and holds. A 待补充 row is never 符合, a clause that
does not reach the project says why (不涉及), and documents that do not reach the project at all
are listed once with the reason. The conclusion is true to the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compliance import conditions as cond
from compliance.explain import label
from compliance.result import Result, Verdict
from compliance.rulebook import Rulebook
from compliance.rulebook.model import Document
from compliance.rulebook.order import clauses

#: 符合性 for each result status
FINDINGS = {"pass": "符合", "fail": "不符合", "review": "需论证", "needs_info": "待补充",
            "not_applicable": "不涉及", "not_in_force": "不涉及", "advisory": "不作判定"}
CATALOGUE_TITLE = "产业结构调整指导目录"
#: the facts to supply a conclusion names; the tables list every one
LISTED_FACTS = 6
CATALOGUE_FIELD = "industrial_policy_category"
DECLARED = {"encouraged": "申报为鼓励类（未经本工具核对）",
            "permitted": "申报为允许类（未经本工具核对）",
            "restricted": "申报为限制类（见各文件相关条款）",
            "eliminated": "申报为淘汰类（见各文件相关条款）"}
CATALOGUE_FINDINGS = {"encouraged": "符合（申报）", "permitted": "符合（申报）",
                      "restricted": "需论证", "eliminated": "不符合"}


@dataclass(frozen=True)
class Row:
    number: int
    clause: str
    requirement: str
    situation: str
    finding: str
    #: under the finding: the remedy, why it must be argued, or what is missing
    note: str
    rule_id: str
    status: str
    #: the facts a 待补充 row waits for (field paths)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    title: str
    number: str
    rows: list[Row]

    @property
    def heading(self) -> str:
        """`《title》（文号）`; the catalogue, which is cited by its title, `《title》`."""
        if self.number == f"《{self.title}》":
            return self.number
        return f"《{self.title}》（{self.number}）"


@dataclass(frozen=True)
class Outside:
    """A document that does not reach the project, and why."""

    title: str
    number: str
    reason: str


@dataclass(frozen=True)
class Conformity:
    project: str
    verdict: str
    as_of: str
    ruleset_version: str
    tables: list[Table]
    outside: list[Outside]
    catalogue: Row
    conclusion: str
    reference: dict[str, str]

    @property
    def catalogue_table(self) -> Table:
        """The national catalogue's one row, as a table like the others."""
        return Table(CATALOGUE_TITLE, f"《{CATALOGUE_TITLE}》", [self.catalogue])

    @property
    def footer(self) -> str:
        """Under the tables: how they were made, on what rules, as of when, which check."""
        parts = [f"审查基准日 {self.as_of}", f"规则集版本 {self.ruleset_version}"]
        if self.reference.get("check_id"):
            parts.append(f"审查编号 {self.reference['check_id']}")
        if self.reference.get("permalink"):
            parts.append(f"在线核验 {self.reference['permalink']}")
        return ("本分析由建设项目合规审查工具依据所列文件原文生成并逐条核对（" + "；".join(parts)
                + "）。“待补充”的条款在补充事实前不作符合判断。")


def build(verdict: Verdict, rulebook: Rulebook, facts: Mapping[str, Any],
          reference: dict[str, str] | None = None) -> Conformity:
    """The tables for one verdict; `facts` are the derived facts it was judged on (they decide
    which documents reach the project), `reference` a stored check's id and permalink."""
    results = {result.rule_id: result for result in verdict.results}
    tables, outside = [], []
    for document in rulebook.documents:
        ordered = [results[rule.id] for clause in clauses(rulebook, document.id)
                   for rule in clause.rules if rule.id in results]
        reason = _out_of_reach(document, ordered, facts)
        if reason:
            outside.append(Outside(document.title, document.number, reason))
        elif ordered:
            tables.append(Table(document.title, document.number,
                                [_row(index, result) for index, result in
                                 enumerate(ordered, start=1)]))
    catalogue = _catalogue_row(facts)
    return Conformity(verdict.project, verdict.verdict, verdict.as_of.isoformat(),
                      verdict.ruleset_version, tables, outside, catalogue,
                      conclusion(verdict.verdict, tables, catalogue), reference or {})


def _out_of_reach(document: Document, results: list[Result], facts: Mapping[str, Any]
                  ) -> str:
    """Why no clause of the document reaches the project ('' when some may)."""
    condition = document.jurisdiction.condition
    if condition is not None and cond.evaluate(condition.to_condition(), facts) is cond.Truth.FALSE:
        return f"项目不在{document.jurisdiction.name_zh}，本文件不适用。"
    if results and all(result.status == "not_in_force" for result in results):
        return f"审查基准日不在本文件各条款的有效期内（{results[0].explanation}），不适用。"
    return ""


def _row(number: int, result: Result) -> Row:
    situation, note, remedy = result.explanation, "", result.remedy or ""
    if result.status == "fail":
        note = "整改：" + remedy + "".join(f"\n可改为：{change.text}"
                                         for change in result.what_if)
    elif result.status == "review":
        note = "需结合项目材料论证：" + remedy
    elif result.status == "needs_info":
        situation = "待补充：" + "、".join(label(path, "zh") for path in result.missing)
        note = "补充上述事实后方可判定"
    elif result.status in ("not_applicable", "not_in_force"):
        situation = situation.removeprefix("不适用：")
    elif result.status == "advisory":
        note = "倡导性条款，供参考" + (f"：{remedy}" if remedy else "")
    return Row(number, result.citation.clause, result.citation.quote, situation,
               FINDINGS[result.status], note, result.rule_id, result.status,
               tuple(result.missing) if result.status == "needs_info" else ())


def _catalogue_row(facts: Mapping[str, Any]) -> Row:
    """《产业结构调整指导目录》 is not encoded: the row says what the form declares."""
    declared = facts.get(CATALOGUE_FIELD)
    if declared not in DECLARED:
        return Row(1, "—", "项目不属于限制类、淘汰类", "未申报目录类别", "待补充",
                   "请按《产业结构调整指导目录》申报类别（本工具未收录该目录）", CATALOGUE_FIELD,
                   "needs_info")
    return Row(1, "—", "项目不属于限制类、淘汰类", DECLARED[declared],
               CATALOGUE_FINDINGS[declared], "本工具未收录该目录，按申报填写", CATALOGUE_FIELD,
               "declared")


def conclusion(verdict: str, tables: list[Table], catalogue: Row) -> str:
    """综上所述……: 符合 only for a compliant verdict with no 待补充 row (the catalogue's
    included); otherwise the failing clauses, the rows to be argued, the facts to supply."""
    rows = [(table, row) for table in tables for row in table.rows]

    def cited(status: str) -> str:
        return "、".join(dict.fromkeys(f"{table.number} {row.clause}" for table, row in rows
                                      if row.status == status))

    paths = list(dict.fromkeys(path for _, row in rows for path in row.missing))
    if catalogue.status == "needs_info" and CATALOGUE_FIELD not in paths:
        paths.append(CATALOGUE_FIELD)
    if verdict == "compliant" and not paths and catalogue.finding.startswith("符合"):
        documents = "、".join(f"《{table.title}》（{table.number}）" for table in tables)
        return (f"综上所述，本项目符合{documents}的相关要求；"
                f"《{CATALOGUE_TITLE}》类别{catalogue.situation}。")
    parts = []
    if cited("fail"):
        parts.append(f"本项目不符合{cited('fail')}的要求，须按整改要求调整")
    if catalogue.finding == "不符合":
        parts.append(f"《{CATALOGUE_TITLE}》类别{catalogue.situation}")
    if cited("review"):
        parts.append(f"{cited('review')}须结合项目材料论证")
    if catalogue.finding == "需论证":
        parts.append(f"《{CATALOGUE_TITLE}》类别{catalogue.situation}，须论证")
    if paths:
        named = "、".join(f"“{label(path, 'zh')}”" for path in paths[:LISTED_FACTS])
        more = f"等 {len(paths)} 项事实" if len(paths) > LISTED_FACTS else ""
        parts.append(f"尚须补充{named}{more}（见各表“待补充”行）后方可判定")
    return "综上所述，" + "；".join(parts) + "。在此之前，不能得出本项目符合上述产业政策的结论。"

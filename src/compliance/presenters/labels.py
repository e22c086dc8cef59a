"""Words officers read, in Chinese (the default, DESIGN.md principle 7) or English.

The Chinese verdict/status/effect labels live in `compliance.result` (the contract); this module
adds their English equivalents and the headings every presenter shares, so the terminal,
Markdown and HTML reports say the same thing in the same words. It also holds the few helpers
(ordering, citation text, the count line) that must not drift between presenters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from compliance.explain import label
from compliance.result import (
    EFFECT_LABELS_ZH,
    STATUS_LABELS_ZH,
    STATUS_ORDER,
    VERDICT_LABELS_ZH,
    Citation,
    Question,
    Result,
    Verdict,
)

VERDICT_LABELS_EN: dict[str, str] = {
    "rejected": "Rejected", "needs_info": "More information needed",
    "needs_review": "Needs an officer's review", "compliant": "Compliant",
}
STATUS_LABELS_EN: dict[str, str] = {
    "fail": "Fails", "review": "Needs review", "pass": "Passes", "needs_info": "Needs information",
    "not_applicable": "Not applicable", "not_in_force": "Not in force", "advisory": "Advisory",
}
EFFECT_LABELS_EN: dict[str, str] = {
    "prohibit": "Prohibited", "require": "Required", "restrict": "Strictly controlled",
    "advise": "Encouraged / advised",
}

HEADINGS_ZH: dict[str, str] = {
    "fail": "不符合的规定", "review": "需审查", "needs_info": "需补充的材料", "advisory": "建议",
    "other": "其他规定：符合、不适用或未生效", "source": "依据", "clause": "条款", "quote": "原文",
    "facts": "事实比对", "remedy": "整改建议", "missing": "缺少", "ruleset": "规则集版本",
    "as_of": "审查基准日", "project": "项目名称", "project_id": "项目编号", "engine": "引擎",
    "verdict": "审查结论", "status": "状态", "rule": "规则", "rule_id": "规则编号",
    "effect": "效力", "explanation": "说明", "report": "合规审查报告", "tool": "合规审查工具",
    "nothing_to_do": "没有需要处理的规定。", "count_unit": "条", "advice": "建议",
    "questions": "补正清单", "questions_lead": "请补充以下事实（每项只问一次，先列可能导致不予通过的）",
    "decisive": "决定性", "waiting": "条规定待此项判定", "waiting_rules": "待补充材料的规定",
    "expired": "已失效", "what_if": "改为以下情形即可符合本条",
    "project_data": "项目基本情况", "passed": "已审查、符合的规定", "opinion": "审查意见",
    "handler": "经办人", "reviewer": "审核人", "date": "日期", "check_id": "审查编号",
    "permalink": "在线核验", "page": "页", "checked_at": "审查时间",
    "listed_in": "所在清单",
}
HEADINGS_EN: dict[str, str] = {
    "fail": "Rules broken", "review": "Needs an officer's judgement",
    "needs_info": "Missing information", "advisory": "Advisories",
    "other": "Other rules: passed, not applicable or not in force",
    "source": "Source", "clause": "Clause", "quote": "Quote", "facts": "Facts compared",
    "remedy": "Remedy", "missing": "Missing", "ruleset": "Ruleset version", "as_of": "As of",
    "project": "Project", "project_id": "Project ID", "engine": "Engine", "verdict": "Verdict",
    "status": "Status", "rule": "Rule", "rule_id": "Rule ID", "effect": "Effect",
    "explanation": "Explanation", "report": "Compliance report", "tool": "Compliance checker",
    "nothing_to_do": "No rule needs action.", "count_unit": "rules", "advice": "Advice",
    "questions": "Facts to supply",
    "questions_lead": "Each fact once; those that can still lead to rejection first",
    "decisive": "decisive", "waiting": "rules wait for it", "waiting_rules": "Rules waiting",
    "expired": "Expired", "what_if": "This rule passes if",
    "project_data": "Project data", "passed": "Rules checked and passed", "opinion": "Opinion",
    "handler": "Handled by", "reviewer": "Reviewed by", "date": "Date", "check_id": "Check ID",
    "permalink": "Verify online", "page": "page", "checked_at": "Checked at",
    "listed_in": "Listed in",
}

#: results an officer must act on, in the order they are listed
ACTION_STATUSES: tuple[str, ...] = ("fail", "review", "needs_info")
#: results shown only on request (or collapsed): nothing to do
OTHER_STATUSES: tuple[str, ...] = ("pass", "not_applicable", "not_in_force")


@dataclass(frozen=True)
class Labels:
    """One language's words: `verdict`, `status`, `effect` by contract value, `h` by heading key."""

    lang: str
    html_lang: str
    verdict: Mapping[str, str]
    status: Mapping[str, str]
    effect: Mapping[str, str]
    h: Mapping[str, str]
    colon: str  # "：" in Chinese text, ": " in English
    list_sep: str  # "、" in Chinese text, ", " in English

    def paren(self, text: str) -> str:
        """`（text）` after Chinese text, ` (text)` after English."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"


_LABELS: dict[str, Labels] = {
    "zh": Labels("zh", "zh-CN", MappingProxyType(VERDICT_LABELS_ZH),
                 MappingProxyType(STATUS_LABELS_ZH), MappingProxyType(EFFECT_LABELS_ZH),
                 MappingProxyType(HEADINGS_ZH), "：", "、"),
    "en": Labels("en", "en", MappingProxyType(VERDICT_LABELS_EN),
                 MappingProxyType(STATUS_LABELS_EN), MappingProxyType(EFFECT_LABELS_EN),
                 MappingProxyType(HEADINGS_EN), ": ", ", "),
}


def labels(lang: str) -> Labels:
    """The label set for `zh` or `en`; anything else is a usage error, not a silent fallback."""
    try:
        return _LABELS[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}: use 'zh' or 'en'") from None


def sorted_results(results: Iterable[Result], statuses: Iterable[str] = STATUS_ORDER
                   ) -> list[Result]:
    """Results with one of `statuses`, action first (STATUS_ORDER), stable within a status."""
    wanted = set(statuses)
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    return sorted((r for r in results if r.status in wanted), key=lambda r: rank[r.status])


def cite(citation: Citation) -> str:
    """`《document》number clause`: how officers quote a source (empty parts left out)."""
    head = f"《{citation.document}》" if citation.document else ""
    return head + " ".join(part for part in (citation.number, citation.clause) if part)


def missing_text(result: Result, lang: str) -> str:
    """`缺少：焦炉炭化室高度（technology.coke_oven_chamber_height_m）、…`, or "" when nothing is
    missing: the label to read, the field path to find it in the form."""
    lab = labels(lang)
    if not result.missing:
        return ""
    named = (f"{label(path, lang)}（{path}）" if lang == "zh" else f"{label(path, lang)} ({path})"
             for path in result.missing)
    return f"{lab.h['missing']}{lab.colon}{lab.list_sep.join(named)}"


def count_line(verdict: Verdict, lang: str, counted: dict[str, int] | None = None) -> str:
    """`不符合 2 · 需审查 1 · 需补充 0 · 符合 5 · 不适用 30` (rarer statuses only when present);
    `counted`, the counts when the verdict lists only some of its results (batch findings)."""
    lab = labels(lang)
    counts = {status: 0 for status in STATUS_ORDER}
    if counted is not None:
        counts.update({status: counted.get(status, 0) for status in STATUS_ORDER})
    else:
        for result in verdict.results:
            counts[result.status] += 1
    always = {"fail", "review", "needs_info", "pass", "not_applicable"}
    return " · ".join(f"{lab.status[status]} {counts[status]}" for status in STATUS_ORDER
                      if status in always or counts[status])


def question_line(question: Question, number: int, lang: str) -> str:
    """`1. 【决定性】位于城市建成区（location.in_urban_built_up_area）：填写 是 或 否；3 条规定待此项判定`."""
    lab = labels(lang)
    mark = f"【{lab.h['decisive']}】" if question.decisive else ""
    if lang == "zh":
        return (f"{number}. {mark}{question.label}（{question.field}）：{question.help}；"
                f"{len(question.rules)} {lab.h['waiting']}")
    flag = f"[{lab.h['decisive']}] " if question.decisive else ""
    return (f"{number}. {flag}{question.label} ({question.field}): {question.help}; "
            f"{len(question.rules)} {lab.h['waiting']}")


def status_label(result: Result, as_of: dt.date, lang: str) -> str:
    """The status in words; a rule not in force because it has ended reads 已失效, not 未生效."""
    lab = labels(lang)
    if result.status == "not_in_force" and result.valid_until and as_of > result.valid_until:
        return lab.h["expired"]
    return lab.status[result.status]

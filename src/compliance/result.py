"""Results and verdicts: the public contract every presenter reads (DESIGN.md, "The verdict")."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["fail", "review", "pass", "needs_info", "not_applicable", "not_in_force",
                 "advisory"]
VerdictName = Literal["rejected", "needs_info", "needs_review", "compliant"]
Effect = Literal["prohibit", "require", "restrict", "advise"]


class Lang(StrEnum):
    """The languages a verdict is worded in (the CLI's `--lang`, the API's `lang`)."""

    zh = "zh"
    en = "en"


VERDICT_LABELS_ZH: dict[str, str] = {
    "rejected": "不予通过", "needs_info": "需补充材料", "needs_review": "需重点审查",
    "compliant": "符合",
}
STATUS_LABELS_ZH: dict[str, str] = {
    "fail": "不符合", "review": "需审查", "pass": "符合", "needs_info": "需补充",
    "not_applicable": "不适用", "not_in_force": "未生效", "advisory": "建议",
}
EFFECT_LABELS_ZH: dict[str, str] = {
    "prohibit": "禁止", "require": "要求", "restrict": "严格控制", "advise": "鼓励/建议",
}
#: the order presenters list results in: what needs action first
STATUS_ORDER: tuple[str, ...] = ("fail", "review", "needs_info", "advisory", "pass",
                                 "not_applicable", "not_in_force")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Citation(Frozen):
    document: str
    number: str
    clause: str
    quote: str


class FactChange(Frozen):
    """One fact changed so that a broken rule passes: `焦炉炭化室高度 > 4.3 米`."""

    field: str
    label: str
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    value: bool | float | str
    text: str


class Result(Frozen):
    rule_id: str
    status: Status
    effect: Effect
    title: str
    citation: Citation
    explanation: str
    missing: list[str] = []
    remedy: str | None = None
    valid_from: dt.date
    valid_until: dt.date | None = None
    #: for a fail or review: the fewest fact changes that make the rule pass, re-checked
    what_if: list[FactChange] = []


class Question(Frozen):
    """One fact the verdict still needs (the 补正清单), asked once for every rule waiting on it."""

    field: str
    label: str
    help: str
    rules: list[str]
    #: its answer can still turn the verdict into 不予通过
    decisive: bool


class Verdict(Frozen):
    project: str
    project_id: str | None = None
    verdict: VerdictName
    as_of: dt.date
    ruleset_version: str
    engine: str
    results: list[Result]
    #: each missing fact once, the decisive ones first (see `compliance.questions`)
    questions: list[Question] = []

    @property
    def label_zh(self) -> str:
        return VERDICT_LABELS_ZH[self.verdict]

    def by_status(self, *statuses: str) -> list[Result]:
        return [result for result in self.results if result.status in statuses]


def overall(statuses: list[str]) -> VerdictName:
    """The contract's precedence: fail, then needs_info, then review; advisories never count."""
    if "fail" in statuses:
        return "rejected"
    if "needs_info" in statuses:
        return "needs_info"
    if "review" in statuses:
        return "needs_review"
    return "compliant"

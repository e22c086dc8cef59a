"""Response models of the JSON API: what the OpenAPI document promises, and what it checks.

The routes build plain dicts (shared with the pages); declaring these models lets FastAPI
validate each answer against its promise and publish real schemas, so clients and the contract
tests (tests/web/test_contract.py) can hold the API to them. The verdict itself is the core's
`Verdict`, the public contract of DESIGN.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from compliance.result import Citation, Effect, Status, Verdict, VerdictName


class Problem(BaseModel):
    path: str = Field(description="字段路径，如 location.city / field path")
    message: str = Field(description="中文说明")
    message_en: str = Field(description="English detail")


class ErrorBody(BaseModel):
    """Every error: a Chinese `detail`; 422s add the `problems` by field path."""

    detail: str
    problems: list[Problem] | None = None
    error_id: str | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool
    disk: bool = Field(description="数据目录剩余空间充足 / enough free space in the data dir")
    disk_free_mb: int
    ruleset_version: str
    engine: str
    rules: int


class Title(BaseModel):
    zh: str
    en: str


class ExampleOut(BaseModel):
    name: str
    expect: str
    as_of: dt.date | None
    form: dict[str, Any]


class RuleOut(BaseModel):
    rule_id: str
    effect: Effect
    title: Title
    document_id: str
    citation: Citation
    industries: list[str]
    project_types: list[str]
    jurisdiction: str
    valid_from: dt.date
    valid_until: dt.date | None
    remedy: str


class RuleDetail(RuleOut):
    examples: list[ExampleOut]


class DocumentOut(BaseModel):
    id: str
    title: str
    number: str
    issuer: str
    issued: dt.date
    jurisdiction: str
    rule_ids: list[str]


class DocumentDetail(DocumentOut):
    rules: list[RuleOut]


class StoredCheckOut(BaseModel):
    """One stored check: the form and verdict as they were, and whether the rules changed."""

    id: str
    created_at: dt.datetime
    channel: Literal["api", "web", "recheck"]
    lang: Literal["zh", "en"]
    as_of: dt.date
    ruleset_version: str
    current_ruleset_version: str
    rules_changed: bool
    recheck_of: str | None = Field(description="本次为重新审查时，原审查的编号")
    rechecks: list[str] = Field(description="对本次审查的重新审查（编号，按时间）")
    form: dict[str, Any]
    verdict: Verdict
    record_intact: bool = Field(description="记录与审计哈希链相符（否则可能已被改动，勿作依据）"
                                            " / the record matches the audit trail's hash chain")


class CheckSummary(BaseModel):
    id: str
    created_at: dt.datetime
    channel: str
    client: str
    project: str
    verdict: VerdictName
    as_of: dt.date
    ruleset_version: str
    recheck_of: str | None
    lang: str


class CheckList(BaseModel):
    limit: int
    offset: int
    checks: list[CheckSummary]


class RuleChangeOut(BaseModel):
    rule_id: str
    title: str
    before: Status | None = Field(description="原结论；null 表示当时无此规则")
    after: Status | None = Field(description="现结论；null 表示规则已删除")


class Changes(BaseModel):
    verdict_before: VerdictName
    verdict_after: VerdictName
    ruleset_before: str
    ruleset_after: str
    rules: list[RuleChangeOut]


class Recheck(BaseModel):
    """The new stored check (same form, same as-of date, current rules) and what changed."""

    id: str
    recheck_of: str
    verdict: Verdict
    changes: Changes


class BatchAccepted(BaseModel):
    job_id: str
    status_url: str


class BatchStatus(BaseModel):
    id: str
    filename: str
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    rows_done: int
    rows_estimated: int | None = Field(None, description="按文件估计的行数（用于估计剩余时间）")
    as_of: dt.date | None
    counts: dict[str, int] | None = Field(None, description="各结论的行数（完成后）")
    message: str | None = Field(None, description="失败或取消的原因")
    unknown_columns: list[str] = Field(
        [], description="未能识别、未参与审查的列（内容原样保留在结果文件中）")
    mapping: dict[str, str] = Field(
        {}, description="上传时给出的列对应：表头 → 字段（空为不审查）")


class ReadingOut(BaseModel):
    field: str = Field(description="表单字段 / form field")
    value: Any = Field(description="读出的值 / the value read")
    text: str = Field(description="所依据的原文 / the original words")
    start: int
    end: int
    rule: str = Field(description="读法 / the reading rule")


class ConflictOut(BaseModel):
    field: str
    values: list[Any]
    readings: list[ReadingOut]


class ExtractionOut(BaseModel):
    form: dict[str, Any] = Field(description="读出的部分表单 / the partial form read")
    readings: list[ReadingOut]
    conflicts: list[ConflictOut] = Field(description="同一字段读出不同的值，未填入表单")

"""The JSON API under `/api/v1`: checks, batch jobs, rules, documents, the audit trail.

Bodies are read as plain JSON and validated by the core (`parse_form`), so a client gets the
same Chinese field messages as the CLI; the OpenAPI page still shows the form's schema.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from compliance.errors import FieldProblem, InputError
from compliance.form import ProjectForm
from compliance.web.batch import BatchJobs, BatchRefused, BatchUnavailable
from compliance.web.security import client_address, rate_limit
from compliance.web.service import CheckService
from compliance.web.views import document_json, find_document, rule_json, rules_of


class Problem(BaseModel):
    path: str
    message: str
    message_en: str


class ErrorBody(BaseModel):
    """Every error: a Chinese `detail`; 422s add the `problems` by field path."""

    detail: str
    problems: list[Problem] | None = None
    error_id: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description} for status, description in (
        (404, "不存在 / not found"), (413, "请求过大 / body too large"),
        (422, "输入有误，按字段列出 / invalid input, by field path"),
        (429, "请求过于频繁 / rate limited"), (500, "服务器内部错误 / internal error"))}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)

BATCH_UNAVAILABLE = "批量审查功能尚未启用（未安装 compliance.batch），请逐个提交项目或联系管理员。"
#: the body's schema is the form's (`docs.install_form_schema` puts it under components)
FORM_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/ProjectForm"}}}}}


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class ResultKind(StrEnum):
    xlsx = "xlsx"
    jsonl = "jsonl"
    html = "html"


def service(request: Request) -> CheckService:
    return request.app.state.service


def jobs(request: Request) -> BatchJobs:
    return request.app.state.jobs


Service = Annotated[CheckService, Depends(service)]
Jobs = Annotated[BatchJobs, Depends(jobs)]


async def read_json(request: Request) -> Any:
    """The body as JSON; anything unreadable is the client's error (422), never a 500."""
    try:
        return json.loads(await request.body())
    except RecursionError:
        raise InputError([FieldProblem("(body)", "JSON 嵌套过深", "JSON nested too deeply")]
                         ) from None
    except ValueError as error:  # bad JSON, bad encoding, integers of thousands of digits
        raise InputError([FieldProblem("(body)", f"不是有效的 JSON：{error}",
                                       f"not valid JSON: {error}")]) from None


@router.post("/check", dependencies=[Depends(rate_limit)], openapi_extra=FORM_BODY,
             summary="审查一个项目表单 / check one project form")
async def check(request: Request, checks: Service, as_of: dt.date | None = None,
                lang: Lang = Lang.zh) -> JSONResponse:
    """The verdict object (DESIGN.md contract); the stored check's id is in `X-Check-Id` and
    its address in `Location`."""
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InputError([FieldProblem("(body)", "须为一个项目表单（JSON 对象）",
                                       "the body must be one form (a JSON object)")])
    stored = await run_in_threadpool(
        checks.check, data, as_of=as_of, lang=lang.value, client=client_address(request),
        channel="api")
    return JSONResponse(stored.verdict, headers={
        "X-Check-Id": stored.id, "Location": f"/api/v1/checks/{stored.id}"})


@router.get("/checks/{check_id}", summary="一次已存档的审查 / one stored check")
def stored_check(check_id: str, checks: Service) -> dict[str, Any]:
    found = checks.store.get(check_id)
    if found is None:
        raise HTTPException(404, f"未找到审查记录「{check_id[:64]}」。")
    return {"id": found.id, "created_at": found.created_at.isoformat(),
            "channel": found.channel, "as_of": found.as_of.isoformat(),
            "ruleset_version": found.ruleset_version,
            "current_ruleset_version": checks.ruleset_version,
            "rules_changed": found.ruleset_version != checks.ruleset_version,
            "recheck_of": found.recheck_of, "form": found.form, "verdict": found.verdict}


def require_admin(request: Request) -> None:
    """`Authorization: Bearer <COMPLIANCE_ADMIN_TOKEN>`; no token configured means no listing."""
    token = request.app.state.settings.admin_token
    if not token:
        raise HTTPException(403, "未配置管理员令牌（COMPLIANCE_ADMIN_TOKEN），不提供审查记录列表。")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "需要有效的管理员令牌（Authorization: Bearer …）。",
                            headers={"WWW-Authenticate": "Bearer"})


@router.get("/checks", dependencies=[Depends(require_admin)],
            summary="审查记录列表（管理员）/ list stored checks (admin)")
def list_checks(checks: Service, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    return {"limit": limit, "offset": offset,
            "checks": [row.summary() for row in checks.store.latest(limit, offset)]}


@router.post("/batch", status_code=202, dependencies=[Depends(rate_limit)],
             summary="上传项目清单 / upload a project list")
def submit_batch(batch: Jobs, file: Annotated[UploadFile, File(description="CSV/XLSX/JSONL")],
                 as_of: Annotated[dt.date | None, Form()] = None) -> dict[str, str]:
    try:
        job_id = batch.submit(file.file, file.filename or "", as_of)
    except BatchUnavailable:
        raise HTTPException(503, BATCH_UNAVAILABLE) from None
    except BatchRefused as error:
        raise InputError([FieldProblem("file", str(error), "unsupported file type")]) from None
    return {"job_id": job_id, "status_url": f"/api/v1/batch/{job_id}"}


@router.get("/batch/{job_id}", summary="批量任务状态与计数 / batch job status and counts")
def batch_status(job_id: str, batch: Jobs) -> dict[str, Any]:
    status = batch.status(job_id)
    if status is None:
        raise HTTPException(404, "未找到该批量任务。")
    return status


@router.get("/batch/{job_id}/result.{kind}", summary="批量结果文件 / batch result file")
def batch_result(job_id: str, kind: ResultKind, batch: Jobs) -> FileResponse:
    path = batch.result(job_id, kind.value)
    if path is None:
        raise HTTPException(404, "结果文件不存在（任务未完成、失败或不存在）。")
    return FileResponse(path, filename=f"审查结果-{job_id[:8]}.{kind.value}")


@router.get("/rules", summary="全部规则 / all rules")
def rules(checks: Service) -> list[dict[str, Any]]:
    return [rule_json(rule) for rule in checks.checker.rulebook.rules]


@router.get("/rules/{rule_id:path}", summary="一条规则及其示例 / one rule with its examples")
def rule(rule_id: str, checks: Service) -> dict[str, Any]:
    found = checks.checker.rulebook.by_id.get(rule_id)
    if found is None:
        raise HTTPException(404, f"未知规则「{rule_id[:100]}」。")
    return rule_json(found, with_examples=True)


@router.get("/documents", summary="规则依据的文件 / source documents")
def documents(checks: Service) -> list[dict[str, Any]]:
    rulebook = checks.checker.rulebook
    return [document_json(document, rulebook) for document in rulebook.documents]


@router.get("/documents/{document_id}", summary="一份文件及其规则 / one document and its rules")
def document(document_id: str, checks: Service) -> dict[str, Any]:
    rulebook = checks.checker.rulebook
    found = find_document(rulebook, document_id)
    if found is None:
        raise HTTPException(404, f"未知文件「{document_id[:100]}」。")
    return {**document_json(found, rulebook),
            "rules": [rule_json(rule) for rule in rules_of(rulebook, document_id)]}


@cache
def form_schema() -> dict[str, Any]:
    """Generated once: pydantic takes ~20 ms to build it."""
    return ProjectForm.model_json_schema()


@router.get("/schema", summary="项目表单的 JSON Schema / the form's JSON Schema")
def schema() -> dict[str, Any]:
    return form_schema()


@router.get("/healthz", summary="健康检查 / health")
def healthz(checks: Service) -> JSONResponse:
    database = checks.store.ping()
    body = {"status": "ok" if database else "degraded", "database": database,
            "ruleset_version": checks.ruleset_version, "engine": checks.checker.engine,
            "rules": len(checks.checker.rulebook.rules)}
    return JSONResponse(body, 200 if database else 503)

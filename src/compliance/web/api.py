"""The JSON API under `/api/v1`: checks, batch jobs, rules, documents, the audit trail.

Bodies are read as plain JSON and validated by the core (`parse_form`), so a client gets the
same Chinese field messages as the CLI; the OpenAPI page still shows the form's schema, and
every answer is declared by a model (`compliance.web.models`).
"""

from __future__ import annotations

import shutil
from dataclasses import asdict
from enum import StrEnum
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from compliance.checker import form_from_text
from compliance.errors import FieldProblem, InputError
from compliance.extract import extract
from compliance.extract.cli import MAX_TEXT_CHARS
from compliance.form import Day, ProjectForm
from compliance.result import Lang, Verdict
from compliance.rulebook.order import rules_of
from compliance.web.admin_auth import is_admin
from compliance.web.admission import admit
from compliance.web.batch import BatchJobs, BatchRefused, BatchUnavailable
from compliance.web.db import StoredCheck
from compliance.web.errors import UploadError
from compliance.web.models import (
    BatchAccepted,
    BatchStatus,
    CheckList,
    DocumentDetail,
    DocumentOut,
    ErrorBody,
    ExtractionOut,
    Health,
    Recheck,
    RuleDetail,
    RuleOut,
    StoredCheckOut,
)
from compliance.web.security import client_address, rate_limit, require_json, same_origin
from compliance.web.service import CheckService, changes
from compliance.web.views import document_json, find_document, rule_json


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]}
            for status in statuses}


DESCRIPTIONS = {
    400: "请求格式有误 / malformed request", 401: "需要管理员令牌 / admin token required",
    403: "来自其他网站，或未配置管理员令牌 / from another site, or listing disabled",
    404: "不存在 / not found", 413: "请求过大 / body too large",
    415: "须为 application/json / JSON only",
    422: "输入有误，按字段列出 / invalid input, by field path",
    409: "状态冲突（如任务已结束）/ conflict with the current state",
    429: "请求过于频繁 / rate limited", 500: "服务器内部错误 / internal error",
    503: "暂不可用 / unavailable"}
router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(same_origin)],
                   responses=error_responses(400, 403, 413, 422, 500))

BATCH_UNAVAILABLE = "批量审查功能尚未启用（未安装 compliance.batch），请逐个提交项目或联系管理员。"
#: the body's schema is the form's (`docs.install_form_schema` puts it under components)
FORM_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/ProjectForm"}}}}}
AS_OF = "审查基准日（YYYY-MM-DD）；默认为表单的申报日期，再无则为今天 / the date rules apply as of"
#: below this much free space in the data dir, `healthz` says degraded: checks and batch
#: results are about to fail to be stored
MIN_FREE_BYTES = 64 * 2**20
#: far beyond any real audit trail, and small enough for every database's OFFSET
MAX_OFFSET = 10**9


class ResultKind(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    #: the CSV in GB18030, for spreadsheet programs that read a CSV in the system's encoding
    gbk_csv = "gbk.csv"
    jsonl = "jsonl"
    html = "html"


async def service(request: Request) -> CheckService:
    return request.app.state.service


async def jobs(request: Request) -> BatchJobs:
    return request.app.state.jobs


Service = Annotated[CheckService, Depends(service)]
Jobs = Annotated[BatchJobs, Depends(jobs)]
AsOf = Annotated[Day | None, Query(description=AS_OF)]


def _body_problem(message_zh: str, message_en: str) -> InputError:
    return InputError([FieldProblem("(body)", message_zh, message_en)])


async def read_json(request: Request) -> Any:
    """The body as JSON; anything unreadable is the client's error (422), never a 500."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _body_problem("请求内容不是 UTF-8 编码的文本", f"not UTF-8: {error}") from None
    return form_from_text(text, json_only=True, source="(body)")


@router.post("/check", dependencies=[Depends(require_json), Depends(rate_limit), Depends(admit)],
             openapi_extra=FORM_BODY, response_model=Verdict,
             responses=error_responses(415, 429, 503),
             summary="审查一个项目表单 / check one project form")
async def check(request: Request, checks: Service, as_of: AsOf = None,
                lang: Lang = Lang.zh) -> Response:
    """The verdict object (DESIGN.md contract); the stored check's id is in `X-Check-Id` and
    its address in `Location`."""
    data = await read_json(request)
    if not isinstance(data, dict):
        raise _body_problem("须为一个项目表单（JSON 对象）", "the body must be one form (a JSON object)")
    stored = await run_in_threadpool(
        checks.check, data, as_of=as_of, lang=lang.value, client=client_address(request),
        channel="api")
    headers = {"X-Check-Id": stored.id, "Location": f"/api/v1/checks/{stored.id}"}
    if stored.verdict_json is not None:  # the text stored: serialised once
        return Response(stored.verdict_json, media_type="application/json", headers=headers)
    return JSONResponse(stored.verdict, headers=headers)


EXTRACT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["text"], "additionalProperties": False,
    "properties": {"text": {"type": "string", "description":
                            f"项目建设内容，上限 {MAX_TEXT_CHARS:,} 字 / the project description"}}}}}}}


@router.post("/extract", dependencies=[Depends(require_json), Depends(rate_limit)],
             openapi_extra=EXTRACT_BODY, response_model=ExtractionOut,
             responses=error_responses(415, 429),
             summary="从项目建设内容读出表单字段 / read the form facts a description states")
async def extract_facts(request: Request) -> dict[str, Any]:
    """`{"text": "…"}` → `{form, readings, conflicts}`, as `compliance extract --format json`."""
    data = await read_json(request)
    if not isinstance(data, dict) or set(data) != {"text"} or not isinstance(data["text"], str):
        raise _body_problem('须为 {"text": "项目建设内容"}', 'the body must be {"text": "…"}')
    # counted in UTF-16 units, as a client that sends surrogate pairs counts them
    if len(data["text"].encode("utf-16-le", "surrogatepass")) // 2 > MAX_TEXT_CHARS:
        raise _body_problem(f"内容过长（上限 {MAX_TEXT_CHARS:,} 字）", "text too long")
    return (await run_in_threadpool(extract, data["text"])).to_json()


def stored_or_404(checks: CheckService, check_id: str) -> StoredCheck:
    found = checks.store.get(check_id)
    if found is None:
        raise HTTPException(404, f"未找到审查记录「{check_id[:64]}」。")
    return found


@router.get("/checks/{check_id}", response_model=StoredCheckOut, responses=error_responses(404),
            summary="一次已存档的审查 / one stored check")
def stored_check(check_id: str, checks: Service) -> dict[str, Any]:
    found = stored_or_404(checks, check_id)
    return {"id": found.id, "created_at": found.created_at, "channel": found.channel,
            "lang": found.lang, "as_of": found.as_of, "ruleset_version": found.ruleset_version,
            "current_ruleset_version": checks.ruleset_version,
            "rules_changed": found.ruleset_version != checks.ruleset_version,
            "recheck_of": found.recheck_of,
            "rechecks": [row.id for row in checks.store.rechecks_of(found.id)],
            "form": found.form, "verdict": found.verdict,
            "record_intact": checks.store.record_intact(found)}


@router.post("/checks/{check_id}/recheck", status_code=201, response_model=Recheck,
             dependencies=[Depends(rate_limit), Depends(admit)],
             responses=error_responses(404, 429, 503),
             summary="按现行规则重新审查 / re-check with the current rules")
async def recheck(request: Request, check_id: str, checks: Service) -> JSONResponse:
    """The same form, as of the same date, under the current rules: stored as a new check
    (`recheck_of` names the original, which stays as it was), with what changed."""
    previous = stored_or_404(checks, check_id)
    fresh = await run_in_threadpool(checks.recheck, previous, client_address(request))
    before, after = (Verdict.model_validate(row.verdict) for row in (previous, fresh))
    body = {"id": fresh.id, "recheck_of": previous.id, "verdict": fresh.verdict, "changes": {
        "verdict_before": before.verdict, "verdict_after": after.verdict,
        "ruleset_before": before.ruleset_version, "ruleset_after": after.ruleset_version,
        "rules": [asdict(change) for change in changes(before, after)]}}
    return JSONResponse(body, 201, headers={
        "X-Check-Id": fresh.id, "Location": f"/api/v1/checks/{fresh.id}"})


def require_admin(request: Request) -> None:
    """`Authorization: Bearer <COMPLIANCE_ADMIN_TOKEN>` (or the admin page's session cookie);
    no token configured means no listing at all."""
    if not request.app.state.settings.admin_token:
        raise HTTPException(403, "未配置管理员令牌（COMPLIANCE_ADMIN_TOKEN），不提供审查记录列表。")
    if not is_admin(request):
        raise HTTPException(401, "需要有效的管理员令牌（Authorization: Bearer …）。",
                            headers={"WWW-Authenticate": "Bearer"})


Limit = Annotated[int, Query(ge=1, le=500, description="每页条数")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="跳过的条数")]


@router.get("/checks", dependencies=[Depends(require_admin)], response_model=CheckList,
            responses=error_responses(401, 403),
            summary="审查记录列表（管理员）/ list stored checks (admin)")
def list_checks(checks: Service, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return {"limit": limit, "offset": offset,
            "checks": [row.summary() for row in checks.store.latest(limit, offset)]}


@router.post("/batch", status_code=202, dependencies=[Depends(rate_limit)],
             response_model=BatchAccepted, responses=error_responses(429, 503),
             summary="上传项目清单 / upload a project list")
def submit_batch(request: Request, batch: Jobs,
                 file: Annotated[UploadFile, File(description="CSV/XLSX/XLS/JSONL")],
                 as_of: Annotated[Day | None, Form(description=AS_OF)] = None
                 ) -> dict[str, str]:
    try:
        job_id = batch.submit(file.file, file.filename or "", as_of, site=str(request.base_url))
    except BatchUnavailable:
        raise HTTPException(503, BATCH_UNAVAILABLE) from None
    except BatchRefused as error:
        raise UploadError([FieldProblem("file", str(error), "unsupported file type")]) from None
    return {"job_id": job_id, "status_url": f"/api/v1/batch/{job_id}"}


@router.get("/batch/{job_id}", response_model=BatchStatus, responses=error_responses(404),
            summary="批量任务状态与计数 / batch job status and counts")
def batch_status(job_id: str, batch: Jobs) -> dict[str, Any]:
    status = batch.status(job_id)
    if status is None:
        raise HTTPException(404, "未找到该批量任务。")
    return status


@router.post("/batch/{job_id}/cancel", response_model=BatchStatus, responses=error_responses(404, 409),
             dependencies=[Depends(rate_limit)],
             summary="取消排队或审查中的批量任务 / cancel a queued or running batch job")
def cancel_batch(job_id: str, batch: Jobs) -> dict[str, Any]:
    if batch.status(job_id) is None:
        raise HTTPException(404, "未找到该批量任务。")
    if not batch.cancel(job_id):
        raise HTTPException(409, "任务已结束，无法取消。")
    return batch.status(job_id) or {}


@router.get("/batch/{job_id}/result.{kind}", responses={
    **error_responses(404), 200: {"description": "结果文件 / the result file", "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
    response_class=FileResponse, summary="批量结果文件 / batch result file")
def batch_result(job_id: str, kind: ResultKind, batch: Jobs) -> Response:
    path = batch.result(job_id, "csv" if kind is ResultKind.gbk_csv else kind.value)
    if path is None:
        raise HTTPException(404, "结果文件不存在（任务未完成、失败或不存在）。")
    filename = f"审查结果-{job_id[:8]}.{kind.value}"
    if kind is ResultKind.gbk_csv:  # every character has a GB18030 code: nothing is lost
        body = path.read_bytes().decode("utf-8-sig").encode("gb18030")
        return Response(body, media_type="text/csv; charset=gb18030", headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
    return FileResponse(path, filename=filename)


@router.get("/rules", response_model=list[RuleOut], summary="全部规则 / all rules")
def rules(checks: Service) -> list[dict[str, Any]]:
    return [rule_json(rule) for rule in checks.checker.rulebook.rules]


@router.get("/rules/{rule_id:path}", response_model=RuleDetail, responses=error_responses(404),
            summary="一条规则及其示例 / one rule with its examples")
def rule(rule_id: str, checks: Service) -> dict[str, Any]:
    found = checks.checker.rulebook.by_id.get(rule_id)
    if found is None:
        raise HTTPException(404, f"未知规则「{rule_id[:100]}」。")
    return rule_json(found, with_examples=True)


@router.get("/documents", response_model=list[DocumentOut],
            summary="规则依据的文件 / source documents")
def documents(checks: Service) -> list[dict[str, Any]]:
    rulebook = checks.checker.rulebook
    return [document_json(document, rulebook) for document in rulebook.documents]


@router.get("/documents/{document_id}", response_model=DocumentDetail, responses=error_responses(404),
            summary="一份文件及其规则 / one document and its rules")
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


@router.get("/healthz", response_model=Health,
            responses={503: {"model": Health,
                             "description": "数据库不可用或磁盘将满 / database down or disk nearly full"}},
            summary="健康检查 / health")
def healthz(request: Request, checks: Service) -> JSONResponse:
    database = checks.store.ping()
    free = shutil.disk_usage(request.app.state.settings.data_dir).free
    disk = free >= MIN_FREE_BYTES
    healthy = database and disk
    body = {"status": "ok" if healthy else "degraded", "database": database, "disk": disk,
            "disk_free_mb": free // 2**20, "ruleset_version": checks.ruleset_version,
            "engine": checks.checker.engine, "rules": len(checks.checker.rulebook.rules)}
    return JSONResponse(body, 200 if healthy else 503)

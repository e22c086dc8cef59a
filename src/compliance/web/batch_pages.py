"""The batch page: upload a list, watch its progress, read the summary, download the results.

Progress needs no JavaScript: the job page refreshes itself (meta refresh) until the job ends.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import cache
from pathlib import Path as FilePath
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from compliance.batch.columns import (
    ADDRESS,
    ADDRESS_LABEL,
    DESCRIPTION,
    MappingError,
    mapping_from,
)
from compliance.batch.findings import ACTION_STATUSES
from compliance.batch.template import write_template
from compliance.fields import UNTESTABLE
from compliance.presenters.html import project, report_context
from compliance.result import VERDICT_LABELS_ZH, Verdict
from compliance.web.api import BATCH_UNAVAILABLE, Jobs
from compliance.web.batch import UPLOAD_SUFFIXES, BatchRefused, BatchUnavailable
from compliance.web.batch_rows import FILTER_LABELS, FILTERS, row_verdict, rows_page
from compliance.web.formview import input_fields, parse_day
from compliance.web.pages import REPORT_CSP, render
from compliance.web.security import CSRF_FIELD, rate_limit, verify_csrf
from compliance.web.settings import MIB

router = APIRouter(include_in_schema=False)
#: the outcomes a batch counts, in the order the summary shows them
OUTCOMES = {**VERDICT_LABELS_ZH, "error": "无法审查（行有误）"}
CHART_WIDTH = 400
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the browser's own recent jobs (ids only), newest first
JOBS_COOKIE, MAX_RECENT = "batch_jobs", 10
#: the downloads a finished job offers: (file kind, button label)
#: a column mapping uploaded with a list is a few lines of YAML
MAX_MAPPING_BYTES = 64 * 1024
DOWNLOADS = (("xlsx", "XLSX"), ("csv", "CSV（UTF-8）"), ("gbk.csv", "CSV（GBK，旧版 Excel）"),
             ("jsonl", "JSONL"), ("html", "HTML 报告"))


def _upload_page(request: Request, batch: Jobs, message: str = "", status: int = 200
                 ) -> HTMLResponse:
    return render(request, "batch.html.j2", {
        "available": batch.available, "unavailable": BATCH_UNAVAILABLE, "message": message,
        "suffixes": "、".join(UPLOAD_SUFFIXES), "max_rows": batch.max_rows,
        "max_mib": request.app.state.settings.max_upload_bytes // MIB,
        "recent": _recent(request, batch), "outcomes": OUTCOMES}, status)


def _own_jobs(request: Request) -> list[str]:
    """The ids of the jobs this browser uploaded (newest first): only they are listed, as a
    job's id is all that opens it, and another officer's list is none of this one's business."""
    return [part for part in request.cookies.get(JOBS_COOKIE, "").split(".") if part][:MAX_RECENT]


def _recent(request: Request, batch: Jobs) -> list[dict[str, Any]]:
    return [status for job_id in _own_jobs(request) if (status := batch.status(job_id))]


@router.get("/batch")
def upload_form(request: Request, batch: Jobs) -> HTMLResponse:
    return _upload_page(request, batch)


@router.get("/batch/template.xlsx")
def template() -> Response:
    """The input sheet with every header, its unit and its choices as dropdowns (the CLI's
    `compliance batch --template`), made once per process."""
    return Response(_template_bytes(), media_type=XLSX_TYPE, headers={
        "content-disposition": "attachment; filename=\"compliance-template.xlsx\"; "
                               "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx"})


@cache
def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = FilePath(folder) / "template.xlsx"
        write_template(path)
        return path.read_bytes()


@router.post("/batch", dependencies=[Depends(rate_limit)])
async def upload(request: Request, batch: Jobs) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    file = posted.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _upload_page(request, batch, "请选择要上传的文件。", 422)
    as_of, problems = parse_day(str(posted.get("as_of") or ""))
    if problems:
        return _upload_page(request, batch, f"审查基准日{problems[0].message_zh}。", 422)
    try:
        mapping = await _mapping_file(posted.get("mapping"))
        job_id = await run_in_threadpool(batch.submit, file.file, file.filename, as_of, mapping,
                                         str(request.base_url))
    except BatchUnavailable:
        return _upload_page(request, batch, BATCH_UNAVAILABLE, 503)
    except (BatchRefused, MappingError) as error:
        return _upload_page(request, batch, str(error), 422)
    return _to_job(request, job_id)


def _to_job(request: Request, job_id: str) -> RedirectResponse:
    """To the new job's page, remembered among this browser's recent jobs."""
    response = RedirectResponse(f"/batch/{job_id}", 303)
    jobs = [job_id, *[other for other in _own_jobs(request) if other != job_id]][:MAX_RECENT]
    response.set_cookie(JOBS_COOKIE, ".".join(jobs), max_age=90 * 24 * 3600, httponly=True,
                        samesite="lax", path="/batch")
    return response


async def _mapping_file(file: object) -> dict[str, str] | None:
    """The optional column mapping uploaded with a list (`表头: 字段`, as `--mapping`)."""
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    text = await file.read(MAX_MAPPING_BYTES + 1)
    if len(text) > MAX_MAPPING_BYTES:
        raise MappingError(f"列对应文件超过 {MAX_MAPPING_BYTES // 1024} KiB。")
    try:
        data = yaml.safe_load(text.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise MappingError("列对应文件须为 UTF-8 的 YAML：每行「表头: 字段」。") from None
    return mapping_from(data, "列对应文件")


@router.post("/batch/{job_id}/remap", dependencies=[Depends(rate_limit)])
async def remap(request: Request, job_id: str, batch: Jobs) -> Response:
    """The same list checked again, with the unrecognised columns mapped as chosen: named as
    soon as a job starts, so the mapping can be chosen before the list is checked through
    (the running job is cancelled)."""
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    status, source = batch.status(job_id), batch.source(job_id)
    if status is None or source is None:
        raise HTTPException(404, "未找到该批量任务。")
    chosen = dict(zip(posted.getlist("column"), posted.getlist("target"), strict=False))
    try:
        mapping = {**status.get("mapping", {}), **mapping_from(chosen, "列对应")}
        await run_in_threadpool(batch.cancel, job_id)  # no-op once it has ended
        with source.open("rb") as upload:
            new_id = await run_in_threadpool(batch.submit, upload, status["filename"],
                                             _as_of(status), mapping, str(request.base_url))
    except (BatchRefused, MappingError) as error:
        raise HTTPException(422, str(error)) from None
    return _to_job(request, new_id)


def _as_of(status: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(status["as_of"]) if status.get("as_of") else None


def chart(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Bars for an inline SVG chart (attributes, not inline styles: the CSP forbids those)."""
    largest = max(counts.values(), default=0) or 1
    return [{"key": key, "label": label, "count": counts.get(key, 0),
             "width": round(CHART_WIDTH * counts.get(key, 0) / largest)}
            for key, label in OUTCOMES.items()]


@router.get("/batch/{job_id}")
def job(request: Request, job_id: str, batch: Jobs, show: str = "flagged",
        page: Annotated[int, Query(ge=1, le=10**6)] = 1) -> HTMLResponse:
    status = batch.status(job_id)
    if status is None:
        raise HTTPException(404, "未找到该批量任务。")
    counts = status.get("counts") or {}
    results = batch.result(job_id, "jsonl")
    shown = show if show in FILTERS else "flagged"
    return render(request, "batch_job.html.j2", {
        "job": status, "bars": chart(counts), "total": sum(counts.values()),
        "kinds": DOWNLOADS, "chart_width": CHART_WIDTH,
        "running": status["state"] in ("queued", "running"),
        "remaining": remaining_text(status, dt.datetime.now(dt.UTC)),
        "rows": rows_page(results.parent, shown, page) if results else None,
        "shown": shown, "filters": FILTER_LABELS, "outcomes": OUTCOMES,
        "targets": mapping_targets()})


@router.post("/batch/{job_id}/cancel", dependencies=[Depends(rate_limit)])
async def cancel(request: Request, job_id: str, batch: Jobs) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    if batch.status(job_id) is None:
        raise HTTPException(404, "未找到该批量任务。")
    await run_in_threadpool(batch.cancel, job_id)
    return RedirectResponse(f"/batch/{job_id}", 303)


@cache
def mapping_targets() -> tuple[tuple[str, str], ...]:
    """What an unrecognised column may be mapped to: every form field by its Chinese label, and
    the two free-text columns a list may have."""
    return (("", "不审查（原样保留）"), (ADDRESS, ADDRESS_LABEL + "（地址文字）"),
            (DESCRIPTION, "建设规模及内容（文字，自动读出字段）"),
            *((spec.path, spec.label_zh) for spec in input_fields()
              if spec.path not in UNTESTABLE))


def remaining_text(status: dict[str, Any], now: dt.datetime) -> str:
    """`预计还需约 3 分钟`, from the rows done so far and the list's estimated size; empty
    until there is a rate to go by."""
    done, estimated = status.get("rows_done") or 0, status.get("rows_estimated") or 0
    if status.get("state") != "running" or not status.get("started_at") or done <= 0:
        return ""
    elapsed = (now - dt.datetime.fromisoformat(status["started_at"])).total_seconds()
    seconds = max(estimated - done, 0) * elapsed / done
    if seconds < 60:
        return "预计不到 1 分钟"
    return f"预计还需约 {round(seconds / 60):,} 分钟"


@router.get("/batch/{job_id}/rows/{row}")
def job_row(request: Request, job_id: str, row: Annotated[int, Path(ge=1, le=10**9)],
            batch: Jobs) -> HTMLResponse:
    """One row's own report, as the single check's page shows it (the JSONL line's verdict)."""
    status, results = batch.status(job_id), batch.result(job_id, "jsonl")
    found = row_verdict(results.parent, row) if results else None
    if status is None or found is None:
        raise HTTPException(404, "未找到该行的审查结果（任务未完成或行号有误）。")
    context: dict[str, Any] = {"job": status, "row": row, "error": found.get("error")}
    if not found.get("error"):
        verdict = Verdict.model_validate({key: value for key, value in found.items()
                                          if key not in ("row", "error", "counts")})
        counts = found.get("counts")  # the findings form: only the results needing action
        reference = {"listed_in": f"{status['filename']} 第 {row} 行",
                     "permalink": str(request.url_for("job_row", job_id=job_id, row=row))}
        unlisted = sum(number for status_name, number in counts.items()
                       if status_name not in ACTION_STATUSES) if counts else 0
        context |= {"projects": [project(verdict, "zh", None, reference, counts)],
                    "unlisted": unlisted,
                    **report_context("zh", issuer=request.app.state.settings.report_issuer,
                                     rule_href=lambda rule_id: f"/rules/{rule_id}")}
    return render(request, "batch_row.html.j2", context)


@router.get("/batch/{job_id}/report")
def job_report(job_id: str, batch: Jobs) -> FileResponse:
    """The summary report (by rule, city and industry) shown in the browser, not downloaded."""
    path = batch.result(job_id, "html")
    if path is None:
        raise HTTPException(404, "汇总报告不存在（任务未完成、失败或不存在）。")
    return FileResponse(path, media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": REPORT_CSP})

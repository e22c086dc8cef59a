"""`GET /api/v1/checks/{id}/conformity`: a stored check's 符合性分析 tables, in Word, Markdown or
Excel, as `compliance check -f conformity-docx` writes them, with the check id and permalink.

Made from the stored verdict and the facts of its stored form, so the tables say what the
officer saw. A check made under rules since changed is refused with the way forward (re-check
it): tables from old results under new clauses would be neither.
"""

from __future__ import annotations

import io
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from compliance.presenters.conformity import Conformity, build
from compliance.presenters.conformity_docx import render_conformity_docx
from compliance.presenters.conformity_md import render_conformity_md
from compliance.presenters.conformity_xlsx import render_conformity_xlsx
from compliance.result import Verdict
from compliance.web.api import Service, error_responses, stored_or_404
from compliance.web.db import StoredCheck
from compliance.web.service import CheckService

router = APIRouter(prefix="/api/v1", tags=["api"],
                   responses=error_responses(400, 413, 422, 500))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ConformityFormat(StrEnum):
    docx = "docx"
    md = "md"
    xlsx = "xlsx"


@router.get("/checks/{check_id}/conformity", summary="符合性分析表 / the conformity tables",
            responses=error_responses(404, 409) | {200: {
                "description": "Word、Markdown 或 Excel 文件", "content": {
                    DOCX: {}, XLSX: {}, "text/markdown": {}}}},
            response_class=Response)
async def conformity(request: Request, check_id: str, checks: Service,
                     kind: Annotated[ConformityFormat, Query(alias="format")] =
                     ConformityFormat.docx) -> Response:
    found = stored_or_404(checks, check_id)
    if found.lang != "zh":
        raise HTTPException(409, "该审查以英文提交；符合性分析表用于中文报告，请以中文重新审查。")
    if found.ruleset_version != checks.ruleset_version:
        raise HTTPException(409, "该审查所依据的规则集已更新：请先按现行规则重新审查"
                                 f"（POST /api/v1/checks/{found.id}/recheck），再生成符合性分析表。")
    permalink = str(request.url_for("result", check_id=found.id))
    tables = await run_in_threadpool(_tables, checks, found, permalink)
    filename = f"符合性分析-{found.id[:8]}.{kind.value}"
    headers = {"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    if kind is ConformityFormat.md:
        return Response(render_conformity_md([tables]), headers=headers,
                        media_type="text/markdown; charset=utf-8")
    body = io.BytesIO()
    render = render_conformity_docx if kind is ConformityFormat.docx else render_conformity_xlsx
    await run_in_threadpool(render, [tables], body)
    return Response(body.getvalue(), headers=headers,
                    media_type=DOCX if kind is ConformityFormat.docx else XLSX)


def _tables(checks: CheckService, stored: StoredCheck, permalink: str) -> Conformity:
    verdict = Verdict.model_validate(stored.verdict)
    facts = checks.checker.facts(stored.form).values
    return build(verdict, checks.checker.rulebook, facts,
                 {"check_id": stored.id, "permalink": permalink})

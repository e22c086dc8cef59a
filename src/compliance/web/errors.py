"""Error responses: Chinese messages, JSON under `/api`, a page elsewhere, never a stack trace.

Unexpected errors are logged with an error id the officer can quote to an administrator; the
client sees only that id and a generic message.
"""

from __future__ import annotations

import errno
import logging
import uuid
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from compliance.errors import InputError, from_validation_error
from compliance.web.security import security_headers

log = logging.getLogger("compliance.web")

#: Chinese wording for errors raised with Starlette's default English phrase
DEFAULT_MESSAGES: dict[int, str] = {
    400: "请求格式有误，无法解析。", 401: "需要管理员令牌。", 403: "无权访问。", 404: "页面或资源不存在。",
    405: "不支持该请求方法。", 413: "请求内容过大。", 415: "不支持该内容类型。", 422: "输入有误。",
    429: "请求过于频繁，请稍后再试。", 503: "服务暂不可用。",
}
FORM_HEADLINE = "项目表单有误，请按提示修改。"
UPLOAD_HEADLINE = "上传的文件无法审查，请按提示更换文件或修改后重新上传。"
PARAMETERS_HEADLINE = "请求参数有误。"
INTERNAL_ERROR = "服务器内部错误，已记录。请稍后重试，或将错误编号告知管理员。"
STORAGE_FULL = "服务器存储空间已满，本次请求未能保存（没有留下不完整的记录）。请稍后重试，并请通知管理员。"
STORAGE_RETRY_SECONDS = 60


class UploadError(InputError):
    """A problem with an uploaded file as a whole (its type, its encoding), not a form field."""


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def message_for(status: int, detail: object) -> str:
    """The detail we wrote ourselves (always Chinese), else the Chinese default for the status:
    Starlette's and FastAPI's own details ("Invalid multipart data.") are English only."""
    if isinstance(detail, str) and not detail.isascii():
        return detail
    return DEFAULT_MESSAGES.get(status, HTTPStatus(status).phrase)


def error_response(request: Request, status: int, message: str,
                   problems: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """JSON `{detail, problems?}` for the API, the error page for browsers."""
    if wants_json(request):
        body: dict[str, object] = {"detail": message}
        if problems is not None:
            body["problems"] = problems
        return JSONResponse(body, status, headers=headers)
    render = request.app.state.render_error
    return render(request, status, message, problems or [], headers or {})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, message_for(exc.status_code, exc.detail),
                          headers=dict(exc.headers or {}))


async def _input_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    headline = UPLOAD_HEADLINE if isinstance(exc, UploadError) else FORM_HEADLINE
    return error_response(request, 422, headline, exc.as_json())


async def _validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own 422 (query or path parameters), in the same shape as form errors."""
    assert isinstance(exc, RequestValidationError)
    problems = from_validation_error(exc).as_json()  # type: ignore[arg-type]  # reads .errors()
    return error_response(request, 422, PARAMETERS_HEADLINE, problems)


def storage_full(exc: BaseException) -> bool:
    """Whether the error, or what caused it, is a full disk (or quota): the file system's own
    ENOSPC, or SQLite's "database or disk is full" under SQLAlchemy's wrapper."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "disk is full" in str(seen) or "No space left on device" in str(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


async def _internal_error(request: Request, exc: Exception) -> Response:
    if storage_full(exc):
        log.error("storage full on %s %s: %s", request.method, request.url.path, exc)
        response = error_response(request, 503, STORAGE_FULL,
                                  headers={"Retry-After": str(STORAGE_RETRY_SECONDS)})
        response.headers.update(security_headers(request.url.path))
        return response
    error_id = uuid.uuid4().hex[:12]
    log.error("unhandled error %s on %s %s", error_id, request.method, request.url.path,
              exc_info=exc)
    message = f"{INTERNAL_ERROR}（错误编号 {error_id}）"
    if wants_json(request):
        response: Response = JSONResponse({"detail": message, "error_id": error_id}, 500)
    else:
        response = HTMLResponse(f"<!DOCTYPE html><meta charset=utf-8><title>错误</title>"
                                f"<p>{message}</p>", 500)
    # this handler runs outside the middleware stack, so it adds the headers itself
    response.headers.update(security_headers(request.url.path))
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)

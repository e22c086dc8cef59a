"""The administrators' list of stored checks (`/checks`), behind the admin token.

A browser cannot send `Authorization: Bearer`, so the page also takes the token once in a login
form and answers with a signed, expiring, HttpOnly session cookie (`security.admin_session`).
Without a configured token the page says how to configure one, rather than a bare 404.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from compliance.result import VERDICT_LABELS_ZH
from compliance.web.api import Limit, Offset, Service
from compliance.web.pages import render
from compliance.web.security import (
    ADMIN_COOKIE,
    ADMIN_SESSION_SECONDS,
    CSRF_FIELD,
    admin_session,
    admin_token_matches,
    is_admin,
    rate_limit,
    verify_csrf,
)

router = APIRouter(include_in_schema=False)
CHANNELS = {"api": "API", "web": "网页", "recheck": "重新审查"}

def _login_page(request: Request, message: str = "", status: int = 401) -> HTMLResponse:
    configured = bool(request.app.state.settings.admin_token)
    return render(request, "checks.html.j2", {
        "configured": configured, "message": message, "rows": None},
        status if configured else 403)

Search = Annotated[str, Query(max_length=100, description="项目名称包含")]


@router.get("/checks")
def listing(request: Request, checks: Service, limit: Limit = 50, offset: Offset = 0,
            q: Search = "", outcome: str = "") -> HTMLResponse:
    """Past checks, newest first, searchable by project name and filtered by verdict."""
    if not is_admin(request):
        return _login_page(request)
    outcome = outcome if outcome in VERDICT_LABELS_ZH else ""
    rows = checks.store.latest(limit, offset, project=q.strip(), outcome=outcome)
    return render(request, "checks.html.j2", {
        "configured": True, "message": "", "rows": rows, "limit": limit, "offset": offset,
        "verdicts": VERDICT_LABELS_ZH, "channels": CHANNELS, "q": q, "outcome": outcome,
        "paging": urlencode({"q": q, "outcome": outcome, "limit": limit})})

@router.post("/checks/login", dependencies=[Depends(rate_limit)])
async def login(request: Request) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    token = posted.get("token")
    if not (isinstance(token, str) and admin_token_matches(request, token.strip())):
        return _login_page(request, "管理员令牌不正确。")
    response = RedirectResponse("/checks", 303)
    response.set_cookie(ADMIN_COOKIE, admin_session(request), max_age=ADMIN_SESSION_SECONDS,
                        httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response

@router.post("/checks/logout")
async def logout(request: Request) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    response = RedirectResponse("/checks", 303)
    response.delete_cookie(ADMIN_COOKIE, path="/")
    return response

"""The administrators' list of stored checks (`/checks`), behind the admin token.

A browser cannot send `Authorization: Bearer`, so the page also takes the token once in a login
form and answers with an HttpOnly cookie naming a session the server keeps (`admin_auth`).
Without a configured token the page says how to configure one, rather than a bare 404.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from compliance.batch.writers.common import neutralise
from compliance.result import VERDICT_LABELS_ZH
from compliance.web.admin_auth import (
    ADMIN_COOKIE,
    ADMIN_SESSION_SECONDS,
    AdminSessions,
    is_admin,
    log,
    refuse_if_guessing,
    token_matches,
)
from compliance.web.api import Limit, Offset, Service
from compliance.web.db import CheckFilter, StoredCheck
from compliance.web.formview import parse_day
from compliance.web.pages import render
from compliance.web.security import CSRF_FIELD, client_address, rate_limit, verify_csrf
from compliance.web.views import beijing

router = APIRouter(include_in_schema=False)
CHANNELS = {"api": "API", "web": "网页", "recheck": "重新审查"}

def _login_page(request: Request, message: str = "", status: int = 401) -> HTMLResponse:
    configured = bool(request.app.state.settings.admin_token)
    return render(request, "checks.html.j2", {
        "configured": configured, "message": message, "rows": None},
        status if configured else 403)

SearchText = Annotated[str, Query(max_length=100)]
#: the most rows one export holds (newest first); narrow the search for older ones
MAX_EXPORT = 50_000
EXPORT_HEADERS = ("审查时间（北京时间）", "项目名称", "建设单位", "建设地点", "审查结论", "审查基准日",
                  "规则集版本", "来源", "审查编号", "永久链接")


@dataclass(frozen=True)
class Search:
    """The list's search as the page's inputs hold it, and the filter it means."""

    q: str = ""
    applicant: str = ""
    place: str = ""
    outcome: str = ""
    since: str = ""
    until: str = ""

    def check_filter(self) -> tuple[CheckFilter, list[str]]:
        """The filter, and the Chinese messages for dates that are not dates."""
        days, problems = {}, []
        for name, label in (("since", "起始日期"), ("until", "截止日期")):
            day, found = parse_day(getattr(self, name), name)
            days[name] = day
            problems += [f"{label}{problem.message_zh}" for problem in found]
        return CheckFilter(project=self.q.strip(), applicant=self.applicant.strip(),
                           place=self.place.strip(),
                           outcome=self.outcome if self.outcome in VERDICT_LABELS_ZH else "",
                           **days), problems

    def query(self) -> str:
        return urlencode(asdict(self))


def _search(q: SearchText = "", applicant: SearchText = "", place: SearchText = "",
            outcome: SearchText = "", since: SearchText = "", until: SearchText = "") -> Search:
    return Search(q, applicant, place, outcome, since, until)


@router.get("/checks")
def listing(request: Request, checks: Service, search: Annotated[Search, Depends(_search)],
            limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    """Past checks, newest first, found by name, applicant, place, verdict and date."""
    if not is_admin(request):
        return _login_page(request)
    where, problems = search.check_filter()
    rows = [] if problems else checks.store.latest(limit, offset, where)
    return render(request, "checks.html.j2", {
        "configured": True, "message": "；".join(problems), "rows": rows, "limit": limit,
        "offset": offset, "verdicts": VERDICT_LABELS_ZH, "channels": CHANNELS,
        "search": search, "paging": f"{search.query()}&limit={limit}"},
        422 if problems else 200)


@router.get("/checks/export.csv")
def export(request: Request, checks: Service, search: Annotated[Search, Depends(_search)]
           ) -> Response:
    """The checks the search finds (newest first, at most MAX_EXPORT) as a CSV in UTF-8 with
    BOM, which spreadsheet programs open as Chinese; every cell neutralised."""
    if not is_admin(request):
        return _login_page(request)
    where, problems = search.check_filter()
    if problems:
        raise HTTPException(422, "；".join(problems))
    rows = checks.store.latest(MAX_EXPORT, 0, where)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow([neutralise(str(cell)) for cell in _export_row(request, row)])
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": "attachment; filename=\"checks.csv\"; "
                             f"filename*=UTF-8''{quote('审查记录.csv')}"})


def _export_row(request: Request, row: StoredCheck) -> list[str]:
    return [beijing(row.created_at), row.project, str(row.form.get("applicant") or ""),
            row.place, VERDICT_LABELS_ZH[row.outcome],
            row.as_of.isoformat(), row.ruleset_version, CHANNELS.get(row.channel, row.channel),
            row.id, str(request.url_for("result", check_id=row.id))]

@router.post("/checks/login", dependencies=[Depends(rate_limit)])
async def login(request: Request) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    refuse_if_guessing(request)
    token = posted.get("token")
    if not (isinstance(token, str) and token_matches(request, token.strip(), "login form")):
        return _login_page(request, "管理员令牌不正确。")
    sessions: AdminSessions = request.app.state.admin_sessions
    response = RedirectResponse("/checks", 303)
    response.set_cookie(ADMIN_COOKIE, sessions.open(request.app.state.settings.admin_token),
                        max_age=ADMIN_SESSION_SECONDS, httponly=True, samesite="strict",
                        path="/", secure=request.url.scheme == "https")
    log.info("admin login from %s", client_address(request))
    return response

@router.post("/checks/logout")
async def logout(request: Request) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    sessions: AdminSessions = request.app.state.admin_sessions
    if sessions.close(request.cookies.get(ADMIN_COOKIE, "")):  # ended here, not only in the browser
        log.info("admin logout from %s", client_address(request))
    response = RedirectResponse("/checks", 303)
    response.delete_cookie(ADMIN_COOKIE, path="/")
    return response

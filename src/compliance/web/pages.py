"""Server-rendered pages in Simplified Chinese: home, form and upload, result and permalink, rules.

Everything works without JavaScript: forms post and redirect (POST → 303 → GET), so a result
page is always its own permalink and reloading never re-submits a check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from compliance.definitions import meanings_by_field
from compliance.errors import FieldProblem, InputError
from compliance.extract import Extraction, extract
from compliance.extract.cli import MAX_TEXT_CHARS
from compliance.paths import templates_dir
from compliance.presenters import render_html
from compliance.presenters.html import print_css, project, report_context
from compliance.presenters.labels import cite, status_label
from compliance.reference import industry_key_names
from compliance.result import Verdict
from compliance.rulebook.book import ANY_INDUSTRY
from compliance.rulebook.changelog import changelog
from compliance.rulebook.order import clauses
from compliance.web import formview, interview
from compliance.web.admission import admit
from compliance.web.api import Service
from compliance.web.db import StoredCheck
from compliance.web.extractview import DESCRIPTION_FIELD, extraction_rows
from compliance.web.formfile import FORM_FILE, read_form_file
from compliance.web.security import (
    CSRF_FIELD,
    client_address,
    csrf_token,
    rate_limit,
    set_csrf_cookie,
    verify_csrf,
)
from compliance.web.service import CheckService, changes
from compliance.web.views import (
    LANG_NOTICE,
    ZH,
    beijing,
    document_json,
    field_label,
    find_document,
    rule_facts,
)

router = APIRouter(include_in_schema=False)
#: the printable report has its own inline stylesheet and no script at all
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'"


_PART_END = re.compile(r"([/._-])")


def breakable(text: str) -> Markup:
    """Rule ids, field paths and links may wrap after `/ . _ -` (`<wbr>`), between their
    parts, rather than mid-word or not at all (a narrow column, a printed page)."""
    return Markup(_PART_END.sub(r"\1<wbr>", str(escape(text))))


def _environment() -> Environment:
    """Autoescaping on for every template, whatever its name; undefined names are errors."""
    env = Environment(loader=FileSystemLoader([Path(__file__).parent / "templates",
                                               templates_dir()]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(L=ZH, cite=cite, field_label=field_label, beijing=beijing,
                       status_label=status_label,
                       csrf_field=CSRF_FIELD, form_file=FORM_FILE)
    env.filters.update(thousands=lambda number: f"{number:,}", breakable=breakable)
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """A page with the shared context (CSRF token, ruleset version) and the CSRF cookie."""
    checks: CheckService = request.app.state.service
    context = {**context, "csrf": csrf_token(request), "ruleset_version": checks.ruleset_version}
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status,
                                          headers=headers)
    set_csrf_cookie(request, response)
    return response


def render_error(request: Request, status: int, message: str, problems: list[dict[str, str]],
                 headers: dict[str, str]) -> HTMLResponse:
    return render(request, "error.html.j2", {"status": status, "message": message,
                                             "problems": problems}, status, headers)


def _stored_or_404(checks: CheckService, check_id: str) -> StoredCheck:
    found = checks.store.get(check_id)
    if found is None:
        raise HTTPException(404, "未找到该审查记录。链接可能有误。")
    return found


@router.get("/")
def home(request: Request, checks: Service) -> HTMLResponse:
    rulebook = checks.checker.rulebook
    used = sorted({key for rule in rulebook.rules for key in rule.rule.applies_to.industries
                   if key != ANY_INDUSTRY})
    names = industry_key_names()
    return render(request, "home.html.j2", {
        "documents": [document_json(doc, rulebook) for doc in rulebook.documents],
        "industries": [(key, names.get(key, key)) for key in used],
        "rule_count": len(rulebook.rules)})


async def _form_page(request: Request, checks: CheckService, values: dict[str, Any],
                     problems: list[FieldProblem], status: int = 200,
                     extraction: Extraction | None = None, description: str = "",
                     requested: str = "") -> HTMLResponse:
    """The form as an interview (the basics, then the questions) or, when asked, whole."""
    mode = interview.mode_for(values, requested)
    errors = formview.field_errors(problems)
    context: dict[str, Any] = {
        "mode": mode, "values": values, "problems": formview.problem_rows(problems),
        "as_of_errors": errors.get(formview.AS_OF, []),
        "file_errors": errors.get(FORM_FILE, []), "relevant": False,
        "industry_options": formview.industry_options(),
        "extraction": extraction_rows(extraction), "description": description}
    if mode == "full":
        keys = formview.industry_keys(formview.split_list(str(values.get("industry", ""))))
        relevant = formview.relevant_technology(checks.checker.rulebook, keys)
        meanings = meanings_by_field(checks.checker.rulebook)
        context |= {"groups": formview.build_groups(values, problems, relevant, meanings),
                    "relevant": bool(relevant)}
    else:
        as_of, _ = formview.parse_day(str(values.get(formview.AS_OF) or ""))
        asked = await run_in_threadpool(interview.interview, checks.checker, values, problems,
                                        as_of)
        other = [field for group in asked.other for field in group.fields]
        context |= {"groups": asked.basics, "asked": asked.asked, "other": asked.other,
                    "question_count": asked.question_count, "other_count": len(other),
                    "other_filled": any(field.value or field.errors for field in other)}
    return render(request, "form.html.j2", context, status)


@router.get("/check")
async def form(request: Request, checks: Service, industry: str = "", mode: str = "",
               source: Annotated[str, Query(alias="from")] = "") -> HTMLResponse:
    """The interview's first step, or the questions for a stored check's form; with
    `mode=full`, every field at once."""
    values: dict[str, Any] = {}
    if source:
        stored = _stored_or_404(checks, source)
        values = {**formview.values_from_form(stored.form), "as_of": stored.as_of.isoformat()}
    if industry:
        values["industry"] = industry
    return await _form_page(request, checks, values, [], requested=mode)


async def _check_or_form(request: Request, checks: CheckService, data: dict[str, Any],
                         values: dict[str, Any], as_of_text: str = "", requested: str = ""
                         ) -> Response:
    """Check and store, then show the result (POST → 303 → GET); or the form again with every
    problem at once: a bad date, the form's own fields and the places or industries the
    checker cannot resolve."""
    as_of, date_problems = formview.parse_day(as_of_text)
    if not date_problems:
        try:
            stored = await run_in_threadpool(checks.check, data, as_of=as_of,
                                             client=client_address(request), channel="web")
        except InputError:
            pass
        else:
            return RedirectResponse(f"/checks/{stored.id}", 303)
    found = await run_in_threadpool(formview.every_problem, checks.checker, data)
    return await _form_page(request, checks, values, [*date_problems, *found], 422,
                            requested=requested)


@router.post("/check", dependencies=[Depends(rate_limit), Depends(admit)])
async def submit(request: Request, checks: Service) -> Response:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    values = formview.posted_values(posted.multi_items())
    return await _check_or_form(request, checks, formview.form_data(values), values,
                                str(values.get(formview.AS_OF) or ""),
                                str(posted.get("mode") or ""))


@router.post("/check/interview", dependencies=[Depends(rate_limit), Depends(admit)])
async def ask(request: Request, checks: Service) -> Response:
    """The questions for the basics posted (nothing is checked for the record or stored):
    every problem of the form so far, the city asked for at once."""
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    values = formview.posted_values(posted.multi_items())
    _, date_problems = formview.parse_day(str(values.get(formview.AS_OF) or ""))
    found = await run_in_threadpool(formview.every_problem, checks.checker,
                                    formview.form_data(values))
    problems = [*date_problems, *found, *interview.city_problem(values)]
    return await _form_page(request, checks, values, problems, 422 if problems else 200)


@router.post("/check/extract", dependencies=[Depends(rate_limit)])
async def prefill(request: Request, checks: Service) -> Response:
    """The form prefilled with what a pasted description states, and what was read from which
    words, for the user to confirm before checking (nothing is checked or stored here)."""
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    text = str(posted.get(DESCRIPTION_FIELD) or "")
    if not text.strip() or len(text) > MAX_TEXT_CHARS:
        message = "请粘贴项目建设内容" if not text.strip() else f"内容过长（上限 {MAX_TEXT_CHARS:,} 字）"
        problem = FieldProblem(DESCRIPTION_FIELD, message, "no usable description")
        return await _form_page(request, checks, {}, [problem], 422, description=text[:2000])
    extraction = await run_in_threadpool(extract, text)
    return await _form_page(request, checks, formview.values_from_form(extraction.form), [],
                      extraction=extraction, description=text)


@router.post("/check/upload", dependencies=[Depends(rate_limit), Depends(admit)])
async def upload(request: Request, checks: Service) -> Response:
    """A form file instead of the typed form: the same checks, the same result page."""
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    file = posted.get(FORM_FILE)
    if not isinstance(file, UploadFile) or not file.filename:
        problem = FieldProblem(FORM_FILE, "请选择要上传的表单文件", "no file chosen")
        return await _form_page(request, checks, {}, [problem], 422)
    try:
        data = read_form_file(await file.read(), file.filename)
    except InputError as error:
        return await _form_page(request, checks, {}, error.problems, 422)
    shape = formview.shape_problems(data)
    if shape:  # refused before anything walks it (a YAML alias bomb): the file as a whole
        return await _form_page(request, checks, {}, [FieldProblem(
            FORM_FILE, f"{p.path}：{p.message_zh}", f"{p.path}: {p.message_en}") for p in shape], 422)
    return await _check_or_form(request, checks, data, formview.values_from_form(data))


@router.get("/checks/{check_id}")
def result(request: Request, check_id: str, checks: Service, previous: str = "") -> HTMLResponse:
    """The stored verdict (the permalink); with `previous`, what changed since that check."""
    stored = _stored_or_404(checks, check_id)
    verdict = Verdict.model_validate(stored.verdict)
    diff = None
    if previous:
        before = Verdict.model_validate(_stored_or_404(checks, previous).verdict)
        diff = {"before": before, "changes": changes(before, verdict)}
    original = checks.store.get(stored.recheck_of) if stored.recheck_of else None
    return render(request, "result.html.j2", {
        "stored": stored, "diff": diff, "record_intact": checks.store.record_intact(stored),
        "lang_notice": LANG_NOTICE if stored.lang == "en" else "",
        "original": original, "rechecks": checks.store.rechecks_of(stored.id),
        "rules_changed": stored.ruleset_version != checks.ruleset_version,
        "projects": [project(verdict, stored.lang, stored.form, _reference(request, stored))],
        **report_context(stored.lang, issuer=request.app.state.settings.report_issuer,
                         rule_href=lambda rule_id: f"/rules/{rule_id}")})


def _reference(request: Request, stored: StoredCheck) -> dict[str, str]:
    """How a stored check is found again: its id, when it was made, its permalink."""
    return {"check_id": stored.id, "checked_at": beijing(stored.created_at),
            "permalink": str(request.url_for("result", check_id=stored.id))}


@router.post("/checks/{check_id}/recheck", dependencies=[Depends(rate_limit), Depends(admit)])
async def recheck(request: Request, check_id: str, checks: Service) -> RedirectResponse:
    posted = await request.form()
    verify_csrf(request, posted.get(CSRF_FIELD))
    stored = _stored_or_404(checks, check_id)
    fresh = await run_in_threadpool(checks.recheck, stored, client_address(request))
    return RedirectResponse(f"/checks/{fresh.id}?previous={stored.id}", 303)


@router.get("/checks/{check_id}/report.html")
def report(request: Request, check_id: str, checks: Service) -> HTMLResponse:
    """The printable report (the CLI's `--format html`), to keep on file: with the project's
    data, the issuing body, the check id and its permalink."""
    stored = _stored_or_404(checks, check_id)
    verdict = Verdict.model_validate(stored.verdict)
    html = render_html([verdict], lang=stored.lang, show_all=True, forms=[stored.form],
                       issuer=request.app.state.settings.report_issuer,
                       references=[_reference(request, stored)])
    return HTMLResponse(html, headers={
        "content-security-policy": REPORT_CSP,
        "content-disposition": f'attachment; filename="compliance-{check_id[:8]}.html"'})


@router.get("/checks/{check_id}/print.css")
def print_stylesheet(check_id: str, checks: Service) -> Response:
    """The foot of every printed page of a result: check id, ruleset, as-of date, page."""
    stored = _stored_or_404(checks, check_id)
    verdict = Verdict.model_validate(stored.verdict)
    return Response(print_css(verdict, {"check_id": stored.id}, stored.lang),
                    media_type="text/css; charset=utf-8")


@router.get("/checks/{check_id}/verdict.json")
def verdict_json(check_id: str, checks: Service) -> JSONResponse:
    stored = _stored_or_404(checks, check_id)
    return JSONResponse(stored.verdict, headers={
        "content-disposition": f'attachment; filename="compliance-{check_id[:8]}.json"'})


@router.get("/rules")
def rules(request: Request, checks: Service) -> HTMLResponse:
    rulebook = checks.checker.rulebook
    return render(request, "rules.html.j2", {
        "documents": [document_json(doc, rulebook) for doc in rulebook.documents]})


@router.get("/rulesets")
def ruleset_changes(request: Request, checks: Service,
                    before: Annotated[str, Query(alias="from", max_length=64)] = "",
                    after: Annotated[str, Query(alias="to", max_length=64)] = ""
                    ) -> HTMLResponse:
    """The versions of the rulebook this service has run, and what changed between two of
    them (by default, the one before the current and the current)."""
    versions = checks.store.ruleset_versions()
    names = [version for version, _ in versions]
    after = after or checks.ruleset_version
    before = before or next((name for name in names if name != after), "")
    old, new = checks.store.ruleset_digest(before), checks.store.ruleset_digest(after)
    if (before and old is None) or new is None:
        raise HTTPException(404, "本服务未使用过该规则集版本。")
    return render(request, "rulesets.html.j2", {
        "versions": versions, "before": before, "after": after,
        "log": changelog(old, new) if old is not None else None})


@router.get("/documents/{document_id}")
def document(request: Request, document_id: str, checks: Service) -> HTMLResponse:
    rulebook = checks.checker.rulebook
    found = find_document(rulebook, document_id)
    if found is None:
        raise HTTPException(404, "未找到该文件。")
    return render(request, "document.html.j2", {
        "doc": found, "clauses": clauses(rulebook, document_id), "rule_facts": rule_facts})


@router.get("/rules/{rule_id:path}")
def rule(request: Request, rule_id: str, checks: Service) -> HTMLResponse:
    found = checks.checker.rulebook.by_id.get(rule_id)
    if found is None:
        raise HTTPException(404, "未找到该规则。")
    return render(request, "rule.html.j2", {"rule": found, "facts": rule_facts(found)})

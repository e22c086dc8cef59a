"""The Chinese pages with TestClient: form, result, permalink and re-check, rules, security."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.rulebook.changelog import digest
from compliance.web.formview import group_of, input_fields, values_from_form
from tests.web.conftest import (
    ADMIN_TOKEN,
    ANYANG_NUMBER,
    ANYANG_QUOTE,
    coking_form,
    csrf_token,
    make_client,
    page_form,
)

COKING_INPUTS = {
    "name": "安阳县焦化项目", "project_type": "new", "industry": "C2521",
    "location.city": "安阳市", "application_date": "2019-09-18",
    "technology.coke_oven_chamber_height_m": "4.3",
}


def submit(client: TestClient, inputs: dict[str, str | list[str]]) -> tuple[int, str, str]:
    """Post the form as a browser would; returns (status, final URL path, page)."""
    token = page_form(client)
    response = client.post("/check", data={**inputs, "csrf_token": token})
    return response.status_code, response.url.path, response.text


def test_the_full_form_groups_fields_with_labels_and_units(client: TestClient) -> None:
    page = client.get("/check", params={"mode": "full"}).text
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert legends == ["基本信息", "选址", "产能", "工艺装备", "排放", "能耗", "手续"]
    assert "焦炉炭化室高度" in page and "（米）" in page
    assert 'name="location.city"' in page and 'name="fuel"' in page


def test_industry_puts_its_technology_fields_first(client: TestClient) -> None:
    def order(page: str) -> list[str]:
        group = page.split("<legend>工艺装备</legend>")[1].split("</fieldset>")[0]
        return re.findall(r'name="(technology\.[a-z_]+)"', group)

    def full(**params: str) -> str:
        return client.get("/check", params={"mode": "full", **params}).text

    assert order(full())[0] == "technology.coke_oven_chamber_height_m"
    cement = order(full(industry="cement"))
    assert set(cement[:2]) == {"technology.clinker_line_tpd", "technology.cement_mill_diameter_m"}
    assert "相关" in full(industry="C2521")


def test_a_rejected_project_shows_the_verdict_and_the_quote(client: TestClient) -> None:
    status, path, page = submit(client, COKING_INPUTS)
    assert status == 200 and path.startswith("/checks/")
    assert "不予通过" in page and ANYANG_NUMBER in page and ANYANG_QUOTE in page
    assert "焦炉炭化室高度 4.3 米 ≤ 4.3 米" in page
    assert f'href="{path}/report.html"' in page and f'href="{path}/verdict.json"' in page


def test_an_incomplete_form_names_the_fields_and_keeps_the_values(client: TestClient) -> None:
    status, path, page = submit(client, {
        "name": "汤阴县焦化项目", "technology.coke_oven_chamber_height_m": "4.3米",
        "location.in_industrial_park": "true", "fuel": ["coal", "electricity"]})
    assert status == 422 and path == "/check"
    assert "表单有 3 处问题" in page
    for field in ("建设性质", "所属行业", "焦炉炭化室高度"):
        assert re.search(f'<a href="#f-[^"]+">{field}', page), field
    assert 'id="f-project_type-error">必填项，未填写' in page
    assert 'value="汤阴县焦化项目"' in page and 'value="4.3米"' in page
    assert '<option value="true" selected>是</option>' in page
    assert 'value="coal" checked' in page and 'value="electricity" checked' in page


def test_a_bad_as_of_date_is_shown_with_the_forms_problems(client: TestClient) -> None:
    status, _, page = submit(client, {"name": "x", "as_of": "2019-13-01"})
    assert status == 422
    assert 'id="f-as_of-error">须为日期' in page and "表单有 3 处问题" in page


def test_form_posts_without_the_csrf_token_are_refused(client: TestClient) -> None:
    page_form(client)
    missing = client.post("/check", data=COKING_INPUTS)
    forged = client.post("/check", data={**COKING_INPUTS, "csrf_token": "x" * 43})
    for response in (missing, forged):
        assert response.status_code == 403
        assert "CSRF" in response.text and "<title>" in response.text


def test_a_script_in_the_project_name_renders_as_text(client: TestClient) -> None:
    evil = "<script>alert(1)</script>"
    _, _, page = submit(client, {**COKING_INPUTS, "name": evil})
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    _, _, form_page = submit(client, {"name": evil})
    assert evil not in form_page


def test_permalink_edit_and_downloads(client: TestClient) -> None:
    _, path, _ = submit(client, COKING_INPUTS)
    check_id = path.rsplit("/", 1)[1]
    again = client.get(path)
    assert again.status_code == 200 and "不予通过" in again.text
    report = client.get(f"{path}/report.html")
    assert "attachment" in report.headers["content-disposition"]
    assert report.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert ANYANG_QUOTE in report.text
    for words in ("项目基本情况", "安阳县焦化项目", "审查意见", "经办人", "审核人",
                  f"<code>{check_id}</code>", f"{path}"):
        assert words in report.text, words  # what an officer files, with the check's own id
    assert client.get(f"{path}/verdict.json").json()["verdict"] == "rejected"
    edit = client.get("/check", params={"from": check_id}).text
    assert 'value="安阳市"' in edit and 'value="2019-09-18"' in edit
    assert client.get(f"/checks/{check_id[:-1]}0x").status_code == 404


def test_recheck_with_current_rules_shows_what_changed(client: TestClient) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    old = dict(service.check(coking_form(), as_of=None, client="test", channel="api").verdict)
    old["ruleset_version"] = "000000000000"
    old["verdict"] = "compliant"
    old["results"] = [{**r, "status": "pass"} if r["status"] == "fail" else r
                      for r in old["results"]][:-1]
    stored = service.store.insert(channel="api", client="test", form=coking_form(), verdict=old)

    page = client.get(f"/checks/{stored.id}").text
    assert "000000000000" in page and "按现行规则重新审查并比较" in page
    assert "符合" in page  # the stored verdict, unchanged
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/checks/{stored.id}/recheck", data={"csrf_token": token})
    assert response.url.path != f"/checks/{stored.id}"
    assert f"previous={stored.id}" in str(response.url)
    diff = response.text.split('<section class="diff">')[1].split("</section>")[0]
    diff = diff.replace("<wbr>", "")
    assert "<strong>符合</strong> → <strong>不予通过</strong>" in diff
    assert "anyang-2019-19/coke-oven-4.3m" in diff and "（当时无此规则）" in diff
    assert client.get(f"/api/v1/checks/{stored.id}").json()["verdict"]["verdict"] == "compliant"


def test_rules_browser_documents_clauses_rules(client: TestClient) -> None:
    index = client.get("/rules").text
    assert '<a href="/documents/anyang-2019-19">' in index
    document = client.get("/documents/anyang-2019-19").text
    assert "条款 三、（二）2.（3）" in document and ANYANG_QUOTE in document
    assert 'href="/rules/anyang-2019-19/coke-oven-4.3m"' in document
    rule = client.get("/rules/anyang-2019-19/coke-oven-4.3m").text
    assert "禁止" in rule and "2019-06-04 起" in rule and "示例" in rule
    assert client.get("/documents/nope").status_code == 404


@pytest.mark.parametrize("path", ["/", "/check", "/rules", "/batch"])
def test_pages_load_only_our_own_assets(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert '<html lang="zh-CN">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page and " style=" not in page


def test_values_from_a_stored_form_fill_the_inputs() -> None:
    values = values_from_form(coking_form())
    assert values["location.city"] == "安阳" and values["independent_plant"] == "true"
    assert values["technology.coke_oven_chamber_height_m"] == "4.3"
    written = values_from_form({"project_type": "新建", "fuel": ["煤", "电"],
                                "location": {"in_industrial_park": "是"}})
    assert written == {"project_type": "new", "fuel": ["coal", "electricity"],
                       "location.in_industrial_park": "true"}


def test_every_form_section_has_a_group() -> None:
    """A new nested section of the form contract must be given its place on the page."""
    assert [spec.path for spec in input_fields() if group_of(spec.path) is None] == []


def test_an_oversized_form_post_is_413_as_a_page(client: TestClient) -> None:
    token = page_form(client)
    response = client.post("/check", data={"name": "x" * (1 << 20), "csrf_token": token})
    assert response.status_code == 413
    assert "请求内容过大" in response.text and "<title>" in response.text


def test_every_problem_is_shown_at_once(client: TestClient) -> None:
    """A bad date does not hide the form's problems, nor the form's problems the places and
    industries the checker cannot resolve."""
    status, _, page = submit(client, {
        "name": "x", "project_type": "new", "industry": "焦化业", "location.city": "安洋",
        "as_of": "2019-02-30"})
    assert status == 422
    assert 'id="f-as_of-error">须为日期' in page
    assert 'id="f-industry-error">' in page and 'id="f-location-city-error">' in page
    assert "表单有 3 处问题" in page
    _, _, page = submit(client, {"name": "x", "industry": "焦化业", "location.city": "安洋"})
    assert 'id="f-project_type-error">必填项' in page
    assert 'id="f-industry-error">' in page and 'id="f-location-city-error">' in page


@pytest.mark.parametrize("as_of", ["0", "20190918", "1568764800"])
def test_the_page_takes_only_calendar_dates(client: TestClient, as_of: str) -> None:
    status, _, page = submit(client, {**COKING_INPUTS, "as_of": as_of})
    assert status == 422 and 'id="f-as_of-error">须为日期（YYYY-MM-DD）' in page


def test_a_csrf_token_cannot_be_made_up(client: TestClient) -> None:
    """Equal cookie and field values are not enough: the field is the cookie's HMAC under the
    server's secret, which a page elsewhere (or a sibling subdomain setting the cookie) lacks."""
    for made_up in ("a", "x" * 43, "0" * 64):
        client.cookies.set("compliance_csrf", made_up)
        response = client.post("/check", data={**COKING_INPUTS, "csrf_token": made_up})
        assert response.status_code == 403
    client.cookies.clear()
    status, path, _ = submit(client, COKING_INPUTS)
    assert status == 200 and path.startswith("/checks/")


@pytest.mark.slow
def test_the_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    with make_client(tmp_path) as first:
        token = page_form(first)
        cookie = first.cookies["compliance_csrf"]
    secret = tmp_path / "secret_key"
    assert secret.stat().st_mode & 0o077 == 0 and len(secret.read_text()) >= 32
    with make_client(tmp_path) as again:  # a restart: forms already open still post
        again.cookies.set("compliance_csrf", cookie)
        assert csrf_token(again.get("/check").text) == token
    with make_client(tmp_path, secret_key="s" * 40) as configured:
        configured.cookies.set("compliance_csrf", cookie)
        assert csrf_token(configured.get("/check").text) != token


def test_a_recheck_links_to_the_original_and_back(client: TestClient) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    original = service.check(coking_form(), as_of=None, client="test", channel="web")
    assert "之后已按现行规则重新审查" not in client.get(f"/checks/{original.id}").text
    fresh = service.recheck(original, "test")
    page = client.get(f"/checks/{fresh.id}").text
    assert "本次为对" in page and f'href="/checks/{original.id}"' in page
    assert f'href="/checks/{fresh.id}?previous={original.id}">查看差异' in page
    listing = client.get(f"/checks/{original.id}").text
    assert "之后已按现行规则重新审查 1 次" in listing
    assert f'href="/checks/{fresh.id}?previous={original.id}"' in listing


def test_an_english_check_reads_in_english_on_the_page(client: TestClient) -> None:
    response = client.post("/api/v1/check", params={"lang": "en"}, json=coking_form())
    check_id = response.headers["x-check-id"]
    page = client.get(f"/checks/{check_id}").text
    report = page.split('<div class="report" lang="en">')[1].split("</main>")[0]
    assert "Rules broken" in report and "Compliance report" in report and "Verdict" in report
    assert "不符合的规定" not in report and "审查结论" not in report and "依据：" not in report
    assert "以英文（lang=en）提交" in page  # the Chinese chrome says why
    downloaded = client.get(f"/checks/{check_id}/report.html").text
    assert 'lang="en"' in downloaded


def test_the_rule_page_keeps_the_english_title_secondary(client: TestClient) -> None:
    page = client.get("/rules/anyang-2019-19/coke-oven-4.3m").text
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)  # type: ignore[union-attr]
    assert heading.isascii() is False and " · " not in page.split("<h1>")[1].split("</p>")[0]
    assert re.search(r'<p class="title-en">.*<span lang="en">', page)


def test_form_fields_show_no_raw_paths(client: TestClient) -> None:
    page = client.get("/check").text
    assert '<p class="path">' not in page and "<code>location.city</code>" not in page
    assert 'title="字段名 location.city' in page  # a hint on hover


def test_document_clauses_are_in_document_order(client: TestClient) -> None:
    page = client.get("/documents/anyang-2019-19").text
    found = re.findall(r"<h2>条款 (.*?)</h2>", page)
    assert found.index("二、（一）2.（3）") < found.index("三、（二）2.（3）")
    chapters = [clause[0] for clause in found]
    assert chapters == sorted(chapters, key="一二三四五六七八九十".index)


FORM_YAML = """\
name: 安阳县焦化项目
project_type: new
industry: C2521
location: {city: 安阳市}
application_date: 2019-09-18
technology: {coke_oven_chamber_height_m: 4.3}
"""


def upload(client: TestClient, name: str, content: bytes) -> tuple[int, str, str]:
    token = page_form(client)
    response = client.post("/check/upload", data={"csrf_token": token},
                           files={"form_file": (name, content)})
    return response.status_code, response.url.path, response.text


def test_an_uploaded_form_file_gives_the_same_result_page(client: TestClient) -> None:
    status, path, page = upload(client, "project.yaml", FORM_YAML.encode())
    assert status == 200 and path.startswith("/checks/")
    assert "不予通过" in page and ANYANG_QUOTE in page
    status, path, _ = upload(client, "project.json", json.dumps(coking_form()).encode())
    assert status == 200 and path.startswith("/checks/")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("project.txt", b"name: x", "仅支持 YAML"),
    ("project.yaml", "name: 项目".encode("gbk"), "不是 UTF-8"),
    ("project.yaml", b"name: [unclosed", "不是有效的 YAML/JSON，第 2 行"),
    ("project.json", b"{name:", "不是有效的 JSON，第 1 行"),
    ("project.yaml", "name: 甲\nname: 乙\n".encode(), "字段「name」重复出现（第 2 行）"),
    ("project.yaml", b"- a\n- b\n", "须为一个项目表单"),
    ("project.yaml", b'!!python/object/apply:os.system ["id"]', "不是有效的 YAML/JSON"),
    ("project.yaml", b"a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     b"e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n", "内容过多"),
    ("project.json", b'{"name": "\\ud800", "project_type": "new", "industry": "C2521"}',
     "单独的 UTF-16 代理码位"),
    ("project.yaml", b'name: "\\udfff"\nproject_type: new\n', "不是有效的 YAML/JSON")])
def test_an_unusable_form_file_is_explained_beside_the_upload(client: TestClient, name: str,
                                                               content: bytes,
                                                               message: str) -> None:
    status, path, page = upload(client, name, content)
    assert status == 422 and path == "/check/upload"
    error = re.search(r'<p class="error" id="f-[a-z_]+-error">(.*?)</p>', page)
    assert error and message in page, page[:2000]


def test_a_form_file_with_a_byte_order_mark_is_read(client: TestClient) -> None:
    for name, text in (("project.json", json.dumps(coking_form(), ensure_ascii=False)),
                       ("project.yaml", FORM_YAML)):
        status, path, _ = upload(client, name, "\ufeff".encode() + text.encode())
        assert status == 200 and path.startswith("/checks/"), name


def test_an_uploaded_form_with_problems_is_shown_filled_in(client: TestClient) -> None:
    status, _, page = upload(client, "p.yaml", "name: 汤阴项目\nlocation: {city: 安洋}\n".encode())
    assert status == 422
    assert 'value="汤阴项目"' in page and 'id="f-project_type-error">必填项' in page
    assert 'id="f-location-city-error">' in page


def test_an_upload_over_one_mib_is_refused(client: TestClient) -> None:
    status, _, page = upload(client, "big.yaml", b"name: " + b"x" * (1 << 20))
    assert status == 413 and "请求内容过大" in page


@pytest.mark.slow
def test_admin_listing_page(client: TestClient, tmp_path: Path) -> None:
    check_id = client.post("/api/v1/check", json=coking_form()).headers["x-check-id"]
    client.cookies.clear()
    anonymous = client.get("/checks")
    assert anonymous.status_code == 401 and "管理员令牌" in anonymous.text
    token = csrf_token(anonymous.text)
    wrong = client.post("/checks/login", data={"csrf_token": token, "token": "nope"})
    assert wrong.status_code == 401 and "管理员令牌不正确" in wrong.text
    assert "compliance_admin" not in client.cookies
    listed = client.post("/checks/login", data={"csrf_token": token, "token": ADMIN_TOKEN})
    assert listed.status_code == 200 and listed.url.path == "/checks"
    assert f'href="/checks/{check_id}"' in listed.text
    cookie = client.cookies["compliance_admin"]
    assert ADMIN_TOKEN not in cookie
    client.cookies.clear()  # each cookie set alone: two of one name go in no settled order
    client.cookies.set("compliance_admin", cookie)
    assert client.get("/checks").status_code == 200  # the session, sent back as it was given
    client.cookies.clear()
    client.cookies.set("compliance_admin", cookie[:-1] + ("0" if cookie[-1] != "0" else "1"))
    assert client.get("/checks").status_code == 401  # a tampered session
    client.cookies.clear()
    bearer = client.get("/checks", headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    assert bearer.status_code == 200 and "退出登录" in bearer.text
    assert client.get("/checks", params={"offset": 10**12},
                      headers={"authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 422
    with make_client(tmp_path) as unconfigured:
        page = unconfigured.get("/checks")
        assert page.status_code == 403 and "COMPLIANCE_ADMIN_TOKEN" in page.text


def test_past_checks_are_found_by_name_and_verdict(client: TestClient) -> None:
    named = {**coking_form(), "name": "龙安百分之百_焦化检索项目"}
    check_id = client.post("/api/v1/check", json=named).headers["x-check-id"]
    admin = {"authorization": f"Bearer {ADMIN_TOKEN}"}
    found = client.get("/checks", params={"q": "百分之百_焦化检索"}, headers=admin).text
    assert f'href="/checks/{check_id}"' in found and 'value="百分之百_焦化检索"' in found
    assert f'href="/checks/{check_id}"' in client.get(
        "/checks", params={"q": "焦化检索", "outcome": "rejected"}, headers=admin).text
    assert f'href="/checks/{check_id}"' not in client.get(
        "/checks", params={"q": "焦化检索", "outcome": "compliant"}, headers=admin).text
    # % and _ are letters to look for, not wildcards
    assert "没有审查记录" in client.get("/checks", params={"q": "龙安%检索"}, headers=admin).text


def test_a_pasted_description_prefills_the_form_and_shows_what_was_read(
        client: TestClient) -> None:
    token = page_form(client)
    response = client.post("/check/extract", data={
        "csrf_token": token,
        "description_text": "拆除2座4.3米焦炉，新建2×65孔6.25米捣固焦炉，年产焦炭150万吨，"
                            "一期100万吨，位于河南省安阳市龙安区"})
    assert response.status_code == 200
    page = response.text
    assert 'name="technology.coke_oven_chamber_height_m" value="6.25"' in page
    assert 'name="location.city" value="安阳市"' in page
    assert "从项目建设内容读出（请核对）" in page and "「6.25米捣固焦炉」" in page
    assert "/checks/" not in response.url.path  # nothing checked before the user confirms


def test_an_empty_paste_is_a_problem_beside_the_box(client: TestClient) -> None:
    token = page_form(client)
    response = client.post("/check/extract", data={"csrf_token": token, "description_text": " "})
    assert response.status_code == 422
    assert "请粘贴项目建设内容" in response.text


def test_the_paste_needs_the_csrf_token(client: TestClient) -> None:
    response = client.post("/check/extract", data={"description_text": "年产焦炭100万吨"})
    assert response.status_code in (400, 403)


def test_a_document_page_lists_the_definitions_the_rules_use(client: TestClient) -> None:
    page = client.get("/documents/anyang-2019-19").text
    definitions = page.split("本规则库采用的定义", 1)[1].split("</section>", 1)[0]
    assert "<dt id=\"term-3\">单纯新增产能</dt><dd>按净新增产能" in definitions
    assert definitions.count("<dt") == 12


def _report_text(html: str) -> str:
    """The words of the one project's report, without markup or whitespace."""
    section = html.split('<section class="project">', 1)[1].rsplit("</section>", 1)[0]
    return "".join(re.sub(r"<[^>]+>", "", section).split())


def test_the_downloaded_report_is_the_page(client: TestClient) -> None:
    """Issue 12 item 3: "下载 HTML 报告" gives the same report as the result page."""
    status, path, page = submit(client, {**COKING_INPUTS, "applicant": "安阳某焦化公司",
                                         "capacity.new": "100", "capacity.unit": "万吨/年"})
    assert status == 200
    report = client.get(f"{path}/report.html").text
    assert _report_text(page) == _report_text(report)
    for words in ("项目基本情况", "安阳某焦化公司", "审查意见", "经办人", "审查编号", "审查时间"):
        assert words in _report_text(page), words
    assert 'href="/rules/anyang-2019-19/' in page and 'href="/rules/' not in report


def test_past_checks_are_found_by_applicant_place_and_date_and_exported(
        client: TestClient) -> None:
    """Issue 12 item 6: name, applicant, place, verdict, date; the same search as a CSV."""
    form = {**coking_form(), "name": "汤阴检索项目", "applicant": "=HYPERLINK(\"x\")汤阴某焦化公司",
            "location": {"province": "河南省", "city": "安阳市", "county": "汤阴县"}}
    check_id = client.post("/api/v1/check", json=form).headers["x-check-id"]
    admin = {"authorization": f"Bearer {ADMIN_TOKEN}"}

    def found(**params: str) -> bool:
        page = client.get("/checks", params=params, headers=admin)
        assert page.status_code == 200, page.text
        return f'href="/checks/{check_id}"' in page.text

    assert found(applicant="汤阴某焦化") and not found(applicant="林州")
    assert found(place="汤阴") and found(place="安阳市") and not found(place="林州")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert found(since=today.isoformat(), until=today.isoformat())
    assert not found(until=(today - dt.timedelta(days=1)).isoformat())
    assert not found(since=(today + dt.timedelta(days=1)).isoformat())
    bad = client.get("/checks", params={"since": "2026-13-01"}, headers=admin)
    assert bad.status_code == 422 and "起始日期须为日期" in bad.text
    exported = client.get("/checks/export.csv", params={"place": "汤阴"}, headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["审查时间（北京时间）", "项目名称", "建设单位"]
    row = next(line for line in lines if line[8] == check_id)
    assert row[1] == "汤阴检索项目" and row[3] == "河南省安阳市汤阴县"
    assert row[2].startswith("'=HYPERLINK")  # never a live formula
    assert row[9].endswith(f"/checks/{check_id}")
    client.cookies.clear()
    assert client.get("/checks/export.csv").status_code == 401
    assert '<a href="/checks">审查记录</a>' in client.get("/").text  # in the navigation


def test_the_ruleset_changelog_page_says_what_changed(client: TestClient) -> None:
    """Issue 12 item 6: which documents and rules changed between two versions."""
    service = client.app.state.service  # type: ignore[attr-defined]
    current = digest(service.checker.rulebook)
    older = copy.deepcopy(current)
    del older["rules"]["anyang-2019-19/coke-oven-4.3m"]
    older["rules"]["miit-2018-136/key-region-no-new-capacity"]["parts"]["quote"] = "旧原文"
    older["documents"]["xiaogan-2023-3"]["parts"]["definitions"] = "旧定义"
    service.store.record_ruleset("0ld0ld0ld0ld", older)
    page = client.get("/rulesets", params={"from": "0ld0ld0ld0ld"}).text
    rules = page.split("<h2>规则（", 1)[1]
    assert "新增</td>" in rules and "淘汰炭化室高度4.3米及以下焦炉" in rules
    assert "修改</td>" in rules and "<td>原文</td>" in rules
    assert "<td>定义</td>" in page.split("<h2>文件（", 1)[1]
    assert client.get("/rulesets", params={"from": "nope"}).status_code == 404
    same = client.get("/rulesets", params={"from": service.ruleset_version}).text
    assert "内容相同" in same
    assert 'href="/rulesets"' in client.get("/rules").text
    stored = service.store.insert(channel="api", client="t", form=coking_form(), verdict={
        **service.check(coking_form(), as_of=None, client="t", channel="api").verdict,
        "ruleset_version": "0ld0ld0ld0ld"})
    assert (f'href="/rulesets?from=0ld0ld0ld0ld&amp;to={service.ruleset_version}"'
            in client.get(f"/checks/{stored.id}").text)


def test_an_uploaded_form_takes_the_chinese_values_a_list_takes(client: TestClient) -> None:
    """Issue 12 item 2: 新建, 焦化, 是 in a form file, as in a batch cell."""
    text = ("name: 安阳县焦化项目\nproject_type: 新建\nindustry: 焦化\napplication_date: 2019-09-18\n"
            "location: {city: 安阳市, in_industrial_park: 是}\n"
            "technology: {coke_oven_chamber_height_m: 4.3}\n")
    status, path, page = upload(client, "project.yaml", text.encode())
    assert status == 200 and path.startswith("/checks/"), page
    assert "不予通过" in page and "新建" in page and "炼焦" in page


def test_a_printed_result_page_carries_the_check_on_every_page(client: TestClient) -> None:
    status, path, page = submit(client, COKING_INPUTS)
    assert status == 200
    check_id = path.rsplit("/", 1)[1]
    assert f'<link rel="stylesheet" media="print" href="{path}/print.css">' in page
    css = client.get(f"{path}/print.css")
    assert css.headers["content-type"].startswith("text/css")
    assert f"审查编号 {check_id}" in css.text and "counter(pages)" in css.text
    assert client.get("/checks/00000000-0000-0000-0000-000000000000/print.css").status_code == 404

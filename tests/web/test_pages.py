"""The Chinese pages with TestClient: form, result, permalink and re-check, rules, security."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from compliance.web.formview import group_of, input_fields, values_from_form
from tests.web.conftest import ANYANG_NUMBER, ANYANG_QUOTE, coking_form, page_form

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


def test_form_groups_fields_with_labels_and_units(client: TestClient) -> None:
    page = client.get("/check").text
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert legends == ["基本信息", "选址", "产能", "工艺装备", "排放", "能耗", "手续"]
    assert "焦炉炭化室高度" in page and "（米）" in page
    assert 'name="location.city"' in page and 'name="fuel"' in page


def test_industry_puts_its_technology_fields_first(client: TestClient) -> None:
    def order(page: str) -> list[str]:
        group = page.split("<legend>工艺装备</legend>")[1].split("</fieldset>")[0]
        return re.findall(r'name="(technology\.[a-z_]+)"', group)

    assert order(client.get("/check").text)[0] == "technology.coke_oven_chamber_height_m"
    cement = order(client.get("/check", params={"industry": "cement"}).text)
    assert set(cement[:2]) == {"technology.clinker_line_tpd", "technology.cement_mill_diameter_m"}
    assert "相关" in client.get("/check", params={"industry": "C2521"}).text


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


def test_every_form_section_has_a_group() -> None:
    """A new nested section of the form contract must be given its place on the page."""
    assert [spec.path for spec in input_fields() if group_of(spec.path) is None] == []


def test_an_oversized_form_post_is_413_as_a_page(client: TestClient) -> None:
    token = page_form(client)
    response = client.post("/check", data={"name": "x" * (1 << 20), "csrf_token": token})
    assert response.status_code == 413
    assert "请求内容过大" in response.text and "<title>" in response.text

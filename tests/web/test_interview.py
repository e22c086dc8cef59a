"""The form as an interview: the basics first, then only what the rules in force read."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from compliance.reference import resolve_industry
from compliance.reference.industries import rulebook_keys
from compliance.web.formview import industry_options, input_fields
from compliance.web.interview import mode_for
from tests.web.conftest import page_form

COKING_BASICS = {"name": "安阳县焦化项目", "project_type": "new", "industry": "C2521",
                 "location.city": "安阳市", "application_date": "2019-09-18",
                 "capacity.new": "100", "capacity.unit": "万吨/年"}


def ask(client: TestClient, inputs: dict[str, str]) -> tuple[int, str]:
    token = page_form(client)
    response = client.post("/check/interview", data={**inputs, "csrf_token": token})
    return response.status_code, response.text


def section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def names(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'name="([a-z_.]+)"', html)))


def test_the_first_step_asks_only_the_basics(client: TestClient) -> None:
    page = client.get("/check").text
    assert re.findall(r"<legend>(.*?)</legend>", page) == ["基本信息", "选址", "产能"]
    asked = set(names(section(page, 'class="project"', "</form>")))
    assert "technology.coke_oven_chamber_height_m" not in asked
    assert {"name", "project_type", "industry", "location.city", "capacity.new"} <= asked
    assert 'formaction="/check/interview"' in page and 'href="/check?mode=full"' in page


def test_a_coking_plant_is_asked_what_its_rules_read_decisive_first(client: TestClient) -> None:
    status, page = ask(client, COKING_BASICS)
    assert status == 200
    questions = section(page, 'id="step-questions"', 'class="other-fields"')
    other = section(page, 'class="other-fields"', "<datalist")
    asked = names(questions)
    assert "technology.coke_oven_chamber_height_m" in asked
    assert "products.vehicle_emission_standard" not in asked
    assert "solid_waste.phosphogypsum_utilization_rate" not in asked
    assert "products.vehicle_emission_standard" in names(other)
    assert len(asked) < len(input_fields()) / 2
    tags = re.findall(r'<span class="tag( decisive)?">', questions)
    assert tags[0] == " decisive" and "" in tags  # the decisive ones come first
    assert tags == sorted(tags, reverse=True)
    count = int(re.search(r"需要回答的问题（(\d+) 项）", page).group(1))
    assert count == len(tags)


def test_a_cement_plant_is_asked_about_clinker_not_coke_ovens(client: TestClient) -> None:
    _, page = ask(client, {**COKING_BASICS, "industry": "C3011", "name": "林州水泥项目"})
    asked = names(section(page, 'id="step-questions"', 'class="other-fields"'))
    assert "technology.clinker_line_tpd" in asked
    assert "technology.coke_oven_chamber_height_m" not in asked


def test_a_missing_city_is_asked_for_at_once(client: TestClient) -> None:
    status, page = ask(client, {**COKING_BASICS, "location.city": ""})
    assert status == 422
    assert 'id="f-location-city-error">请填写项目所在城市' in page
    assert 'id="step-questions"' not in page


def test_answers_already_given_stay_with_the_questions(client: TestClient) -> None:
    status, page = ask(client, {**COKING_BASICS, "technology.coke_oven_chamber_height_m": "6.25",
                                "products.vehicle_emission_standard": "国六"})
    assert status == 200
    questions = section(page, 'id="step-questions"', 'class="other-fields"')
    assert 'name="technology.coke_oven_chamber_height_m" value="6.25"' in questions
    assert '<details class="other-fields" open>' in page  # a value no rule reads is shown


def test_the_questions_are_submitted_as_one_check(client: TestClient) -> None:
    status, _ = ask(client, COKING_BASICS)
    assert status == 200
    token = page_form(client)
    response = client.post("/check", data={
        **COKING_BASICS, "technology.coke_oven_chamber_height_m": "4.3", "csrf_token": token})
    assert response.url.path.startswith("/checks/") and "不予通过" in response.text
    edit = client.get("/check", params={"from": response.url.path.rsplit("/", 1)[1]}).text
    assert 'id="step-questions"' in edit and 'value="4.3"' in edit


@pytest.mark.parametrize(("values", "requested", "mode"), [
    ({}, "", "basics"),
    ({"name": "x", "project_type": "new", "industry": "C2521"}, "", "basics"),
    ({"name": "x", "project_type": "new", "industry": "C2521", "location.city": "安阳市"}, "",
     "interview"),
    ({"name": "x", "fuel": ["coal"]}, "", "interview"),
    ({"name": "x", "as_of": "2020-01-01"}, "", "basics"),
    ({}, "full", "full"),
])
def test_the_mode_follows_what_has_been_typed(values: dict, requested: str, mode: str) -> None:
    assert mode_for(values, requested) == mode


def test_fields_carry_the_meaning_the_rules_give_them(client: TestClient) -> None:
    _, page = ask(client, {**COKING_BASICS, "location.city": "孝感市", "industry": "C2612"})
    two_high = page.split('id="f-energy-two_high"', 1)[1].split("</details>", 1)[0]
    assert "规定中的定义" in two_high
    assert "<b>“两高”项目</b>（孝经信发〔2023〕3号）：高耗能、高排放项目" in two_high
    built_up = client.get("/check", params={"mode": "full"}).text.split(
        'id="f-location-in_urban_built_up_area"', 1)[1].split("</details>", 1)[0]
    assert "实际已成片开发建设、市政公用设施和公共设施基本具备的地区" in built_up


def test_every_industry_offered_is_accepted_and_in_code_order() -> None:
    options = industry_options()
    offered_keys = [value for value, label in options if label.startswith("规则库行业")]
    assert len(offered_keys) == len(rulebook_keys())
    for value, _ in options:
        assert resolve_industry(value)  # accepted as typed
    codes = [value for value, label in options if not label.startswith("规则库行业")]
    assert codes == sorted(codes) and codes[0] == "A0111"
    assert ("焦化", "规则库行业 · 炼焦（焦化）") in options and ("C2521", "炼焦") in options


def test_the_chosen_industry_is_named_in_chinese(client: TestClient) -> None:
    _, page = ask(client, {**COKING_BASICS, "industry": "C2521、cement"})
    assert 'id="f-industry-chosen" role="status">已选：C2521 炼焦；水泥（含熟料、粉磨站）<' in page
    assert '<option value="C2521">炼焦</option>' in page


def test_the_place_says_what_key_region_and_yangtze_belt_mean(client: TestClient) -> None:
    page = client.get("/check").text
    place = page.split("<legend>选址</legend>", 1)[1].split("</fieldset>", 1)[0]
    summary = re.search(r"<summary>据此判断的范围：(.*?)</summary>", place).group(1)
    assert {"重点区域", "长江经济带", "珠三角", "成渝地区"} <= set(summary.split("、"))
    assert "国发〔2018〕22号《打赢蓝天保卫战三年行动计划》" in place


def test_fields_read_but_not_asked_are_not_called_answered(client: TestClient) -> None:
    _, page = ask(client, {**COKING_BASICS, "technology.coke_oven_chamber_height_m": "6.25"})
    tiers = re.findall(r"<h3>(.*?)</h3>", page)
    assert "已填写的相关事实" in tiers
    answered = section(page, "<h3>已填写的相关事实</h3>", "<h3>")
    assert 'value="6.25"' in answered
    assert '<option value="" selected>未填</option>' not in answered  # every one is answered

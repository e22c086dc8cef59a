"""Verdicts per the contract: statuses, citations, explanations, missing facts, dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from compliance import clock
from compliance.checker import parse_form
from compliance.errors import InputError
from compliance.facts import derive
from compliance.result import overall

COKING = {
    "name": "安阳某焦化项目", "project_type": "new", "industry": "C2521",
    "location": {"city": "安阳市", "county": "龙安区"},
    "capacity": {"unit": "万吨/年", "new": 100, "retired": 100},
    "technology": {"coke_oven_chamber_height_m": 4.3},
}
AS_OF = dt.date(2020, 3, 1)


def by_id(verdict):
    return {result.rule_id: result for result in verdict.results}


def test_every_rule_is_reported_with_a_full_citation(checker, rulebook):
    verdict = checker.check(COKING, as_of=AS_OF)
    assert [r.rule_id for r in verdict.results] == [rule.id for rule in rulebook.rules]
    for result in verdict.results:
        citation = result.citation
        assert citation.document and citation.number and citation.clause and citation.quote


def test_coke_oven_at_the_threshold_fails_and_explains_the_comparison(checker):
    verdict = checker.check(COKING, as_of=AS_OF)
    result = by_id(verdict)["anyang-2019-19/coke-oven-4.3m"]
    assert verdict.verdict == "rejected"
    assert result.status == "fail"
    assert "炭化室高度 4.3 米 ≤ 4.3 米" in result.explanation
    assert result.citation.number == "安政办〔2019〕19号"
    assert result.citation.clause == "三、（二）2.（3）"
    assert result.remedy


def test_just_above_the_threshold_passes_with_the_negated_comparison(checker):
    form = {**COKING, "technology": {"coke_oven_chamber_height_m": 4.31}}
    result = by_id(checker.check(form, as_of=AS_OF))["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "pass"
    assert "4.31 米 > 4.3 米" in result.explanation


def test_missing_fact_gives_needs_info_naming_the_field(checker):
    form = {key: value for key, value in COKING.items() if key != "technology"}
    verdict = checker.check(form, as_of=AS_OF)
    result = by_id(verdict)["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "needs_info"
    assert result.missing == ["technology.coke_oven_chamber_height_m"]
    assert verdict.verdict == "needs_info"
    # the missing fact is named first; the facts that were given follow, marked as known
    missing, known = result.explanation.split("。已知：")
    assert missing == "无法判定：缺少「焦炉炭化室高度」"
    assert "安阳市（410500）" in known


def test_missing_location_asks_for_the_location_not_a_pass(checker):
    form = {key: value for key, value in COKING.items() if key != "location"}
    result = by_id(checker.check(form, as_of=AS_OF))["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "needs_info"
    assert "location.city" in result.missing


def test_outside_the_jurisdiction_is_not_applicable(checker):
    form = {**COKING, "location": {"city": "鹤壁市"}}
    result = by_id(checker.check(form, as_of=AS_OF))["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "not_applicable"


def test_before_the_issue_date_the_rule_is_not_in_force(checker):
    day_before, issue_day = dt.date(2019, 6, 3), dt.date(2019, 6, 4)
    before = by_id(checker.check(COKING, as_of=day_before))["anyang-2019-19/coke-oven-4.3m"]
    on = by_id(checker.check(COKING, as_of=issue_day))["anyang-2019-19/coke-oven-4.3m"]
    assert before.status == "not_in_force" and "2019-06-04" in before.explanation
    assert on.status == "fail"


def test_as_of_defaults_to_the_application_date_then_today(checker):
    dated = checker.check({**COKING, "application_date": "2019-05-01"})
    assert dated.as_of == dt.date(2019, 5, 1)
    assert checker.check(COKING).as_of == clock.today()  # Beijing's day, not the server's


def test_admin_code_alone_resolves_the_place(checker):
    form = {**COKING, "location": {"admin_code": "410506"}}
    result = by_id(checker.check(form, as_of=AS_OF))["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "fail"


def test_verdict_carries_version_engine_and_as_of(checker, rulebook):
    verdict = checker.check(COKING, as_of=AS_OF)
    assert verdict.ruleset_version == rulebook.version
    assert verdict.engine == checker.engine
    assert verdict.as_of == AS_OF


@pytest.mark.parametrize(("statuses", "expected"), [
    (["pass", "fail", "needs_info", "review"], "rejected"),
    (["pass", "needs_info", "review"], "needs_info"),
    (["pass", "review", "advisory"], "needs_review"),
    (["pass", "advisory", "not_applicable", "not_in_force"], "compliant"),
])
def test_precedence(statuses, expected):
    assert overall(statuses) == expected


@pytest.mark.parametrize(("form", "path", "fragment"), [
    ({"project_type": "new", "industry": "C2521"}, "name", "必填"),
    ({**COKING, "location": {"city": "安洋"}}, "location.city", "安阳市"),
    ({**COKING, "industry": "C9999"}, "industry", "C9999"),
    ({**COKING, "technology": {"coke_oven_chamber_height_m": "四米三"}},
     "technology.coke_oven_chamber_height_m", "数值"),
    ({**COKING, "technology": {"coke_oven_chamber_height_m": float("nan")}},
     "technology.coke_oven_chamber_height_m", "有限"),
    ({**COKING, "capacity": {"new": 1e300}}, "capacity.new", "不得大于"),
    ({**COKING, "capacity": {"new": -5}}, "capacity.new", "不得小于"),
    ({**COKING, "sid": "0"}, "sid", "未知字段"),
    ({**COKING, "technology": {"sid": 1}}, "technology.sid", "未知字段"),
    ({**COKING, "capacity": {"unit": "车"}}, "capacity.unit", "无法识别的产能单位「车」"),
    ({**COKING, "project_type": "新新"}, "project_type", "new（新建）"),  # 新建 itself is read
    ({**COKING, "name": b"\xff\xfe"}, "name", "UTF-8"),  # found by bench/fuzz.py
])
def test_bad_input_is_a_clear_error_naming_the_field(checker, form, path, fragment):
    with pytest.raises(InputError) as caught:
        checker.check(form, as_of=AS_OF)
    problems = {problem.path: problem.message_zh for problem in caught.value.problems}
    assert path in problems, problems
    assert fragment in problems[path]


def test_capacity_units_convert_exactly_or_not_at_all():
    in_wan = derive(parse_form({**COKING, "capacity": {"unit": "万吨/年", "new": 9.9,
                                                       "retired": 0}})).values
    assert in_wan["capacity.new_tpa"] == Decimal(99000)
    per_day = derive(parse_form({**COKING, "capacity": {"unit": "吨/日", "new": 5000,
                                                        "retired": 0}}))
    assert "capacity.new_tpa" not in per_day.values
    assert "无法换算" in per_day.notes["capacity.new_tpa"]
    assert per_day.values["capacity.net_added"] == Decimal(5000)


def test_coarse_industry_code_asks_for_the_class_instead_of_passing(checker):
    form = {**COKING, "industry": "C25", "capacity": {"unit": "万吨/年", "new": 100,
                                                      "retired": 0}}
    result = by_id(checker.check(form, as_of=AS_OF))["miit-2018-136/key-region-no-new-capacity"]
    assert result.status == "needs_info"
    assert result.missing == ["industry"]
    assert "小类代码" in result.explanation


def test_coarse_industry_code_with_the_banned_oven_stated_fails(checker):
    """The oven ban binds the oven (issue 16): a coarse code cannot hide a 4.3 m oven."""
    form = {**COKING, "industry": "C25"}
    result = by_id(checker.check(form, as_of=AS_OF))["anyang-2019-19/coke-oven-4.3m"]
    assert result.status == "fail"


def test_an_admin_code_written_as_a_number_resolves(checker):
    form = {"name": "林州水泥", "project_type": "new", "industry": "C3011",
            "location": {"admin_code": 410581}}
    assert derive(parse_form(form)).form.location.admin_code == "410581"
    assert checker.check(form, as_of=AS_OF).verdict in {"rejected", "needs_info", "needs_review"}


@pytest.mark.parametrize("date", [0, 1568764800, "2020-02-30", "2020-01-01T08:00", True])
def test_an_application_date_is_a_calendar_day_or_an_error(date):
    with pytest.raises(InputError) as raised:
        parse_form({"name": "x", "project_type": "new", "industry": "C2521",
                    "application_date": date})
    assert raised.value.problems[0].path == "application_date"


@pytest.mark.slow
def test_ruleset_version_covers_the_reference_data(tmp_path, monkeypatch, rulebook):
    """Key regions, divisions and industry keys decide verdicts as much as the rule files do."""
    import shutil

    from compliance.reference import data
    from compliance.rulebook import load_rulebook

    copy = tmp_path / "reference"
    shutil.copytree(data.reference_dir(), copy)
    monkeypatch.setattr(data, "reference_dir", lambda: copy)
    assert load_rulebook().version == rulebook.version
    with (copy / "key_regions.csv").open("a", encoding="utf-8") as table:
        table.write("\n")
    assert load_rulebook().version != rulebook.version


CARBON = {"name": "安阳炭素", "project_type": "new", "industry": "aluminium_carbon",
          "independent_plant": True, "location": {"city": "安阳市"}}
CARBON_RULE = "anyang-2019-19/independent-aluminium-carbon-100kt"


def test_a_new_plant_is_asked_for_its_new_capacity_only(checker):
    result = by_id(checker.check(CARBON, as_of=AS_OF))[CARBON_RULE]
    assert result.status == "needs_info"
    assert "capacity.existing" not in result.missing and "capacity.new" in result.missing
    expansion = {**CARBON, "project_type": "expansion", "capacity": {"unit": "万吨/年", "new": 2}}
    assert by_id(checker.check(expansion, as_of=AS_OF))[CARBON_RULE].missing == [
        "capacity.existing"]


def test_a_unit_read_as_per_year_says_so_in_the_result(checker):
    form = {**CARBON, "capacity": {"unit": "万吨", "new": 9.9}}
    result = by_id(checker.check(form, as_of=AS_OF))[CARBON_RULE]
    assert result.status == "fail"
    assert result.explanation.endswith("产能单位「万吨」未写时段，按「万吨/年」理解")
    per_year = {**CARBON, "capacity": {"unit": "万吨/年", "new": 9.9}}
    assert "未写时段" not in by_id(checker.check(per_year, as_of=AS_OF))[CARBON_RULE].explanation


def test_a_given_but_unreadable_value_is_not_called_missing(checker):
    form = {"name": "广州汽车", "project_type": "new", "industry": "C3612",
            "location": {"city": "广州市"}, "products": {"vehicle_emission_standard": "国七"}}
    result = by_id(checker.check(form, as_of=AS_OF))["miit-2018-136/china-6-vehicles"]
    assert result.status == "needs_info"
    assert result.explanation.startswith(
        "无法判定：「车辆排放标准」的填写无法使用。无法识别车辆排放标准「国七」")
    assert "缺少" not in result.explanation


def test_long_value_lists_are_shown_by_their_first_few(checker):
    result = by_id(checker.check(CARBON, as_of=AS_OF))["miit-2018-136/china-6-vehicles"]
    assert result.status == "not_applicable"
    assert "等 9 项" in result.explanation and "东莞市" not in result.explanation


@pytest.mark.parametrize(("province", "document"), [("湖北省", "anyang-2019-19/"),
                                                    ("河南省", "xiaogan-2023-3/")])
def test_a_province_outside_a_city_document_is_not_asked_for_its_city(checker, province,
                                                                       document):
    """Jurisdiction first (issue 16): the province decides before the city is needed."""
    verdict = checker.check({**COKING, "location": {"province": province}}, as_of=AS_OF)
    asked = [r.rule_id for r in verdict.results if r.rule_id.startswith(document)
             and r.status == "needs_info"]
    assert asked == []
    assert all(r.status in ("not_applicable", "not_in_force") for r in verdict.results
               if r.rule_id.startswith(document))


def test_a_form_may_write_its_choices_in_chinese(checker) -> None:
    """Issue 12: an uploaded form accepts the values a list accepts (新建, 焦化, 燃煤, 是/否)."""
    chinese = {"name": "焦化项目", "project_type": "新建", "industry": "焦化",
               "location": {"city": "安阳市", "in_chemical_park": "否"}, "fuel": ["燃煤", "电"],
               "technology": {"coke_oven_chamber_height_m": 4.3, "coal_gasifier": "固定床间歇式"}}
    values = checker.facts(chinese).values
    assert values["project_type"] == "new" and values["location.in_chemical_park"] is False
    assert values["fuel.coal"] is True and values["fuel.electricity"] is True
    assert values["technology.coal_gasifier"] == "fixed_bed_intermittent"
    assert checker.facts({**chinese, "project_type": "技改"}).values["project_type"] == "renovation"

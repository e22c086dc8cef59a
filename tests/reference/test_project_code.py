"""项目代码 in both formats, and GB/T 2260 codes read as they were when a code was issued."""

from __future__ import annotations

import json

import pytest

from compliance.reference import (
    ReferenceLookupError,
    decode_project_code,
    find_project_codes,
    place_as_issued,
)


def test_the_old_format_gives_year_place_industry_division_and_approval_kind():
    code = decode_project_code("2018-410522-25-03-012345")
    assert (code.scheme, code.year, code.month) == ("2016", 2018, None)
    assert code.place.full_name == "河南省安阳市安阳县"
    assert code.industry_division == "C25"
    assert code.approval == "备案"
    assert code.department is None


def test_the_new_format_gives_month_and_department_never_an_industry():
    code = decode_project_code("2103-410506-04-01-12345X")
    assert (code.scheme, code.year, code.month) == ("2020", 2021, 3)
    assert code.place.county == "龙安区"
    assert code.department == "04" and code.project_type_code == "01"
    assert code.industry_division is None


@pytest.mark.parametrize(("first", "scheme"), [("2011", "2020"), ("2012", "2020"),
                                               ("2101", "2020"), ("2612", "2020"),
                                               ("2016", "2016"), ("2020", "2016"),
                                               ("2014", "2016")])
def test_the_last_two_digits_of_the_first_block_tell_the_formats_apart(first, scheme):
    assert decode_project_code(f"{first}-410500-25-03-000001").scheme == scheme


@pytest.mark.parametrize(("code", "year", "place"), [
    ("140481", 2017, "山西省长治市潞城区"),   # 潞城市 became 潞城区 in 2018
    ("371626", 2016, "山东省滨州市邹平市"),   # 邹平县 became 邹平市
    ("110103", 2005, "北京市东城区"),         # 崇文区 merged into 东城区 in 2010
    ("410571", 2019, "河南省安阳市安阳高新技术产业开发区"),  # a development-zone code
    ("130973", 2018, "河北省沧州市沧州渤海新区"),
])
def test_a_retired_code_is_read_as_the_division_it_became(code, year, place):
    assert place_as_issued(code, year).full_name == place


def test_the_old_name_is_kept_for_the_report():
    code = decode_project_code("2017-140481-31-02-000001")
    assert code.place_name_then == "潞城市"
    assert "赋码时为「潞城市」" in code.describe_zh


@pytest.mark.parametrize(("text", "message"), [
    ("2008-410522-04-01-123456", "新格式自 2020 年 11 月起使用"),
    ("2010-410522-04-01-123456", "新格式自 2020 年 11 月起使用"),
    ("2023-410522-25-03-012345", "旧格式用于 2014–2020 年"),
    ("2018-999999-25-03-012345", "既不在现行区划中"),
    ("2018-410522-25-03", "不是项目代码"),
])
def test_what_is_not_a_valid_code_is_refused_in_chinese(text, message):
    with pytest.raises(ReferenceLookupError, match=message):
        decode_project_code(text)


def test_codes_are_found_in_text_in_both_formats_and_full_width():
    text = ("项目代码：2101-410522-04-01-123456；原备案代码（2018-140481-25-03-012345），"
            "另见２１０３－４１０５２２－０４－０１－１２３４５６。电话0372-1234567")
    assert find_project_codes(text) == ["2101-410522-04-01-123456", "2018-140481-25-03-012345",
                                        "2103-410522-04-01-123456"]


OVEN = {"name": "焦炉项目", "project_type": "new", "industry": "C2521",
        "technology": {"coke_oven_chamber_height_m": 4.3}}


def test_a_form_without_a_place_is_placed_by_its_project_code_and_says_so(checker):
    verdict = checker.check({**OVEN, "project_code": "2017-410506-25-03-000001"})
    result = next(r for r in verdict.results if r.rule_id == "anyang-2019-19/coke-oven-4.3m")
    assert result.status == "fail"
    assert "建设地点按项目代码「2017-410506-25-03-000001」读出" in result.explanation


def test_a_code_whose_place_disagrees_with_the_written_one_is_a_conflict(checker):
    from compliance.errors import InputError

    with pytest.raises(InputError) as caught:
        checker.check({**OVEN, "project_code": "2017-140481-25-03-000001",
                       "location": {"city": "安阳市"}})
    problems = {problem.path: problem.message_zh for problem in caught.value.problems}
    assert "与填写的地点「河南省安阳市」不一致" in problems["project_code"]


def test_a_code_that_agrees_at_a_coarser_level_is_no_conflict(checker):
    verdict = checker.check({**OVEN, "project_code": "2104-410500-04-01-000001",
                             "location": {"city": "安阳市", "county": "龙安区"}})
    assert verdict.verdict == "rejected"


@pytest.mark.slow
def test_a_list_with_only_project_codes_is_placed_by_them(tmp_path):
    from typer.testing import CliRunner

    from compliance.cli import app as main_app

    source = tmp_path / "list.csv"
    source.write_text("项目代码,项目名称,建设性质,所属行业,焦炉炭化室高度\n"
                      "2017-410506-25-03-000001,龙安焦化,新建,C2521,4.3米\n"
                      "2104-140406-04-01-000002,潞城焦化,新建,C2521,4.3米\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main_app, ["batch", str(source), "-o", str(out), "--quiet",
                                           "--engine", "python"])
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [record["verdict"] for record in records] == ["rejected", "needs_info"], result.output

"""项目代码 in both formats, and GB/T 2260 codes read as they were when a code was issued."""

from __future__ import annotations

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

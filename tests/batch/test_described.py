"""A list's description column (建设规模及内容) fills what the cells leave empty, and says so."""

from __future__ import annotations

import pytest

from compliance.batch.described import fill_from_description
from compliance.checker import Checker
from compliance.errors import InputError

HEADER = "建设规模及内容"
BASE = {"name": "龙安焦化", "project_type": "renovation", "industry": ["C2521"],
        "location": {"city": "安阳市", "county": "龙安区"}}


def filled(form: dict, text: str) -> dict:
    form = {**form, "location": dict(form["location"])}
    fill_from_description(form, HEADER, text)
    return form


@pytest.mark.slow
def test_the_text_fills_what_no_cell_gave_and_the_result_says_so(checker: Checker) -> None:
    form = filled(BASE, "拆除2座4.3米焦炉，新建2座4.3米捣固焦炉，年产焦炭100万吨")
    assert form["technology"]["coke_oven_chamber_height_m"] == 4.3
    result = next(r for r in checker.check(form).results
                  if r.rule_id == "anyang-2019-19/coke-oven-4.3m")
    assert result.status == "fail"
    assert "从「建设规模及内容」读出：焦炉炭化室高度 4.3 米（「4.3米捣固焦炉」）" in result.explanation


def test_a_cell_wins_over_the_text_and_the_disagreement_is_shown(checker: Checker) -> None:
    form = filled({**BASE, "technology": {"coke_oven_chamber_height_m": 6.25}},
                  "新建2座4.3米捣固焦炉")
    assert form["technology"]["coke_oven_chamber_height_m"] == 6.25
    result = next(r for r in checker.check(form).results
                  if r.rule_id == "anyang-2019-19/coke-oven-4.3m")
    assert result.status == "pass"
    assert "写为 4.3 米" in result.explanation and "按表格栏审查" in result.explanation


def test_capacity_from_the_text_is_never_mixed_with_capacity_cells() -> None:
    form = filled({**BASE, "capacity": {"new": 1000000, "unit": "t/a"}},
                  "年产焦炭100万吨，置换淘汰产能120万吨")
    assert form["capacity"] == {"new": 1000000, "unit": "t/a"}
    assert "readings" not in form  # 100万吨 = 1,000,000 t/a: no disagreement


def test_the_same_industry_written_two_ways_is_no_disagreement() -> None:
    form = filled({**BASE, "industry": ["炼焦"]}, "年产焦炭100万吨")
    assert "industry" not in form.get("readings", {})


def test_a_reading_for_a_field_the_form_does_not_have_is_refused(checker: Checker) -> None:
    with pytest.raises(InputError) as caught:
        checker.check({**BASE, "readings": {"technology.oven": "从某处读出"}})
    assert caught.value.problems[0].path.startswith("readings.")


@pytest.mark.slow
def test_a_monthly_cell_is_yearly_only_with_the_operating_time_the_text_gives(
        tmp_path) -> None:
    import json

    from tests.batch.conftest import run

    source = tmp_path / "m.csv"
    source.write_text("项目名称,建设性质,所属行业,所在市,新增产能,淘汰产能,建设规模及内容\n"
                      "A,新建,C2521,安阳市,10万吨/月,0,年运行12个月\n"
                      "B,新建,C2521,安阳市,10万吨/月,0,新建焦炉\n", encoding="utf-8")
    output = tmp_path / "m.jsonl"
    run("batch", source, "-o", output, "--engine", "python", "--as-of", "2024-01-01")
    first, second = map(json.loads, output.read_text("utf-8").splitlines())
    ban = next(r for r in first["results"]
               if r["rule_id"] == "miit-2018-136/key-region-no-new-capacity")
    assert ban["status"] == "fail"
    assert "净新增产能（新增 − 置换） 120 万吨/年" in ban["explanation"]
    assert "按建设内容所写“年运行12个月”折算为年产能" in ban["explanation"]
    assert second["verdict"] == "error" and "年运行时间未知" in second["error"]

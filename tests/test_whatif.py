"""what_if: the fewest fact changes that make a broken rule pass, proven (issue 12, item 4)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from compliance.errors import InputError
from compliance.whatif import _copied

AS_OF = dt.date(2024, 6, 1)
OVEN = {"name": "焦炉", "project_type": "new", "industry": "C2521",
        "location": {"city": "安阳市", "county": "龙安区"},
        "technology": {"coke_oven_chamber_height_m": 4.3}}


def result_of(checker, form, rule_id):
    return next(r for r in checker.check(form, as_of=AS_OF).results if r.rule_id == rule_id)


def changed(form: dict, path: str, value: object) -> dict:
    form = copy.deepcopy(form)
    node = form
    *parents, name = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[name] = value
    return form


def test_a_threshold_is_crossed_the_right_way(checker) -> None:
    result = result_of(checker, OVEN, "anyang-2019-19/coke-oven-4.3m")
    assert [change.text for change in result.what_if] == ["焦炉炭化室高度 > 4.3 米"]
    change = result.what_if[0]
    assert (change.field, change.op, change.value) == (
        "technology.coke_oven_chamber_height_m", ">", 4.3)
    assert result_of(checker, changed(OVEN, change.field, 4.31),
                     "anyang-2019-19/coke-oven-4.3m").status == "pass"


def test_a_number_reviewed_at_a_bare_threshold_is_offered_strictly_beyond_it(checker) -> None:
    form = {"name": "合成氨", "project_type": "renovation", "industry": "C2621",
            "location": {"city": "安阳市"}, "technology": {"ammonia_unit_tpa": 300000}}
    result = result_of(checker, form, "anyang-2019-19/ammonia-unit-300kt")
    assert result.status == "review"
    assert [change.text for change in result.what_if] == ["合成氨单套装置规模 > 300000 吨/年"]


def test_a_capacity_ban_is_passed_by_enough_replacement_where_it_counts(checker) -> None:
    form = {"name": "钢铁", "project_type": "new", "industry": "C3120",
            "location": {"city": "唐山市"}, "capacity": {"unit": "万吨/年", "new": 300,
                                                         "retired": 0}}
    result = result_of(checker, form, "miit-2018-136/key-region-no-new-capacity")
    texts = [change.text for change in result.what_if]
    # equal replacement is reviewed in a key region: strictly more than 300 is offered
    assert texts[0] == "置换淘汰产能 > 300 万吨/年"
    assert "置换淘汰的产能位于本项目所在地（河北省唐山市）" in texts[1]
    fixed = changed(changed(form, "capacity.retired", 360), "capacity.retired_location", "唐山市")
    assert result_of(checker, fixed, "miit-2018-136/key-region-no-new-capacity").status == "pass"


def test_not_building_is_offered_only_when_nothing_else_passes(checker) -> None:
    form = {"name": "水泥", "project_type": "new", "industry": "C3011",
            "location": {"city": "安阳市"}, "technology": {"clinker_line_tpd": 2000}}
    result = result_of(checker, form, "anyang-2019-19/cement-clinker-2000tpd")
    assert [change.text for change in result.what_if] == ["水泥熟料生产线规模 > 2000 吨/日"]


def test_passing_rules_have_no_what_if(checker) -> None:
    verdict = checker.check({**OVEN, "technology": {"coke_oven_chamber_height_m": 6.25}},
                            as_of=AS_OF)
    assert all(not result.what_if for result in verdict.results if result.status == "pass")


def test_a_proposed_change_never_reaches_the_checked_form(checker) -> None:
    form = changed(OVEN, "fuel", ["coal", "electricity"])
    before = copy.deepcopy(form)
    checker.check(form, as_of=AS_OF)
    assert form == before
    copied = _copied(before)
    copied["location"]["county"], copied["fuel"][0] = "文峰区", "natural_gas"
    assert before == form


def test_a_refused_place_or_industry_is_refused_every_time(checker) -> None:
    for _ in range(2):
        with pytest.raises(InputError, match="安洋"):
            checker.check(changed(OVEN, "location.city", "安洋市"), as_of=AS_OF)
        with pytest.raises(InputError, match="C9999"):
            checker.check(changed(OVEN, "industry", "C9999"), as_of=AS_OF)

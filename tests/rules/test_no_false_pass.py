"""Projects the documents forbid, filed the way the rules' authors did not expect.

Each case is a pattern of false pass found by an independent review (issue 16): a project that
breaks a clause must never be `compliant`, on either engine, whatever its industry code says.
The rule that must catch it is named, so a regression points at the clause.
"""

from __future__ import annotations

import datetime as dt

import pytest

ANYANG = {"city": "安阳市", "county": "殷都区"}

#: (what the documents forbid, the form, the rule that must fail)
EQUIPMENT_OVER_INDUSTRY_CODE = [
    ("钢铁联合企业自建4.3米焦炉（安政办〔2019〕19号 三、（二）2.（3）“在全市范围内”）",
     {"industry": "C3110", "technology": {"coke_oven_chamber_height_m": 4.3}},
     "anyang-2019-19/coke-oven-4.3m"),
    ("纯碱项目配套18万吨/年合成氨装置",
     {"industry": "C2612", "technology": {"ammonia_unit_tpa": 180000}},
     "anyang-2019-19/ammonia-unit-300kt"),
    ("甲醇以外的有机化工项目用固定床间歇式煤气化炉",
     {"industry": "C2612", "technology": {"coal_gasifier": "fixed_bed_intermittent"}},
     "anyang-2019-19/fixed-bed-gasifier"),
    ("化工项目配套2000吨/日熟料线",
     {"industry": "C2619", "technology": {"clinker_line_tpd": 2000}},
     "anyang-2019-19/cement-clinker-2000tpd"),
    ("钢渣微粉项目用直径3米水泥粉磨装备",
     {"industry": "C3039", "technology": {"cement_mill_diameter_m": 3}},
     "anyang-2019-19/cement-mill-3m"),
    ("报为金属制品的中频炉炼钢（地条钢）",
     {"industry": "C3311", "technology": {"induction_furnace_steel": True}},
     "anyang-2019-19/induction-furnace-steel"),
]


def _form(facts: dict, **location: object) -> dict:
    return {"name": "无虚假通过", "project_type": "new", "location": location or ANYANG, **facts}


@pytest.mark.parametrize(("case", "facts", "rule_id"), EQUIPMENT_OVER_INDUSTRY_CODE,
                         ids=[case[2] for case in EQUIPMENT_OVER_INDUSTRY_CODE])
def test_an_equipment_ban_fires_on_the_equipment_whatever_the_industry(checker, case, facts,
                                                                       rule_id):
    verdict = checker.check(_form(facts))
    assert verdict.verdict != "compliant", case
    assert {r.rule_id: r.status for r in verdict.results}[rule_id] == "fail", case


def test_ditiaogang_filed_as_rolling_or_casting_is_caught_nationwide(checker):
    for industry in ("C3130", "C3391"):
        verdict = checker.check(_form({"industry": industry,
                                       "technology": {"induction_furnace_steel": True}},
                                      province="山东省", city="临沂市"))
        statuses = {r.rule_id: r.status for r in verdict.results}
        assert verdict.verdict == "rejected"
        assert statuses["miit-2018-136/no-ditiaogang"] == "fail", industry


def test_a_form_silent_on_equipment_is_not_asked_by_other_industries_bans(checker):
    verdict = checker.check(_form({"industry": "C3110"}))
    statuses = {r.rule_id: r.status for r in verdict.results}
    assert statuses["anyang-2019-19/coke-oven-4.3m"] == "not_applicable"
    assert statuses["anyang-2019-19/ammonia-unit-300kt"] == "not_applicable"


#: (what the documents forbid, the form, the rule that must not pass it)
CAPACITY_WHERE_IT_LANDS = [
    ("唐山市新建钢铁，减量置换的是秦皇岛市（重点区域外）产能：重点区域新增产能",
     {"industry": "C3120", "location": {"city": "唐山市"},
      "capacity": {"unit": "万吨/年", "new": 300, "retired": 360,
                   "retired_location": "河北省秦皇岛市"}},
     "miit-2018-136/key-region-no-new-capacity", "fail"),
    ("湖北新建钢铁，置换的是河北省产能：长江经济带扩能",
     {"industry": "C3120", "location": {"province": "湖北省", "city": "黄石市"},
      "capacity": {"unit": "万吨/年", "new": 300, "retired": 360, "retired_location": "130200"}},
     "miit-2017-178/no-capacity-expansion", "fail"),
    ("安阳新建焦化，置换的是山西省产能：全市单纯新增产能",
     {"industry": "C2521", "location": {"city": "安阳市"},
      "capacity": {"unit": "万吨/年", "new": 150, "retired": 180, "retired_location": "山西省"}},
     "anyang-2019-19/overcapacity-no-new-capacity", "review"),
]


@pytest.mark.parametrize(("case", "facts", "rule_id", "status"), CAPACITY_WHERE_IT_LANDS,
                         ids=[case[2] for case in CAPACITY_WHERE_IT_LANDS])
def test_retired_capacity_counts_only_where_it_was(checker, case, facts, rule_id, status):
    verdict = checker.check({**_form(facts), **facts}, as_of=dt.date(2020, 6, 1))
    assert verdict.verdict != "compliant", case
    assert {r.rule_id: r.status for r in verdict.results}[rule_id] == status, case


def test_replacement_without_its_place_is_asked_not_passed(checker):
    facts = {"industry": "C3120", "location": {"city": "唐山市"},
             "capacity": {"unit": "万吨/年", "new": 300, "retired": 360}}
    result = next(r for r in checker.check({**_form(facts), **facts}).results
                  if r.rule_id == "miit-2018-136/key-region-no-new-capacity")
    assert result.status == "needs_info"
    assert result.missing == ["capacity.retired_location"]


#: coal burnt in the project's own equipment, with a `fuel` list that leaves coal out or is absent
COAL_IN_EQUIPMENT = [
    ("陶瓷项目燃料填天然气，自建燃料类煤气发生炉",
     {"fuel": ["natural_gas"], "technology": {"gas_producer_hearth_m": 3.2}}),
    ("陶瓷项目燃料填电，设燃煤热风炉",
     {"fuel": ["electricity"], "technology": {"coal_fired_hot_blast_stove": True}}),
    ("陶瓷项目未填燃料，设燃煤锅炉", {"technology": {"coal_fired_boiler": True}}),
    ("陶瓷项目未填燃料，设燃煤烘干窑", {"technology": {"coal_fired_dryer_kiln": True}}),
]


@pytest.mark.parametrize(("case", "facts"), COAL_IN_EQUIPMENT,
                         ids=[case[0] for case in COAL_IN_EQUIPMENT])
def test_a_fuel_ban_sees_the_coal_in_the_equipment(checker, case, facts):
    verdict = checker.check(_form({"industry": "C3071", **facts}))
    result = next(r for r in verdict.results
                  if r.rule_id == "anyang-2019-19/refractories-ceramics-no-coal")
    assert verdict.verdict == "rejected", case
    assert result.status == "fail", case
    assert "按以煤炭为燃料认定" in result.explanation


def test_a_wide_class_is_asked_what_it_makes_not_passed(checker):
    """C3216 铝冶炼 holds alumina refineries too: a smelter silent on its product is asked, and
    an electrolytic aluminium smelter adding capacity in a key region is rejected."""
    facts = {"industry": "C3216", "location": {"city": "安阳市"},
             "capacity": {"unit": "万吨/年", "new": 20, "retired": 0}}
    silent = checker.check({**_form(facts), **facts})
    assert silent.verdict != "compliant"
    statuses = {r.rule_id: r.status for r in silent.results}
    assert statuses["miit-2018-136/key-region-no-new-capacity"] == "needs_info"
    smelter = checker.check({**_form(facts), **facts,
                             "products": {"electrolytic_aluminium": True}})
    assert {r.rule_id: r.status for r in smelter.results}[
        "miit-2018-136/key-region-no-new-capacity"] == "fail"


#: where the words reach a project type the rule does not name with certainty: review, never pass
SOFT_CASES = [
    ("孝感扩建两高（水泥）项目，未通过联合审查",
     {"project_type": "expansion", "industry": "C3011", "location": {"city": "孝感市"},
      "procedures": {"joint_review_passed": False}},
     "xiaogan-2023-3/two-high-joint-review"),
    ("安阳化工企业搬迁到化工园区外",
     {"project_type": "relocation", "industry": "C2631",
      "location": {"city": "安阳市", "in_chemical_park": False}},
     "anyang-2019-19/chemical-outside-park"),
    ("重点区域（唐山）钢铁等量置换，置换区内产能",
     {"project_type": "new", "industry": "C3120", "location": {"city": "唐山市"},
      "capacity": {"unit": "万吨/年", "new": 300, "retired": 300, "retired_location": "唐山市"}},
     "miit-2018-136/key-region-no-new-capacity"),
]


@pytest.mark.parametrize(("case", "facts", "rule_id"), SOFT_CASES,
                         ids=[case[2] for case in SOFT_CASES])
def test_soft_cases_are_reviewed_not_passed(checker, case, facts, rule_id):
    verdict = checker.check({**_form(facts), **facts}, as_of=dt.date(2024, 1, 2))
    assert verdict.verdict != "compliant", case
    assert {r.rule_id: r.status for r in verdict.results}[rule_id] == "review", case

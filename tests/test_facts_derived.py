"""Derived facts that read the form the way an officer would: plant size, product-decided
industry keys (铝用炭素 within C3091) and vehicle emission standards written many ways."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compliance import facts as facts_module
from compliance.checker import parse_form
from compliance.facts import derive, vehicle_emission_level

CARBON = {"name": "安阳某炭素项目", "industry": "C3091", "location": {"city": "安阳市"}}


def facts(**form):
    return derive(parse_form({**CARBON, **form}))


@pytest.mark.parametrize(("project_type", "capacity", "plant"), [
    ("new", {"new": 9.9}, 99000),
    ("relocation", {"new": 12, "existing": 8}, 120000),
    ("expansion", {"new": 3, "existing": 8}, 110000),
    ("renovation", {"existing": 8}, 80000),
    ("renovation", {"new": 1, "existing": 8}, 90000),
])
def test_plant_capacity_is_what_the_plant_has_once_built(project_type, capacity, plant):
    values = facts(project_type=project_type, capacity={"unit": "万吨/年", **capacity}).values
    assert values["capacity.plant_tpa"] == Decimal(plant)


@pytest.mark.parametrize(("project_type", "capacity"), [
    ("expansion", {"new": 3}),
    ("expansion", {"existing": 8}),
    ("renovation", {"new": 3}),
    ("new", {"existing": 8}),
])
def test_plant_capacity_is_unknown_without_the_amounts_it_needs(project_type, capacity):
    derived = facts(project_type=project_type, capacity={"unit": "万吨/年", **capacity})
    assert "capacity.plant_tpa" not in derived.values
    assert "企业规模" in derived.notes["capacity.plant_tpa"]


def test_plant_capacity_in_tonnes_per_day_does_not_convert():
    derived = facts(project_type="expansion", capacity={"unit": "t/d", "new": 3, "existing": 8})
    assert "capacity.plant_tpa" not in derived.values
    assert "无法换算" in derived.notes["capacity.plant_tpa"]


@pytest.mark.parametrize(("form", "expected"), [
    ({"products": {"aluminium_carbon": True}}, True),
    ({"products": {"aluminium_carbon": False}}, False),
    ({"industry": "aluminium_carbon"}, True),
    ({"industry": "铝用炭素"}, True),
    ({"industry": "carbon", "products": {"aluminium_carbon": False}}, False),
    ({"industry": "C3011", "products": {"aluminium_carbon": True}}, False),
])
def test_aluminium_carbon_is_decided_by_the_product(form, expected):
    derived = facts(project_type="new", **form)
    assert derived.values["industry.aluminium_carbon"] is expected


def test_a_graphite_code_without_the_product_leaves_aluminium_carbon_unknown():
    derived = facts(project_type="new")
    assert "industry.aluminium_carbon" not in derived.values
    assert derived.values["industry.carbon"] is True
    assert "铝用炭素" in derived.notes["industry.aluminium_carbon"]


def test_industry_facts_weighed_once_are_each_projects_own():
    """The industry facts are weighed once per industries and product fields: every project
    of them gets the same facts and its own notes, whatever was weighed before."""
    forms = [{"project_type": "new"}, {"project_type": "new", "products": {"aluminium_carbon": True}},
             {"project_type": "new", "industry": ["C3091", "C2521"]},
             {"project_type": "new", "industry": "C25"}, {"project_type": "new"}]
    facts_module._weighed.cache_clear()
    weighed = [facts(**form) for form in forms]
    assert facts_module._weighed.cache_info().currsize == 4
    for form, first in zip(forms, weighed, strict=True):  # every time afresh
        facts_module._weighed.cache_clear()
        again = facts(**form)
        assert (again.values, again.notes) == (first.values, first.notes)
    assert "铝用炭素" in weighed[-1].notes["industry.aluminium_carbon"]
    assert weighed[1].values["industry.aluminium_carbon"] is True


@pytest.mark.parametrize(("written", "level"), [
    ("国六", "china_6"), ("国6", "china_6"), ("国VI", "china_6"), ("国Ⅵ", "china_6"),
    ("国六b阶段", "china_6"), ("国六B", "china_6"), ("国6a", "china_6"), ("国六排放标准", "china_6"),
    ("China 6", "china_6"), ("国五", "china_5"), ("国V", "china_5"), ("国Ⅳ", "china_4"),
    ("国三", "china_3"), ("国II", "china_2"), ("国1", "china_1"),
    ("纯电动", "zero_emission"), ("纯电动汽车", "zero_emission"), ("燃料电池", "zero_emission"),
    ("氢燃料电池汽车", "zero_emission"),
])
def test_vehicle_standards_are_read_to_a_level(written, level):
    assert vehicle_emission_level(written) == level


@pytest.mark.parametrize("written", ["国七", "插电式混合动力", "欧六", "国", "国六、国五", "达标"])
def test_an_unreadable_vehicle_standard_is_unknown_and_says_which_field(written):
    assert vehicle_emission_level(written) is None
    derived = derive(parse_form({"name": "整车", "project_type": "new", "industry": "C3611",
                                 "products": {"vehicle_emission_standard": written}}))
    assert "products.vehicle_emission_level" not in derived.values
    assert written in derived.notes["products.vehicle_emission_level"]


def test_coal_burnt_in_own_equipment_is_coal_fuel():
    """"以煤炭为燃料" covers a gas producer or coal-fired stove the fuel list leaves out."""
    from compliance.checker import parse_form
    from compliance.facts import derive

    base = {"name": "x", "project_type": "new", "industry": "C3071"}
    stove = derive(parse_form({**base, "fuel": ["natural_gas"],
                               "technology": {"coal_fired_hot_blast_stove": True}}))
    assert stove.values["fuel.coal"] is True
    assert stove.values["fuel.natural_gas"] is True
    assert "燃料未列煤炭，但设有燃煤热风炉" in stove.assumptions["fuel.coal"]
    no_producer = derive(parse_form({**base, "fuel": ["natural_gas"],
                                     "technology": {"gas_producer_hearth_m": 0}}))
    assert no_producer.values["fuel.coal"] is False
    silent = derive(parse_form({**base, "technology": {"coal_fired_boiler": False}}))
    assert "fuel.coal" not in silent.values


@pytest.mark.parametrize(("industry", "products", "key", "expected"), [
    ("C3216", {"electrolytic_aluminium": True}, "electrolytic_aluminium", True),
    ("C3216", {"electrolytic_aluminium": False}, "electrolytic_aluminium", False),
    ("C3216", {}, "electrolytic_aluminium", None),
    ("electrolytic_aluminium", {}, "electrolytic_aluminium", True),
    ("C3360", {"electroplating": True}, "electroplating", True),
    ("C3360", {}, "electroplating", None),
    ("C3099", {}, "brown_fused_alumina", None),
    ("C3731", {}, "shipbuilding", True),
    ("C3736", {}, "shipbuilding", False),
    ("C3734", {}, "shipbuilding", False),
    ("C373", {}, "shipbuilding", None),
    ("C1931", {}, "leather", True),
    ("C1932", {}, "leather", False),
])
def test_scopes_are_no_wider_than_the_words(industry, products, key, expected):
    """A class that holds more than the rule's industry is asked, not assumed (issue 16)."""
    derived = facts(project_type="new", industry=industry, products=products)
    assert derived.values.get(f"industry.{key}") is expected


@pytest.mark.parametrize(("location", "expected"), [
    ({"city": "武汉市"}, True),                      # on the main stream: never asked
    ({"city": "武汉市", "riverside_city": False}, True),  # the reference table wins, and says so
    ({"city": "孝感市", "county": "汉川市"}, True),   # 汉江
    ({"city": "邵阳市"}, None),                      # 资水 is no major tributary: asked
    ({"city": "邵阳市", "riverside_city": True}, True),
    ({"city": "信阳市"}, False),                     # outside the Yangtze belt
    ({"province": "湖北省"}, None),
])
def test_a_riverside_city_is_reference_data_not_a_question(location, expected):
    derived = facts(project_type="new", industry="C2221", location=location)
    assert derived.values.get("region.riverside_city") is expected
    if expected and "riverside_city" not in location:
        assert "属沿江城市（参考数据）" in derived.assumptions["region.riverside_city"]

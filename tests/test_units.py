"""Capacity units: every usual spelling is read, a period is never assumed silently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from compliance.checker import parse_form
from compliance.facts import derive
from compliance.units import parse_unit, to_tonnes_per_year, unit_problem

PLANT = {"name": "安阳某铝用炭素项目", "project_type": "new", "industry": "C3091",
         "location": {"city": "安阳市"}}


@pytest.mark.parametrize(("written", "canonical"), [
    ("t/a", "t/a"), ("吨/年", "t/a"), ("t/年", "t/a"), ("吨每年", "t/a"), ("T/A", "t/a"),
    ("万t/a", "万t/a"), ("万吨/年", "万t/a"), ("万吨/a", "万t/a"), ("万t/年", "万t/a"),
    ("万 吨 / 年", "万t/a"), ("万吨／年", "万t/a"), ("亿吨/年", "亿t/a"),
    ("t/d", "t/d"), ("吨/日", "t/d"), ("吨/天", "t/d"), ("吨每天", "t/d"), ("万吨/日", "万t/d"),
    ("kA", "kA"), ("MW", "MW"), ("万千瓦", "万kW"), ("万重量箱/年", "万重量箱/年"),
])
def test_written_units_fold_to_one_spelling_without_assumption(written, canonical):
    unit = parse_unit(written)
    assert unit is not None and unit.canonical == canonical
    assert not unit.period_assumed


@pytest.mark.parametrize(("written", "canonical"), [
    ("吨", "t/a"), ("t", "t/a"), ("万吨", "万t/a"), ("万t", "万t/a"), ("万 t", "万t/a"),
    ("亿吨", "亿t/a"),
])
def test_a_mass_without_period_is_read_per_year_and_says_so(written, canonical):
    unit = parse_unit(written)
    assert unit is not None and unit.canonical == canonical
    assert unit.period_assumed


@pytest.mark.parametrize("written", ["车", "万吨/月", "", "吨吨", "含置换", "备注", "万辆/月",
                                     "台/小时", "10"])
def test_unknown_units_are_refused(written):
    assert parse_unit(written) is None


@pytest.mark.parametrize(("written", "canonical"), [
    ("万辆/年", "万辆/年"), ("万辆/a", "万辆/年"), ("万台/年", "万台/年"), ("万件/年", "万件/年"),
    ("万m²/年", "万m2/年"), ("万平方米/年", "万平方米/年"), ("万载重吨", "万载重吨"),
    ("万标箱", "万标箱"), ("台/日", "台/日"), ("万米/年", "万米/年"),
])
def test_any_product_unit_is_a_unit_of_its_own(written, canonical):
    """Issue 11: a car plant in 万辆/年 is a valid form; only a rule on tonnes cannot compare it."""
    unit = parse_unit(written)
    assert unit is not None and unit.canonical == canonical
    assert unit.dimension.startswith("product:")
    assert to_tonnes_per_year(Decimal(10), unit) is None
    assert parse_unit(canonical).dimension == unit.dimension


def test_a_mass_of_a_named_product_is_that_mass():
    assert parse_unit("万吨焦炭/年").canonical == "万t/a"
    assert parse_unit("万吨钢").period_assumed


def test_a_rate_per_month_says_why_it_cannot_be_used():
    assert "按月计，年运行时间未知" in unit_problem("万辆/月")
    assert "无法识别的产能单位「备注」" in unit_problem("备注")


def test_a_car_plant_in_vehicles_per_year_is_checked(checker):
    form = {"name": "整车项目", "project_type": "new", "industry": "C3611",
            "location": {"city": "孝感市"}, "capacity": {"unit": "万辆/年", "new": 20, "retired": 0}}
    verdict = checker.check(form)
    assert verdict.verdict in ("compliant", "needs_info", "needs_review", "rejected")
    assert all("capacity.unit" not in r.missing for r in verdict.results)


def test_only_mass_per_year_converts_to_tonnes_per_year():
    assert to_tonnes_per_year(Decimal("9.9"), parse_unit("万t")) == Decimal(99000)
    assert to_tonnes_per_year(Decimal(300), parse_unit("吨/日")) is None


def test_the_assumed_period_is_recorded_for_every_capacity_fact():
    facts = derive(parse_form({**PLANT, "capacity": {"unit": "万吨", "new": 9.9, "retired": 0}}))
    assert facts.values["capacity.new_tpa"] == Decimal(99000)
    assert facts.assumptions["capacity.new_tpa"] == "产能单位「万吨」未写时段，按「万吨/年」理解"
    assert set(facts.assumptions) >= {"capacity.new", "capacity.net_added_tpa",
                                      "capacity.plant_tpa"}


def test_a_unit_with_its_period_needs_no_assumption():
    facts = derive(parse_form({**PLANT, "capacity": {"unit": "万t/a", "new": 9.9}}))
    assert facts.assumptions == {}

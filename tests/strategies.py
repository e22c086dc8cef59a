"""Hypothesis strategies for project forms, drawn from the form model and the rulebook.

Numbers cluster at the rules' own thresholds (and one quantum either side), places and
industries at the ones the rules name, so generated forms exercise every boundary.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from compliance import conditions as cond
from compliance.fields import FieldSpec, catalogue
from compliance.formdict import nest
from compliance.rulebook import load_rulebook

PLACES: list[dict[str, str]] = [
    {"city": "安阳市", "county": "龙安区"}, {"city": "安阳"}, {"admin_code": "410522"},
    {"city": "鹤壁市"}, {"city": "孝感市"}, {"city": "孝感", "county": "孝南区"},
    {"city": "唐山市"}, {"province": "上海"}, {"city": "成都市"}, {"city": "武汉市"},
    {"province": "河南省"}, {"province": "河北"}, {"city": "广州市"}, {"city": "雄县"},
    {"province": "湖北省"}, {"city": "咸阳市", "county": "杨陵区"},
]
INDUSTRIES = ["C2521", "C3110", "C3120", "C3011", "C3041", "C3216", "C3391", "C3091", "C2621",
              "C2614", "C2611", "C3731", "C3911", "C2710", "C2211", "C1713", "C3360", "coking",
              "steel", "cement", "chemical", "D4411", "C2622", "C3089", "C3071"]
#: where retired capacity was: in and outside the key region, the Yangtze belt and 安阳市, and a
#: province that is only partly in the key region (unknown)
RETIRED_PLACES = ["安阳市", "410522", "河北省秦皇岛市", "唐山市", "湖北省", "云南省昆明市",
                  "山西省", "江苏省南京市"]
UNITS = ["t/a", "万t/a", "万吨/年", "t/d", "kA"]
FORM_DATES = [dt.date(2016, 6, 29), dt.date(2017, 6, 30), dt.date(2018, 7, 22),
              dt.date(2018, 7, 23), dt.date(2019, 6, 3), dt.date(2019, 6, 4),
              dt.date(2020, 12, 31), dt.date(2021, 1, 1), dt.date(2023, 6, 20),
              dt.date(2025, 1, 1)]


@cache
def thresholds() -> dict[str, list[Decimal]]:
    """Every number a rule compares each field with, and its neighbours."""
    found: dict[str, set[Decimal]] = {}
    for rule in load_rulebook().rules:
        for condition in (rule.applicability, rule.violation, rule.review):
            for leaf in cond.leaves(condition) if condition is not None else ():
                values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
                for value in values:
                    if isinstance(value, Decimal):
                        step = Decimal("0.01")
                        found.setdefault(leaf.field, set()).update(
                            {value, value - step, value + step})
    return {field: sorted(v for v in values if v >= 0) for field, values in found.items()}


def number_strategy(spec: FieldSpec) -> st.SearchStrategy[float]:
    low, high = max(spec.minimum or 0, 0), min(spec.maximum or 1e7, 1e7)
    near = thresholds().get(spec.path, []) + thresholds().get(
        {"capacity.new": "capacity.new_tpa"}.get(spec.path, ""), [])
    near = [float(v) for v in near if low <= v <= high]
    choices = st.sampled_from(near) if near else st.nothing()
    return st.one_of(choices, st.floats(low, high, allow_nan=False),
                     st.integers(int(low), int(high)).map(float))


def value_strategy(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    if spec.kind == "number":
        return number_strategy(spec)
    return st.nothing()


def _optional_fields() -> dict[str, FieldSpec]:
    skip = {"location.province", "location.city", "location.county", "location.admin_code",
            "capacity.unit", "products.vehicle_emission_standard", "capacity.retired_location"}
    return {path: spec for path, spec in catalogue().items()
            if not spec.derived and spec.testable and not spec.required and path not in skip}


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    """A valid project form; most optional facts present, some missing."""
    fields = _optional_fields()
    # most facts present, as in a real application, so rules are often decided either way
    chosen = [path for path in sorted(fields) if draw(st.integers(0, 9)) < 8]
    flat = {path: draw(value_strategy(fields[path])) for path in chosen}
    form = nest(flat)
    form.update(
        name="生成项目",
        project_type=draw(st.sampled_from(["new", "expansion", "renovation", "relocation"])),
        industry=draw(st.lists(st.sampled_from(INDUSTRIES), min_size=1, max_size=3)),
    )
    place = draw(st.one_of(st.none(), st.sampled_from(PLACES)))
    if place:
        form.setdefault("location", {}).update(place)
    if draw(st.booleans()):
        form.setdefault("capacity", {})["unit"] = draw(st.sampled_from(UNITS))
    if draw(st.booleans()):
        form["fuel"] = draw(st.lists(st.sampled_from(["coal", "natural_gas", "electricity"]),
                                     unique=True))
    if draw(st.booleans()):
        form.setdefault("capacity", {})["retired_location"] = draw(st.sampled_from(RETIRED_PLACES))
    if draw(st.booleans()):
        form.setdefault("products", {})["vehicle_emission_standard"] = draw(
            st.sampled_from(["国五", "国六"]))
    form["application_date"] = draw(st.sampled_from(FORM_DATES))
    return form

"""From a validated form to normalised facts: the only values the engines ever see.

Everything arithmetic, every membership (key region, Yangtze belt, industry groups, 两高) and
every unit conversion happens here, in Python, once, so that both backends compare the same
exact values and the engine never meets a value that breaks it (exponents, NaN, huge numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.conditions import Scalar
from compliance.errors import FieldProblem, InputError
from compliance.form import Fuel, ProjectForm
from compliance.numbers import exact
from compliance.reference import (
    KEY_REGION_DEFINITIONS,
    Place,
    ReferenceLookupError,
    RegionUndeterminedError,
    ResolvedIndustry,
    all_industry_keys,
    in_yangtze_belt,
    industry_key_names,
    key_region,
    resolve_industry,
    resolve_place,
    two_high_keys,
    yangtze_reach,
)
from compliance.units import known_units, parse_unit, to_tonnes_per_year


@dataclass(frozen=True)
class Facts:
    """The facts of one project: `values` holds what is known; absent means unknown."""

    form: ProjectForm
    values: dict[str, Scalar]
    place: Place | None = None
    industries: tuple[ResolvedIndustry, ...] = ()
    #: why a derived fact is unknown although its form fields were given (Chinese)
    notes: dict[str, str] = field(default_factory=dict)
    #: the form fields the applicant filled in, as dotted paths (lists included)
    given: frozenset[str] = frozenset()


def _given_paths(data: dict[str, Any], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for key, value in data.items():
        if isinstance(value, dict):
            paths |= _given_paths(value, f"{prefix}{key}.")
        elif value not in (None, []):
            paths.add(f"{prefix}{key}")
    return paths


def _leaves(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_leaves(value, f"{path}."))
        elif value is not None and not isinstance(value, list):
            flat[path] = value
    return flat


def _scalar(value: Any) -> Scalar:
    if isinstance(value, bool | str):
        return value
    return exact(value)


def problem_from(error: ReferenceLookupError, default_path: str) -> FieldProblem:
    """The reference layer's messages start with their field path; keep it once."""
    path = error.field or default_path
    strip = len(path) + 2 if error.message_zh.startswith(f"{path}: ") else 0
    strip_en = len(path) + 2 if error.message_en.startswith(f"{path}: ") else 0
    return FieldProblem(path, error.message_zh[strip:], error.message_en[strip_en:])


def _place(form: ProjectForm, problems: list[FieldProblem]) -> Place | None:
    location = form.location
    if not any((location.province, location.city, location.county, location.admin_code)):
        return None
    try:
        return resolve_place(location.province, location.city, location.county,
                             location.admin_code)
    except ReferenceLookupError as error:
        problems.append(problem_from(error, "location"))
        return None


def _industries(form: ProjectForm, problems: list[FieldProblem]) -> tuple[ResolvedIndustry, ...]:
    resolved = []
    for index, value in enumerate(form.industry):
        try:
            resolved.append(resolve_industry(value))
        except ReferenceLookupError as error:
            path = f"industry[{index}]" if len(form.industry) > 1 else "industry"
            problems.append(problem_from(error, path))
    return tuple(resolved)


def _region_facts(place: Place | None) -> dict[str, Scalar]:
    if place is None:
        return {}
    values: dict[str, Scalar] = {"location.province_code": place.province_code,
                                 "region.yangtze_belt": in_yangtze_belt(place),
                                 "region.yangtze_reach": yangtze_reach(place) or "outside"}
    if place.city_code:
        values["location.city_code"] = place.city_code
    if place.county_code:
        values["location.county_code"] = place.county_code
    for definition in KEY_REGION_DEFINITIONS:
        try:
            values[f"region.key_region_{definition}"] = key_region(place, definition) is not None
        except RegionUndeterminedError:
            continue  # a province alone cannot say: unknown, so rules that need it ask for it
    return values


def _capacity_facts(form: ProjectForm, notes: dict[str, str],
                    problems: list[FieldProblem]) -> dict[str, Scalar]:
    capacity = form.capacity
    values: dict[str, Scalar] = {}
    new = exact(capacity.new) if capacity.new is not None else None
    retired = exact(capacity.retired) if capacity.retired is not None else None
    if new is not None and retired is not None:
        values["capacity.net_added"] = new - retired
    if capacity.unit is None:
        return values
    unit = parse_unit(capacity.unit)
    if unit is None:
        problems.append(FieldProblem(
            "capacity.unit", f"未知产能单位「{capacity.unit}」，可用：{'、'.join(known_units())}",
            f"unknown capacity unit {capacity.unit!r}"))
        return values
    values["capacity.unit"] = unit.canonical
    if new is None:
        return values
    new_tpa = to_tonnes_per_year(new, unit)
    if new_tpa is None:
        note = f"产能单位「{unit.canonical}」无法换算为 吨/年，请按 吨/年 或 万吨/年 填写"
        notes["capacity.new_tpa"] = notes["capacity.net_added_tpa"] = note
        return values
    values["capacity.new_tpa"] = new_tpa
    if retired is not None:
        values["capacity.net_added_tpa"] = new_tpa - to_tonnes_per_year(retired, unit)  # type: ignore[operator]
    return values


def _industry_facts(industries: tuple[ResolvedIndustry, ...], keys: frozenset[str],
                    notes: dict[str, str]) -> dict[str, Scalar]:
    """One boolean per industry key; unknown (absent) where a coarse code (C25) may or may not
    fall under the key, so a coking rule asks for the exact class instead of passing."""
    values: dict[str, Scalar] = {}
    for key in all_industry_keys():
        coarse = [i.input for i in industries if key in i.possible_keys and key not in i.keys]
        if key in keys or not coarse:
            values[f"industry.{key}"] = key in keys
        else:
            notes[f"industry.{key}"] = (f"行业「{'、'.join(coarse)}」为大类或中类，无法确定是否属于"
                                        f"「{industry_key_names()[key]}」，请填写 GB/T 4754-2017 小类代码")
    return values


def derive(form: ProjectForm) -> Facts:
    """Normalise and derive; raises `InputError` naming every field that cannot be resolved."""
    problems: list[FieldProblem] = []
    notes: dict[str, str] = {}
    place = _place(form, problems)
    industries = _industries(form, problems)
    dump = form.model_dump(exclude_none=True)
    untested = ("id", "name", "applicant", "application_date")
    values = {path: _scalar(value) for path, value in _leaves(dump).items()
              if path not in untested}
    values.pop("capacity.unit", None)
    values.update(_region_facts(place))
    values.update(_capacity_facts(form, notes, problems))
    keys = frozenset().union(*(industry.keys for industry in industries))
    values.update(_industry_facts(industries, keys, notes))
    if form.fuel is not None:
        values.update({f"fuel.{fuel.value}": fuel.value in form.fuel for fuel in Fuel})
    declared = form.energy.two_high
    values["energy.two_high_effective"] = declared if declared is not None else bool(
        keys & two_high_keys())
    if problems:
        raise InputError(problems)
    return Facts(form=form, values=values, place=place, industries=industries, notes=notes,
                 given=frozenset(_given_paths(dump)))

"""From a validated form to normalised facts: the only values the engines ever see.

Everything arithmetic, every membership (key region, Yangtze belt, industry groups, 两高) and
every unit conversion happens here, in Python, once, so that both backends compare the same
exact values and the engine never meets a value that breaks it (exponents, NaN, huge numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from pydantic import BaseModel

from compliance.conditions import Scalar
from compliance.errors import FieldProblem, InputError
from compliance.form import EMPTY_SECTIONS, Fuel, ProjectForm, Section
from compliance.numbers import exact
from compliance.places import (
    problem_from,
    project_place,
    region_facts,
    retired_place_facts,
    riverside_city_facts,
)
from compliance.reference import (
    Place,
    ReferenceLookupError,
    ResolvedIndustry,
    all_industry_keys,
    industry_key_names,
    product_fields,
    resolve_industry,
    two_high_keys,
)
from compliance.units import Unit, parse_unit, to_tonnes_per_year, unit_problem
from compliance.vehicles import vehicle_emission_level

#: the capacity facts, all in the unit the form gives or converted from it
CAPACITY_FACTS = ("capacity.new", "capacity.retired", "capacity.existing", "capacity.net_added",
                  "capacity.new_tpa", "capacity.net_added_tpa", "capacity.plant_tpa")


@dataclass(frozen=True)
class Facts:
    """The facts of one project: `values` holds what is known; absent means unknown."""

    form: ProjectForm
    values: dict[str, Scalar]
    place: Place | None = None
    industries: tuple[ResolvedIndustry, ...] = ()
    #: why a derived fact is unknown although its form fields were given (Chinese)
    notes: dict[str, str] = field(default_factory=dict)
    #: a reading the checker made to know a fact (产能单位「万吨」按「万吨/年」理解), by fact path;
    #: a result that uses the fact must say so, never assume silently (Chinese)
    assumptions: dict[str, str] = field(default_factory=dict)
    #: the form fields the applicant filled in, as dotted paths (lists included)
    given: frozenset[str] = frozenset()
    #: for a derived fact left unknown, the form fields that would decide it for this project,
    #: where that is fewer than its declared sources (a new plant's size needs no existing one)
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)


#: the form's sections (a field holding one is walked into)
_SECTIONS = frozenset(Section.__subclasses__())
#: what the form says about itself, not about the project: neither a fact nor a given field
_NOT_FACTS = frozenset({"readings"})


def _walk(section: BaseModel, untested: frozenset[str], prefix: str = "",
          values: dict[str, Scalar] | None = None, given: set[str] | None = None
          ) -> tuple[dict[str, Scalar], set[str]]:
    """In one pass over the validated form's fields (what `model_dump` would give, without
    making it): the scalar leaves the rules may test, as facts (lists and the `untested` paths
    left out), and every path the applicant filled in. (Every check walks a whole form: the
    common classes are told apart by identity, not isinstance.)"""
    values = {} if values is None else values
    given = set() if given is None else given
    for key, value in section.__dict__.items():
        if value is None:
            continue
        kind = value.__class__
        if kind in _SECTIONS:
            if value is not EMPTY_SECTIONS.get(kind):
                _walk(value, untested, f"{prefix}{key}.", values, given)
            continue
        path = f"{prefix}{key}"
        if path in _NOT_FACTS:
            continue
        if kind is list:
            if value:
                given.add(path)
            continue
        given.add(path)
        if path not in untested:
            values[path] = value if kind is bool or kind is str else _scalar(value)
    return values, given


def _scalar(value: Any) -> Scalar:
    if isinstance(value, bool | str):
        return value
    return exact(value)


def _industries(form: ProjectForm, problems: list[FieldProblem]) -> tuple[ResolvedIndustry, ...]:
    resolved = []
    for index, value in enumerate(form.industry):
        try:
            resolved.append(resolve_industry(value))
        except ReferenceLookupError as error:
            path = f"industry[{index}]" if len(form.industry) > 1 else "industry"
            problems.append(problem_from(error, path))
    return tuple(resolved)


def _capacity_facts(form: ProjectForm, notes: dict[str, str], assumptions: dict[str, str],
                    needs: dict[str, tuple[str, ...]],
                    problems: list[FieldProblem]) -> dict[str, Scalar]:
    capacity = form.capacity
    values: dict[str, Scalar] = {}
    new, retired, existing = (exact(amount) if amount is not None else None
                              for amount in (capacity.new, capacity.retired, capacity.existing))
    if new is not None and retired is not None:
        values["capacity.net_added"] = new - retired
    needs["capacity.plant_tpa"] = (*PLANT_CAPACITY_NEEDS[form.project_type], "capacity.unit")
    if capacity.unit is None:
        return values
    unit = parse_unit(capacity.unit)
    if unit is None:
        problems.append(FieldProblem("capacity.unit", unit_problem(capacity.unit),
                                     f"unusable capacity unit {capacity.unit!r}"))
        return values
    values["capacity.unit"] = unit.canonical
    if unit.period_assumed:
        reading = f"产能单位「{capacity.unit}」未写时段，按「{unit.label_zh}」理解"
        assumptions.update(dict.fromkeys(CAPACITY_FACTS, reading))
    if unit.dimension != "mass_per_year":
        if new is not None or existing is not None:
            note = f"产能单位「{unit.canonical}」无法换算为 吨/年，请按 吨/年 或 万吨/年 填写"
            notes.update(dict.fromkeys(("capacity.new_tpa", "capacity.net_added_tpa",
                                        "capacity.plant_tpa"), note))
        return values
    if new is not None:
        values["capacity.new_tpa"] = _tpa(new, unit)
        if retired is not None:
            values["capacity.net_added_tpa"] = _tpa(new - retired, unit)
    plant = _plant_capacity(form.project_type, new, existing)
    if plant is None:
        notes["capacity.plant_tpa"] = ("企业规模：新建、搬迁按新增产能计；扩建按现有产能 + 新增产能计；"
                                       "改建按现有产能（+ 新增产能）计，请填写相应产能")
    else:
        values["capacity.plant_tpa"] = _tpa(plant, unit)
    return values


#: the fields a plant's size after the project is computed from, by project type
PLANT_CAPACITY_NEEDS = {"new": ("capacity.new",), "relocation": ("capacity.new",),
                        "expansion": ("capacity.existing", "capacity.new"),
                        "renovation": ("capacity.existing",)}


def _tpa(amount: Decimal, unit: Unit) -> Decimal:
    converted = to_tonnes_per_year(amount, unit)
    assert converted is not None, "called for mass-per-year units only"
    return converted


def _plant_capacity(project_type: str, new: Decimal | None,
                    existing: Decimal | None) -> Decimal | None:
    """The plant's capacity once the project is built, in the form's unit: what a rule on an
    enterprise's size compares (退出 10 万吨/年以下的独立铝用炭素企业), whatever the project type.
    A new or relocated plant is what the project builds; an expansion adds to the plant; a
    renovation keeps the plant's capacity, plus any it adds."""
    if project_type in ("new", "relocation"):
        return new
    if existing is None or (project_type == "expansion" and new is None):
        return None
    return existing + (new or 0)


def _industry_facts(industries: tuple[ResolvedIndustry, ...], keys: frozenset[str],
                    given: dict[str, Any], notes: dict[str, str]) -> dict[str, Scalar]:
    """One boolean per industry key (`_weighed`: shared, never to be changed), with the notes
    on what it cannot decide added to `notes`. `keys`: the industries' own."""
    possible = frozenset().union(*(industry.possible_keys for industry in industries))
    products = tuple((field, given.get(field)) for key, field in product_fields().items()
                     if key in possible)
    values, weighed_notes = _weighed(industries, keys, products)
    notes.update(weighed_notes)
    return values


@lru_cache(maxsize=1024)
def _weighed(industries: tuple[ResolvedIndustry, ...], keys: frozenset[str],
             products: tuple[tuple[str, Scalar | None], ...]
             ) -> tuple[dict[str, Scalar], dict[str, str]]:
    """`_weigh_industries` and its notes, remembered per industries and the product fields it
    reads for them (those of keys the industries may hold): a list names few industries, and
    weighing all 63 keys for every project was a tenth of deriving a real list's row."""
    notes: dict[str, str] = {}
    return _weigh_industries(industries, keys, dict(products), notes), notes


def _weigh_industries(industries: tuple[ResolvedIndustry, ...], keys: frozenset[str],
                      given: dict[str, Any], notes: dict[str, str]) -> dict[str, Scalar]:
    """One boolean per industry key; unknown (absent) where a coarse code (C25) may or may not
    fall under the key, so a coking rule asks for the exact class instead of passing. A key
    whose codes also hold other products (C3091: graphite as well as aluminium carbon) is
    decided by its product field, unless the form names the key itself."""
    values: dict[str, Scalar] = {}
    products = product_fields()
    # keys some filed code may or may not hold: the only ones that need more than membership
    undecided = frozenset().union(*(i.possible_keys - i.keys for i in industries))
    for key, fact in _industry_fact_names():
        if key not in undecided and key not in products:
            values[fact] = key in keys
            continue
        coarse = [i.input for i in industries if key in i.possible_keys and key not in i.keys]
        if key in products and (key in keys or coarse):
            named = any(i.level == "key" and i.name == industry_key_names()[key]
                        for i in industries)
            decided = True if named else given.get(products[key])
            if decided is None:
                filed = "、".join(i.input for i in industries if key in i.possible_keys)
                notes[fact] = (
                    f"行业「{filed}」不能区分是否为「{industry_key_names()[key]}」，"
                    f"请填写“{_form_label(products[key])}”")
            else:
                values[fact] = decided
        elif key in keys or not coarse:
            values[fact] = key in keys
        else:
            notes[fact] = (f"行业「{'、'.join(coarse)}」为大类或中类，无法确定是否属于"
                           f"「{industry_key_names()[key]}」，请填写 GB/T 4754-2017 小类代码")
    return values


@cache
def _industry_fact_names() -> tuple[tuple[str, str], ...]:
    return tuple((key, f"industry.{key}") for key in all_industry_keys())


def _form_label(path: str) -> str:
    """The Chinese label of a form field, for a note that asks for it."""
    model: type[BaseModel] = ProjectForm
    *sections, name = path.split(".")
    for section in sections:
        annotation = model.model_fields[section].annotation
        assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
        model = annotation
    extra = model.model_fields[name].json_schema_extra
    return str(extra["label_zh"]) if isinstance(extra, dict) else path


def _vehicle_facts(form: ProjectForm, notes: dict[str, str]) -> dict[str, Scalar]:
    written = form.products.vehicle_emission_standard
    if written is None:
        return {}
    level = vehicle_emission_level(written)
    if level is None:
        notes["products.vehicle_emission_level"] = (
            f"无法识别车辆排放标准「{written}」，请填写如“国五”“国六”“国六b”，"
            f"零排放车辆填“纯电动”或“燃料电池”")
        return {}
    return {"products.vehicle_emission_level": level.value}


def _coal_in_equipment(form: ProjectForm, assumptions: dict[str, str]) -> dict[str, Scalar]:
    """Coal burnt in the project's own equipment is coal the project uses as fuel: "以煤炭为燃料"
    covers a gas producer or a coal-fired stove whatever the `fuel` list says (or leaves out)."""
    technology = form.technology
    burners = [name for name, present in (
        ("燃煤锅炉", technology.coal_fired_boiler),
        ("燃煤热风炉", technology.coal_fired_hot_blast_stove),
        ("燃煤加热、烘干炉（窑）", technology.coal_fired_dryer_kiln),
        ("燃料类煤气发生炉", (technology.gas_producer_hearth_m or 0) > 0)) if present]
    if not burners or (form.fuel is not None and "coal" in form.fuel):
        return {}
    listed = "未填燃料" if form.fuel is None else "燃料未列煤炭"
    assumptions["fuel.coal"] = f"{listed}，但设有{'、'.join(burners)}，按以煤炭为燃料认定"
    return {"fuel.coal": True}


@cache
def _stood_behind() -> dict[str, tuple[str, ...]]:
    """For each form field a reading may name, the facts that reading stands behind: itself,
    the derived facts computed from it, and the derived facts beneath its path."""
    from compliance.fields import catalogue  # fields describes the facts built here

    specs = catalogue()
    return {path: (path, *(spec.path for spec in specs.values()
                           if path in spec.sources
                           or (spec.path.startswith(f"{path}.") and spec.derived)))
            for path, spec in specs.items() if not spec.derived}


def _stated_readings(readings: dict[str, str], problems: list[FieldProblem]) -> dict[str, str]:
    """`readings` as statements on every fact they touch: a reading of `capacity.new` also
    stands behind `capacity.net_added` and the tonnes computed from it."""
    behind = _stood_behind()
    stated: dict[str, str] = {}
    for path, text in readings.items():
        facts = behind.get(path)
        if facts is None:
            problems.append(FieldProblem(f"readings.{path[:60]}", "不是表单字段",
                                         "not a form field"))
            continue
        stated[path] = text
        for fact in facts[1:]:
            stated.setdefault(fact, text)
    return stated


#: form fields that name or date the project: never a fact a rule tests
UNTESTED = frozenset({"id", "name", "applicant", "application_date", "project_code"})


def derive(form: ProjectForm) -> Facts:
    """Normalise and derive; raises `InputError` naming every field that cannot be resolved."""
    problems: list[FieldProblem] = []
    notes: dict[str, str] = {}
    assumptions: dict[str, str] = {}
    needs: dict[str, tuple[str, ...]] = {}
    place = project_place(form, problems, assumptions)
    industries = _industries(form, problems)
    written_readings = form.readings or {}
    values, given = _walk(form, UNTESTED)
    values.pop("capacity.unit", None)
    values.update(region_facts(place))
    values.update(riverside_city_facts(place, form.location.riverside_city, assumptions))
    values.update(_capacity_facts(form, notes, assumptions, needs, problems))
    values.update(retired_place_facts(form, problems))
    values.update(_vehicle_facts(form, notes))
    keys = frozenset().union(*(industry.keys for industry in industries))
    values.update(_industry_facts(industries, keys, values, notes))
    if form.fuel is not None:
        values.update({f"fuel.{fuel.value}": fuel.value in form.fuel for fuel in Fuel})
    values.update(_coal_in_equipment(form, assumptions))
    declared = form.energy.two_high
    values["energy.two_high_effective"] = declared if declared is not None else bool(
        keys & two_high_keys())
    for path, text in _stated_readings(written_readings, problems).items():
        assumptions[path] = f"{assumptions[path]}；{text}" if path in assumptions else text
    if problems:
        raise InputError(problems)
    return Facts(form=form, values=values, place=place, industries=industries, notes=notes,
                 assumptions=assumptions, given=frozenset(given), needs=needs)

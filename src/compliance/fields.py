"""The catalogue of facts: every name a rule may test, with its type, unit and labels.

Form fields come from `form.ProjectForm` itself (its metadata is the single source of truth);
derived facts are declared here beside the form fields they are computed from, so that a rule on
a derived fact that cannot be computed names the form fields to fill in.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Literal

from pydantic import BaseModel

from compliance.form import Fuel, LabelledEnum, ProjectForm
from compliance.reference import all_industry_keys, industry_key_names, product_fields
from compliance.vehicles import VehicleEmissionLevel

Kind = Literal["number", "bool", "enum", "text", "date", "list"]

UNTESTABLE = frozenset({"id", "name", "applicant", "project_code", "readings"})
UNIT_LABELS_ZH = {"m": "米", "km": "公里", "t/d": "吨/日", "t/a": "吨/年", "万t/a": "万吨/年",
                  "亿t/a": "亿吨/年", "万t/d": "万吨/日"}


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: Kind
    label_zh: str
    label_en: str
    unit: str | None = None
    choices: tuple[str, ...] = ()
    enum: type[LabelledEnum] | None = None
    #: form fields a derived fact is computed from (empty for form fields themselves)
    sources: tuple[str, ...] = ()
    #: whether rules may test it (lists are tested through their expanded booleans)
    testable: bool = True
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None

    @property
    def derived(self) -> bool:
        return bool(self.sources)

    def unit_zh(self) -> str:
        return UNIT_LABELS_ZH.get(self.unit or "", self.unit or "")

    def choice_label_zh(self, value: str) -> str:
        return self.enum.label_zh(value) if self.enum else value


def _unwrap(annotation: object) -> tuple[object, bool]:
    """The non-None type of an annotation and whether it is a list."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(inner)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is list:
        return typing.get_args(annotation)[0], True
    return annotation, False


def _kind(annotation: object) -> Kind:
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "enum"
    if annotation is dt.date:
        return "date"
    return "text"


def _bound(metadata: list[object], name: str) -> float | None:
    values = [getattr(item, name) for item in metadata if getattr(item, name, None) is not None]
    return values[0] if values else None


def _form_fields(model: type[BaseModel], prefix: str = "") -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        inner, is_list = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            specs.extend(_form_fields(inner, f"{path}."))
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        enum = inner if isinstance(inner, type) and issubclass(inner, LabelledEnum) else None
        specs.append(FieldSpec(
            path=path,
            kind="list" if is_list else _kind(inner),
            label_zh=str(extra.get("label_zh", name)),
            label_en=str(extra.get("label_en", name)),
            unit=extra.get("unit"),  # type: ignore[arg-type]
            choices=tuple(member.value for member in enum) if enum else (),
            enum=enum,
            testable=not is_list and _kind(inner) != "date" and path not in UNTESTABLE,
            required=info.is_required(),
            minimum=_bound(info.metadata, "ge"),
            maximum=_bound(info.metadata, "le"),
        ))
    return specs


def _retired_place_fields() -> list[FieldSpec]:
    """Where the retired capacity was, as the same facts as the project's own place."""
    retired = ("capacity.retired_location",)
    return [
        FieldSpec("capacity.retired_province_code", "text", "置换淘汰产能所在省份",
                  "province of the retired capacity", sources=retired),
        FieldSpec("capacity.retired_city_code", "text", "置换淘汰产能所在地级市",
                  "city of the retired capacity", sources=retired),
        FieldSpec("capacity.retired_county_code", "text", "置换淘汰产能所在区县",
                  "county of the retired capacity", sources=retired),
        FieldSpec("capacity.retired_key_region_2018", "bool",
                  "置换淘汰产能位于重点区域（国发〔2018〕22号）",
                  "retired capacity in a key region (2018 definition)", sources=retired),
        FieldSpec("capacity.retired_key_region_2023", "bool",
                  "置换淘汰产能位于重点区域（国发〔2023〕24号）",
                  "retired capacity in a key region (2023 definition)", sources=retired),
        FieldSpec("capacity.retired_yangtze_belt", "bool", "置换淘汰产能位于长江经济带11省市",
                  "retired capacity in the Yangtze River Economic Belt", sources=retired),
        FieldSpec("capacity.retired_yangtze_reach", "enum", "置换淘汰产能所在长江经济带区段",
                  "Yangtze reach of the retired capacity",
                  choices=("upper", "middle", "lower", "outside"), sources=retired),
    ]


def _derived_fields() -> list[FieldSpec]:
    place = ("location.province", "location.city", "location.county", "location.admin_code")
    derived = [
        FieldSpec("location.province_code", "text", "所在省份", "province", sources=place),
        FieldSpec("location.city_code", "text", "所在地级市", "city", sources=place),
        FieldSpec("location.county_code", "text", "所在区县", "county", sources=place),
        FieldSpec("region.key_region_2018", "bool", "属于重点区域（国发〔2018〕22号）",
                  "in a key region (2018 definition)", sources=place),
        FieldSpec("region.key_region_2023", "bool", "属于重点区域（国发〔2023〕24号）",
                  "in a key region (2023 definition)", sources=place),
        FieldSpec("region.yangtze_belt", "bool", "属于长江经济带11省市", "in the Yangtze River "
                  "Economic Belt", sources=place),
        FieldSpec("region.yangtze_reach", "enum", "长江经济带区段", "Yangtze reach",
                  choices=("upper", "middle", "lower", "outside"), sources=place),
        FieldSpec("region.riverside_city", "bool", "所在城市为沿江城市（长江干流及主要支流沿岸）",
                  "in a city on the Yangtze or a major tributary",
                  sources=(*place, "location.riverside_city")),
        FieldSpec("capacity.net_added", "number", "净新增产能（新增 − 置换）",
                  "net added capacity (new − retired)",
                  sources=("capacity.new", "capacity.retired")),
        *_retired_place_fields(),
        FieldSpec("capacity.new_tpa", "number", "新增产能（折算）", "capacity built, in t/a",
                  unit="t/a", sources=("capacity.new", "capacity.unit")),
        FieldSpec("capacity.net_added_tpa", "number", "净新增产能（折算）",
                  "net added capacity, in t/a", unit="t/a",
                  sources=("capacity.new", "capacity.retired", "capacity.unit")),
        FieldSpec("capacity.plant_tpa", "number", "项目建成后企业总产能（折算）",
                  "the plant's capacity once the project is built, in t/a", unit="t/a",
                  sources=("capacity.new", "capacity.existing", "capacity.unit", "project_type")),
        FieldSpec("products.vehicle_emission_level", "enum", "车辆排放标准（识别为）",
                  "vehicle emission standard (as read)",
                  choices=tuple(level.value for level in VehicleEmissionLevel),
                  enum=VehicleEmissionLevel, sources=("products.vehicle_emission_standard",)),
        FieldSpec("energy.two_high_effective", "bool", "两高项目（按行业认定或申报）",
                  "两高 project (declared, else by industry)",
                  sources=("energy.two_high", "industry")),
    ]
    names, products = industry_key_names(), product_fields()
    derived += [FieldSpec(f"industry.{key}", "bool", f"行业：{names[key]}", f"industry: {key}",
                          sources=("industry", *filter(None, [products.get(key)])))
                for key in all_industry_keys()]
    derived += [FieldSpec(f"fuel.{fuel.value}", "bool", f"燃料含{Fuel.label_zh(fuel.value)}",
                          f"uses fuel: {fuel.value}", sources=("fuel",)) for fuel in Fuel]
    return derived


@cache
def catalogue() -> dict[str, FieldSpec]:
    """Every fact by its path: the form's leaves, then the derived facts."""
    specs = _form_fields(ProjectForm) + _derived_fields()
    return {spec.path: spec for spec in specs}


def testable_fields() -> dict[str, FieldSpec]:
    return {path: spec for path, spec in catalogue().items() if spec.testable}

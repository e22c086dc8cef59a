"""Which form field each column of a list fills.

Headers come as dotted form paths (`location.city`), the form's own Chinese labels (the
catalogue in `compliance.fields` is the single source of truth), or the names provincial
systems export (项目名称, 所在市, 县（市、区）, 建设地点 …); `--mapping FILE.yaml` adds any other.
A unit in brackets after a header (`焦炉炭化室高度（毫米）`) is the unit of that column's bare
numbers. Columns matching nothing are passed through to the outputs and ignored for checking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from compliance.batch.cells import unit_factor
from compliance.fields import FieldSpec, catalogue
from compliance.folding import compact
from compliance.units import parse_unit, written_period

#: the pseudo field of a free-text address column, parsed into province / city / county
ADDRESS = "address"
ADDRESS_LABEL = "建设地点"
#: a free-text description of the project (建设规模及内容): facts are read from it
DESCRIPTION = "description"
#: a `--mapping` target that makes a column pass through unchecked
IGNORE = ""
#: the capacity amounts, whose unit (in the cell or the header) fills `capacity.unit`
CAPACITY_AMOUNTS = ("capacity.new", "capacity.retired")
#: several columns may fill one field; the lowest rank with a value wins (a code beats a name)
_ALIASES: dict[str, tuple[str, int]] = {
    "项目编号": ("id", 1), "备案号": ("id", 2),
    "项目代码": ("project_code", 0), "统一项目代码": ("project_code", 0),
    "项目统一代码": ("project_code", 0), "备案代码": ("project_code", 0),
    "项目编码": ("project_code", 1), "审批代码": ("project_code", 1),
    "项目名称": ("name", 1), "项目名": ("name", 1), "名称": ("name", 2), "工程名称": ("name", 1),
    "建设项目名称": ("name", 1), "项目": ("name", 2),
    "建设单位": ("applicant", 1), "项目单位": ("applicant", 1), "申报单位": ("applicant", 1),
    "企业名称": ("applicant", 1), "单位名称": ("applicant", 2), "项目法人": ("applicant", 2),
    "建设单位名称": ("applicant", 1), "企业": ("applicant", 2),
    "申报日期": ("application_date", 1), "申请日期": ("application_date", 1),
    "备案日期": ("application_date", 2), "核准日期": ("application_date", 2),
    "申报时间": ("application_date", 1),
    "建设性质": ("project_type", 1), "项目类型": ("project_type", 1),
    "建设类型": ("project_type", 1), "项目性质": ("project_type", 1),
    "行业代码": ("industry", 0), "国民经济行业代码": ("industry", 0),
    "所属行业代码": ("industry", 0), "行业分类代码": ("industry", 0),
    "所属行业": ("industry", 1), "国民经济行业": ("industry", 1),
    "国民经济行业分类": ("industry", 1), "行业类别": ("industry", 1), "行业": ("industry", 1),
    "行业名称": ("industry", 2), "所属行业名称": ("industry", 2),
    "国标行业": ("industry", 1), "国民经济行业类别": ("industry", 1), "所属国标行业": ("industry", 1),
    "省份": ("location.province", 1), "省": ("location.province", 1),
    "所在省": ("location.province", 1), "所在省份": ("location.province", 1),
    "省(区、市)": ("location.province", 1), "省(自治区、直辖市)": ("location.province", 1),
    "城市": ("location.city", 1), "所在市": ("location.city", 1), "地市": ("location.city", 1),
    "市": ("location.city", 1), "所在城市": ("location.city", 1), "地级市": ("location.city", 1),
    "市(州)": ("location.city", 1), "所属地市": ("location.city", 1),
    "所在地市": ("location.city", 1),
    "区县": ("location.county", 1), "县(市、区)": ("location.county", 1),
    "县区": ("location.county", 1), "所在区县": ("location.county", 1),
    "县": ("location.county", 1), "区": ("location.county", 1), "县(区)": ("location.county", 1),
    "县(市)": ("location.county", 1), "所在县区": ("location.county", 1),
    "县(市、区、旗)": ("location.county", 1),
    "区划代码": ("location.admin_code", 1), "行政区划": ("location.admin_code", 1),
    "建设地点": (ADDRESS, 1), "项目地址": (ADDRESS, 1), "地址": (ADDRESS, 1),
    "项目所在地": (ADDRESS, 1), "建设地址": (ADDRESS, 1), "所在地": (ADDRESS, 1),
    "项目建设地点": (ADDRESS, 1), "详细地址": (ADDRESS, 1), "address": (ADDRESS, 1),
    "建设规模及内容": (DESCRIPTION, 1), "建设内容及规模": (DESCRIPTION, 1),
    "建设内容与规模": (DESCRIPTION, 1), "建设规模与内容": (DESCRIPTION, 1),
    "主要建设内容": (DESCRIPTION, 1), "建设内容": (DESCRIPTION, 1), "项目概况": (DESCRIPTION, 1),
    "项目简介": (DESCRIPTION, 2), "建设规模和内容": (DESCRIPTION, 1),
    "主要建设内容及规模": (DESCRIPTION, 1), "description": (DESCRIPTION, 1),
    "新增产能": ("capacity.new", 1), "新增生产能力": ("capacity.new", 1),
    "设计产能": ("capacity.new", 2), "建设规模": ("capacity.new", 2),
    "生产规模": ("capacity.new", 2), "产能": ("capacity.new", 2),
    "淘汰产能": ("capacity.retired", 1), "置换产能": ("capacity.retired", 1),
    "淘汰落后产能": ("capacity.retired", 1), "退出产能": ("capacity.retired", 1),
    "压减产能": ("capacity.retired", 1), "置换淘汰产能": ("capacity.retired", 1),
    "置换产能所在地": ("capacity.retired_location", 1),
    "被置换产能所在地": ("capacity.retired_location", 1),
    "置换淘汰产能所在地": ("capacity.retired_location", 1),
    "淘汰产能所在地": ("capacity.retired_location", 1),
    "产能单位": ("capacity.unit", 1), "单位": ("capacity.unit", 2),
    "计量单位": ("capacity.unit", 2),
    "焦炉炭化室高度": ("technology.coke_oven_chamber_height_m", 1),
    "炭化室高度": ("technology.coke_oven_chamber_height_m", 1),
    "碳化室高度": ("technology.coke_oven_chamber_height_m", 1),
    "焦炉碳化室高度": ("technology.coke_oven_chamber_height_m", 1),
    "熟料生产线规模": ("technology.clinker_line_tpd", 1),
    "熟料线规模": ("technology.clinker_line_tpd", 1),
    "水泥磨直径": ("technology.cement_mill_diameter_m", 1),
    "合成氨装置规模": ("technology.ammonia_unit_tpa", 1),
    "气化炉型": ("technology.coal_gasifier", 1), "煤气化工艺": ("technology.coal_gasifier", 1),
    "燃料类型": ("fuel", 1), "主要燃料": ("fuel", 1),
    "独立焦化": ("independent_plant", 1),
    "两高": ("energy.two_high", 1), "两高项目": ("energy.two_high", 1),
    "能耗水平": ("energy.unit_consumption_level", 1),
    "环评": ("procedures.eia_approved", 1), "环评批复情况": ("procedures.eia_approved", 1),
    "能评": ("procedures.energy_review_passed", 1),
    "节能审查意见": ("procedures.energy_review_passed", 1),
    "产能置换方案": ("procedures.capacity_replacement_plan", 1),
    "联合审查": ("procedures.joint_review_passed", 1),
    "入园": ("location.in_industrial_park", 1), "在园区": ("location.in_industrial_park", 1),
    "工业园区": ("location.in_industrial_park", 1), "化工园区": ("location.in_chemical_park", 1),
    "在化工园区": ("location.in_chemical_park", 1), "超低排放": ("emissions.ultra_low", 1),
    "涉vocs": ("emissions.vocs.involved", 1), "涉重金属": ("emissions.heavy_metals", 1),
    "自备井": ("water.self_supplied_well", 1), "排放标准": ("products.vehicle_emission_standard", 1),
}
_BRACKETED = re.compile(r"(?P<base>.+?)[(\[【](?P<inner>[^)\]】]*)[)\]】]")
_REQUIRED_MARKS = re.compile(r"^\*+|\*+$|\(必填\)$|必填$")


class MappingError(ValueError):
    """A `--mapping` file that cannot be used; `str()` is Chinese and names the file."""


@dataclass(frozen=True)
class Column:
    """One column of the list: where it is, what the file calls it, what it fills."""

    index: int
    header: str
    target: str | None = None
    unit: str | None = None
    rank: int = 1


@dataclass(frozen=True)
class ColumnMap:
    """The columns of one list and, per field, the columns that may fill it (best first)."""

    columns: tuple[Column, ...]
    targets: dict[str, tuple[Column, ...]] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def unknown(self) -> list[str]:
        """Headers that fill no field (passed through, ignored for checking)."""
        return [column.header for column in self.columns if column.target is None]

    def header_of(self, path: str) -> str | None:
        """The column a field (or, for location fields, the address column) was read from."""
        if path in self.targets:
            return self.targets[path][0].header
        if path.startswith("location.") and ADDRESS in self.targets:
            return self.targets[ADDRESS][0].header
        return None


def input_fields() -> dict[str, FieldSpec]:
    """The form fields a column can fill (derived facts are computed, never read)."""
    return {path: spec for path, spec in catalogue().items()
            if not spec.derived and path != "readings"}


def header_key(header: str) -> str:
    """A header folded for matching: NFKC, no spaces, lower case, no required-marks."""
    return _REQUIRED_MARKS.sub("", compact(header).lower())


@cache
def _index() -> dict[str, tuple[str, int]]:
    """Every folded header we understand → (field path or ADDRESS, rank)."""
    index: dict[str, tuple[str, int]] = {}
    for path, spec in input_fields().items():
        index.setdefault(header_key(path), (path, 0))
        index.setdefault(header_key(spec.label_zh), (path, 0))
        index.setdefault(header_key(spec.label_en), (path, 1))
        short = _BRACKETED.fullmatch(header_key(spec.label_zh))
        if short:
            index.setdefault(short["base"], (path, 1))
    for alias, target in _ALIASES.items():
        index.setdefault(header_key(alias), target)
    return index


def _is_unit(text: str, path: str) -> bool:
    """Whether bracketed header text names a unit the column's numbers are in.

    A rate per a period (`万吨/月`, `吨/小时`) counts even when it cannot be converted: kept
    as the column's unit, it makes every amount of the column an error, where dropping it would
    read the amounts in the field's own unit (a monthly figure as a yearly one).
    """
    unit = input_fields()[path].unit
    if path in CAPACITY_AMOUNTS:
        return parse_unit(text) is not None or written_period(text) is not None
    if unit is None:
        return text == "%"
    return unit_factor(text, unit) is not None or written_period(text) is not None


def resolve_header(header: str, extra: Mapping[str, str] | None = None
                   ) -> tuple[str, int, str | None] | None:
    """(target, rank, unit named in brackets) for a header, or None when it fills nothing."""
    key = header_key(header)
    index = {**_index(), **{header_key(k): (v, 0) for k, v in (extra or {}).items()}}
    for candidate in (key, key.removeprefix("是否")):
        if candidate in index:
            target, rank = index[candidate]
            return (target, rank, None) if target != IGNORE else None
    bracketed = _BRACKETED.fullmatch(key)
    if bracketed:
        found = resolve_header(bracketed["base"], extra)
        if found and found[0] != ADDRESS and found[0] in input_fields():
            inner = bracketed["inner"]
            unit = inner if _is_unit(inner, found[0]) else None
            return found[0], found[1], unit
    return None


def build_columns(headers: Iterable[str | None], mapping: Mapping[str, str] | None = None
                  ) -> ColumnMap:
    """Resolve every header; unnamed columns are called `（第N列）`."""
    columns = []
    for index, raw in enumerate(headers):
        header = str(raw).strip() if raw is not None and str(raw).strip() else f"（第{index + 1}列）"
        found = resolve_header(header, mapping)
        if found is None:
            columns.append(Column(index, header))
        else:
            target, rank, unit = found
            columns.append(Column(index, header, target, unit, rank))
    targets: dict[str, list[Column]] = {}
    for column in sorted(columns, key=lambda c: (c.rank, c.index)):
        if column.target is not None:
            targets.setdefault(column.target, []).append(column)
    return ColumnMap(tuple(columns), {path: tuple(cols) for path, cols in targets.items()})


def load_mapping(path: Path) -> dict[str, str]:
    """A `--mapping` file: `header: field` lines (a field path, its Chinese label or 建设地点;
    an empty value keeps the column unchecked)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingError(f"{path}: 无法读取映射文件：{error}") from None
    return mapping_from(data, str(path))


def mapping_from(data: Any, source: str) -> dict[str, str]:
    """The `header: field` pairs of a mapping read from `source`, each field resolved."""
    if not isinstance(data, dict):
        raise MappingError(f"{source}: 映射文件须为「表头: 字段」的对应表")
    mapping: dict[str, str] = {}
    for header, target in data.items():
        if target is None or not str(target).strip():
            mapping[str(header)] = IGNORE
            continue
        found = resolve_header(str(target))
        if found is None:
            raise MappingError(f"{source}: 「{header}」对应的字段「{target}」不存在"
                               "（可用字段见 `compliance schema` 或模板表头）")
        mapping[str(header)] = found[0]
    return mapping

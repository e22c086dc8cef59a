"""Headers → form fields: dotted paths, the form's Chinese labels, export aliases, a mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.batch.columns import (
    ADDRESS,
    MappingError,
    build_columns,
    input_fields,
    load_mapping,
    resolve_header,
)
from compliance.batch.template import template_header


@pytest.mark.parametrize(("header", "target"), [
    ("location.city", "location.city"),
    ("technology.coke_oven_chamber_height_m", "technology.coke_oven_chamber_height_m"),
    ("项目名称", "name"),
    ("*项目名称", "name"),
    ("项目名称（必填）", "name"),
    ("建设单位", "applicant"),
    ("建设性质", "project_type"),
    ("所属行业", "industry"),
    ("行业代码", "industry"),
    ("国民经济行业", "industry"),
    ("省份", "location.province"),
    ("省", "location.province"),
    ("城市", "location.city"),
    ("所在市", "location.city"),
    ("地市", "location.city"),
    ("区县", "location.county"),
    ("县（市、区）", "location.county"),
    ("县(市、区)", "location.county"),
    ("建设地点", ADDRESS),
    ("项目地址", ADDRESS),
    ("新增产能", "capacity.new"),
    ("淘汰产能", "capacity.retired"),
    ("置换产能", "capacity.retired"),
    ("产能单位", "capacity.unit"),
    ("焦炉炭化室高度", "technology.coke_oven_chamber_height_m"),
    ("炭化室高度", "technology.coke_oven_chamber_height_m"),
    ("是否沿江", "location.riverside"),
    ("是否在化工园区", "location.in_chemical_park"),
    ("沿江（长江干流及主要支流）", "location.riverside"),
    ("Project name", "name"),
])
def test_known_headers(header: str, target: str) -> None:
    found = resolve_header(header)
    assert found is not None and found[0] == target


@pytest.mark.parametrize(("header", "unit"), [
    ("焦炉炭化室高度（毫米）", "毫米"),
    ("焦炉炭化室高度(m)", "m"),
    ("新增产能（万吨/年）", "万吨/年"),
    ("磷石膏综合利用率(%)", "%"),
    ("焦炉炭化室高度【米】", "米"),
])
def test_a_unit_in_brackets_is_the_columns_unit(header: str, unit: str) -> None:
    found = resolve_header(header)
    assert found is not None and found[2] == unit


def test_unknown_columns_pass_through() -> None:
    columns = build_columns(["项目名称", "备注", None, "联系人"])
    assert columns.unknown() == ["备注", "（第3列）", "联系人"]
    assert columns.headers == ["项目名称", "备注", "（第3列）", "联系人"]


def test_a_code_column_beats_a_name_column() -> None:
    columns = build_columns(["行业名称", "项目名称", "行业代码"])
    assert [column.header for column in columns.targets["industry"]] == ["行业代码", "行业名称"]


def test_every_template_header_maps_back_to_its_field() -> None:
    for path, spec in input_fields().items():
        found = resolve_header(template_header(spec))
        assert found is not None and found[0] == path, template_header(spec)


def test_derived_facts_are_not_columns() -> None:
    assert resolve_header("region.key_region_2018") is None
    assert resolve_header("capacity.net_added") is None


def test_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("炉高: 焦炉炭化室高度\n联审情况: procedures.joint_review_passed\n"
                       "所在市: \n地址信息: 建设地点\n", encoding="utf-8")
    columns = build_columns(["炉高", "联审情况", "所在市", "地址信息"], load_mapping(mapping))
    assert [column.target for column in columns.columns] == [
        "technology.coke_oven_chamber_height_m", "procedures.joint_review_passed", None, ADDRESS]


@pytest.mark.parametrize("text", ["炉高: no.such.field\n", "- a\n- b\n", "a: [\n"])
def test_bad_mapping_files(tmp_path: Path, text: str) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=r"mapping\.yaml"):
        load_mapping(mapping)

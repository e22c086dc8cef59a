"""Cells as people write them: each spelling read to its value, anything else refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from compliance.batch.cells import (
    CellError,
    in_unit,
    is_blank,
    parse_bool,
    parse_date,
    parse_enum,
    parse_industries,
    parse_quantity,
    parse_text,
    split_list,
)
from compliance.form import CoalGasifier, EnergyLevel, Fuel, FunctionalZone, ProjectType


@pytest.mark.parametrize(("cell", "amount", "unit"), [
    ("6.0米", "6.0", "米"),
    ("150万吨/年", "150", "万吨/年"),
    ("4300mm", "4300", "mm"),
    ("６.２５米", "6.25", "米"),
    ("1,200", "1200", None),
    ("1，200 吨/日", "1200", "吨/日"),
    ("年产150万吨", "150", "万吨/年"),
    ("85%", "85", "%"),
    ("1.5E+06", "1.5E+06", None),
    (4.3, "4.3", None),
    (300000, "300000", None),
])
def test_quantities(cell: object, amount: str, unit: str | None) -> None:
    quantity = parse_quantity(cell)
    assert quantity.amount == Decimal(amount)
    assert quantity.unit == unit


@pytest.mark.parametrize("cell", ["四米三", "约4.3米", "4.3.1", "米", True, "nan", "inf"])
def test_not_quantities(cell: object) -> None:
    with pytest.raises(CellError, match="数值"):
        parse_quantity(cell)


@pytest.mark.parametrize(("cell", "unit", "header_unit", "value"), [
    ("4300mm", "m", None, "4.3"),
    ("6.0米", "m", None, "6.0"),
    ("6", "m", None, "6"),
    ("4300", "m", "毫米", "4.3"),
    ("30万吨/年", "t/a", None, "300000"),
    ("2000吨/日", "t/d", None, "2000"),
    ("1.5公里", "km", None, "1.5"),
    ("800米", "km", None, "0.8"),
    ("85%", None, None, "0.85"),
    ("85", None, "%", "0.85"),
])
def test_units_convert_exactly(cell: str, unit: str | None, header_unit: str | None,
                               value: str) -> None:
    assert in_unit(parse_quantity(cell), unit, header_unit) == Decimal(value)


@pytest.mark.parametrize(("cell", "unit"), [("4.3吨", "m"), ("2000吨/年", "t/d"),
                                            ("6米", None)])
def test_foreign_units_are_refused(cell: str, unit: str | None) -> None:
    with pytest.raises(CellError, match="单位"):
        in_unit(parse_quantity(cell), unit)


@pytest.mark.parametrize("cell", ["是", "√", "✓", "有", "true", "TRUE", "1", "Y", "yes", "已批复",
                                  "已通过", True, 1])
def test_yes(cell: object) -> None:
    assert parse_bool(cell) is True


@pytest.mark.parametrize("cell", ["否", "×", "✗", "无", "false", "0", "N", "no", "未批复", "不涉及",
                                  False, 0])
def test_no(cell: object) -> None:
    assert parse_bool(cell) is False


@pytest.mark.parametrize("cell", ["可能", "是否", "2"])
def test_not_yes_or_no(cell: str) -> None:
    with pytest.raises(CellError, match="是/否"):
        parse_bool(cell)


@pytest.mark.parametrize("cell", [None, "", "  ", "/", "-", "—", "不详", "未知", "待定", "N/A"])
def test_unknown_reads_as_blank(cell: object) -> None:
    """Missing data is never a pass: `不详` must not become 否 or 0."""
    assert is_blank(cell)


@pytest.mark.parametrize(("cell", "value"), [
    ("2019年9月1日", dt.date(2019, 9, 1)),
    ("2019/9/1", dt.date(2019, 9, 1)),
    ("2019-09-01", dt.date(2019, 9, 1)),
    ("2019.9.1", dt.date(2019, 9, 1)),
    ("20190901", dt.date(2019, 9, 1)),
    ("２０１９年９月１日", dt.date(2019, 9, 1)),
    ("2019-09-01 00:00:00", dt.date(2019, 9, 1)),
    ("43709", dt.date(2019, 9, 1)),
    (43709, dt.date(2019, 9, 1)),
    (dt.datetime(2019, 9, 1, 8, 30), dt.date(2019, 9, 1)),
    (dt.date(2019, 9, 1), dt.date(2019, 9, 1)),
])
def test_dates(cell: object, value: dt.date) -> None:
    assert parse_date(cell) == value


@pytest.mark.parametrize("cell", ["2019年13月1日", "2019年9月", "9/1/2019", "去年", "2019-02-30"])
def test_not_dates(cell: str) -> None:
    with pytest.raises(CellError, match="日期"):
        parse_date(cell)


@pytest.mark.parametrize(("enum", "cell", "value"), [
    (ProjectType, "新建", "new"),
    (ProjectType, "扩建", "expansion"),
    (ProjectType, "改建", "renovation"),
    (ProjectType, "技术改造", "renovation"),
    (ProjectType, "改建（技术改造）", "renovation"),
    (ProjectType, "搬迁", "relocation"),
    (ProjectType, "迁建", "relocation"),
    (ProjectType, "改扩建", "expansion"),
    (ProjectType, "new", "new"),
    (ProjectType, "新建项目", "new"),
    (FunctionalZone, "重点开发区域", "key"),
    (FunctionalZone, "限制开发", "restricted"),
    (EnergyLevel, "国内先进", "domestic_advanced"),
    (CoalGasifier, "固定床间歇式", "fixed_bed_intermittent"),
    (CoalGasifier, "无", "none"),
    (Fuel, "燃煤", "coal"),
])
def test_enum_labels(enum: type, cell: str, value: str) -> None:
    assert parse_enum(enum, cell) == value  # type: ignore[arg-type]


def test_unknown_enum_lists_the_choices() -> None:
    with pytest.raises(CellError, match="新建、扩建、改建（技术改造）、搬迁"):
        parse_enum(ProjectType, "新建设")


@pytest.mark.parametrize(("cell", "items"), [
    ("C2521", ["C2521"]),
    ("C2521 炼焦", ["C2521"]),
    ("C2672 焰火、鞭炮产品制造", ["C2672"]),
    ("C2521、c2522", ["C2521", "C2522"]),
    ("2521", ["2521"]),
    ("Ｃ２５２１", ["C2521"]),
    ("炼焦", ["炼焦"]),
    ("电线、电缆制造", ["电线、电缆制造"]),
    ("水泥制造；炼焦", ["水泥制造", "炼焦"]),
])
def test_industries(cell: str, items: list[str]) -> None:
    assert parse_industries(cell) == items


def test_list_cells_and_text() -> None:
    assert split_list("煤、天然气,电") == ["煤", "天然气", "电"]
    assert parse_text(410506.0) == "410506"
    assert parse_text("  安阳市 ") == "安阳市"
    assert parse_text("焦化项目（一期）") == "焦化项目（一期）"  # names are quoted as written


@pytest.mark.parametrize("cell", ["1e100", "1e999999千米", "-9e999999万吨", "1" + "0" * 120])
def test_numbers_too_large_for_any_field_are_refused(cell: str) -> None:
    """`1e999999千米` in a metre column raised decimal.Overflow (an internal error)."""
    with pytest.raises(CellError, match="数值过大"):
        in_unit(parse_quantity(cell), "m")


@pytest.mark.parametrize("cell", [10**400, -(10**200), 1e308, float("inf")])
def test_number_cells_too_large_are_refused(cell: float) -> None:
    """A 10**400 cell in a date column raised OverflowError (an internal error; fuzzing)."""
    with pytest.raises(CellError, match=r"数值过大|有限数值"):
        parse_quantity(cell)
    with pytest.raises(CellError, match="无效的日期序号"):
        parse_date(cell)

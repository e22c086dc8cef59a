"""One row → one form, or that row's error naming the column: capacity units and long cells."""

from __future__ import annotations

import time
from typing import Any

import pytest

from compliance.batch.columns import build_columns
from compliance.batch.rows import RowError, RowParser
from compliance.batch.runner import Job, Worker
from compliance.batch.source import SourceRow
from compliance.checker import Checker
from compliance.units import parse_unit
from compliance.units import parse_unit as capacity_unit

HEADER = ["项目名称", "建设性质", "所属行业", "所在市", "县（市、区）", "新增产能", "淘汰产能",
          "产能单位"]
#: a new coke plant in 安阳 (a key region): any net added capacity is a violation
COKING = ["安阳焦化", "新建", "C2521", "安阳市", "龙安区"]
MONTHLY = ["万吨/月", "吨/月", "吨/小时", "t/h", "吨每月", "万吨焦炭/月", "万吨/周", "吨/班"]


def problems(header: list[str], row: list[Any]) -> dict[str, str]:
    with pytest.raises(RowError) as caught:
        RowParser(build_columns(header)).form(row)
    return dict(caught.value.problems)


@pytest.mark.parametrize("written", MONTHLY)
def test_a_rate_per_month_or_hour_is_no_capacity_unit(written: str) -> None:
    """`万吨/月` used to be read as its prefix `万吨`, i.e. per year."""
    assert capacity_unit(written) is None
    assert parse_unit(written) is None


@pytest.mark.parametrize(("written", "canonical", "assumed"), [
    ("万吨/年", "万t/a", False), ("万吨焦炭/年", "万t/a", False), ("吨钢/日", "t/d", False),
    ("万吨焦炭", "万t/a", True), ("万吨", "万t/a", True),
])
def test_a_product_between_mass_and_period_is_skipped(written: str, canonical: str,
                                                      assumed: bool) -> None:
    unit = capacity_unit(written)
    assert unit is not None and (unit.canonical, unit.period_assumed) == (canonical, assumed)


@pytest.mark.parametrize("cell", ["10万吨/月", "100吨/小时", "年产10万吨/月", "规模5万吨焦炭/月"])
def test_a_monthly_amount_is_that_rows_error_naming_the_column(cell: str) -> None:
    found = problems(HEADER, [*COKING, cell, "", ""])
    assert list(found) == ["新增产能"]
    assert "无法换算为年产能" in found["新增产能"]


def test_a_monthly_unit_in_the_header_is_refused_not_dropped() -> None:
    """Dropping `（万吨/月）` would read the bare 10 in the field's own unit."""
    header = [*HEADER[:5], "新增产能（万吨/月）"]
    found = problems(header, [*COKING, "10"])
    assert "无法换算为年产能" in found["新增产能（万吨/月）"]


def test_a_monthly_unit_column_is_refused() -> None:
    found = problems(HEADER, [*COKING, "10", "0", "吨/小时"])
    assert "按小时计" in found["产能单位"]


@pytest.mark.slow
def test_a_monthly_figure_never_passes() -> None:
    """The audit's case: 10万吨/月 was a yearly 10万吨 and the row got a verdict."""
    worker = Worker(Job("python", None, build_columns(HEADER)), Checker(engine="python"))
    result = worker.check(SourceRow(2, [*COKING, "10万吨/月", "", ""]))
    assert result.verdict == "error"
    assert result.error is not None and "「新增产能」" in result.error


def test_yearly_and_daily_units_still_read() -> None:
    form = RowParser(build_columns(HEADER)).form([*COKING, "150万吨/年", "100万吨", ""])
    assert form["capacity"] == {"new": 150.0, "retired": 100.0, "unit": "万t/a"}
    form = RowParser(build_columns(HEADER)).form([*COKING, "2000吨/日", "", ""])
    assert form["capacity"] == {"new": 2000.0, "unit": "t/d"}


LONG_HEADER = [*HEADER[:5], "省份", "备注"]
CHECKER = Checker(engine="python")


@pytest.mark.parametrize("column", ["县（市、区）", "所在市", "省份", "所属行业"])
@pytest.mark.parametrize("size", [41, 1_000, 4_000, 1 << 20])
def test_a_long_name_cell_is_refused_at_once(column: str, size: int) -> None:
    """A 1,000-character county took 15 s (suggestions searched on the raw text), 1 MB never
    ended; the row is an error naming the column, fast, with a message of bounded size."""
    worker = Worker(Job("python", None, build_columns(LONG_HEADER)), CHECKER)
    row = [*COKING, "", ""]
    row[LONG_HEADER.index(column)] = ("安阳龙安区火星" * size)[:size]
    started = time.perf_counter()
    result = worker.check(SourceRow(2, row))
    assert time.perf_counter() - started < 1.5
    assert result.verdict == "error" and result.error is not None
    assert result.error.startswith(f"第 2 行「{column}」：过长（{size:,} 字）")
    assert len(result.error) < 200


@pytest.mark.parametrize("size", [600, 1 << 20])
def test_a_long_cell_is_quoted_by_its_start(size: int) -> None:
    worker = Worker(Job("python", None, build_columns(LONG_HEADER)), CHECKER)
    row = [COKING[0], "新" * size, *COKING[2:], "", ""]
    result = worker.check(SourceRow(2, row))
    assert result.error is not None and f"…（共 {size:,} 字）" in result.error
    assert len(result.error) < 200


@pytest.mark.parametrize("size", [1_000, 4_000, 1 << 20])
def test_a_long_place_in_a_json_form_is_not_looked_up_again(size: int) -> None:
    worker = Worker(Job("python", None, None), CHECKER)
    form = {"name": "安阳焦化", "project_type": "new", "industry": "C2521",
            "location": {"county": ("龙安区火星" * size)[:size]}}
    started = time.perf_counter()
    result = worker.check(SourceRow(3, form=form))
    assert time.perf_counter() - started < 1.5
    assert result.verdict == "error" and result.city == "（无法识别）"


def test_undecodable_bytes_make_the_row_an_error_in_any_column() -> None:
    """A line neither encoding decodes keeps U+FFFD (textfiles): unchecked columns count too."""
    found = problems(LONG_HEADER, ["安阳焦化", "新建", "C2521", "安\ufffd市", "", "", "备\ufffd",
                                   "多\ufffd"])
    assert set(found) == {"所在市", "备注", ""}
    assert all("无法解码" in reason for reason in found.values())
    assert "第 8 列" in found[""]

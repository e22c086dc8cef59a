"""A column's reader answers a repeated cell exactly as reading it afresh would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.batch import cells
from compliance.batch.columncells import BLANK, REMEMBERED_PER_COLUMN, ColumnReader
from compliance.batch.columns import Column, input_fields
from compliance.batch.rows import RowParser

#: spellings lists really hold, mixed with whatever hypothesis makes
_WRITTEN = ["", " ", "不详", "/", "是", "否", "√", "×", "已批复", "未批复", "新建", "扩建", "改扩建",
            "6.0米", "4300mm", "150万吨/年", "1,200", "85%", "2019年9月1日", "2019-09-01", "43709",
            "C2521", "C2521、C2522", "炼焦", "煤、天然气", "安阳", "河南省", "410506", "四米三",
            "abc", "1", "0", "true", "国六"]
_CELLS = st.one_of(st.sampled_from(_WRITTEN), st.text(max_size=8), st.integers(), st.floats(),
                   st.booleans(), st.none(), st.dates(), st.datetimes())
_COLUMNS = [(spec, Column(0, spec.label_zh, spec.path, unit))
            for spec in input_fields().values()
            for unit in ((None, "mm") if spec.kind == "number" else (None,))]


def _fresh(spec: Any, column: Column, value: Any) -> Any:
    """What the row parser reads from the cell without any memory of earlier cells."""
    if cells.is_blank(value):
        return BLANK
    try:
        return RowParser._read(spec, column, value)
    except cells.CellError as error:
        return ("refused", str(error))


def _remembered(reader: ColumnReader, value: Any) -> Any:
    try:
        return reader(value)
    except cells.CellError as error:
        return ("refused", str(error))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_CELLS, min_size=1, max_size=12))
def test_a_repeated_cell_reads_as_a_fresh_one(values: list[Any]) -> None:
    for spec, column in _COLUMNS:
        reader = ColumnReader(lambda value, spec=spec, column=column:
                              RowParser._read(spec, column, value))
        for value in values + values:  # the second time from memory
            expected, got = _fresh(spec, column, value), _remembered(reader, value)
            assert repr(got) == repr(expected), (spec.path, value)
            assert type(got) is type(expected), (spec.path, value)


def test_equal_but_different_cells_are_not_confused() -> None:
    reader = ColumnReader(cells.parse_text)
    assert [reader(value) for value in (1, 1.0, True, "1", 1.5)] == ["1", "1", "true", "1", "1.5"]
    dates = ColumnReader(cells.parse_date)
    assert dates(dt.datetime(2019, 9, 1, 8)) == dates(dt.date(2019, 9, 1)) == dt.date(2019, 9, 1)


def test_a_remembered_list_is_a_fresh_copy_each_time() -> None:
    reader = ColumnReader(cells.parse_industries)
    first = reader("C2521、C2522")
    first.append("changed")
    assert reader("C2521、C2522") == ["C2521", "C2522"]


def test_a_refused_cell_is_refused_again_with_the_same_reason() -> None:
    reader = ColumnReader(cells.parse_bool)
    for _ in range(2):
        with pytest.raises(cells.CellError, match="无法识别的是/否「也许」"):
            reader("也许")


def test_memory_is_bounded_and_long_cells_are_not_kept() -> None:
    reader = ColumnReader(cells.parse_text)
    for number in range(REMEMBERED_PER_COLUMN * 3):
        assert reader(f"项目{number}") == f"项目{number}"
    assert len(reader._seen) == REMEMBERED_PER_COLUMN
    long_text = "长" * (cells.CACHED_CHARS + 1)
    fresh = ColumnReader(cells.parse_text)
    assert fresh(long_text) == long_text and fresh._seen == {}
    assert fresh([1, 2]) == "[1, 2]" and fresh._seen == {}  # unhashable: read, not kept

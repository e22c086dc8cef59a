"""Fuzzing the batch row parser: every row, however hostile, ends as a verdict or a clear row
error (Chinese, naming the row, of bounded length) within the time limit; so does every JSON
form of a JSONL list. Both backends; FUZZ_EXAMPLES per test, as for the other fuzz tests.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.batch.columns import build_columns
from compliance.batch.generate import generate, headers
from compliance.batch.outcome import VERDICTS
from compliance.batch.runner import Job, Worker
from compliance.batch.source import SourceRow
from compliance.checker import Checker
from tests.fuzz.strategies import (
    CJK,
    FUZZ,
    batch_rows,
    edge_forms,
    near_valid_forms,
    record,
    time_limit,
    valid_forms,
)

COLUMNS = headers()
#: a row's message: at most a few hundred characters per problem, whatever the cells held
MAX_MESSAGE = 4000
COUNTS: Counter[str] = Counter()
#: a drawn 1 MB cell makes hypothesis warn about the size of the example it prints
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Generating overly large repr")]


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    record(dict(COUNTS), __name__)


@cache
def _rows() -> tuple[tuple[Any, ...], ...]:
    """Realistic rows to break: a generated list, cells as a reader gives them."""
    return tuple(tuple(row.get(name) for name in COLUMNS) for row in generate(300, seed=17))


@cache
def _worker(checker: Checker, lists: bool) -> Worker:
    return Worker(Job(checker.engine, None, build_columns(COLUMNS) if lists else None), checker)


def assert_clear(result: Any, number: int) -> str:
    """A verdict, or an error that is a clear row error; returns the outcome."""
    assert result.row == number and result.verdict in VERDICTS
    assert (result.verdict == "error") == (result.error is not None)
    if result.error is None:
        return "checked"
    assert result.error.startswith(f"第 {number} 行"), result.error[:200]
    assert CJK.search(result.error) and "内部错误" not in result.error, result.error[:500]
    assert len(result.error) <= MAX_MESSAGE, result.error[:500]
    return "error"


@FUZZ
@given(row=st.builds(tuple).flatmap(lambda _: batch_rows(len(COLUMNS), _rows())))
def test_any_row_ends_as_a_verdict_or_a_clear_row_error(checker, row):
    with time_limit():
        result = _worker(checker, True).check(SourceRow(7, row))
    COUNTS[f"row/{assert_clear(result, 7)}/{checker.engine}"] += 1


@FUZZ
@given(form=st.one_of(valid_forms(), edge_forms(), near_valid_forms()))
def test_any_jsonl_form_ends_as_a_verdict_or_a_clear_row_error(checker, form):
    with time_limit():
        result = _worker(checker, False).check(SourceRow(3, form=form))
    COUNTS[f"form/{assert_clear(result, 3)}/{checker.engine}"] += 1

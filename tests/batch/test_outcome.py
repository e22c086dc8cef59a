"""A row's result travels back from a worker process unchanged, whatever it holds."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from compliance.batch.columns import build_columns
from compliance.batch.outcome import RowResult
from compliance.batch.readers import SourceRow
from compliance.batch.worker import Job, Worker
from tests.batch.conftest import HEADER, ROWS


@pytest.fixture(scope="module")
def results() -> list[RowResult]:
    """Every row of the shared list checked with every output: rejections with the rules they
    break, errors, verdict JSON and 符合性分析 tables."""
    job = Job("python", None, build_columns(HEADER), with_json=True, conformity=True)
    worker = Worker(job)
    return [worker.check(SourceRow(number, cells))
            for number, (cells, _) in enumerate(ROWS, start=2)]


def test_every_kind_of_result_is_in_the_sample(results: list[RowResult]) -> None:
    assert {result.verdict for result in results} >= {"rejected", "error"}
    assert any(result.failing for result in results)
    assert any(result.conformity for result in results)
    assert any(result.verdict_json for result in results)
    assert any(result.error for result in results)


def test_a_result_arrives_as_it_was_made(results: list[RowResult]) -> None:
    for result in results:
        arrived = pickle.loads(pickle.dumps(result))
        assert arrived == result
        for field in dataclasses.fields(RowResult):
            assert type(getattr(arrived, field.name)) is type(getattr(result, field.name))


def test_every_field_travels() -> None:
    """A result with every field set to a value other than its default."""
    values = {field.name: f"{field.name}-value" for field in dataclasses.fields(RowResult)}
    values["row"] = 7
    result = RowResult(**values)
    assert dataclasses.asdict(pickle.loads(pickle.dumps(result))) == values

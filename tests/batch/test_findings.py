"""The batch's own check (only the results that need action) agrees with `Checker.check`."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from compliance.batch.columns import build_columns, load_mapping
from compliance.batch.findings import ACTION_STATUSES
from compliance.batch.generate import generate, headers
from compliance.batch.listfiles import write_list
from compliance.batch.readers import SourceRow, open_table
from compliance.batch.runner import Job, Worker
from compliance.checker import Checker
from compliance.result import STATUS_ORDER
from tests.batch.conftest import EXAMPLES

pytestmark = pytest.mark.slow


def _rows(path: Path, mapping: Path | None = None) -> tuple[list[SourceRow], Job]:
    table = open_table(path)
    try:
        columns = build_columns(table.header, load_mapping(mapping) if mapping else None)
        return list(table.rows), Job("python", None, columns, with_json=True)
    finally:
        table.close()


@pytest.fixture(scope="module", params=["generated", "example"])
def rows_and_job(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[list[SourceRow], Job]:
    if request.param == "example":
        return _rows(EXAMPLES / "projects.gbk.csv", EXAMPLES / "mapping.yaml")
    path = tmp_path_factory.mktemp("findings") / "g.csv"
    write_list(path, headers(), generate(400, seed=9))
    return _rows(path)


@pytest.mark.parametrize("engine", ["python", "durable"])
def test_findings_agree_with_the_full_check(rows_and_job: tuple[list[SourceRow], Job],
                                            engine: str) -> None:
    rows, job = rows_and_job
    checker = Checker(engine=engine)
    full = Worker(dataclasses.replace(job, engine=engine), checker)
    brief = Worker(dataclasses.replace(job, engine=engine, json_results="findings"), checker)
    checked = 0
    for row in rows:
        whole, found = full.check(row), brief.check(row)
        assert dataclasses.replace(whole, verdict_json=None) == dataclasses.replace(
            found, verdict_json=None), row.number
        if whole.verdict_json is None:
            continue
        checked += 1
        verdict, findings = json.loads(whole.verdict_json), json.loads(found.verdict_json or "")
        statuses = Counter(result["status"] for result in verdict["results"])
        assert findings.pop("counts") == {status: statuses[status] for status in STATUS_ORDER}
        verdict["results"] = [r for r in verdict["results"] if r["status"] in ACTION_STATUSES]
        verdict.pop("questions")  # the findings leave the 补正清单 to the full verdict
        for result in verdict["results"]:
            result.pop("what_if")  # and what would make a rule pass (proven one check at a time)
        for result in findings["results"]:
            result.pop("what_if")
        assert findings == verdict
    assert checked > len(rows) / 2
    checker.close()



def test_the_findings_text_is_the_verdicts_own_serialisation(
        rows_and_job: tuple[list[SourceRow], Job], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each result's JSON is remembered and spliced in: byte for byte what pydantic writes
    for the whole verdict, also when the memo is emptied every few results."""
    from compliance.batch import findings as findings_module

    rows, job = rows_and_job
    checker = Checker(engine="python")
    parser = Worker(job, checker).parser
    assert parser is not None
    compared = 0
    for size in (4096, 3):
        monkeypatch.setattr(findings_module, "RESULT_JSON_SIZE", size)
        monkeypatch.setattr(findings_module, "_RESULT_JSON", {})
        for row in rows:
            try:
                found = findings_module.check_findings(checker, parser.form(row.cells), None)
            except Exception:
                continue
            counts = ",".join(f'"{s}":{found.counts.get(s, 0)}' for s in STATUS_ORDER)
            whole = found.verdict.model_dump_json(exclude={"questions"})
            assert found.json() == f'{whole[:-1]},"counts":{{{counts}}}}}', row.number
            compared += 1
        assert len(findings_module._RESULT_JSON) <= size
    assert compared > len(rows)

"""What checks the rows of a list: the job every worker shares and the worker that checks a row.

A worker lives in a pool's process, on a Dask worker (`cluster`) or in-process for one worker;
it never raises for anything a row may contain: a row that cannot be read or checked becomes
that row's error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from compliance.batch.columns import ColumnMap
from compliance.batch.findings import check_findings
from compliance.batch.outcome import (
    ERROR,
    UNKNOWN,
    RowResult,
    city_label,
    from_verdict,
    industry_label,
)
from compliance.batch.readers import SourceRow
from compliance.batch.rows import MAX_NAME_CHARS, Problem, RowError, RowParser, row_message
from compliance.checker import Checker
from compliance.errors import InputError
from compliance.presenters.conformity import build as build_conformity
from compliance.result import Verdict


@dataclass(frozen=True)
class Job:
    """What every worker needs to check rows the same way (picklable)."""

    engine: str
    as_of: dt.date | None
    columns: ColumnMap | None  # None: the rows are forms (JSONL)
    with_json: bool = False
    #: what a JSONL output holds per row: the `full` verdict object, or its `findings` (the
    #: results that need action, and counts per status; see `findings`)
    json_results: str = "full"
    #: whether each row's 符合性分析 tables are built (`--conformity-dir`)
    conformity: bool = False
    #: on a cluster: the rulebook every worker must have, and the run's own name
    ruleset_version: str = ""
    token: str = ""

    @property
    def full_verdicts(self) -> bool:
        """Whether each row needs `Checker.check`'s whole verdict (full JSONL, the tables)."""
        return (self.with_json and self.json_results == "full") or self.conformity


class Worker:
    """Checks rows with one checker; lives in a worker process (or in-process for one worker)."""

    def __init__(self, job: Job, checker: Checker | None = None) -> None:
        self.job = job
        self.checker = checker or Checker(engine=job.engine)
        self.parser = RowParser(job.columns) if job.columns is not None else None

    def check(self, row: SourceRow) -> RowResult:
        """The row's result; never raises for anything a row may contain."""
        if row.error is not None:
            return RowResult(row.number, ERROR, error=row.error)
        form: dict[str, Any] = {}
        try:
            form = row.form if self.parser is None else self.parser.form(row.cells)
            verdict, verdict_json = self._verdict(form)
            tables = (build_conformity(verdict, self.checker.rulebook,
                                       self.checker.facts(form).values)
                      if self.job.conformity else None)
        except RowError as error:
            heard = {header for header, _ in error.problems}
            objection = self._objection(error.partial)
            later = [p for p in self._refusal(objection) if p[0] not in heard]
            return self._error(row.number, self._message(row.number, error.problems + later),
                               error.partial, objection)
        except InputError as error:
            return self._error(row.number, self._message(row.number, self._refusal(error)), form,
                               error)
        except Exception as error:  # a bug must cost one row, not the list
            return self._error(row.number, f"第 {row.number} 行：内部错误（{type(error).__name__}："
                                           f"{error}），请报告此问题", form, None)
        city, industry = _labels(form)
        result = from_verdict(row.number, verdict, city, industry, verdict_json)
        return dataclasses.replace(result, conformity=tables) if tables else result

    def _verdict(self, form: dict[str, Any]) -> tuple[Verdict, bytes | None]:
        """The row's verdict (whole, or only its findings) and, for JSONL, its JSON (UTF-8)."""
        if self.job.full_verdicts:
            verdict = self.checker.check(form, as_of=self.job.as_of)
            if self.job.with_json and self.job.json_results != "full":  # tables, findings JSONL
                return verdict, check_findings(self.checker, form, self.job.as_of).json().encode()
            return verdict, (Verdict.__pydantic_serializer__.to_json(verdict)
                             if self.job.with_json else None)
        found = check_findings(self.checker, form, self.job.as_of)
        return found.verdict, found.json().encode() if self.job.with_json else None

    def _refusal(self, error: InputError | None) -> list[Problem]:
        if error is None:
            return []
        if self.parser is not None:
            return self.parser.refusal(error)
        return [(problem.path, problem.message_zh) for problem in error.problems]

    def _objection(self, partial: dict[str, Any]) -> InputError | None:
        """What the checker would also refuse in a row whose cells could not all be read."""
        try:
            self.checker.facts(partial)
        except InputError as error:
            return error
        return None

    def _message(self, number: int, problems: list[Problem]) -> str:
        if self.parser is not None:
            return self.parser.message(number, problems)
        return row_message(number, problems)

    @staticmethod
    def _error(number: int, message: str, form: dict[str, Any],
               refusal: InputError | None) -> RowResult:
        refused = {problem.path for problem in refusal.problems} if refusal else set()
        city, industry = _labels(form, refused)
        name, reference = form.get("name"), form.get("id")
        return RowResult(number, ERROR, error=message, city=city, industry=industry,
                         project=name if isinstance(name, str) else None,
                         project_id=reference if isinstance(reference, str) else None)

    def close(self) -> None:
        self.checker.close()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _labels(form: dict[str, Any], refused: Collection[str] = ()) -> tuple[str, str]:
    """The city and the industry a summary counts a row under, from whatever the form holds.

    What the checker refused, or a name too long to be one, is counted as （无法识别） without
    being looked up again: a failed look-up searches every name for a suggestion, in time
    growing with the square of the text (a 1,000-character county cell took 15 s here).
    """
    location = form.get("location")
    location = location if isinstance(location, dict) else {}
    places = [_text(location.get(name)) for name in ("province", "city", "county", "admin_code")]
    if any(path.startswith("location") for path in refused) or any(
            place and len(place) > MAX_NAME_CHARS for place in places):
        city = UNKNOWN
    else:
        city = city_label(*places)
    industry = form.get("industry")
    first = _text(industry[0] if isinstance(industry, list) and industry else industry)
    if any(path.startswith("industry") for path in refused) or (
            first and len(first) > MAX_NAME_CHARS):
        return city, UNKNOWN
    return city, industry_label(first)

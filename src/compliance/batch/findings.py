"""Checking a row for what the batch outputs show: the results that need action, and counts.

`Checker.check` words an explanation for every rule (about 110 per project), yet the
spreadsheets, the summary, the HTML report and `--jsonl-results findings` show only the fail,
review, needs_info and advisory results; wording the rest (not_applicable, pass, not_in_force)
was half of a row's time. So rows are checked with `only` those statuses, and every status is
counted from the judgement. Only the full JSONL output asks for every result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from compliance.checker import Checker
from compliance.result import STATUS_ORDER, Result, Verdict
from compliance.verdict import build_verdict

#: the statuses a screening team acts on; every other result is only counted
ACTION_STATUSES = frozenset({"fail", "review", "needs_info", "advisory"})


@dataclass(frozen=True)
class Findings:
    """A verdict holding only the results that need action, and every status's count."""

    verdict: Verdict
    counts: dict[str, int]

    def json(self) -> str:
        """The verdict object of the contract with only those results, plus `counts`; without
        `questions`, which repeat the needs_info results' missing fields rule by rule (a list
        of a thousand rows is read for its findings, and the full JSONL keeps them), and with
        `what_if` left empty: proving each change re-checks the form, which the full JSONL
        and single checks (CLI, API, web) do."""
        counts = ",".join(f'"{status}":{self.counts.get(status, 0)}' for status in STATUS_ORDER)
        head = self.verdict.model_dump_json(exclude={"questions", "results"})
        results = ",".join(map(_result_json, self.verdict.results))
        return f'{head[:-1]},"results":[{results}],"counts":{{{counts}}}}}'


#: a result's JSON text by the result's identity; the result is held with it, so its id is not
#: reused while the entry lives (the verdict's wording memo hands the same results to many rows)
_RESULT_JSON: dict[int, tuple[Result, str]] = {}
#: bound of _RESULT_JSON: emptied when full
RESULT_JSON_SIZE = 4096


def _result_json(result: Result) -> str:
    """`result` as JSON, as it is written inside its verdict: serialised once per result."""
    entry = _RESULT_JSON.get(id(result))
    if entry is not None and entry[0] is result:
        return entry[1]
    if len(_RESULT_JSON) >= RESULT_JSON_SIZE:
        _RESULT_JSON.clear()
    text = result.model_dump_json()
    _RESULT_JSON[id(result)] = (result, text)
    return text


def check_findings(checker: Checker, form: dict[str, Any], as_of: dt.date | None) -> Findings:
    """What `checker.check(form, as_of)` finds, with results only where action is needed;
    raises InputError as `check` does."""
    judgement = checker.judge(form, as_of)
    verdict = build_verdict(checker.rulebook.rules, judgement, checker.rulebook.version,
                            checker.engine, only=ACTION_STATUSES, with_questions=False)
    return Findings(verdict, dict(Counter(judgement.statuses.values())))

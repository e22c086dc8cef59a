"""Checking a row for what the batch outputs show: the results that need action, and counts.

`Checker.check` words an explanation for every rule (about 110 per project), yet the
spreadsheets, the summary, the HTML report and `--jsonl-results findings` show only the fail,
review, needs_info and advisory results; wording the rest (not_applicable, pass, not_in_force)
was half of a row's time. So this takes the steps of `Checker.check` (facts, engine outcomes,
each rule's status, the contract's precedence) and builds results only for the rules that need
action. `tests/batch/test_findings.py` checks that it agrees with `Checker.check` on every row
of the generated and example lists. Only the full JSONL output asks for `Checker.check` itself.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from compliance.checker import Checker
from compliance.result import STATUS_ORDER, Verdict, overall
from compliance.verdict import build_result, status_for

#: the statuses a screening team acts on; every other result is only counted
ACTION_STATUSES = frozenset({"fail", "review", "needs_info", "advisory"})


@dataclass(frozen=True)
class Findings:
    """A verdict holding only the results that need action, and every status's count."""

    verdict: Verdict
    counts: dict[str, int]

    def json(self) -> str:
        """The verdict object of the contract with only those results, plus `counts`."""
        counts = ",".join(f'"{status}":{self.counts.get(status, 0)}' for status in STATUS_ORDER)
        return f'{self.verdict.model_dump_json()[:-1]},"counts":{{{counts}}}}}'


def check_findings(checker: Checker, form: dict[str, Any], as_of: dt.date | None) -> Findings:
    """What `checker.check(form, as_of)` finds, with results only where action is needed;
    raises InputError as `check` does."""
    facts = checker.facts(form)
    as_of = as_of or facts.form.application_date or dt.date.today()
    outcomes = checker.backend.evaluate(facts.values)
    counts: Counter[str] = Counter()
    results = []
    for rule in checker.rulebook.rules:
        outcome = outcomes[rule.id]
        status = status_for(rule, outcome, as_of)
        counts[status] += 1
        if status in ACTION_STATUSES:
            results.append(build_result(rule, outcome, facts, as_of))
    verdict = Verdict.model_construct(
        project=facts.form.name, project_id=facts.form.id, verdict=overall(list(counts)),
        as_of=as_of, ruleset_version=checker.rulebook.version, engine=checker.engine,
        results=results)
    return Findings(verdict, dict(counts))

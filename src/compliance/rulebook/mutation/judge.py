"""Whether anything notices a mutant: the rule's own examples and the example projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from compliance import clock
from compliance import conditions as cond
from compliance.engine.python_backend import decide
from compliance.errors import InputError
from compliance.result import overall
from compliance.rulebook.book import CompiledRule, Rulebook
from compliance.rulebook.lint import example_as_of, example_form
from compliance.rulebook.mutation.mutants import Mutant
from compliance.verdict import status_for


@dataclass(frozen=True)
class Probe:
    """One example form, normalised once, with the date it is judged as of."""

    label: str
    values: Mapping[str, cond.Scalar]
    as_of: dt.date


def _status(rule: CompiledRule, probe: Probe) -> str:
    return status_for(rule, decide(rule, probe.values), probe.as_of)


def _summary(statuses: Mapping[str, str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What an example project's expectation fixes: verdict, failing rules, review rules."""
    return (overall(list(statuses.values())),
            tuple(sorted(r for r, s in statuses.items() if s == "fail")),
            tuple(sorted(r for r, s in statuses.items() if s == "review")))


class Judge:
    """Decides whether anything notices a mutant; the unmutated outcomes are computed once."""

    def __init__(self, rulebook: Rulebook, project_paths: Iterable[Path] = ()) -> None:
        from compliance.checker import parse_form, read_form_file
        from compliance.facts import derive

        self.rulebook = rulebook
        #: examples or projects that could not be read (they prove nothing): label → error
        self.broken: dict[str, str] = {}
        #: examples whose status is not what they expect (`compliance rules lint` says more)
        self.unexpected: list[str] = []
        self.examples: dict[str, list[tuple[Probe, str]]] = {}
        for rule in rulebook.rules:
            probes: list[tuple[Probe, str]] = []
            for example in rule.rule.examples:
                label = f"example {rule.id} «{example.name}»"
                try:
                    values = derive(parse_form(example_form(example))).values
                    probe = Probe(label, values, example_as_of(example, rule))
                except (InputError, ValueError) as error:
                    self.broken[label] = str(error)
                    continue
                status = _status(rule, probe)
                if status != example.expect:
                    self.unexpected.append(f"{label}: expects {example.expect}, gets {status}")
                probes.append((probe, status))
            self.examples[rule.id] = probes
        self.projects: list[tuple[Probe, dict[str, str]]] = []
        for path in sorted(project_paths):
            label = f"project {path.stem}"
            try:
                facts = derive(parse_form(read_form_file(path)))
            except InputError as error:
                self.broken[label] = str(error)
                continue
            probe = Probe(label, facts.values, facts.form.application_date or clock.today())
            self.projects.append((probe, {rule.id: _status(rule, probe)
                                          for rule in rulebook.rules}))

    def killer(self, mutant: Mutant) -> str | None:
        """The first example or project whose outcome the mutant changes, else None."""
        for probe, status in self.examples.get(mutant.rule_id, []):
            changed = _status(mutant.rule, probe)
            if changed != status:
                return f"{probe.label}: {status} → {changed}"
        for probe, statuses in self.projects:
            changed = _status(mutant.rule, probe)
            if changed == statuses[mutant.rule_id]:
                continue
            before = _summary(statuses)
            after = _summary({**statuses, mutant.rule_id: changed})
            if after != before:
                return f"{probe.label}: {mutant.rule_id} {statuses[mutant.rule_id]} → {changed}"
        return None

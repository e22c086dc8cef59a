"""Mutating a rulebook (all of it, a document, a rule or a seeded sample) into a report."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.paths import data_root
from compliance.rulebook.book import CompiledRule, Rulebook
from compliance.rulebook.mutation.equivalents import Equivalent, MutateError
from compliance.rulebook.mutation.judge import Judge
from compliance.rulebook.mutation.mutants import Mutant, mutants


def projects_dir() -> Path:
    return data_root() / "examples" / "projects"


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    killed_by: str | None
    equivalent: Equivalent | None

    @property
    def outcome(self) -> str:
        if self.killed_by is not None:
            return "killed"
        return "equivalent" if self.equivalent is not None else "survived"


@dataclass(frozen=True)
class Tally:
    mutants: int
    killed: int
    survived: int
    equivalent: int

    @property
    def score(self) -> float:
        """Killed over all non-equivalent mutants (1.0 when there is nothing to kill)."""
        relevant = self.mutants - self.equivalent
        return self.killed / relevant if relevant else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"mutants": self.mutants, "killed": self.killed, "survived": self.survived,
                "equivalent": self.equivalent, "score": round(self.score, 4)}


def tally(results: Sequence[MutantResult]) -> Tally:
    outcomes = [result.outcome for result in results]
    return Tally(len(outcomes), outcomes.count("killed"), outcomes.count("survived"),
                 outcomes.count("equivalent"))


@dataclass
class MutationReport:
    results: list[MutantResult]
    threshold: float
    generated: int
    sample: int | None = None
    seed: int = 0
    #: listed as equivalent but killed now, or (in a full run) not generated at all
    stale: list[tuple[Equivalent, str]] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    projects: int = 0

    @property
    def overall(self) -> Tally:
        return tally(self.results)

    def by_document(self) -> dict[str, Tally]:
        documents: dict[str, list[MutantResult]] = {}
        for result in self.results:
            documents.setdefault(result.mutant.document_id, []).append(result)
        return {doc: tally(results) for doc, results in documents.items()}

    def by_kind(self) -> dict[str, Tally]:
        kinds: dict[str, list[MutantResult]] = {}
        for result in self.results:
            kinds.setdefault(result.mutant.kind, []).append(result)
        return {kind: tally(results) for kind, results in sorted(kinds.items())}

    @property
    def survivors(self) -> list[MutantResult]:
        return [result for result in self.results if result.outcome == "survived"]

    @property
    def passed(self) -> bool:
        return self.overall.score >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "passed": self.passed,
            "generated": self.generated,
            "sample": self.sample,
            "seed": self.seed if self.sample is not None else None,
            "example_projects": self.projects,
            "overall": self.overall.to_json(),
            "documents": {doc: t.to_json() for doc, t in self.by_document().items()},
            "operators": {kind: t.to_json() for kind, t in self.by_kind().items()},
            "survivors": [_result_json(r) for r in self.survivors],
            "equivalent": [_result_json(r) for r in self.results if r.outcome == "equivalent"],
            "stale_equivalents": [{"rule": e.rule, "mutation": e.mutation, "why": why}
                                  for e, why in self.stale],
            "broken_examples": self.broken,
            "unexpected_examples": self.unexpected,
        }


def _result_json(result: MutantResult) -> dict[str, Any]:
    payload = {"rule": result.mutant.rule_id, "document": result.mutant.document_id,
               "mutation": result.mutant.mutation_id, "operator": result.mutant.kind,
               "change": result.mutant.description}
    if result.mutant.hint:
        payload["hint"] = result.mutant.hint
    if result.equivalent is not None:
        payload["reason"] = result.equivalent.reason
    return payload


def select_rules(rulebook: Rulebook, document: str | None = None,
                 rule: str | None = None) -> list[CompiledRule]:
    """The rules to mutate; `document` is a rule file id or a document number."""
    rules = list(rulebook.rules)
    if document is not None:
        rules = [r for r in rules if document in (r.document.id, r.document.number)]
        if not rules:
            known = ", ".join(d.id for d in rulebook.documents)
            raise MutateError(f"--document: unknown document {document!r} (known: {known})")
    if rule is not None:
        rules = [r for r in rules if r.id == rule]
        if not rules:
            raise MutateError(f"--rule: unknown rule {rule!r}"
                              + (f" in document {document!r}" if document else ""))
    return rules


def run_mutation(rulebook: Rulebook, *, document: str | None = None, rule: str | None = None,
                 sample: int | None = None, seed: int = 0, threshold: float = 0.9,
                 equivalents: Mapping[tuple[str, str], Equivalent] | None = None,
                 project_paths: Iterable[Path] | None = None) -> MutationReport:
    """Mutate the selected rules (all of them, or a seeded sample of `sample` mutants)."""
    if project_paths is None:
        directory = projects_dir()
        project_paths = [p for p in directory.glob("*.yaml")
                         if not p.name.endswith(".expected.yaml")] if directory.is_dir() else []
    equivalents = equivalents or {}
    selected = select_rules(rulebook, document, rule)
    every = [mutant for compiled in selected for mutant in mutants(compiled)]
    chosen = every
    if sample is not None and sample < len(every):
        picked = set(random.Random(seed).sample(range(len(every)), sample))
        chosen = [mutant for index, mutant in enumerate(every) if index in picked]
    judge = Judge(rulebook, project_paths)
    results = [MutantResult(m, judge.killer(m), equivalents.get(m.key)) for m in chosen]
    report = MutationReport(results, threshold, len(every), sample, seed, broken=judge.broken,
                            unexpected=judge.unexpected, projects=len(judge.projects))
    for result in results:
        if result.outcome == "killed" and result.equivalent is not None:
            report.stale.append((result.equivalent, f"killed by {result.killed_by}"))
    if sample is None and document is None and rule is None:
        generated = {m.key for m in every}
        report.stale.extend((entry, "no such mutant (rule or mutation id changed?)")
                            for key, entry in equivalents.items() if key not in generated)
    return report

"""The plain-Python evaluator: the test oracle, written to be obviously right, not clever."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.conditions import Scalar, Truth, evaluate
from compliance.engine.base import Outcome
from compliance.rulebook import CompiledRule, Rulebook


def decide(rule: CompiledRule, facts: Mapping[str, Scalar]) -> Outcome:
    applicable = evaluate(rule.applicability, facts)
    if applicable is Truth.FALSE:
        return Outcome.NOT_APPLICABLE
    violated = evaluate(rule.violation, facts)
    review = evaluate(rule.review, facts) if rule.review is not None else Truth.FALSE
    if applicable is not Truth.TRUE or violated is Truth.UNKNOWN:
        return Outcome.UNDECIDED
    if violated is Truth.TRUE:
        return Outcome.VIOLATED
    if review is Truth.UNKNOWN:
        return Outcome.UNDECIDED
    return Outcome.REVIEW if review is Truth.TRUE else Outcome.CLEAR


class PythonBackend:
    name = "python"

    def __init__(self, rulebook: Rulebook) -> None:
        self.rules = rulebook.rules

    def evaluate(self, facts: Mapping[str, Scalar]) -> dict[str, Outcome]:
        return {rule.id: decide(rule, facts) for rule in self.rules}

    def close(self) -> None:
        """Nothing to release."""

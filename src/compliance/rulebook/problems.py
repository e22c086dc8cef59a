"""A problem found in a rule file, as `compliance rules lint` reports it (lint and coverage alike)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LintProblem:
    file: str
    rule_id: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule_id}: {self.where}: {self.message}"

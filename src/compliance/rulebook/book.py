"""Loading rule files into a `Rulebook` of compiled rules.

A malformed file stops loading with the file, the rule id and the field named: a rulebook that
loads is one whose every rule can be evaluated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from compliance import conditions as cond
from compliance.fields import catalogue
from compliance.numbers import exact
from compliance.paths import rules_dir
from compliance.reference import data as reference_data
from compliance.result import Citation
from compliance.rulebook.model import Document, Rule, RuleFile
from compliance.yamlio import safe_load

#: `industries: ["*"]`: the rule binds whatever the industry (its `where` narrows it)
ANY_INDUSTRY = "*"
ALL_PROJECT_TYPES = frozenset({"new", "expansion", "renovation", "relocation"})


class RulebookError(ValueError):
    """A rule file that cannot be loaded; the message names file, rule and field."""


@dataclass(frozen=True, eq=False)
class CompiledRule:
    """A rule with its applicability and conditions as condition trees."""

    rule: Rule
    document: Document
    applicability: cond.Condition
    violation: cond.Condition
    review: cond.Condition | None
    #: the applicability split in two: `gate`, the industry (or equipment) and the
    #: jurisdiction, which rule most rules out and is cheap to decide first; `rest`, the
    #: project types and `where`. `applicability` is the same conditions as `gate ∧ rest`.
    gate: cond.Condition
    rest: cond.Condition

    @cached_property
    def id(self) -> str:
        """(Cached: every verdict reads each rule's id a few times, 112 rules a project.)"""
        return self.rule.id

    @property
    def valid_from(self) -> date:
        return self.rule.valid_from or self.document.issued

    @property
    def valid_until(self) -> date | None:
        return self.rule.valid_until

    @cached_property
    def citation(self) -> Citation:
        return Citation(document=self.document.title, number=self.document.number,
                        clause=self.rule.clause, quote=self.rule.quote)

    @cached_property
    def fields(self) -> frozenset[str]:
        """Every fact the rule tests, for explaining which notes concern it."""
        conditions = (self.applicability, self.violation, self.review)
        return frozenset(leaf.field for c in conditions if c for leaf in cond.leaves(c))

    def in_force(self, as_of: date) -> bool:
        return self.valid_from <= as_of and (self.valid_until is None or as_of <= self.valid_until)


def equipment_stated(path: str) -> cond.Condition:
    """True when the form says the project has this equipment, false otherwise, never unknown:
    a form silent on an oven is not asked about it by a rule outside its industry. A size of 0
    and a gasifier type `none` say the project has none (the forms' convention)."""
    kind = catalogue()[path].kind
    present = cond.Compare(path, "exists", True)
    if kind == "number":
        return cond.All((present, cond.Compare(path, ">", exact(0))))
    if kind == "bool":
        return cond.All((present, cond.Compare(path, "==", True)))
    return cond.All((present, cond.Compare(path, "!=", "none")))


def compile_rule(rule: Rule, document: Document) -> CompiledRule:
    applies = rule.applies_to
    industry = jurisdiction = project_types = where = None
    if ANY_INDUSTRY not in applies.industries:
        industry = cond.Any((
            *(cond.Compare(f"industry.{key}", "==", True) for key in applies.industries),
            *(equipment_stated(path) for path in applies.equipment)))
    if set(applies.project_types) != ALL_PROJECT_TYPES:
        project_types = cond.Compare("project_type", "in", tuple(applies.project_types))
    if document.jurisdiction.condition is not None:
        jurisdiction = document.jurisdiction.condition.to_condition()
    if applies.where is not None:
        where = applies.where.to_condition()
    parts = [part for part in (industry, project_types, jurisdiction, where) if part is not None]
    return CompiledRule(
        rule=rule,
        document=document,
        applicability=cond.conjunction(*parts),
        violation=rule.condition.to_condition() if rule.condition else cond.TRUE_CONDITION,
        review=rule.review_if.to_condition() if rule.review_if else None,
        gate=cond.conjunction(*(part for part in (industry, jurisdiction) if part is not None)),
        rest=cond.conjunction(*(part for part in (project_types, where) if part is not None)),
    )


@dataclass(frozen=True)
class Rulebook:
    files: tuple[tuple[Path, RuleFile], ...]
    rules: tuple[CompiledRule, ...]

    @cached_property
    def version(self) -> str:
        """A content hash of the rule files and the reference data (divisions, key regions,
        industry keys) that decide facts: a stored verdict names what it was judged by."""
        digest = hashlib.sha256()
        reference = reference_data.reference_dir()
        tables = sorted(path for path in reference.rglob("*")
                        if path.is_file() and path.suffix in {".csv", ".yaml", ".yml"})
        for name, path in [(p.name, p) for p, _ in self.files] + [
                (str(t.relative_to(reference)), t) for t in tables]:
            digest.update(name.encode() + b"\0")
            digest.update(path.read_bytes())
        return digest.hexdigest()[:12]

    @cached_property
    def by_id(self) -> dict[str, CompiledRule]:
        return {rule.id: rule for rule in self.rules}

    @property
    def documents(self) -> list[Document]:
        return [rule_file.document for _, rule_file in self.files]


def _location(error: dict, data: dict) -> str:
    """`rules[3] (anyang-2019-19/coke-oven) → condition.value` for a pydantic error."""
    loc = list(error["loc"])
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") or []
        rule_id = rules[loc[1]].get("id", "?") if loc[1] < len(rules) and isinstance(
            rules[loc[1]], dict) else "?"
        rest = ".".join(str(part) for part in loc[2:])
        return f"rule {rule_id} (rules[{loc[1]}]) field {rest or '(rule)'}"
    return "field " + ".".join(str(part) for part in loc)


def load_file(path: Path) -> RuleFile:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:
        raise RulebookError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise RulebookError(f"{path}: expected a mapping with `document` and `rules`")
    try:
        return RuleFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{_location(e, data)}: {e['msg']}" for e in error.errors())
        raise RulebookError(f"{path}: {problems}") from error


def load_rulebook(directory: Path | None = None) -> Rulebook:
    """Every `*.yaml` directly in the rules directory, in name order."""
    directory = directory or rules_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise RulebookError(f"{directory}: no rule files (*.yaml)")
    files = tuple((path, load_file(path)) for path in paths)
    rules: list[CompiledRule] = []
    seen: dict[str, Path] = {}
    for path, rule_file in files:
        for rule in rule_file.rules:
            if rule.id in seen:
                raise RulebookError(f"{path}: rule {rule.id} already defined in {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(compile_rule(rule, rule_file.document))
    return Rulebook(files=files, rules=tuple(rules))

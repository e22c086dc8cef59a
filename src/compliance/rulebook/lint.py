"""`compliance rules lint`: every way a rule can be wrong that a machine can see.

Fields that do not exist, values of the wrong type, quotes that are not verbatim, rules without
examples on both sides, examples that do not hold, and rule sets the engine could not run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from compliance import conditions as cond
from compliance.errors import InputError
from compliance.fields import FieldSpec, catalogue, testable_fields
from compliance.reference import all_industry_keys
from compliance.rulebook.book import ANY_INDUSTRY, CompiledRule, Rulebook
from compliance.rulebook.model import Example
from compliance.rulebook.problems import LintProblem

TRIGGERED = {"prohibit": "fail", "require": "fail", "restrict": "review", "advise": "advisory"}


def squeeze(text: str) -> str:
    """Text with all whitespace removed: PDF extraction breaks lines and spaces at random."""
    return "".join(text.split())


def check_leaf(leaf: cond.Compare, fields: dict[str, FieldSpec]) -> str | None:
    spec = fields.get(leaf.field)
    if spec is None:
        return f"unknown field {leaf.field!r} (not in the form or the derived facts)"
    if leaf.op == "exists":
        return None
    values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    if leaf.op in cond.ORDER_OPS and spec.kind != "number":
        return f"{leaf.field} is {spec.kind}; {leaf.op} needs a number field"
    for value in values:
        problem = _type_problem(spec, value)
        if problem:
            return f"{leaf.field} {leaf.op} {value!r}: {problem}"
    return None


def _type_problem(spec: FieldSpec, value: cond.Scalar) -> str | None:
    expected = {"number": Decimal, "bool": bool, "enum": str, "text": str}[spec.kind]
    if isinstance(value, bool) and expected is not bool:
        return f"a {spec.kind} field compared with a boolean"
    if not isinstance(value, expected):
        return f"a {spec.kind} field compared with {type(value).__name__}"
    if spec.kind == "enum" and value not in spec.choices:
        return f"not one of {', '.join(spec.choices)}"
    return None


def _conditions(rule: CompiledRule) -> dict[str, cond.Condition]:
    found = {"applicability": rule.applicability, "condition": rule.violation}
    if rule.review is not None:
        found["review_if"] = rule.review
    return found


def lint_rule(rule: CompiledRule, path: Path, sources: dict[str, str]) -> list[LintProblem]:
    problems: list[LintProblem] = []

    def problem(where: str, message: str) -> None:
        problems.append(LintProblem(path.name, rule.id, where, message))

    fields = testable_fields()
    for where, condition in _conditions(rule).items():
        for leaf in cond.leaves(condition):
            message = check_leaf(leaf, fields)
            if message:
                problem(where, message)
    known_keys = {*all_industry_keys(), ANY_INDUSTRY}
    for key in rule.rule.applies_to.industries:
        if key not in known_keys:
            problem("applies_to.industries", f"unknown industry key {key!r}")
    for where, message in equipment_scope_problems(rule, fields):
        problem(where, message)
    source = sources.get(rule.document.source)
    if source is None:
        problem("document.source", f"source text {rule.document.source!r} not found")
    elif squeeze(rule.rule.quote) not in source:
        problem("quote", "not verbatim in the source text (compared with whitespace removed)")
    if squeeze(rule.rule.clause) != rule.rule.clause.strip():
        problem("clause", "clause contains whitespace")
    if rule.valid_from < rule.document.issued:
        problem("valid_from", f"{rule.valid_from} is before the document's issue date")
    expects = {example.expect for example in rule.rule.examples}
    if TRIGGERED[rule.rule.effect] not in expects:
        problem("examples", f"no example that gives {TRIGGERED[rule.rule.effect]!r}")
    if "pass" not in expects:
        problem("examples", "no example that gives 'pass'")
    return problems


def equipment_scope_problems(rule: CompiledRule, fields: dict[str, FieldSpec]
                             ) -> list[tuple[str, str]]:
    """A rule on equipment under an industry list says whether the equipment brings any project
    in scope (`equipment`) or the text keeps it to those industries (`industry_limit`): an
    oven ban silently hidden by a steel complex's industry code is a false pass (docs/rules.md,
    "Equipment over industry code")."""
    applies = rule.rule.applies_to
    found = [("applies_to.equipment", f"{path!r} is not an equipment fact (technology.*)")
             for path in applies.equipment
             if not path.startswith("technology.") or path not in fields]
    if ANY_INDUSTRY in applies.industries or applies.equipment or applies.industry_limit:
        return found
    read = sorted({leaf.field for condition in (rule.violation, rule.review) if condition
                   for leaf in cond.leaves(condition) if leaf.field.startswith("technology.")})
    if read:
        found.append(("applies_to", f"tests {', '.join(read)} under an industry list: name the "
                      "equipment that brings any industry in scope (equipment) or say why the "
                      "text keeps the rule to these industries (industry_limit)"))
    return found


def example_as_of(example: Example, rule: CompiledRule) -> dt.date:
    """The example's date: its own, else the form's application date, else a year after issue."""
    if example.as_of:
        return example.as_of
    date = example.form.get("application_date")
    if isinstance(date, dt.date):
        return date
    if isinstance(date, str):
        return dt.date.fromisoformat(date)
    return rule.document.issued + dt.timedelta(days=365)


def example_form(example: Example) -> dict:
    return {"name": example.name, **example.form}


def run_examples(rulebook: Rulebook, checker: object) -> list[LintProblem]:
    """Each example's status for its own rule must be what it expects."""
    problems: list[LintProblem] = []
    paths = {file.document.id: path for path, file in rulebook.files}
    for rule in rulebook.rules:
        for example in rule.rule.examples:
            where = f"example {example.name!r}"
            path = paths[rule.document.id].name
            try:
                verdict = checker.check(example_form(example),  # type: ignore[attr-defined]
                                        as_of=example_as_of(example, rule))
            except InputError as error:
                problems.append(LintProblem(path, rule.id, where, f"bad form: {error}"))
                continue
            result = next(r for r in verdict.results if r.rule_id == rule.id)
            if result.status != example.expect:
                problems.append(LintProblem(
                    path, rule.id, where,
                    f"expected {example.expect}, got {result.status} ({result.explanation})"))
    return problems


def definition_problems(rulebook: Rulebook, paths: dict[str, Path]) -> list[LintProblem]:
    """A definition names facts the catalogue has, and a document defines a term once."""
    problems: list[LintProblem] = []
    known = catalogue()
    for document in rulebook.documents:
        terms: set[str] = set()
        for definition in document.definitions:
            where = f"definitions[{definition.term}]"
            if definition.term in terms:
                problems.append(LintProblem(paths[document.id].name, "-", where,
                                            "term defined twice"))
            terms.add(definition.term)
            problems += [LintProblem(paths[document.id].name, "-", where,
                                     f"unknown field {path!r}")
                         for path in definition.fields if path not in known]
    return problems


def load_sources(rulebook: Rulebook) -> dict[str, str]:
    sources: dict[str, str] = {}
    for path, rule_file in rulebook.files:
        source = path.parent / "sources" / rule_file.document.source
        if source.is_file():
            sources[rule_file.document.source] = squeeze(source.read_text(encoding="utf-8"))
    return sources


def lint(rulebook: Rulebook, checker: object | None = None) -> list[LintProblem]:
    """All problems; with a checker, also every example's expectation."""
    from compliance.engine.limits import EngineLimitError
    from compliance.engine.rulesets import partition
    from compliance.rulebook.coverage import coverage_problems

    sources = load_sources(rulebook)
    paths = {file.document.id: path for path, file in rulebook.files}
    problems = [problem for rule in rulebook.rules
                for problem in lint_rule(rule, paths[rule.document.id], sources)]
    try:
        partition(rulebook)
    except EngineLimitError as error:
        problems.append(LintProblem("(rulebook)", "-", "engine limits", str(error)))
    problems.extend(definition_problems(rulebook, paths))
    if checker is not None and not problems:
        problems.extend(run_examples(rulebook, checker))
    problems.extend(coverage_problems(rulebook))  # docs/rules.md, "Coverage"
    return problems

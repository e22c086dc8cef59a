"""The mutants of a rule: each operator applied where the rule file allows it, with a stable id."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from compliance.rulebook.book import CompiledRule, Rulebook, compile_rule
from compliance.rulebook.model import ConditionSpec, Rule

#: `effect` one step weaker: prohibit/require → restrict → advise
WEAKER = {"prohibit": "restrict", "require": "restrict", "restrict": "advise"}
#: order operators and their boundary twin, with the name used in mutation ids
BOUNDARY = {"<=": ("<", "strict"), "<": ("<=", "inclusive"), ">=": (">", "strict"),
            ">": (">=", "inclusive")}


@dataclass(frozen=True)
class Mutant:
    rule_id: str
    document_id: str
    #: stable: the rule file's path of what changed and how (`condition.all[1].value+1step`)
    mutation_id: str
    #: for people: what changed, old → new
    description: str
    rule: CompiledRule = field(repr=False, compare=False)
    #: why it may survive without an example being missing (a redundant industry key …)
    hint: str | None = None

    @property
    def kind(self) -> str:
        """The operator that made it, for the per-operator tally (`threshold`, `boundary` …)."""
        return operator_kind(self.mutation_id)

    @property
    def key(self) -> tuple[str, str]:
        return self.rule_id, self.mutation_id


def operator_kind(mutation_id: str) -> str:
    """`condition.all[1].value+1step` → `threshold`; read back from the stable id itself."""
    patterns = (("step", "threshold"), (".op-strict", "boundary"), (".op-inclusive", "boundary"),
                (".op-negated", "negation"), (".value-drop[", "in-list value dropped"),
                ("applies_to.industries-drop[", "industry dropped"),
                ("applies_to.equipment-drop[", "equipment dropped"),
                ("applies_to.project_types-drop[", "project type dropped"),
                ("applies_to.where-removed", "where removed"),
                ("jurisdiction-removed", "jurisdiction removed"),
                ("condition-removed", "condition removed"),
                ("review_if-removed", "review_if removed"), ("-removed", "item removed"),
                ("day", "validity shifted"), ("effect-weakened", "effect weakened"))
    for pattern, kind in patterns:
        if pattern in mutation_id and (pattern != "step" or mutation_id.endswith("step")):
            return kind
    return "other"


def show(spec: ConditionSpec | None) -> str:
    """A condition as one line: `technology.ammonia_unit_tpa < 300000`, `all(…, …)`."""
    if spec is None:
        return "(none)"
    if spec.field is not None:
        return f"{spec.field} {spec.op} {_value_text(spec.value)}"
    if spec.not_ is not None:
        return f"not({show(spec.not_)})"
    key, items = _items(spec)
    return f"{key}({', '.join(show(item) for item in items)})"


def _value_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _items(spec: ConditionSpec) -> tuple[str, list[ConditionSpec]]:
    return ("all", list(spec.all)) if spec.all is not None else ("any", list(spec.any or []))


def step_of(value: int | float | Decimal) -> tuple[Decimal, Decimal]:
    """The threshold as written and its smallest meaningful step: 4.3 → 0.1, 2000 → 1, 0.55 → 0.01.

    A float is read through its shortest text (how YAML wrote it, up to trailing zeros, which the
    rulebook drops too: `numbers.exact`).
    """
    written = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    exponent = written.as_tuple().exponent
    assert isinstance(exponent, int)
    return written, Decimal(1).scaleb(min(exponent, 0))


def _leaf_mutants(spec: ConditionSpec, path: str) -> Iterator[tuple[str, str, ConditionSpec]]:
    value, op = spec.value, spec.op
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and op != "exists":
        written, step = step_of(value)
        for sign, suffix in ((1, "+1step"), (-1, "-1step")):
            new = written + sign * step
            yield (f"{path}.value{suffix}", f"{path}: {spec.field} {op} {written} → {new}",
                   spec.model_copy(update={"value": new}))
    if op in BOUNDARY:
        twin, name = BOUNDARY[op]
        yield (f"{path}.op-{name}", f"{path}: {spec.field} {op} → {twin} {_value_text(value)}",
               spec.model_copy(update={"op": twin}))
    if op in ("==", "!=") and isinstance(value, bool):
        twin = "!=" if op == "==" else "=="
        yield (f"{path}.op-negated", f"{path}: {spec.field} {op} → {twin} {_value_text(value)}",
               spec.model_copy(update={"op": twin}))
    if op in ("in", "not_in") and isinstance(value, list):
        for index, dropped in enumerate(value):
            rest = [*value[:index], *value[index + 1:]]
            yield (f"{path}.value-drop[{_value_text(dropped)}]",
                   f"{path}: {spec.field} {op} 去掉 {_value_text(dropped)} → {_value_text(rest)}",
                   spec.model_copy(update={"value": rest}))


def tree_mutants(spec: ConditionSpec, path: str) -> Iterator[tuple[str, str, ConditionSpec]]:
    """Every one-change variant of a condition tree: (mutation id, description, new tree)."""
    if spec.field is not None:
        yield from _leaf_mutants(spec, path)
        return
    if spec.not_ is not None:
        for mutation_id, description, child in tree_mutants(spec.not_, f"{path}.not"):
            yield mutation_id, description, spec.model_copy(update={"not_": child})
        return
    key, items = _items(spec)
    for index, item in enumerate(items):
        where = f"{path}.{key}[{index}]"
        yield (f"{where}-removed", f"{where} 删除：{show(item)}",
               spec.model_copy(update={key: [*items[:index], *items[index + 1:]]}))
        for mutation_id, description, child in tree_mutants(item, where):
            yield (mutation_id, description,
                   spec.model_copy(update={key: [*items[:index], child, *items[index + 1:]]}))


def _rule_variants(compiled: CompiledRule) -> Iterator[tuple[str, str, Rule, bool]]:
    """(mutation id, description, mutant rule, whether the jurisdiction is dropped)."""
    rule = compiled.rule
    applies = rule.applies_to

    def with_applies(**update: Any) -> Rule:
        return rule.model_copy(update={"applies_to": applies.model_copy(update=update)})

    for key in applies.industries:
        rest = [k for k in applies.industries if k != key]
        yield (f"applies_to.industries-drop[{key}]", f"适用行业去掉 {key}", with_applies(industries=rest),
               False)
    for path in applies.equipment:
        rest = [p for p in applies.equipment if p != path]
        yield (f"applies_to.equipment-drop[{path}]", f"适用装备去掉 {path}",
               with_applies(equipment=rest), False)
    for project_type in applies.project_types:
        rest = [t for t in applies.project_types if t != project_type]
        yield (f"applies_to.project_types-drop[{project_type}]", f"适用建设性质去掉 {project_type}",
               with_applies(project_types=rest), False)
    if applies.where is not None:
        yield ("applies_to.where-removed", f"删除适用条件 where：{show(applies.where)}",
               with_applies(where=None), False)
        for mutation_id, description, where in tree_mutants(applies.where, "applies_to.where"):
            yield mutation_id, description, with_applies(where=where), False
    if compiled.document.jurisdiction.condition is not None:
        yield ("jurisdiction-removed",
               f"删除文件适用地域：{show(compiled.document.jurisdiction.condition)}", rule, True)
    for name in ("condition", "review_if"):
        spec: ConditionSpec | None = getattr(rule, name)
        if spec is None:
            continue
        yield f"{name}-removed", f"删除 {name}：{show(spec)}", rule.model_copy(update={name: None}), False
        for mutation_id, description, tree in tree_mutants(spec, name):
            yield mutation_id, description, rule.model_copy(update={name: tree}), False
    for name, date in (("valid_from", compiled.valid_from), ("valid_until", compiled.valid_until)):
        if date is None:
            continue
        for days, suffix in ((-1, "-1day"), (1, "+1day")):
            shifted = date + dt.timedelta(days=days)
            yield (f"{name}{suffix}", f"{name} {date} → {shifted}",
                   rule.model_copy(update={name: shifted}), False)
    if rule.effect in WEAKER:
        weaker = WEAKER[rule.effect]
        yield (f"effect-weakened[{weaker}]", f"效力 {rule.effect} → {weaker}",
               rule.model_copy(update={"effect": weaker}), False)


def covering_key(key: str, listed: Sequence[str]) -> str | None:
    """Another listed industry key that holds every code of `key`, if any.

    Then dropping `key` changes nothing any form can show (a project of `key` always carries the
    covering key too, and is unknown for it whenever it is unknown for `key`): the mutant is
    equivalent and the key is redundant in the rule file.
    """
    from compliance.reference.industries import rulebook_keys

    keys = rulebook_keys()
    if key not in keys:
        return None
    for other in listed:
        if other != key and other in keys and all(
                any(code.startswith(prefix) for prefix in keys[other].codes)
                for code in keys[key].codes):
            return other
    return None


def _hint(compiled: CompiledRule, mutation_id: str) -> str | None:
    applies = compiled.rule.applies_to
    if mutation_id.startswith("applies_to.industries-drop["):
        key = mutation_id.removeprefix("applies_to.industries-drop[").removesuffix("]")
        other = covering_key(key, applies.industries)
        if other:
            return f"可能等价：{key} 的全部代码已含于同列的 {other}（该行业键在规则中多余）"
    if (mutation_id.startswith("applies_to.project_types-drop[")
            and "project_types" not in applies.model_fields_set):
        return "规则未写 project_types（默认适用全部建设性质），没有该建设性质的示例"
    return None


def mutants(compiled: CompiledRule) -> list[Mutant]:
    """Every single-change mutant of one rule, compiled like the rulebook compiles rules."""
    document = compiled.document
    found: list[Mutant] = []
    for mutation_id, description, rule, drop_jurisdiction in _rule_variants(compiled):
        doc = document.model_copy(update={"jurisdiction": document.jurisdiction.model_copy(
            update={"condition": None})}) if drop_jurisdiction else document
        found.append(Mutant(compiled.id, document.id, mutation_id, description,
                            compile_rule(rule, doc), _hint(compiled, mutation_id)))
    return found


def apply(rulebook: Rulebook, mutant: Mutant) -> Rulebook:
    """The whole mutant rulebook: the mutated rule in its place, everything else unchanged."""
    rules = tuple(mutant.rule if rule.id == mutant.rule_id else rule for rule in rulebook.rules)
    return dataclasses.replace(rulebook, rules=rules)

"""The rulebook as durable_rules rulesets: each rule as up to four engine rules, the rulesets
cut so that none can reach one of the engine's limits (DESIGN.md; `limits`).

Each rule becomes up to four engine rules, so the engine decides every outcome except
"undecided": `v` applicable ∧ violated, `r` applicable ∧ ¬violated ∧ review, `c` applicable ∧
¬violated ∧ ¬review, with negation pushed into the comparisons, where a missing field never
matches: exactly the three-valued logic of the Python oracle. Applicability is decided in two
halves: the rule's gate (industry or equipment, jurisdiction; `CompiledRule.gate`) in Python
(`GateIndex`, each shared part weighed once), which reaches the engine as the rule's flag
(`gate_flag`: true, false for unknown, absent when the gate is false), and the rest (project
types, `where`) in the engine, `n` being ¬rest with the flag present.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance import conditions as cond
from compliance.engine.base import Outcome
from compliance.engine.limits import (
    MAX_ACTIVATIONS,
    MAX_DEPTH,
    MAX_DISTINCT_CONDITIONS,
    MAX_ENGINE_RULES,
    EngineLimitError,
)
from compliance.numbers import scaled
from compliance.rulebook import CompiledRule, Rulebook

ANCHOR = {"kind": "project"}
SUFFIX_OUTCOME = {"v": Outcome.VIOLATED, "r": Outcome.REVIEW, "c": Outcome.CLEAR,
                  "n": Outcome.NOT_APPLICABLE}


#: each fact path's name in the engine, given in order of first use in this process (an engine
#: handle lives in one process): a fact's text is parsed at every assert and retract and copied
#: into every activation, and names such as `location__in_industrial_park` made it 2.4× as long
#: (a generated row's engine time 96 → 85 µs with short ones)
_ENGINE_KEYS: dict[str, str] = {}
_key_numbers = itertools.count()


def engine_key(path: str) -> str:
    """The fact's short name in the engine (`f12`); never a reserved key (`id`, `sid`)."""
    key = _ENGINE_KEYS.get(path)
    if key is None:  # `setdefault` and `next` are atomic: threads compiling rules agree
        key = _ENGINE_KEYS.setdefault(path, f"f{next(_key_numbers)}")
    return key


def engine_value(value: cond.Scalar) -> bool | str | int:
    """Numbers as scaled integers: the engine misparses exponents and compares int64 exactly."""
    if isinstance(value, Decimal):
        return scaled(value)
    return value


_ORDER = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


def _compare(leaf: cond.Compare) -> dict[str, Any]:
    key = engine_key(leaf.field)
    if leaf.op == "exists":
        return {"$ex" if leaf.value else "$nex": {key: 1}}
    if leaf.op in ("in", "not_in"):
        values = [engine_value(v) for v in leaf.value]  # type: ignore[union-attr]
        if leaf.op == "in":
            return _join("$or", [{key: v} for v in values])
        return _join("$and", [{"$neq": {key: v}} for v in values])
    value = engine_value(leaf.value)  # type: ignore[arg-type]
    return {key: value} if leaf.op == "==" else {_ORDER[leaf.op]: {key: value}}


def _join(operator: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {operator: items}


def _simplify(condition: cond.Condition) -> cond.Condition | bool:
    """Constant-fold empty `all` (true) and empty `any` (false) out of an NNF tree."""
    if isinstance(condition, cond.Compare):
        if condition.op == "in" and not condition.value:
            return False
        return True if condition.op == "not_in" and not condition.value else condition
    assert not isinstance(condition, cond.Not), "negation normal form expected"
    is_all = isinstance(condition, cond.All)
    kept: list[cond.Condition] = []
    for item in condition.items:
        simple = _simplify(item)
        if simple is (not is_all):
            return not is_all
        if simple is not is_all:
            kept.append(simple)  # type: ignore[arg-type]
    if not kept:
        return is_all
    return kept[0] if len(kept) == 1 else type(condition)(tuple(kept))


def _to_json(condition: cond.Condition) -> dict[str, Any]:
    if isinstance(condition, cond.Compare):
        return _compare(condition)
    operator = "$and" if isinstance(condition, cond.All) else "$or"
    return _join(operator, [_to_json(item) for item in condition.items])


def _json_depth(node: Any) -> int:
    if isinstance(node, dict):
        own = 1 if set(node) & {"$and", "$or"} else 0
        return own + max((_json_depth(v) for v in node.values()), default=0)
    if isinstance(node, list):
        return max((_json_depth(item) for item in node), default=0)
    return 0


def _atoms(node: dict[str, Any]) -> list[str]:
    """The single comparisons the engine builds nodes for, as canonical text."""
    for operator in ("$and", "$or"):
        if operator in node:
            return [atom for item in node[operator] for atom in _atoms(item)]
    return [json.dumps(node, sort_keys=True, ensure_ascii=False)]


@dataclass(frozen=True)
class EngineRule:
    name: str
    rule_id: str
    outcome: Outcome
    condition: cond.Condition

    def definition(self) -> dict[str, Any]:
        body = [ANCHOR] if self.condition == cond.TRUE_CONDITION else [ANCHOR, _to_json(
            self.condition)]
        return {"all": [{"m": {"$and": body}}]}


#: how a rule's gate flag is named among the facts (`gate_flag`)
GATE_FLAG = "gate:"


def gate_flag(rule_id: str) -> str:
    """The fact that tells the engine how a rule's gate came out: `true` when it holds,
    `false` when it is unknown, absent when it is false (the rule is then not applicable and
    none of its engine rules may fire; `GateIndex` decides it)."""
    return GATE_FLAG + rule_id


def engine_rules(rule: CompiledRule, index: int) -> list[EngineRule]:
    """The four engine rules of one rule, dropping those that can never fire.

    Applicability is the gate and the rest; the gate was weighed in Python, so it comes as the
    rule's flag: `v`, `r` and `c` need it to hold, and `n` (the rest is false) needs it not
    false, so no engine rule of a gated-out rule fires (they were 42 % of a generated row's
    activations)."""
    violated = rule.violation
    review = rule.review if rule.review is not None else cond.Any(())
    applicable, open_gate = rule.rest, cond.TRUE_CONDITION
    if rule.gate != cond.TRUE_CONDITION:
        flag = gate_flag(rule.id)
        applicable = cond.conjunction(cond.Compare(flag, "==", True), rule.rest)
        open_gate = cond.Compare(flag, "exists", True)
    parts = {
        "v": cond.conjunction(applicable, violated),
        "r": cond.conjunction(applicable, cond.negate(violated), review),
        "c": cond.conjunction(applicable, cond.negate(violated), cond.negate(review)),
        "n": cond.conjunction(open_gate, cond.negate(rule.rest)),
    }
    result = []
    for suffix, condition in parts.items():
        simple = _simplify(cond.normalise(condition))
        if simple is False:
            continue
        tree = cond.TRUE_CONDITION if simple is True else simple
        result.append(EngineRule(f"r{index}{suffix}", rule.id, SUFFIX_OUTCOME[suffix], tree))
    return result


@dataclass
class _Budget:
    activations: int = 0
    conditions: set[str] | None = None
    rules: int = 0


def _cost(rule_id: str, rules: list[EngineRule]) -> tuple[int, set[str]]:
    """Activations this rule can cause at once, and its distinct comparisons; refuse it alone
    if it could break the engine by itself."""
    for engine_rule in rules:
        depth = _json_depth(engine_rule.definition())
        if depth > MAX_DEPTH:
            raise EngineLimitError(f"rule {rule_id}: conditions nested {depth} deep; the engine "
                                   f"allows {MAX_DEPTH} (flatten nested all/any)")
    # the four engine rules of one rule are mutually exclusive: only one can fire for a fact
    activations = max(cond.max_true_branches(r.condition) for r in rules)
    distinct = {atom for r in rules for leaf in cond.leaves(r.condition)
                for atom in _atoms(_to_json(leaf))}
    if activations > MAX_ACTIVATIONS:
        raise EngineLimitError(f"rule {rule_id}: up to {activations} `any` branches can hold at "
                               f"once; the engine allows {MAX_ACTIVATIONS} (derive a fact instead)")
    if len(distinct) > MAX_DISTINCT_CONDITIONS:
        raise EngineLimitError(f"rule {rule_id}: {len(distinct)} distinct comparisons; the engine "
                               f"hangs above {MAX_DISTINCT_CONDITIONS} (derive a fact instead)")
    return activations, distinct


def partition(rulebook: Rulebook) -> list[list[EngineRule]]:
    """Split the rulebook into rulesets that each stay within every limit.

    A project is asserted only into the rulesets holding a rule its gate leaves open
    (`GateIndex`), so rules are grouped by what their gate first tests (the industries,
    equipment or jurisdiction they are about): a coking project then meets the rulesets of
    coking rules, not every ruleset that happens to hold one. In the rulebook's document order
    a generated list's rows met 4.2 of 9 rulesets each (179 µs an evaluation); grouped, 3.1 of 8 (159 µs).
    """
    chunks: list[list[EngineRule]] = [[]]
    budget = _Budget(conditions=set())
    ordered = sorted(enumerate(rulebook.rules), key=lambda item: _gate_topic(item[1]))
    for index, rule in ordered:
        rules = engine_rules(rule, index)
        activations, distinct = _cost(rule.id, rules)
        assert budget.conditions is not None
        if (budget.activations + activations > MAX_ACTIVATIONS
                or len(budget.conditions | distinct) > MAX_DISTINCT_CONDITIONS
                or budget.rules + len(rules) > MAX_ENGINE_RULES):
            chunks.append([])
            budget = _Budget(conditions=set())
        chunks[-1].extend(rules)
        budget.activations += activations
        budget.conditions |= distinct  # type: ignore[operator]
        budget.rules += len(rules)
    return [chunk for chunk in chunks if chunk]


def _gate_topic(rule: CompiledRule) -> tuple[str, ...]:
    """The comparisons a rule's gate makes first (`location.province_code == 420000`; none
    for a rule every project meets)."""
    if rule.gate == cond.TRUE_CONDITION:
        return ()
    first = rule.gate.items[0] if isinstance(rule.gate, cond.All) else rule.gate
    return tuple(sorted({f"{leaf.field} {leaf.op} {leaf.value}" for leaf in cond.leaves(first)}))

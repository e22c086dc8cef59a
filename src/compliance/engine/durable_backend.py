"""The durable_rules backend, driven only in the safe pattern DESIGN.md prescribes.

Per ruleset: one handle, ONE long-lived session (sid "0") initialised by a warm-up action; per
check: `assert_fact` the project, drain the activations, `retract_fact` the same JSON, all under
one lock. Never `post` (events are consumed by the first rule), never a fresh sid followed by
`delete_state` (frees uninitialised memory), never the stock `Host` (its timer threads race).

Each rule becomes up to four engine rules, so the engine decides every outcome except
"undecided": `v` applicable ∧ violated, `r` applicable ∧ ¬violated ∧ review, `c` applicable ∧
¬violated ∧ ¬review, with negation pushed into the comparisons, where a missing field never
matches: exactly the three-valued logic of the Python oracle. "Not applicable" is decided in
two halves: the rule's gate (industry or equipment, jurisdiction; `CompiledRule.gate`) in
Python (`GateIndex`, each shared part weighed once), the rest (project types, `where`) by `n`
¬rest.
Most rules are out of a project's industry or place, and an engine activation for each of them
was most of the engine's time. A ruleset none of whose rules passes its gate is not asked at all,
and each ruleset is given only the facts its rules read (a smaller fact asserts faster).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from compliance import conditions as cond
from compliance.engine.base import EngineUnavailable, Outcome
from compliance.engine.gates import GateIndex
from compliance.engine.limits import (
    MAX_ACTIVATIONS,
    MAX_DEPTH,
    MAX_DISTINCT_CONDITIONS,
    MAX_ENGINE_RULES,
    EngineLimitError,
)
from compliance.numbers import scaled
from compliance.rulebook import CompiledRule, Rulebook

try:
    import durable_rules_engine as native
except ImportError as error:  # pragma: no cover - depends on the interpreter
    native = None
    IMPORT_ERROR: ImportError | None = error
else:
    IMPORT_ERROR = None

ANCHOR = {"kind": "project"}
WARMUP_RULE = "warmup"
SUFFIX_OUTCOME = {"v": Outcome.VIOLATED, "r": Outcome.REVIEW, "c": Outcome.CLEAR,
                  "n": Outcome.NOT_APPLICABLE}
_names = itertools.count()


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


#: a fact as the engine is given it: (its path in the facts, its key written as JSON and `: `)
FactField = tuple[str, str]


def fact_fields(paths: Iterable[str]) -> tuple[FactField, ...]:
    return tuple((path, f"{json.dumps(engine_key(path))}: ") for path in sorted(paths))


def encode_fact(facts: Mapping[str, cond.Scalar], fact_id: int,
                fields: Iterable[FactField] | None = None) -> str:
    """The fact asserted, as JSON: the anchor first (`_fired_rule` relies on it), then the
    values of `fields` (every fact when None), each value written straight into the text.

    A ruleset is given only the facts its rules read, so each evaluation writes a few
    rulesets' facts: building a dict of every fact and dumping it per ruleset was a third of
    an evaluation."""
    parts = [PROJECT_FACT, f', "id": {fact_id}']
    for path, key in fact_fields(facts) if fields is None else fields:
        value = facts.get(path, _ABSENT)
        if value is not _ABSENT:
            parts.append(f", {key}{_json_value(value)}")
    parts.append("}")
    return "".join(parts)


_ABSENT = object()


def _json_value(value: cond.Scalar) -> str:
    """A fact's value as JSON; numbers as scaled integers (`engine_value`)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is Decimal:
        return str(scaled(value))  # type: ignore[arg-type]
    if value.__class__ is str:
        return _json_text(value)  # type: ignore[arg-type]
    return json.dumps(engine_value(value), ensure_ascii=False)


@lru_cache(maxsize=4096)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


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


def engine_rules(rule: CompiledRule, index: int) -> list[EngineRule]:
    """The four engine rules of one rule, dropping those that can never fire."""
    applicable, violated = rule.applicability, rule.violation
    review = rule.review if rule.review is not None else cond.Any(())
    parts = {
        "v": cond.conjunction(applicable, violated),
        "r": cond.conjunction(applicable, cond.negate(violated), review),
        "c": cond.conjunction(applicable, cond.negate(violated), cond.negate(review)),
        "n": cond.negate(rule.rest),
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


#: how every project fact we assert begins (`encode_fact` writes the anchor first)
PROJECT_FACT = json.dumps(ANCHOR)[:-1]
WARMUP_FACT = json.dumps({"kind": "warmup", "id": "warmup"})


def _fired_rule(message: str, fact_start: str = PROJECT_FACT) -> str | None:
    """The rule an activation is for, from its text `{"<rule>":{"m":{...fact...}}}`.

    Only the name is needed: decoding the whole fact again for every activation cost more than
    the match itself. Our rule names are plain (`r12v`), so the first quoted string is the name.
    An activation for any other fact (the session's own state fact `{"sid": …, "$s": 1}`) is
    skipped: the fact must begin with `fact_start`, checked in place rather than by scanning
    the fact's text (where a project's own values could be anything).
    """
    end = message.index('"', 2)
    if not message.startswith(fact_start, end + 7):  # after `":{"m":`
        return None
    return message[2:end]


class _Session:
    """One ruleset handle and its single long-lived session."""

    def __init__(self, rules: list[EngineRule]) -> None:
        self.outcomes = {rule.name: (rule.rule_id, rule.outcome) for rule in rules}
        self.rule_ids = frozenset(rule.rule_id for rule in rules)
        #: the facts this ruleset's rules read: the only ones it is given
        self.paths = frozenset(leaf.field for rule in rules for leaf in cond.leaves(rule.condition))
        self.fields = fact_fields(self.paths)
        definition = {rule.name: rule.definition() for rule in rules}
        definition[WARMUP_RULE] = {"all": [{"m": {"kind": "warmup"}}]}
        name = f"compliance_{next(_names)}"
        self.handle = native.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        if self._drain(WARMUP_FACT, WARMUP_FACT[:-1]) != [WARMUP_RULE]:
            raise RuntimeError("durable_rules session did not initialise")

    def _drain(self, fact: str, fact_start: str = PROJECT_FACT) -> list[str]:
        """Assert, collect the names of the rules that fired, retract."""
        result = native.assert_fact(self.handle, fact)
        fired: list[str] = []
        try:
            if result[0] == 0:
                state_handle = result[1]
                action = native.start_action_for_state(self.handle, state_handle)
                message = action[1] if action else None
                while message:
                    name = _fired_rule(message, fact_start)
                    if name is not None:
                        fired.append(name)
                    message = native.complete_and_start_action(self.handle, state_handle)
            elif result[0] != 1:  # 1: nothing matched, the normal compliant outcome
                raise RuntimeError(f"durable_rules assert_fact returned {result[0]}")
        finally:
            native.retract_fact(self.handle, fact)
        return fired

    def evaluate(self, fact: str) -> dict[str, Outcome]:
        return dict(self.outcomes[name] for name in self._drain(fact))

    def close(self) -> None:
        native.delete_state(self.handle, "0")
        native.delete_ruleset(self.handle)


class DurableBackend:
    name = "durable"

    def __init__(self, rulebook: Rulebook) -> None:
        if native is None:
            raise EngineUnavailable(
                f"durable_rules does not import on this Python ({IMPORT_ERROR}); "
                "use --engine python")
        self.rule_ids = [rule.id for rule in rulebook.rules]
        self._sessions = [_Session(chunk) for chunk in partition(rulebook)]
        self._gates = GateIndex(rulebook, [session.rule_ids for session in self._sessions])
        self._lock = threading.Lock()
        self._fact_ids = itertools.count(1)

    def evaluate(self, facts: Mapping[str, cond.Scalar]) -> dict[str, Outcome]:
        outcomes = dict.fromkeys(self.rule_ids, Outcome.UNDECIDED)
        with self._lock:
            ruled_out, live = self._gates.ruled_out(facts)
            fact_id = next(self._fact_ids)
            for index in live:
                session = self._sessions[index]
                outcomes.update(session.evaluate(encode_fact(facts, fact_id, session.fields)))
        outcomes.update(dict.fromkeys(ruled_out, Outcome.NOT_APPLICABLE))
        return outcomes

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions = []

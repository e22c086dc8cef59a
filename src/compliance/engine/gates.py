"""Which rules a project's industry, equipment and place rule out, before any engine is asked.

Every rule's gate (`CompiledRule.gate`: industry or equipment, jurisdiction) is a conjunction of
parts that many rules share: 213 parts over the rulebook, 59 of them distinct (one industry
list, one document's jurisdiction). A gate is false as soon as one part is, so each distinct
part is evaluated at most once per project, and only when a gate still needs it: most gates
fall at their first part, the industry, and rules sharing a first part fall together. Each
part is compiled once into a function of the facts (an industry group, `any` of
`industry.x == True`, into one loop). A memo of whole projects did not pay: a list of 10,000
generated projects held almost as many kinds. On a generated list: 45 µs a project weighing
shared comparisons gate by gate, 26 µs so."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TypeAlias

from compliance import conditions as cond
from compliance.rulebook import Rulebook

#: a part of a gate, compiled: the facts → its truth in Kleene's logic
Part: TypeAlias = Callable[[Mapping[str, cond.Scalar]], cond.Truth]
_FALSE, _TRUE, _UNKNOWN = cond.Truth.FALSE, cond.Truth.TRUE, cond.Truth.UNKNOWN


def _compiled(condition: cond.Condition) -> Part:
    """The condition as a function of the facts, with the truth `conditions.evaluate` gives.

    Most parts are an industry group, `any` of `industry.x == True`: that shape is one loop
    over the facts, not a call per comparison."""
    condition = cond.normalise(condition)
    if isinstance(condition, cond.Compare):
        return _comparison(condition)
    assert not isinstance(condition, cond.Not), "negation normal form expected"
    items = condition.items
    if isinstance(condition, cond.Any) and all(
            isinstance(item, cond.Compare) and item.op == "==" for item in items):
        return _any_equal(tuple((item.field, item.value) for item in items))  # type: ignore[union-attr]
    return _junction(isinstance(condition, cond.All), tuple(_compiled(item) for item in items))


def _comparison(leaf: cond.Compare) -> Part:
    field, op, value = leaf.field, leaf.op, leaf.value
    return lambda facts: cond.compare(facts.get(field), op, value)


def _any_equal(pairs: tuple[tuple[str, cond.Scalar | tuple[cond.Scalar, ...]], ...]) -> Part:
    def weigh(facts: Mapping[str, cond.Scalar]) -> cond.Truth:
        result = _FALSE
        for field, value in pairs:
            fact = facts.get(field)
            if fact is None:
                result = _UNKNOWN
            elif fact == value:
                return _TRUE
        return result

    return weigh


def _junction(is_all: bool, items: tuple[Part, ...]) -> Part:
    decisive, otherwise = (_FALSE, _TRUE) if is_all else (_TRUE, _FALSE)

    def weigh(facts: Mapping[str, cond.Scalar]) -> cond.Truth:
        result = otherwise
        for item in items:
            truth = item(facts)
            if truth is decisive:
                return decisive
            if truth is _UNKNOWN:
                result = _UNKNOWN
        return result

    return weigh


class GateIndex:
    """The rules whose gate is false on a project, and which groups of rules keep a live one."""

    def __init__(self, rulebook: Rulebook, groups: Sequence[frozenset[str]] = ()) -> None:
        numbered: dict[cond.Condition, int] = {}
        #: by the number of a gate's first part: (rule id, the numbers of its other parts)
        by_first: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        for rule in rulebook.rules:
            if rule.gate == cond.TRUE_CONDITION:
                continue
            parts = rule.gate.items if isinstance(rule.gate, cond.All) else (rule.gate,)
            first, *rest = (numbered.setdefault(part, len(numbered)) for part in parts)
            by_first.setdefault(first, []).append((rule.id, tuple(rest)))
        self._parts = tuple(_compiled(part) for part in numbered)
        #: (first part, every rule it gates, each rule with its other parts)
        self._gates = tuple((first, frozenset(rule_id for rule_id, _ in gated), tuple(gated))
                            for first, gated in by_first.items())
        self._groups = tuple(groups)

    def ruled_out(self, facts: Mapping[str, cond.Scalar]) -> GateReading:
        """The rules gated out, the gates left open, and the groups with a rule not gated out.

        Most gates fall at their first part (the industry), and with it every rule that shares
        it: those are ruled out together, the other parts weighed only for the rest."""
        parts = self._parts
        truths: list[cond.Truth | None] = [None] * len(parts)
        out: set[str] = set()
        opened: dict[str, bool] = {}
        for first, rule_ids, gated in self._gates:
            truth = truths[first]  # (a first part of some gates is a later part of others)
            if truth is None:
                truth = truths[first] = parts[first](facts)
            if truth is _FALSE:
                out |= rule_ids
                continue
            certain = truth is _TRUE
            for rule_id, numbers in gated:
                gate = certain
                for number in numbers:
                    truth = truths[number]
                    if truth is None:
                        truth = truths[number] = parts[number](facts)
                    if truth is _FALSE:
                        out.add(rule_id)
                        break
                    gate = gate and truth is _TRUE
                else:
                    opened[rule_id] = gate
        return GateReading(out, opened, tuple(index for index, group in enumerate(self._groups)
                                              if not group <= out))


class GateReading(NamedTuple):
    """What a project's facts make of the gates."""

    #: the rules whose gate is false: not applicable, whatever else holds
    out: set[str]
    #: every other rule that has a gate: True when its gate holds, False when it is unknown
    #: (a fact it reads is missing)
    opened: dict[str, bool]
    #: the indices of the groups holding a rule not gated out
    live: tuple[int, ...]

"""Which rules a project's industry, equipment and place rule out, before any engine is asked.

Every rule's gate (`CompiledRule.gate`: industry or equipment, jurisdiction) is a conjunction of
parts that many rules share: 213 parts over the rulebook, 59 of them distinct (one industry
list, one document's jurisdiction). A gate is false as soon as one part is. 46 parts read only
industry facts, and a list names few industries (61 kinds in 3,000 generated rows): those parts
are weighed once per kind (`_Plan`), which leaves each project the other parts of the rules its
industry keeps, each distinct part weighed at most once and rules sharing the part they need
next falling together. Each part is compiled once into a function of the facts (an industry
group, `any` of `industry.x == True`, into one loop). A memo of whole projects did not pay: a
list of 10,000 generated projects held almost as many kinds. On a generated list: 45 µs a
project weighing shared comparisons gate by gate, 26–30 µs part by part, 19–21 µs with plans
(a real-shaped list: 22 → 14 µs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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


#: the facts a part may read to be weighed once per kind of project: a list names few
#: industries (61 kinds in 3,000 generated rows, 54 in 3,000 real-shaped ones), and 46 of the
#: 59 parts read only them
KEYED = "industry."
#: plans remembered, one per kind of industry met; emptied when full
PLANS = 1024


@dataclass(frozen=True)
class _Plan:
    """What the parts that read only industry facts decide for one kind of project."""

    #: the rules one of those parts rules out
    out: frozenset[str]
    #: the rules those parts leave open with nothing else to weigh: whether all of them hold
    opened: dict[str, bool]
    #: every other gated rule, by the first part it has still to weigh: (that part, the rules
    #: it may rule out together, each with its further parts and whether its weighed ones hold)
    pending: tuple[tuple[int, frozenset[str], tuple[tuple[str, tuple[int, ...], bool], ...]], ...]


class GateIndex:
    """The rules whose gate is false on a project, and which groups of rules keep a live one."""

    def __init__(self, rulebook: Rulebook, groups: Sequence[frozenset[str]] = ()) -> None:
        numbered: dict[cond.Condition, int] = {}
        gates: list[tuple[str, tuple[int, ...]]] = []
        for rule in rulebook.rules:
            if rule.gate == cond.TRUE_CONDITION:
                continue
            parts = rule.gate.items if isinstance(rule.gate, cond.All) else (rule.gate,)
            gates.append((rule.id, tuple(numbered.setdefault(part, len(numbered))
                                         for part in parts)))
        self._parts = tuple(_compiled(part) for part in numbered)
        #: (rule id, the numbers of its gate's parts)
        self._gates = tuple(gates)
        self._keyed = tuple(number for number, part in enumerate(numbered)
                            if all(leaf.field.startswith(KEYED) for leaf in cond.leaves(part)))
        self._keyed_fields = tuple(sorted({leaf.field for part in numbered
                                           for leaf in cond.leaves(part)
                                           if leaf.field.startswith(KEYED)}))
        self._plans: dict[tuple[cond.Scalar | None, ...], _Plan] = {}
        self._groups = tuple(groups)

    def ruled_out(self, facts: Mapping[str, cond.Scalar]) -> GateReading:
        """The rules gated out, the gates left open, and the groups with a rule not gated out.

        Most gates fall at an industry part: those parts are weighed once for each kind of
        project (`_plan`); per project only the other parts of the rules left, each shared part
        once, and rules sharing the part they need next fall together."""
        key = tuple(map(facts.get, self._keyed_fields))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= PLANS:
                self._plans.clear()
            plan = self._plans[key] = self._plan(facts)
        parts = self._parts
        truths: dict[int, cond.Truth] = {}
        out = set(plan.out)
        opened = dict(plan.opened)
        for first, rule_ids, gated in plan.pending:
            truth = truths.get(first)
            if truth is None:
                truth = truths[first] = parts[first](facts)
            if truth is _FALSE:
                out |= rule_ids
                continue
            first_holds = truth is _TRUE
            for rule_id, numbers, holds in gated:
                holds = holds and first_holds
                for number in numbers:
                    truth = truths.get(number)
                    if truth is None:
                        truth = truths[number] = parts[number](facts)
                    if truth is _FALSE:
                        out.add(rule_id)
                        break
                    holds = holds and truth is _TRUE
                else:
                    opened[rule_id] = holds
        return GateReading(out, opened, tuple(index for index, group in enumerate(self._groups)
                                              if not group <= out))

    def _plan(self, facts: Mapping[str, cond.Scalar]) -> _Plan:
        truths = {number: self._parts[number](facts) for number in self._keyed}
        out: set[str] = set()
        opened: dict[str, bool] = {}
        by_first: dict[int, list[tuple[str, tuple[int, ...], bool]]] = {}
        for rule_id, numbers in self._gates:
            weighed = [truths[number] for number in numbers if number in truths]
            if any(truth is _FALSE for truth in weighed):
                out.add(rule_id)
                continue
            holds = all(truth is _TRUE for truth in weighed)
            left = [number for number in numbers if number not in truths]
            if left:
                by_first.setdefault(left[0], []).append((rule_id, tuple(left[1:]), holds))
            else:
                opened[rule_id] = holds
        return _Plan(frozenset(out), opened, tuple(
            (first, frozenset(rule_id for rule_id, _, _ in gated), tuple(gated))
            for first, gated in by_first.items()))


class GateReading(NamedTuple):
    """What a project's facts make of the gates."""

    #: the rules whose gate is false: not applicable, whatever else holds
    out: set[str]
    #: every other rule that has a gate: True when its gate holds, False when it is unknown
    #: (a fact it reads is missing)
    opened: dict[str, bool]
    #: the indices of the groups holding a rule not gated out
    live: tuple[int, ...]

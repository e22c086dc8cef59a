"""Which rules a project's industry, equipment and place rule out, before any engine is asked.

Every rule's gate (`CompiledRule.gate`: industry or equipment, jurisdiction) is a conjunction of
parts that many rules share: 213 parts over the rulebook, 59 of them distinct (one industry
list, one document's jurisdiction). A gate is false as soon as one part is, so each distinct
part is evaluated at most once per project, and only when a gate still needs it: most gates
fall at their first part, the industry. The parts share their comparisons too (75 distinct):
each is made once per project and the parts are weighed over their truths. A memo of whole
projects did not pay: a list of 10,000 generated projects held almost as many kinds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

from compliance import conditions as cond
from compliance.rulebook import Rulebook

#: a part over the comparisons' truths: a comparison's number, or (is it `all`, its items)
Node: TypeAlias = "int | tuple[bool, tuple[Node, ...]]"
_FALSE, _TRUE, _UNKNOWN = cond.Truth.FALSE, cond.Truth.TRUE, cond.Truth.UNKNOWN


def _numbered(condition: cond.Condition, leaves: dict[cond.Compare, int]) -> Node:
    """The condition over numbered comparisons, negation pushed into them."""
    condition = cond.normalise(condition)
    if isinstance(condition, cond.Compare):
        return leaves.setdefault(condition, len(leaves))
    assert not isinstance(condition, cond.Not), "negation normal form expected"
    return (isinstance(condition, cond.All),
            tuple(_numbered(item, leaves) for item in condition.items))


def _weigh(node: Node, truths: list[cond.Truth]) -> cond.Truth:
    """Kleene's `all` / `any` over the comparisons' truths (as `conditions.evaluate`)."""
    if isinstance(node, int):
        return truths[node]
    is_all, items = node
    decisive, result = (_FALSE, _TRUE) if is_all else (_TRUE, _FALSE)
    for item in items:
        truth = _weigh(item, truths)
        if truth is decisive:
            return decisive
        if truth is _UNKNOWN:
            result = _UNKNOWN
    return result


class GateIndex:
    """The rules whose gate is false on a project, and which groups of rules keep a live one."""

    def __init__(self, rulebook: Rulebook, groups: Sequence[frozenset[str]] = ()) -> None:
        numbered: dict[cond.Condition, int] = {}
        #: (rule id, the numbers of its gate's parts), the parts in `self._parts`
        self._gates: list[tuple[str, tuple[int, ...]]] = []
        for rule in rulebook.rules:
            if rule.gate == cond.TRUE_CONDITION:
                continue
            parts = rule.gate.items if isinstance(rule.gate, cond.All) else (rule.gate,)
            self._gates.append((rule.id, tuple(numbered.setdefault(part, len(numbered))
                                               for part in parts)))
        leaves: dict[cond.Compare, int] = {}
        self._parts = tuple(_numbered(part, leaves) for part in numbered)
        self._leaves = tuple((leaf.field, leaf.op, leaf.value) for leaf in leaves)
        self._groups = tuple(groups)

    def ruled_out(self, facts: Mapping[str, cond.Scalar]) -> tuple[set[str], tuple[int, ...]]:
        """The ids of the rules gated out, and the indices of the groups with a rule that is not."""
        compared = [cond.compare(facts.get(field), op, value) for field, op, value in self._leaves]
        truths: list[cond.Truth | None] = [None] * len(self._parts)
        out: set[str] = set()
        for rule_id, numbers in self._gates:
            for number in numbers:
                truth = truths[number]
                if truth is None:
                    truth = truths[number] = _weigh(self._parts[number], compared)
                if truth is cond.Truth.FALSE:
                    out.add(rule_id)
                    break
        return out, tuple(index for index, group in enumerate(self._groups)
                          if not group <= out)

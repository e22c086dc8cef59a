"""Which rules a project's industry, equipment and place rule out, decided once per kind of project.

Every rule's gate (`CompiledRule.gate`: industry or equipment, jurisdiction) is a tree over a
few dozen comparisons shared by all rules. A gate's truth is a function of those comparisons'
truths alone, so the rules a project rules out are memoised keyed by the vector of them: a
list of thousands of projects has a few dozen kinds (industry × place × equipment stated), and
for each kind the gates are evaluated once. Evaluating every gate for every project was a third
of the durable backend's time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from compliance import conditions as cond
from compliance.rulebook import Rulebook

#: kinds of project remembered; past this the memo starts again (a list has far fewer)
MAX_KINDS = 1024


class GateIndex:
    """The rules whose gate is false on a project, and which groups of rules keep a live one."""

    def __init__(self, rulebook: Rulebook, groups: Sequence[frozenset[str]] = ()) -> None:
        self._gates = [(rule.id, rule.gate) for rule in rulebook.rules
                       if rule.gate != cond.TRUE_CONDITION]
        self._leaves = tuple(sorted({leaf for _, gate in self._gates for leaf in cond.leaves(gate)},
                                    key=repr))
        self._groups = tuple(groups)
        self._kinds: dict[tuple[cond.Truth, ...], tuple[frozenset[str], tuple[int, ...]]] = {}

    def ruled_out(self, facts: Mapping[str, cond.Scalar]) -> tuple[frozenset[str], tuple[int, ...]]:
        """The ids of the rules gated out, and the indices of the groups with a rule that is not."""
        kind = tuple(cond.compare(facts.get(leaf.field), leaf.op, leaf.value)
                     for leaf in self._leaves)
        found = self._kinds.get(kind)
        if found is None:
            if len(self._kinds) >= MAX_KINDS:
                self._kinds.clear()
            out = frozenset(rule_id for rule_id, gate in self._gates
                            if cond.evaluate(gate, facts) is cond.Truth.FALSE)
            live = tuple(index for index, group in enumerate(self._groups) if group - out)
            found = self._kinds[kind] = (out, live)
        return found

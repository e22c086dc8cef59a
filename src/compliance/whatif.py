"""What would make a broken rule pass: the fewest fact changes, read off its condition and proven.

For a failing (or reviewed) rule, the violation condition is true; it is made false by making one
item of an `all` false, or every item of an `any` false, down to comparisons, each negated
(`炭化室高度 ≤ 4.3 米` → `> 4.3 米`). Every proposal is applied to a copy of the form and the rule
is decided again: only a change that really makes the rule pass is offered, and a bare 以下
threshold whose number itself is reviewed is offered strictly above it. Facts that place or
classify the project (where it is, its industry) are not offered: a remedy is a change to the
project, not to its filing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from compliance import conditions as cond
from compliance.engine.base import Outcome
from compliance.engine.python_backend import decide
from compliance.explain import label, number_text
from compliance.fields import UNIT_LABELS_ZH, catalogue
from compliance.formdict import set_path
from compliance.numbers import QUANTUM
from compliance.reference import place_from_code
from compliance.result import FactChange
from compliance.rulebook import CompiledRule

#: an alternative: the comparisons to make true, as (fact, op, value)
Alternative = tuple[cond.Compare, ...]
#: derived facts a change is proposed on, and the form field that changes them
_DERIVED_CHANGES = {"capacity.net_added": "capacity.retired",
                    "capacity.net_added_tpa": "capacity.retired"}
_NOT_OFFERED = ("location.province", "location.city", "location.county", "location.admin_code",
                "region.", "industry", "project_type")
#: facts of where the retired capacity was: changed through capacity.retired_location, with the
#: project's own place as the witness (capacity retired where the project is)
_RETIRED_PLACE = "capacity.retired_"
#: changes that amount to not building the project, offered last
_LAST_RESORT = ("capacity.new",)
SYMBOL = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def what_if(rule: CompiledRule, values: dict[str, Any], form: dict[str, Any],
            recheck: Callable[[dict[str, Any]], dict[str, Any]]) -> list[FactChange]:
    """The fewest changes that make `rule` pass, proven by deciding it again on the changed
    form (`recheck` derives the facts of a form); [] when none can be offered."""
    violation = cond.normalise(rule.violation)
    ranked = _ranked(_falsify(violation, values))
    preferred = [alt for alt in ranked if not any(map(_removes, alt))]
    last = [alt for alt in ranked if any(map(_removes, alt))]
    for group in (preferred, last):  # removing what the rule is about only when nothing else
        found = _first_clear(rule, form, group, values, recheck)
        if found is not None:
            return _changes(found, values)
    return []


def _first_clear(rule: CompiledRule, form: dict[str, Any], group: list[Alternative],
                 values: dict[str, Any], recheck: Callable[[dict[str, Any]], dict[str, Any]]
                 ) -> Alternative | None:
    """The first alternative that makes the rule pass; one that only ends in review is tried
    again with the review condition made false too."""
    reviewed: list[tuple[Alternative, dict[str, Any]]] = []
    for alternative in group:
        for candidate in _tightened(alternative, rule):
            outcome, facts = _decided(rule, form, candidate, values, recheck)
            if outcome is Outcome.CLEAR:
                return candidate
            if outcome is Outcome.REVIEW:
                reviewed.append((candidate, facts))
    for candidate, facts in reviewed:
        for extra in _ranked(_falsify(cond.normalise(rule.review), facts)) if rule.review else ():
            if _decided(rule, form, candidate + extra, values, recheck)[0] is Outcome.CLEAR:
                return candidate + extra
    return None


def _ranked(alternatives: list[Alternative]) -> list[Alternative]:
    """Fewest changes first; not building the project, or removing the equipment a rule is
    about (熟料线规模 ≤ 0), last of all."""
    return sorted(alternatives, key=lambda alternative: (
        sum(_removes(leaf) for leaf in alternative), len(alternative)))


def _removes(leaf: cond.Compare) -> bool:
    return leaf.field in _LAST_RESORT or (leaf.op in ("<", "<=") and leaf.value == 0
                                          and leaf.field not in _DERIVED_CHANGES)


def _decided(rule: CompiledRule, form: dict[str, Any], candidate: Alternative,
             values: dict[str, Any], recheck: Callable[[dict[str, Any]], dict[str, Any]]
             ) -> tuple[Outcome | None, dict[str, Any]]:
    changed = _apply(form, candidate, values)
    if changed is None:
        return None, {}
    try:
        facts = recheck(changed)
    except ValueError:  # the changed form is refused (InputError is a ValueError)
        return None, {}
    return decide(rule, facts), facts


def _changes(candidate: Alternative, values: dict[str, Any]) -> list[FactChange]:
    """The changes in words; where the retired capacity was, once, as the project's own place."""
    changes = [_change(leaf, values) for leaf in candidate
               if not leaf.field.startswith(_RETIRED_PLACE)]
    if any(leaf.field.startswith(_RETIRED_PLACE) for leaf in candidate):
        own = values.get("location.county_code") or values.get("location.city_code")
        place = place_from_code(str(own)).full_name
        changes.append(FactChange(
            field="capacity.retired_location", label=label("capacity.retired_location", "zh"),
            op="==", value=str(own), text=f"置换淘汰的产能位于本项目所在地（{place}）或规定的同一区域内"))
    return changes


def _falsify(condition: cond.Condition, values: dict[str, Any]) -> list[Alternative]:
    """Ways to make a true (or unknown) condition false, each a set of negated comparisons."""
    if isinstance(condition, cond.Compare):
        if condition.field.startswith(_NOT_OFFERED) or condition.op == "exists":
            return []
        if cond.compare(values.get(condition.field), condition.op,
                        condition.value) is cond.Truth.FALSE:
            return [()]
        if condition.op == "==" and isinstance(condition.value, Decimal):
            # off an exact number (a bare 以下 threshold reviewed at the number): either side
            return [(cond.Compare(condition.field, ">", condition.value),),
                    (cond.Compare(condition.field, "<", condition.value),)]
        return [(_negated(condition),)]
    truths = [cond.evaluate(item, values) for item in condition.items]
    if isinstance(condition, cond.All):
        if cond.Truth.FALSE in truths:
            return [()]
        return [alt for item in condition.items for alt in _falsify(item, values)]
    options = [_falsify(item, values) for item, truth in zip(condition.items, truths, strict=True)
               if truth is not cond.Truth.FALSE]
    if any(not option for option in options):
        return []
    return [tuple(itertools.chain.from_iterable(combo))
            for combo in itertools.product(*(sorted(option, key=len)[:2] for option in options))]


def _negated(leaf: cond.Compare) -> cond.Compare:
    return cond.Compare(leaf.field, cond.NEGATED_OP[leaf.op], leaf.value)  # type: ignore[arg-type]


def _tightened(alternative: Alternative, rule: CompiledRule) -> Iterator[Alternative]:
    """The alternative, then with `>=`/`<=` made strict: at a bare 以下 threshold the number
    itself is reviewed, so only strictly beyond it passes."""
    yield alternative
    strict = {">=": ">", "<=": "<"}
    if rule.review is not None and any(leaf.op in strict for leaf in alternative):
        yield tuple(cond.Compare(leaf.field, strict.get(leaf.op, leaf.op), leaf.value)  # type: ignore[arg-type]
                    for leaf in alternative)


def _apply(form: dict[str, Any], alternative: Alternative,
           values: dict[str, Any]) -> dict[str, Any] | None:
    """The form with a witness value for each comparison, or None when one cannot be set."""
    changed = _copied(form)
    for leaf in alternative:
        if leaf.field.startswith(_RETIRED_PLACE) and leaf.field != "capacity.retired_location":
            own = values.get("location.county_code") or values.get("location.city_code")
            if own is None:
                return None
            set_path(changed, "capacity.retired_location", own)
            continue
        path = _DERIVED_CHANGES.get(leaf.field, leaf.field)
        witness = _witness(leaf, values)
        if witness is None or path not in catalogue():
            return None
        if path.startswith("fuel."):
            fuels = [fuel for fuel in changed.get("fuel") or [] if fuel != path[5:]]
            if witness is True:
                fuels.append(path[5:])
            changed["fuel"] = fuels
            continue
        spec = catalogue()[path]
        if spec.derived:
            return None
        set_path(changed, path, float(witness) if isinstance(witness, Decimal) else witness)
    return changed


def _copied(value: Any) -> Any:
    """A copy of a form as JSON holds it (dicts, lists, scalars): `copy.deepcopy` without the
    memo and dispatch it does not need, in a third of its time."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _witness(leaf: cond.Compare, values: dict[str, Any]) -> Any:
    """A value that makes the comparison true; for net added capacity, the retired amount."""
    value = leaf.value
    if leaf.field in _DERIVED_CHANGES:
        new = values.get("capacity.new" if leaf.field == "capacity.net_added"
                         else "capacity.new_tpa")
        if new is None or leaf.op not in ("<=", "<") or not isinstance(value, Decimal):
            return None
        needed = new - value + (QUANTUM if leaf.op == "<" else 0)
        if leaf.field == "capacity.net_added_tpa":
            return None  # tonnes per year back into the form's own unit: not offered
        return needed
    if leaf.op == "==":
        return value
    if leaf.op == "!=":
        return _other_choice(leaf)
    if not isinstance(value, Decimal):
        return None
    return {">": value + QUANTUM, ">=": value, "<": value - QUANTUM, "<=": value}.get(leaf.op)


def _other_choice(leaf: cond.Compare) -> Any:
    if isinstance(leaf.value, bool):
        return not leaf.value
    spec = catalogue().get(leaf.field)
    choices = [c for c in (spec.choices if spec else ()) if c not in (leaf.value, "none")]
    return choices[0] if choices else None


def _change(leaf: cond.Compare, values: dict[str, Any]) -> FactChange:
    """How the change reads: `焦炉炭化室高度 > 4.3 米`, `置换淘汰产能 ≥ 100 万吨/年`."""
    field = _DERIVED_CHANGES.get(leaf.field, leaf.field)
    spec = catalogue().get(field)
    name = label(field, "zh")
    if leaf.field in _DERIVED_CHANGES:
        needed = _witness(leaf, values)
        op, shown = (">=" if leaf.op == "<=" else ">"), _number(needed, spec, values)
        if leaf.op == "<":
            op, shown = ">", _number(needed - QUANTUM, spec, values)
    elif isinstance(leaf.value, bool):
        wanted = leaf.value if leaf.op == "==" else not leaf.value
        return FactChange(field=field, label=name, op="==", value=wanted,
                          text=f"{name}：{'是' if wanted else '否'}")
    elif isinstance(leaf.value, Decimal):
        op, shown = leaf.op, _number(leaf.value, spec, values)
    else:
        op = leaf.op
        shown = spec.choice_label_zh(str(leaf.value)) if spec and spec.enum else str(leaf.value)
    value = float(leaf.value) if isinstance(leaf.value, Decimal) else leaf.value
    return FactChange(field=field, label=name, op=op, value=value,
                      text=f"{name} {SYMBOL[op]} {shown}")


def _number(value: Decimal, spec: Any, values: dict[str, Any]) -> str:
    if spec is not None and spec.unit:
        unit = spec.unit_zh()
    else:
        written = str(values.get("capacity.unit", ""))
        unit = UNIT_LABELS_ZH.get(written, written)
    return f"{number_text(value)} {unit}".rstrip()

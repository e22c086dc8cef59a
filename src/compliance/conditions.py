"""The condition language: a declarative tree of `all` / `any` / `not` over `field op value`.

Conditions are data (never executed strings). Both backends evaluate the same tree with
three-valued (Kleene) logic: a comparison on a missing fact is *unknown*, never false, so a missing
fact can only ever lead to `needs_info`, not to `pass`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Literal, TypeAlias

Scalar: TypeAlias = bool | str | Decimal
Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in", "exists"]

ORDER_OPS = frozenset({"<", "<=", ">", ">="})
NEGATED_OP: dict[str, str] = {
    "==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<", "in": "not_in",
    "not_in": "in",
}


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def __invert__(self) -> Truth:
        return _INVERSE[self]


_INVERSE = {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE, Truth.UNKNOWN: Truth.UNKNOWN}


@dataclass(frozen=True, slots=True)
class Compare:
    """`field op value`; for `in` / `not_in` the value is a tuple, for `exists` a bool."""

    field: str
    op: Op
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Any:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


Condition: TypeAlias = Compare | All | Any | Not
Facts: TypeAlias = Mapping[str, Scalar]

TRUE_CONDITION = All(())


def compare(fact: Scalar | None, op: str, value: Scalar | tuple[Scalar, ...]) -> Truth:
    """One comparison in three-valued logic: any test on a missing fact is unknown."""
    if op == "exists":
        return Truth.TRUE if (fact is not None) == value else Truth.FALSE
    if fact is None:
        return Truth.UNKNOWN
    if op == "==":
        result = fact == value
    elif op == "!=":
        result = fact != value
    elif op == "in":
        result = fact in value  # type: ignore[operator]
    elif op == "not_in":
        result = fact not in value  # type: ignore[operator]
    else:
        result = _ordered(fact, op, value)
    return Truth.TRUE if result else Truth.FALSE


def _ordered(fact: Scalar, op: str, value: object) -> bool:
    left, right = Decimal(fact), Decimal(value)  # type: ignore[arg-type]
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def evaluate(condition: Condition, facts: Facts) -> Truth:
    """Kleene evaluation: `all` is false as soon as one item is false (the rest are not
    evaluated: nothing they say could change it), true when all are; `any` the other way."""
    if isinstance(condition, Compare):
        return compare(facts.get(condition.field), condition.op, condition.value)
    if isinstance(condition, Not):
        return ~evaluate(condition.item, facts)
    decisive, result = (Truth.FALSE, Truth.TRUE) if isinstance(condition, All) else (
        Truth.TRUE, Truth.FALSE)
    for item in condition.items:
        truth = evaluate(item, facts)
        if truth is decisive:
            return decisive
        if truth is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def negate(condition: Condition) -> Condition:
    """The negation in negation normal form: `not` only ever disappears into the leaves.

    The engine has no `not` over a missing field (a missing field never matches, not even `!=`),
    so pushing negation to the comparisons keeps the compiled rule three-valued like `evaluate`.
    """
    if isinstance(condition, Compare):
        if condition.op == "exists":
            return Compare(condition.field, "exists", not condition.value)
        return Compare(condition.field, NEGATED_OP[condition.op], condition.value)  # type: ignore[arg-type]
    if isinstance(condition, Not):
        return normalise(condition.item)
    if isinstance(condition, All):
        return Any(tuple(negate(item) for item in condition.items))
    return All(tuple(negate(item) for item in condition.items))


def normalise(condition: Condition) -> Condition:
    """Negation normal form, without changing meaning."""
    if isinstance(condition, Not):
        return negate(condition.item)
    if isinstance(condition, Compare):
        return condition
    return type(condition)(tuple(normalise(item) for item in condition.items))


def conjunction(*conditions: Condition) -> Condition:
    """`all` of the given conditions, flattening nested `all`s and dropping empty ones."""
    items: list[Condition] = []
    for condition in conditions:
        items.extend(condition.items if isinstance(condition, All) else (condition,))
    return items[0] if len(items) == 1 else All(tuple(items))


def leaves(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, Not):
        yield from leaves(condition.item)
    else:
        for item in condition.items:
            yield from leaves(item)


def depth(condition: Condition) -> int:
    if isinstance(condition, Compare):
        return 0
    if isinstance(condition, Not):
        return depth(condition.item)
    return 1 + max((depth(item) for item in condition.items), default=0)


def max_true_branches(condition: Condition) -> int:
    """An upper bound on the disjunctive branches that can be true at once.

    The engine fires a rule once per true `or` branch, and refuses more than 64 at once; an `in`
    over one scalar fact is an `or` of equalities of which at most one can hold.
    """
    if isinstance(condition, Compare):
        return 1
    if isinstance(condition, Not):
        return max_true_branches(normalise(condition))
    counts = [max_true_branches(item) for item in condition.items]
    if isinstance(condition, Any):
        return sum(counts)
    product = 1
    for count in counts:
        product *= count
    return product


def undecided_fields(condition: Condition, facts: Facts) -> list[str]:
    """The missing facts that keep an unknown condition from being decided, in tree order."""
    if evaluate(condition, facts) is not Truth.UNKNOWN:
        return []
    if isinstance(condition, Compare):
        return [condition.field]
    items = (condition.item,) if isinstance(condition, Not) else condition.items
    seen: dict[str, None] = {}
    for item in items:
        seen.update(dict.fromkeys(undecided_fields(item, facts)))
    return list(seen)

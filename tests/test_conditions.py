"""The condition language's three-valued logic and its negation normal form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance import conditions as cond
from compliance.conditions import All, Any, Compare, Not, Truth

H = "technology.coke_oven_chamber_height_m"
PARK = "location.in_chemical_park"


def test_comparison_on_a_missing_fact_is_unknown_even_not_equal():
    assert cond.evaluate(Compare(H, "<=", Decimal("4.3")), {}) is Truth.UNKNOWN
    assert cond.evaluate(Compare(PARK, "!=", True), {}) is Truth.UNKNOWN
    assert cond.evaluate(Compare(PARK, "exists", False), {}) is Truth.TRUE


def test_boundaries_are_exact():
    at = {H: Decimal("4.3")}
    assert cond.evaluate(Compare(H, "<=", Decimal("4.3")), at) is Truth.TRUE
    assert cond.evaluate(Compare(H, "<", Decimal("4.3")), at) is Truth.FALSE
    assert cond.evaluate(Compare(H, "<=", Decimal("4.3")), {H: Decimal("4.31")}) is Truth.FALSE


def test_kleene_all_and_any():
    unknown, true, false = Compare(H, ">", Decimal(1)), Compare(PARK, "==", True), Compare(
        PARK, "==", False)
    facts = {PARK: True}
    assert cond.evaluate(All((unknown, false)), facts) is Truth.FALSE
    assert cond.evaluate(All((unknown, true)), facts) is Truth.UNKNOWN
    assert cond.evaluate(Any((unknown, true)), facts) is Truth.TRUE
    assert cond.evaluate(Any((unknown, false)), facts) is Truth.UNKNOWN
    assert cond.evaluate(Not(unknown), facts) is Truth.UNKNOWN


def test_undecided_fields_name_only_what_matters():
    condition = All((Compare(H, "<=", Decimal("4.3")), Compare(PARK, "==", False)))
    assert cond.undecided_fields(condition, {PARK: True}) == []  # decided: false
    assert cond.undecided_fields(condition, {PARK: False}) == [H]


FIELDS = ["a", "b", "c"]
leaf_strategy = st.builds(
    Compare, st.sampled_from(FIELDS), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
    st.sampled_from([Decimal(0), Decimal(1), Decimal(2)]))
tree_strategy = st.recursive(
    leaf_strategy,
    lambda children: st.one_of(
        st.builds(lambda items: All(tuple(items)), st.lists(children, max_size=3)),
        st.builds(lambda items: Any(tuple(items)), st.lists(children, max_size=3)),
        st.builds(Not, children)),
    max_leaves=8)
facts_strategy = st.dictionaries(st.sampled_from(FIELDS),
                                 st.sampled_from([Decimal(0), Decimal(1), Decimal(2)]))


@pytest.mark.slow
@given(tree_strategy, facts_strategy)
def test_negation_normal_form_preserves_three_valued_meaning(tree, facts):
    assert cond.evaluate(cond.normalise(tree), facts) is cond.evaluate(tree, facts)
    assert cond.evaluate(cond.negate(tree), facts) is ~cond.evaluate(tree, facts)
    assert not any(isinstance(node, Not) for node in _nodes(cond.normalise(tree)))


def _nodes(tree):
    yield tree
    if isinstance(tree, Not):
        yield from _nodes(tree.item)
    elif not isinstance(tree, Compare):
        for item in tree.items:
            yield from _nodes(item)


def _kleene_table(tree, facts) -> Truth:
    """Kleene's tables as written: every item weighed, then min (all) or max (any) of
    false < unknown < true."""
    if isinstance(tree, Compare):
        return cond.compare(facts.get(tree.field), tree.op, tree.value)
    if isinstance(tree, Not):
        return {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE}.get(
            _kleene_table(tree.item, facts), Truth.UNKNOWN)
    rank = [Truth.FALSE, Truth.UNKNOWN, Truth.TRUE]
    truths = [rank.index(_kleene_table(item, facts)) for item in tree.items]
    if isinstance(tree, All):
        return rank[min(truths, default=2)]
    return rank[max(truths, default=0)]


@given(tree_strategy, facts_strategy)
def test_evaluation_that_stops_at_the_first_decisive_item_follows_kleenes_tables(tree, facts):
    assert cond.evaluate(tree, facts) is _kleene_table(tree, facts)

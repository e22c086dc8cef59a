"""The gate index: the rules a project's industry, equipment and place rule out (each shared
part of a gate weighed once), and the rulesets not asked because none of their rules is left."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import conditions as cond
from compliance.checker import Checker
from compliance.engine import durable_backend, gates, rulesets
from compliance.engine.gates import GateIndex, _compiled
from tests.engine.conftest import synthetic_rule
from tests.strategies import forms


@pytest.fixture(scope="module")
def checker():
    with Checker(engine="python") as made:
        yield made


@pytest.fixture(scope="module")
def index(checker):
    return GateIndex(checker.rulebook)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(form=forms())
def test_the_index_rules_out_what_each_gate_says(checker, index, form) -> None:
    try:
        facts = checker.facts(form).values
    except Exception:  # a form the checker refuses has no facts to gate
        return
    gates = {rule.id: cond.evaluate(rule.gate, facts) for rule in checker.rulebook.rules
             if rule.gate != cond.TRUE_CONDITION}
    reading = index.ruled_out(facts)
    assert reading.out == {rule_id for rule_id, truth in gates.items() if truth is cond.Truth.FALSE}
    assert reading.opened == {rule_id: truth is cond.Truth.TRUE
                              for rule_id, truth in gates.items() if truth is not cond.Truth.FALSE}


def test_a_gate_reads_false_true_or_unknown(make_rulebook) -> None:
    rules = [synthetic_rule(1, None, industries=("coking",)),
             synthetic_rule(2, None, industries=("cement",)),
             synthetic_rule(3, None, industries=("*",))]  # no gate: in neither
    index = GateIndex(make_rulebook(rules))
    reading = index.ruled_out({"industry.coking": True, "industry.cement": False})
    assert reading.out == {"synthetic/r2"} and reading.opened == {"synthetic/r1": True}
    reading = index.ruled_out({"industry.coking": True})  # whether it is cement is not known
    assert reading.out == set()
    assert reading.opened == {"synthetic/r1": True, "synthetic/r2": False}


def test_a_kind_of_industry_is_planned_once_and_each_place_weighed_again(make_rulebook,
                                                                        monkeypatch) -> None:
    """The industry parts are remembered by the industry facts alone: two projects of one
    industry in different places each get their own place's reading, and the plans kept are
    bounded."""
    monkeypatch.setattr(gates, "PLANS", 2)
    henan = {"field": "location.province_code", "op": "==", "value": "410000"}
    index = GateIndex(make_rulebook([synthetic_rule(1, None, industries=("coking",)),
                                     synthetic_rule(2, None, industries=("*",))],
                                    jurisdiction=henan))
    coking = {"industry.coking": True}
    in_henan = index.ruled_out({**coking, "location.province_code": "410000"})
    in_hebei = index.ruled_out({**coking, "location.province_code": "130000"})
    unknown_place = index.ruled_out(coking)
    assert in_henan.out == set()
    assert in_henan.opened == {"synthetic/r1": True, "synthetic/r2": True}
    assert in_hebei.out == {"synthetic/r1", "synthetic/r2"} and in_hebei.opened == {}
    assert unknown_place.opened == {"synthetic/r1": False, "synthetic/r2": False}
    for industry in ("cement", "steel", "glass"):
        other = index.ruled_out({f"industry.{industry}": True, "industry.coking": False,
                                 "location.province_code": "410000"})
        assert other.out == {"synthetic/r1"} and other.opened == {"synthetic/r2": True}
        assert len(index._plans) <= 2


def test_a_ruleset_whose_rules_are_all_out_of_reach_is_not_asked(make_rulebook, monkeypatch):
    rules = [synthetic_rule(index, {"field": "capacity.net_added", "op": ">", "value": 0},
                            industries=(industry,))
             for index, industry in enumerate(("coking", "cement"), start=1)]
    monkeypatch.setattr(rulesets, "MAX_ENGINE_RULES", 3)  # one rule per ruleset
    backend = durable_backend.DurableBackend(make_rulebook(rules))
    asked: list[frozenset[str]] = []
    original = durable_backend._Session.evaluate

    def spy(session, body, fact_id):
        asked.append(session.rule_ids)
        return original(session, body, fact_id)

    monkeypatch.setattr(durable_backend._Session, "evaluate", spy)
    try:
        outcomes = backend.evaluate({"industry.coking": True, "industry.cement": False,
                                     "capacity.net_added": Decimal(5)})
    finally:
        backend.close()
    assert asked == [frozenset({"synthetic/r1"})]
    assert outcomes == {"synthetic/r1": durable_backend.Outcome.VIOLATED,
                        "synthetic/r2": durable_backend.Outcome.NOT_APPLICABLE}


def test_rules_about_the_same_things_share_rulesets(checker) -> None:
    """Rules whose gates first make the same comparisons (an industry group, a province) lie
    in consecutive rulesets, at most two for a topic of ten rules or fewer, so a project of
    one industry meets few rulesets."""
    made = rulesets.partition(checker.rulebook)
    where = {engine_rule.rule_id: number
             for number, ruleset in enumerate(made) for engine_rule in ruleset}
    by_topic: dict[tuple[str, ...], list[int]] = {}
    for rule in checker.rulebook.rules:
        by_topic.setdefault(rulesets._gate_topic(rule), []).append(where[rule.id])
    assert len(by_topic) > 20
    for topic, numbers in by_topic.items():
        spanned = set(numbers)
        assert max(spanned) - min(spanned) == len(spanned) - 1, topic
        assert len(numbers) > 10 or len(spanned) <= 2, topic
    assert len(set(by_topic[()])) == 1  # the rules every project meets: one ruleset


_FIELDS = ("industry.coking", "industry.steel", "technology.coal_fired_dryer_kiln")
_LEAVES = st.one_of(
    st.builds(cond.Compare, st.sampled_from(_FIELDS), st.just("=="), st.booleans()),
    st.builds(cond.Compare, st.sampled_from(_FIELDS), st.just("exists"), st.booleans()),
    st.builds(cond.Compare, st.just("capacity.new"), st.sampled_from(["<", ">=", "!="]),
              st.decimals(-5, 5, places=1)))
_CONDITIONS = st.recursive(_LEAVES, lambda items: st.one_of(
    st.builds(cond.All, st.lists(items, min_size=1, max_size=4).map(tuple)),
    st.builds(cond.Any, st.lists(items, min_size=1, max_size=4).map(tuple)),
    st.builds(cond.Not, items)), max_leaves=8)
_FACTS = st.fixed_dictionaries({}, optional={
    **{field: st.booleans() for field in _FIELDS}, "capacity.new": st.decimals(-5, 5, places=1)})


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(condition=_CONDITIONS, facts=_FACTS)
def test_a_compiled_part_weighs_as_the_evaluator(condition, facts) -> None:
    assert _compiled(condition)(facts) is cond.evaluate(condition, facts)

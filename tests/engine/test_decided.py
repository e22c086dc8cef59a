"""A ruleset decides each fact it is given once: the same fact again is answered from memory,
with the outcomes the engine gave it, and any difference in what the ruleset reads asks again."""

from __future__ import annotations

import pytest

from compliance.engine import Outcome, durable_backend
from compliance.numbers import exact
from tests.engine.conftest import synthetic_rule

HEIGHT = "technology.coke_oven_chamber_height_m"


def leaf(field: str, op: str, value: object) -> dict:
    return {"field": field, "op": op, "value": value}


@pytest.fixture
def asserted(make_rulebook, monkeypatch):
    """A backend of two rules, and the facts its rulesets were actually asserted."""
    rules = [synthetic_rule(1, leaf(HEIGHT, "<=", 4.3)),
             synthetic_rule(2, leaf("capacity.net_added", ">", 0),
                            where=leaf("energy.two_high_effective", "==", True))]
    backend = durable_backend.DurableBackend(make_rulebook(rules))
    facts: list[str] = []
    original = durable_backend._Session._drain

    def spy(session, fact, *rest):
        facts.append(fact)
        return original(session, fact, *rest)

    monkeypatch.setattr(durable_backend._Session, "_drain", spy)
    yield backend, facts
    backend.close()


def coking(**values: object) -> dict:
    return {"industry.coking": True, "project_type": "new",
            **{key: exact(value) if isinstance(value, int | float) and not isinstance(
                value, bool) else value for key, value in values.items()}}


def test_the_same_fact_is_asserted_once(asserted) -> None:
    backend, facts = asserted
    project = coking(**{HEIGHT: 4.3, "capacity.net_added": 5,
                        "energy.two_high_effective": True})
    first = backend.evaluate(project)
    assert first == {"synthetic/r1": Outcome.VIOLATED, "synthetic/r2": Outcome.VIOLATED}
    count = len(facts)
    assert count >= 1
    assert backend.evaluate(dict(project)) == first
    assert len(facts) == count


@pytest.mark.parametrize("change", [
    {HEIGHT: 6},  # a value read
    {"capacity.net_added": None},  # a value gone
    {"energy.two_high_effective": None},  # a gate unknown: its flag written otherwise
])
def test_a_fact_read_differently_is_asserted_again(asserted, change) -> None:
    backend, facts = asserted
    project = coking(**{HEIGHT: 4.3, "capacity.net_added": 5,
                        "energy.two_high_effective": True})
    backend.evaluate(project)
    count = len(facts)
    changed = {key: value for key, value in {**project, **coking(**change)}.items()
               if value is not None}
    outcomes = backend.evaluate(changed)
    assert len(facts) > count
    assert outcomes != {"synthetic/r1": Outcome.VIOLATED, "synthetic/r2": Outcome.VIOLATED}


def test_each_assertion_has_its_own_id(asserted) -> None:
    backend, facts = asserted
    backend.evaluate(coking(**{HEIGHT: 4.3}))
    backend.evaluate(coking(**{HEIGHT: 5}))
    assert len({fact.rsplit('"id": ', 1)[1] for fact in facts}) == len(facts) >= 2


def test_the_memory_is_bounded(asserted, monkeypatch) -> None:
    backend, facts = asserted
    monkeypatch.setattr(durable_backend, "DECIDED_SIZE", 2)
    for height in (4, 5, 6, 7):
        backend.evaluate(coking(**{HEIGHT: height}))
    assert all(len(session.decided) <= 2 for session in backend._sessions)
    count = len(facts)
    assert backend.evaluate(coking(**{HEIGHT: 4}))["synthetic/r1"] is Outcome.VIOLATED
    assert len(facts) == count + 1  # forgotten, so asked again


def test_a_ruleset_whose_facts_do_not_repeat_stops_remembering(asserted, monkeypatch) -> None:
    backend, facts = asserted
    monkeypatch.setattr(durable_backend, "DECIDED_SIZE", 4)
    for height in range(1, 7):  # four fill the memory, none answered from it: it stops
        backend.evaluate(coking(**{HEIGHT: height}))
    assert all(not session.remembering and not session.decided
               for session in backend._sessions)
    count = len(facts)
    backend.evaluate(coking(**{HEIGHT: 6}))
    assert len(facts) == count + 1


def test_a_ruleset_whose_facts_repeat_goes_on_remembering(asserted, monkeypatch) -> None:
    backend, facts = asserted
    monkeypatch.setattr(durable_backend, "DECIDED_SIZE", 4)
    for height in (1, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9):  # one in four answered, window after window
        backend.evaluate(coking(**{HEIGHT: height}))
    assert all(session.remembering for session in backend._sessions)
    count = len(facts)
    backend.evaluate(coking(**{HEIGHT: 9}))
    assert len(facts) == count

"""The 补正清单: each missing fact once, the ones that can still reject first (issue 12)."""

from __future__ import annotations

import datetime as dt

from compliance.questions import DECISIVE, OTHER, tier

AS_OF = dt.date(2024, 6, 1)
COKING = {"name": "焦化项目", "project_type": "new", "industry": "C2521",
          "technology": {"coke_oven_chamber_height_m": 6.25}}


def test_each_missing_fact_is_asked_once_and_the_place_first(checker) -> None:
    verdict = checker.check(COKING, as_of=AS_OF)
    fields = [question.field for question in verdict.questions]
    assert len(fields) == len(set(fields))
    assert fields[0] == "location"  # the place decides dozens of rules, some of which can fail
    place = verdict.questions[0]
    assert place.decisive and len(place.rules) > 20
    assert "location.city" not in fields  # the four place fields are one question
    waiting = {r.rule_id for r in verdict.results if r.status == "needs_info"}
    assert {rule for question in verdict.questions for rule in question.rules} == waiting


def test_decisive_facts_come_before_the_others(checker) -> None:
    verdict = checker.check({**COKING, "location": {"city": "安阳市"}}, as_of=AS_OF)
    flags = [question.decisive for question in verdict.questions]
    assert flags == sorted(flags, reverse=True)


def test_a_rule_that_can_no_longer_fail_is_not_decisive(checker) -> None:
    facts = checker.facts(COKING)
    rule = checker.rulebook.by_id["anyang-2019-19/coke-oven-4.3m"]
    assert tier(rule, facts) == OTHER  # 6.25 m: only the place is unknown, and it cannot fail
    low = checker.facts({**COKING, "technology": {"coke_oven_chamber_height_m": 4.3}})
    assert tier(rule, low) == DECISIVE


def test_questions_are_in_the_json_contract(checker) -> None:
    payload = checker.check(COKING, as_of=AS_OF).model_dump(mode="json")
    first = payload["questions"][0]
    assert set(first) == {"field", "label", "help", "rules", "decisive"}
    assert first["label"] == "建设地点"

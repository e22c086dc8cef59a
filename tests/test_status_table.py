"""Statuses looked up per stretch of days are the statuses worked out rule by rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine import Outcome
from compliance.rulebook import load_rulebook
from compliance.verdict import StatusTable, status_for


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


def _days_near_turns(rulebook) -> list[dt.date]:
    """Every day a rule comes into or goes out of force, and the days either side."""
    days = set()
    for rule in rulebook.rules:
        for day in (rule.valid_from, rule.valid_until):
            if day is not None:
                days |= {day + dt.timedelta(days=shift) for shift in (-1, 0, 1)}
    return sorted(days)


@pytest.mark.slow
def test_the_rulebook_has_rules_that_come_into_and_go_out_of_force(rulebook) -> None:
    assert len({rule.valid_from for rule in rulebook.rules}) > 1
    assert any(rule.valid_until for rule in rulebook.rules)


def test_every_day_near_a_turn_gives_each_rules_own_status(rulebook) -> None:
    table = StatusTable(rulebook.rules)
    for day in _days_near_turns(rulebook):
        looked_up = dict(table.on(day))
        for rule in rulebook.rules:
            for outcome in Outcome:
                assert looked_up[rule.id][outcome] == status_for(rule, outcome, day), (rule.id, day)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(days=st.lists(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
                     min_size=1, max_size=5))
def test_any_order_of_days_gives_each_rules_own_status(rulebook, days) -> None:
    table = StatusTable(rulebook.rules)  # tables made for earlier days must not leak into later
    for day in days:
        looked_up = dict(table.on(day))
        assert all(looked_up[rule.id][outcome] == status_for(rule, outcome, day)
                   for rule in rulebook.rules for outcome in Outcome)

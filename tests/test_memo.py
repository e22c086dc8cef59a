"""The memos: a verdict (or facts) made with warm memos is the verdict made afresh.

Results and their explanations are kept per rule, keyed by everything their wording reads
(`verdict._MEMO`); a key that missed an input would give one project another's words. So every
generated form is checked with the memos warmed by all the others and again with them empty.
"""

from __future__ import annotations

import dataclasses
import gc

import pytest
from hypothesis import HealthCheck, given, settings

from compliance import choices, places, verdict
from compliance.checker import Checker
from compliance.errors import InputError
from compliance.reference import resolve_industry, resolve_place
from compliance.rulebook import load_rulebook
from tests.strategies import forms

pytestmark = pytest.mark.slow

EXAMPLES = 400


@pytest.fixture(scope="module")
def checker():
    with Checker(engine="python") as made:
        yield made


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(form=forms())
def test_a_warm_memo_words_a_verdict_as_an_empty_one(checker, form) -> None:
    warm = checker.check(form)  # the memos hold every earlier example's wording
    kept = verdict._MEMO
    verdict._MEMO = {}
    try:
        cold = checker.check(form)
    finally:
        verdict._MEMO = kept
    assert warm.model_dump() == cold.model_dump()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(form=forms())
def test_warm_place_region_and_choice_memos_derive_the_facts_empty_ones_do(checker, form) -> None:
    try:
        warm = checker.facts(form)  # memos warmed by every earlier example
    except InputError as error:
        warm = error
    places._region_facts.cache_clear()
    choices._choice.cache_clear()
    resolve_place.cache_clear()
    resolve_industry.cache_clear()
    try:
        cold = checker.facts(form)
    except InputError as error:
        cold = error
    if isinstance(warm, InputError):
        assert isinstance(cold, InputError) and str(cold) == str(warm)
    else:
        assert not isinstance(cold, InputError) and cold == warm


def test_a_rules_memo_goes_with_the_rule() -> None:
    """Mutation testing makes thousands of short-lived rulebooks: their rules' memos must not
    stay behind, and a new rule never gets a dead one's memo."""
    rulebook = load_rulebook()
    before = len(verdict._MEMO)
    copies = [dataclasses.replace(rule) for rule in rulebook.rules[:5]]
    memos = [verdict._memo(rule) for rule in copies]
    assert len(verdict._MEMO) == before + 5
    assert [verdict._memo(rule) for rule in copies] == memos  # found again, not made anew
    assert all(verdict._memo(rule) is memo for rule, memo in zip(copies, memos, strict=True))
    del copies
    gc.collect()
    assert len(verdict._MEMO) == before

"""The memoised wording of results: a verdict made with warm memos is the verdict made afresh.

Results and their explanations are kept per rule, keyed by everything their wording reads
(`verdict._MEMO`); a key that missed an input would give one project another's words. So every
generated form is checked with the memos warmed by all the others and again with them empty.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import pytest
from hypothesis import HealthCheck, given, settings

from compliance import verdict
from compliance.checker import Checker
from tests.strategies import forms

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
    verdict._MEMO = WeakKeyDictionary()
    try:
        cold = checker.check(form)
    finally:
        verdict._MEMO = kept
    assert warm.model_dump() == cold.model_dump()

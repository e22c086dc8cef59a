"""The durable_rules backend and the plain-Python oracle agree on every generated form."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from compliance.engine import Outcome, create_backend
from compliance.facts import derive
from compliance.form import ProjectForm
from compliance.rulebook import load_rulebook
from tests.strategies import forms

pytestmark = pytest.mark.slow

EXAMPLES = 5_000


@pytest.fixture(scope="module")
def backends():
    rulebook = load_rulebook()
    engine, oracle = create_backend("durable", rulebook), create_backend("python", rulebook)
    seen: dict[Outcome, int] = {}
    yield engine, oracle, seen
    engine.close()
    # the generated forms must reach every outcome, or agreement would prove little
    assert set(seen) == set(Outcome), seen


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(form=forms())
def test_engine_agrees_with_oracle(backends, form):
    engine, oracle, seen = backends
    facts = derive(ProjectForm.model_validate(form)).values
    expected = oracle.evaluate(facts)
    assert engine.evaluate(facts) == expected
    for outcome in expected.values():
        seen[outcome] = seen.get(outcome, 0) + 1

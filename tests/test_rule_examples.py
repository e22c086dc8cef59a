"""Every example beside every rule holds, on both backends; every quote is verbatim."""

from __future__ import annotations

import pytest

from compliance.rulebook import load_rulebook
from compliance.rulebook.lint import example_as_of, example_form, lint_rule, load_sources, squeeze

RULEBOOK = load_rulebook()
CASES = [pytest.param(rule, example, id=f"{rule.id}::{example.name}")
         for rule in RULEBOOK.rules for example in rule.rule.examples]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_gives_its_expected_status(checker, rule, example):
    verdict = checker.check(example_form(example), as_of=example_as_of(example, rule))
    result = next(result for result in verdict.results if result.rule_id == rule.id)
    assert result.status == example.expect, result.explanation


@pytest.mark.parametrize("rule", RULEBOOK.rules, ids=lambda rule: rule.id)
def test_quote_is_verbatim_in_its_source(rule):
    sources = load_sources(RULEBOOK)
    assert squeeze(rule.rule.quote) in sources[rule.document.source]


@pytest.mark.parametrize("rule", RULEBOOK.rules, ids=lambda rule: rule.id)
def test_rule_lints_clean(rule):
    paths = {file.document.id: path for path, file in RULEBOOK.files}
    assert lint_rule(rule, paths[rule.document.id], load_sources(RULEBOOK)) == []

"""The linter catches each kind of broken rule, and a malformed file names file, rule, field."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from compliance.paths import rules_dir
from compliance.rulebook import RulebookError, load_rulebook
from compliance.rulebook.lint import lint

pytestmark = pytest.mark.slow

SOURCE = rules_dir() / "anyang-2019-19.yaml"


@pytest.fixture
def rule_dir(tmp_path: Path, monkeypatch):
    """A rules directory holding one real rule file, to be broken by each test."""
    shutil.copytree(rules_dir() / "sources", tmp_path / "sources")
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    data["rules"] = [copy.deepcopy(data["rules"][0])]
    # one rule cannot encode the whole document: coverage is tested in test_coverage.py
    data.pop("coverage", None)
    monkeypatch.setattr("compliance.rulebook.coverage.COVERAGE_REQUIRED", False)

    def write(mutate) -> Path:
        broken = copy.deepcopy(data)
        mutate(broken["rules"][0])
        (tmp_path / "doc.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True),
                                           encoding="utf-8")
        return tmp_path

    return write


def problems_of(directory: Path) -> list[str]:
    return [str(problem) for problem in lint(load_rulebook(directory))]


def test_the_unbroken_copy_is_clean(rule_dir):
    assert problems_of(rule_dir(lambda rule: None)) == []


def test_condition_on_a_field_the_form_does_not_have(rule_dir):
    def mutate(rule):
        rule["condition"] = {"field": "technology.oven_height", "op": "<=", "value": 4.3}
    assert any("unknown field 'technology.oven_height'" in p for p in problems_of(rule_dir(mutate)))


def test_type_mismatch(rule_dir):
    def mutate(rule):
        rule["condition"] = {"field": "technology.clinker_line_tpd", "op": "==", "value": "2000"}
    assert any("number field compared with str" in p for p in problems_of(rule_dir(mutate)))


def test_order_comparison_on_a_boolean(rule_dir):
    def mutate(rule):
        rule["condition"] = {"field": "location.in_chemical_park", "op": ">", "value": 1}
    assert any("needs a number field" in p for p in problems_of(rule_dir(mutate)))


def test_quote_not_verbatim(rule_dir):
    def mutate(rule):
        rule["quote"] = rule["quote"].replace("4.3", "4.5")
    assert any("not verbatim" in p for p in problems_of(rule_dir(mutate)))


def test_quote_differing_only_in_whitespace_is_verbatim(rule_dir):
    def mutate(rule):
        rule["quote"] = rule["quote"].replace(" ", "")
    assert problems_of(rule_dir(mutate)) == []


@pytest.mark.parametrize("missing", ["fail", "pass"])
def test_rule_without_fail_or_pass_examples(rule_dir, missing):
    def mutate(rule):
        rule["examples"] = [e for e in rule["examples"] if e["expect"] != missing]
    assert any(f"no example that gives '{missing}'" in p for p in problems_of(rule_dir(mutate)))


def test_example_that_does_not_hold(rule_dir, durable_checker):
    def mutate(rule):
        next(e for e in rule["examples"] if e["expect"] == "fail")["expect"] = "pass"
    directory = rule_dir(mutate)
    from compliance.checker import Checker

    with Checker(load_rulebook(directory), engine="python") as checker:
        found = [str(p) for p in lint(load_rulebook(directory), checker)]
    assert any("expected pass, got fail" in p for p in found)


def test_unknown_industry_key(rule_dir):
    def mutate(rule):
        rule["applies_to"]["industries"] = ["cokeing"]
    assert any("unknown industry key 'cokeing'" in p for p in problems_of(rule_dir(mutate)))


def test_malformed_file_stops_loading_naming_file_rule_and_field(rule_dir):
    def mutate(rule):
        rule["effect"] = "forbid"
    with pytest.raises(RulebookError) as caught:
        load_rulebook(rule_dir(mutate))
    message = str(caught.value)
    assert "doc.yaml" in message and "anyang-2019-19/coke-oven-4.3m" in message
    assert "effect" in message


def test_malformed_condition_is_refused_at_load(rule_dir):
    def mutate(rule):
        rule["condition"] = {"field": "technology.clinker_line_tpd", "value": 3}
    with pytest.raises(RulebookError, match="needs an op"):
        load_rulebook(rule_dir(mutate))


def test_equipment_rule_under_an_industry_list_must_say_its_scope(rule_dir):
    def mutate(rule):
        rule["applies_to"].pop("equipment")
    assert any("name the equipment that brings any industry in scope" in p
               for p in problems_of(rule_dir(mutate)))


def test_industry_limit_is_an_answer_to_the_scope_question(rule_dir):
    def mutate(rule):
        rule["applies_to"].pop("equipment")
        rule["applies_to"]["industry_limit"] = "原文只说独立焦化企业。"
        rule["examples"] = [e for e in rule["examples"] if e["form"]["industry"] != "C3110"]
    assert problems_of(rule_dir(mutate)) == []


def test_equipment_must_be_an_equipment_fact(rule_dir):
    def mutate(rule):
        rule["applies_to"]["equipment"] = ["location.riverside"]
    assert any("'location.riverside' is not an equipment fact" in p
               for p in problems_of(rule_dir(mutate)))


def test_equipment_and_industry_limit_together_are_refused(rule_dir):
    def mutate(rule):
        rule["applies_to"]["industry_limit"] = "两者矛盾"
    with pytest.raises(RulebookError, match="give one or the other"):
        load_rulebook(rule_dir(mutate))


def _with_definitions(directory: Path, definitions: list[dict]) -> Path:
    path = directory / "doc.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["document"]["definitions"] = definitions
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def test_a_definition_names_facts_the_form_has_and_each_term_once(rule_dir):
    directory = _with_definitions(rule_dir(lambda rule: None), [
        {"term": "两高", "meaning": "高耗能、高排放", "fields": ["energy.two_high"]},
        {"term": "两高", "meaning": "again", "fields": ["energy.too_high"]}])
    problems = problems_of(directory)
    assert any("definitions[两高]: term defined twice" in p for p in problems)
    assert any("unknown field 'energy.too_high'" in p for p in problems)
    assert len(problems) == 2


def test_a_definition_is_a_term_and_a_meaning(rule_dir):
    directory = _with_definitions(rule_dir(lambda rule: None), [{"term": "两高"}])
    with pytest.raises(RulebookError, match="meaning"):
        load_rulebook(directory)

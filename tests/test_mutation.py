"""Rule mutation testing: the operators, the judging, and the rulebook's score on a sample.

The gate (`test_rulebook_mutation_score_on_a_sample`) is what issue 6 asks of the rule files:
every mutant that no example notices is either killed by a new example or listed, with the
reason it is equivalent, in rules/mutation/mutants-equivalent.yaml.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from compliance import cli
from compliance import conditions as cond
from compliance.checker import Checker
from compliance.rulebook.book import Rulebook, compile_rule
from compliance.rulebook.lint import example_as_of, example_form
from compliance.rulebook.model import RuleFile
from compliance.rulebook.mutation.equivalents import (
    Equivalent,
    MutateError,
    equivalents_path,
    load_equivalents,
)
from compliance.rulebook.mutation.judge import Judge
from compliance.rulebook.mutation.mutants import apply, covering_key, mutants, step_of
from compliance.rulebook.mutation.run import run_mutation

#: the CI sample: the whole run takes well under a second today, the sample keeps it bounded
#: as the rule files grow
SAMPLE, SEED, THRESHOLD = 300, 6, 0.9

runner = CliRunner()


def _form(height: float, **extra: object) -> dict:
    return {"project_type": "new", "industry": "C2521",
            "location": {"city": "安阳市", "in_industrial_park": False},
            "technology": {"coke_oven_chamber_height_m": height}, "fuel": ["coal"], **extra}


SYNTHETIC = {
    "document": {
        "id": "test-doc", "title": "测试文件", "number": "测〔2020〕1号", "issuer": "测试",
        "issued": "2020-01-01", "source": "none.txt",
        "jurisdiction": {"name_zh": "安阳市", "condition": {
            "field": "location.city_code", "op": "==", "value": "410500"}},
    },
    "rules": [{
        "id": "test-doc/oven", "title": {"zh": "焦炉", "en": "ovens"}, "clause": "一、",
        "quote": "淘汰", "effect": "prohibit",
        "applies_to": {"industries": ["coking", "steel"], "project_types": ["new", "expansion"],
                       "where": {"field": "location.in_industrial_park", "op": "==",
                                 "value": False}},
        "valid_until": "2020-12-31",
        "condition": {"all": [
            {"field": "technology.coke_oven_chamber_height_m", "op": ">", "value": 0},
            {"field": "technology.coke_oven_chamber_height_m", "op": "<=", "value": 4.3},
            {"any": [{"field": "fuel.coal", "op": "==", "value": True},
                     {"field": "location.lake_basin", "op": "in", "value": ["taihu", "chaohu"]}]},
        ]},
        "review_if": {"field": "technology.coke_oven_chamber_height_m", "op": "<", "value": 5.5},
        "review_note": "需审查", "remedy": "整改",
        "examples": [
            {"name": "4.3米燃煤", "expect": "fail", "form": _form(4.3)},
            {"name": "6米", "expect": "pass", "form": _form(6.0)},
            {"name": "5米", "expect": "review", "form": _form(5.0)},
        ],
    }],
}

EXPECTED_IDS = {
    "applies_to.industries-drop[coking]", "applies_to.industries-drop[steel]",
    "applies_to.project_types-drop[new]", "applies_to.project_types-drop[expansion]",
    "applies_to.where-removed", "applies_to.where.op-negated",
    "jurisdiction-removed",
    "condition-removed",
    "condition.all[0]-removed", "condition.all[0].value+1step", "condition.all[0].value-1step",
    "condition.all[0].op-inclusive",
    "condition.all[1]-removed", "condition.all[1].value+1step", "condition.all[1].value-1step",
    "condition.all[1].op-strict",
    "condition.all[2]-removed", "condition.all[2].any[0]-removed",
    "condition.all[2].any[0].op-negated", "condition.all[2].any[1]-removed",
    "condition.all[2].any[1].value-drop[taihu]", "condition.all[2].any[1].value-drop[chaohu]",
    "review_if-removed", "review_if.value+1step", "review_if.value-1step",
    "review_if.op-inclusive",
    "valid_from-1day", "valid_from+1day", "valid_until-1day", "valid_until+1day",
    "effect-weakened[restrict]",
}


@pytest.fixture(scope="module")
def synthetic() -> Rulebook:
    rule_file = RuleFile.model_validate(SYNTHETIC)
    compiled = compile_rule(rule_file.rules[0], rule_file.document)
    return Rulebook(files=(), rules=(compiled,))


def by_id(rulebook: Rulebook) -> dict:
    return {m.mutation_id: m for m in mutants(rulebook.rules[0])}


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize(("written", "step"), [
    (4.3, "0.1"), (2000, "1"), (0.55, "0.01"), (0, "1"), (300000, "1"), (2000.0, "0.1"),
    (6.25, "0.01"), (Decimal("1.5"), "0.1"),
])
def test_step_is_the_precision_the_threshold_is_written_with(written, step):
    assert step_of(written)[1] == Decimal(step)


def test_every_operator_produces_its_mutant(synthetic):
    found = by_id(synthetic)
    assert set(found) == EXPECTED_IDS
    assert len(found) == len(mutants(synthetic.rules[0])), "mutation ids are unique"


def test_thresholds_are_nudged_by_one_step(synthetic):
    found = by_id(synthetic)
    assert found["condition.all[1].value+1step"].rule.violation.items[1] == cond.Compare(
        "technology.coke_oven_chamber_height_m", "<=", Decimal("4.4"))
    assert found["condition.all[1].value-1step"].rule.violation.items[1].value == Decimal("4.2")
    assert found["condition.all[0].value-1step"].rule.violation.items[0].value == Decimal("-1")
    assert found["review_if.value+1step"].rule.review == cond.Compare(
        "technology.coke_oven_chamber_height_m", "<", Decimal("5.6"))


def test_operators_swap_and_drop(synthetic):
    found = by_id(synthetic)
    assert found["condition.all[1].op-strict"].rule.violation.items[1].op == "<"
    assert found["condition.all[0].op-inclusive"].rule.violation.items[0].op == ">="
    assert found["review_if.op-inclusive"].rule.review.op == "<="
    any_node = found["condition.all[2].any[0].op-negated"].rule.violation.items[2]
    assert any_node.items[0] == cond.Compare("fuel.coal", "!=", True)
    lake = found["condition.all[2].any[1].value-drop[taihu]"].rule.violation.items[2].items[1]
    assert lake == cond.Compare("location.lake_basin", "in", ("chaohu",))
    removed = found["condition.all[2].any[0]-removed"].rule.violation.items[2]
    assert removed == cond.Any((cond.Compare("location.lake_basin", "in", ("taihu", "chaohu")),))
    assert len(found["condition.all[1]-removed"].rule.violation.items) == 2
    assert found["condition-removed"].rule.violation == cond.TRUE_CONDITION
    assert found["review_if-removed"].rule.review is None


def test_applicability_mutants(synthetic):
    original = synthetic.rules[0]
    found = by_id(synthetic)
    assert found["applies_to.industries-drop[coking]"].rule.rule.applies_to.industries == ["steel"]
    assert found["applies_to.project_types-drop[new]"].rule.rule.applies_to.project_types == [
        "expansion"]
    where_leaf = cond.Compare("location.in_industrial_park", "==", False)
    assert where_leaf in original.applicability.items
    assert where_leaf not in found["applies_to.where-removed"].rule.applicability.items
    jurisdiction = cond.Compare("location.city_code", "==", "410500")
    assert jurisdiction in original.applicability.items
    assert jurisdiction not in found["jurisdiction-removed"].rule.applicability.items
    # the rest of the rule, and the original, are untouched
    assert found["jurisdiction-removed"].rule.violation == original.violation
    assert original.document.jurisdiction.condition is not None


def test_validity_and_effect_mutants(synthetic):
    found = by_id(synthetic)
    assert str(found["valid_from-1day"].rule.valid_from) == "2019-12-31"
    assert str(found["valid_from+1day"].rule.valid_from) == "2020-01-02"
    assert str(found["valid_until-1day"].rule.valid_until) == "2020-12-30"
    assert str(found["valid_until+1day"].rule.valid_until) == "2021-01-01"
    assert found["effect-weakened[restrict]"].rule.rule.effect == "restrict"


def test_a_mutant_that_changes_nothing_visible_survives(synthetic):
    # `height > 1` instead of `> 0`: no example lies between 0 and 1
    report = run_mutation(synthetic, project_paths=[])
    outcome = {r.mutant.mutation_id: r.outcome for r in report.results}
    assert outcome["condition.all[0].value+1step"] == "survived"
    assert outcome["condition.all[1].op-strict"] == "killed"  # 4.3 m no longer fails
    assert outcome["effect-weakened[restrict]"] == "killed"
    assert outcome["condition-removed"] == "killed"  # the 6 m example would fail
    survivors = {r.mutant.mutation_id for r in report.survivors}
    assert "condition.all[0].value+1step" in survivors
    assert report.overall.killed + report.overall.survived == report.overall.mutants


def test_listed_equivalents_leave_the_score_and_stale_ones_are_reported(synthetic):
    base = run_mutation(synthetic, project_paths=[])
    survivor = base.survivors[0].mutant
    listed = {survivor.key: Equivalent(*survivor.key, "no form can tell"),
              ("test-doc/oven", "condition-removed"): Equivalent(
                  "test-doc/oven", "condition-removed", "wrongly listed"),
              ("test-doc/oven", "no-such-mutation"): Equivalent(
                  "test-doc/oven", "no-such-mutation", "renamed")}
    report = run_mutation(synthetic, project_paths=[], equivalents=listed)
    assert report.overall.equivalent == 1
    assert report.overall.survived == base.overall.survived - 1
    assert report.overall.score == report.overall.killed / (report.overall.mutants - 1)
    stale = {entry.mutation for entry, _ in report.stale}
    assert stale == {"condition-removed", "no-such-mutation"}


@pytest.mark.slow
def test_the_fast_judge_agrees_with_the_whole_mutant_rulebook(rulebook):
    """Judging the mutant rule alone equals running the python checker on the mutant rulebook."""
    judge = Judge(rulebook, [])
    every = [m for rule in rulebook.rules for m in mutants(rule)]
    for mutant in every[:: max(1, len(every) // 40)]:
        rule = rulebook.by_id[mutant.rule_id]
        with Checker(apply(rulebook, mutant), engine="python") as checker:
            changed = None
            for example in rule.rule.examples:
                verdict = checker.check(example_form(example), as_of=example_as_of(example, rule))
                status = next(r.status for r in verdict.results if r.rule_id == rule.id)
                original = next(s for p, s in judge.examples[rule.id]
                                if p.label.endswith(f"«{example.name}»"))
                if status != original:
                    changed = example.name
                    break
        killer = judge.killer(mutant)
        if changed is not None:
            assert killer is not None and killer.startswith("example "), (mutant.key, killer)
        else:  # no own example changed: only an example project may have killed it
            assert killer is None or killer.startswith("project "), (mutant.key, killer)


def test_covering_industry_keys():
    assert covering_key("steel_making", ["steel", "steel_making"]) == "steel"
    assert covering_key("steel", ["steel", "steel_making"]) is None
    assert covering_key("coking", ["coking"]) is None


# --------------------------------------------------------------------------- equivalents file


def test_the_equivalents_file_is_well_formed_and_not_a_rule_file(rulebook):
    path = equivalents_path()
    assert path.is_file()
    assert path.parent.name == "mutation"  # rules/*.yaml are rule files
    entries = load_equivalents(path)
    known = {m.key for rule in rulebook.rules for m in mutants(rule)}
    assert set(entries) <= known, "equivalent entries must name existing mutants"


@pytest.mark.parametrize("text", [
    "{rule: a}", "- {rule: a, mutation: b}", "- {rule: a, mutation: b, reason: ''}",
    "- {rule: a, mutation: b, reason: c, extra: d}",
    "- {rule: a, mutation: b, reason: c}\n- {rule: a, mutation: b, reason: d}", "[: bad",
])
def test_malformed_equivalents_are_refused(tmp_path, text):
    path = tmp_path / "eq.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MutateError):
        load_equivalents(path)


# --------------------------------------------------------------------------- the command


def invoke(*args: str):
    return runner.invoke(cli.app, ["rules", "mutate", *args])


@pytest.mark.slow
def test_command_reports_one_rule_as_json(rulebook):
    rule = rulebook.rules[0]
    result = invoke("--rule", rule.id, "--threshold", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["overall"]["mutants"] == len(mutants(rule))
    assert set(payload["documents"]) == {rule.document.id}
    assert {"rule", "mutation", "change"} <= set().union(*payload["survivors"]) or not payload[
        "survivors"]


@pytest.mark.slow
def test_command_exits_1_below_the_threshold_and_2_on_bad_usage(tmp_path, rulebook):
    rule = rulebook.rules[0]
    assert invoke("--rule", rule.id, "--threshold", "1.0", "--sample", "1").exit_code in (0, 1)
    assert invoke("--rule", "no/such-rule").exit_code == 2
    assert invoke("--document", "no-such-document").exit_code == 2
    assert invoke("--threshold", "1.5").exit_code == 2
    assert invoke("--equivalent", str(tmp_path / "missing.yaml")).exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {rule: a}\n", encoding="utf-8")
    assert invoke("--equivalent", str(bad)).exit_code == 2


@pytest.mark.slow
def test_command_terminal_output_keeps_bracketed_ids(rulebook):
    rule = next(r for r in rulebook.rules if r.rule.applies_to.industries != ["*"])
    result = invoke("--rule", rule.id, "--threshold", "0")
    assert result.exit_code == 0, result.output
    assert "变异得分" in result.stdout
    if "applies_to.industries-drop" in result.stdout:  # a survivor of this operator is shown
        assert "applies_to.industries-drop[" in result.stdout


# --------------------------------------------------------------------------- the gate


@pytest.mark.slow
def test_rulebook_mutation_score_on_a_sample():
    result = invoke("--sample", str(SAMPLE), "--seed", str(SEED), "--threshold", str(THRESHOLD),
                    "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert not report["broken_examples"], report["broken_examples"]
    survivors = "\n".join(f"  {s['rule']}  {s['mutation']}  {s['change']}"
                          for s in report["survivors"])
    score = report["overall"]["score"]
    assert score >= THRESHOLD, (
        f"mutation score {score:.1%} on a sample of {SAMPLE} (seed {SEED}) is below "
        f"{THRESHOLD:.0%}; add examples that kill these, or list true equivalents in "
        f"{Path('rules/mutation/mutants-equivalent.yaml')}:\n{survivors}")
    assert not report["survivors"], f"surviving mutants not listed as equivalent:\n{survivors}"
    assert not report["stale_equivalents"], report["stale_equivalents"]


def test_equivalents_file_header_documents_the_format():
    text = equivalents_path().read_text(encoding="utf-8")
    assert text.startswith("#")
    assert yaml.safe_load(text) in ([], None) or isinstance(yaml.safe_load(text), list)

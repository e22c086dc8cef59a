"""Each realistic example form gives the verdict stored beside it.

`<form>.expected.yaml`: `verdict`, the `failing` and `review` rule ids (exactly), and optionally
`statuses`, rule id → status, for what the example is about (e.g. a rule `not_in_force`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.checker import read_form_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "projects"
FORMS = sorted(path for path in EXAMPLES.glob("*.yaml") if not path.name.endswith(
    ".expected.yaml"))


def test_there_are_enough_examples():
    assert len(FORMS) >= 12


@pytest.mark.parametrize("path", FORMS, ids=lambda path: path.stem)
def test_example_gives_its_expected_verdict(checker, path):
    expected = yaml.safe_load(path.with_name(f"{path.stem}.expected.yaml").read_text("utf-8"))
    verdict = checker.check(read_form_file(path))
    assert verdict.verdict == expected["verdict"]
    assert sorted(r.rule_id for r in verdict.by_status("fail")) == sorted(
        expected.get("failing", []))
    assert sorted(r.rule_id for r in verdict.by_status("review")) == sorted(
        expected.get("review", []))
    statuses = {result.rule_id: result.status for result in verdict.results}
    for rule_id, status in expected.get("statuses", {}).items():
        assert statuses[rule_id] == status, rule_id
